//! What a step's content is made of (its texts, values and role rows) and what it follows (the
//! choices and fields in [`ContentInput`]), with the few helpers every step's texts share: the
//! leaf both `content` and `portal_content` build on.

use crate::profile::{MergedRow, Profile};

use super::fields::FieldId;
use super::step::{Hosting, MemberPlan};

/// Where a copyable value comes from. Keys are read from their field at the moment of copying,
/// so no extra copy of a secret lives in the step content.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    Text(String),
    Field(FieldId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CopyValue {
    pub label: String,
    pub value: ValueSource,
}

impl CopyValue {
    pub(super) fn text(label: impl Into<String>, value: impl Into<String>) -> Self {
        CopyValue {
            label: label.into(),
            value: ValueSource::Text(value.into()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepContent {
    /// One sentence: what this step is for.
    pub intro: String,
    /// Numbered instructions in ConnectWise; the technician ticks each as it is done.
    pub checklist: Vec<String>,
    /// Values to type in ConnectWise, each copyable.
    pub values: Vec<CopyValue>,
    /// Guidance and warnings from the vendor.
    pub notes: Vec<String>,
    /// The security role (Security role step).
    pub role_rows: Vec<MergedRow>,
    /// Values to type in the vendor's portal, in its order (Integration and Summary).
    pub portal: Vec<CopyValue>,
    /// The vendor portal's own steps.
    pub portal_steps: Vec<String>,
    /// Under "one member per tool", each role's heading before its first row: `(row index,
    /// "Sync 365 License: role \"Sync 365 API\"")`. Empty when the step shows one role.
    pub role_headings: Vec<(usize, String)>,
}

/// One line of the role table: a role's heading (one table per role) or a permission row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RoleItem<'a> {
    Heading(&'a str),
    Row(&'a MergedRow),
}

impl StepContent {
    /// The role table's lines in order: each role's heading, then its rows.
    pub fn role_items(&self) -> Vec<RoleItem<'_>> {
        let mut items = Vec::with_capacity(self.role_rows.len() + self.role_headings.len());
        for (i, row) in self.role_rows.iter().enumerate() {
            for (_, heading) in self.role_headings.iter().filter(|(at, _)| *at == i) {
                items.push(RoleItem::Heading(heading));
            }
            items.push(RoleItem::Row(row));
        }
        items
    }

    /// The permission row at line `item` of the role table; `None` on a heading.
    pub fn role_row_at(&self, item: usize) -> Option<&MergedRow> {
        match self.role_items().get(item)? {
            RoleItem::Row(row) => Some(row),
            RoleItem::Heading(_) => None,
        }
    }
}

/// What a step's texts follow besides the selected profiles: the choices made on Prerequisites
/// and the fields typed on Integration. Built from the wizard's state (`From<&App>`), so this
/// module never reads that state itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentInput {
    pub hosting: Option<Hosting>,
    pub plan: MemberPlan,
    /// The Integration fields, sanitized as the vendor's portal takes them.
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    /// Step 3's member ID as typed: under "I already have an API member", the existing member's.
    pub member_id: String,
    /// The key fields of each profile that has its own pair (one key per tool), by profile id.
    pub own_key_fields: Vec<(String, (FieldId, FieldId))>,
}

impl ContentInput {
    pub(super) fn plan(&self) -> MemberPlan {
        self.plan
    }

    pub(super) fn hosting(&self) -> Option<Hosting> {
        self.hosting
    }

    pub(super) fn key_fields_of(&self, profile_id: &str) -> Option<(FieldId, FieldId)> {
        self.own_key_fields
            .iter()
            .find(|(id, _)| id == profile_id)
            .map(|(_, fields)| *fields)
    }
}

/// Adds `item` unless an equal one is already there (several profiles share prerequisites).
pub(super) fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

pub(super) fn vendor_prefix(profiles: &[&Profile], profile: &Profile, text: &str) -> String {
    if profiles.len() > 1 {
        format!("[{}] {text}", profile.vendor)
    } else {
        text.to_string()
    }
}

/// The Member ID of the API member a profile's key goes on: the one step 3 creates, or the
/// existing member's as typed on step 3 (`None` until it is).
pub(super) fn member_id_of<'a>(
    profiles: &[&'a Profile],
    profile: &'a Profile,
    app: &'a ContentInput,
) -> Option<&'a str> {
    match app.plan() {
        MemberPlan::ExistingMember => Some(app.member_id.as_str()).filter(|id| !id.is_empty()),
        MemberPlan::MemberPerTool => Some(profile.member.member_id.trim()),
        MemberPlan::OneMemberKeyPerTool | MemberPlan::OneMemberSharedKey => {
            Some(profiles[0].member.member_id.trim())
        }
    }
}

/// How the step texts name the API member a profile's key goes on, under `plan`.
fn member_phrase(profiles: &[&Profile], profile: &Profile, plan: MemberPlan) -> String {
    match plan {
        MemberPlan::ExistingMember => "your existing API member".to_string(),
        MemberPlan::MemberPerTool => format!("the {} API member", profile.member.member_id),
        MemberPlan::OneMemberKeyPerTool | MemberPlan::OneMemberSharedKey => {
            format!("the {} API member", profiles[0].member.member_id)
        }
    }
}

/// A profile's text with its own member ("the V360API member") replaced by the plan's.
pub(super) fn with_member(
    text: &str,
    profiles: &[&Profile],
    profile: &Profile,
    plan: MemberPlan,
) -> String {
    if plan == MemberPlan::MemberPerTool {
        return text.to_string();
    }
    let id = profile.member.member_id.trim();
    let phrase = member_phrase(profiles, profile, plan);
    let mut out = text.to_string();
    for own in [format!("the {id} API member"), format!("the {id} member")] {
        if out.contains(&own) {
            out = out.replace(&own, &phrase);
            break;
        }
    }
    out
}
