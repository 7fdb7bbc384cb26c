//! What each step shows, derived from the selected vendor profiles. Every sentence a technician
//! reads here comes from `assets/profiles`; this module only arranges it.

use crate::profile::{self, AdminAdvice, FieldSource, MergedRow, Profile};

use super::app::{App, FieldId, StepId};

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
    fn text(label: impl Into<String>, value: impl Into<String>) -> Self {
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
}

pub fn step_content(step: StepId, profiles: &[&Profile], app: &App) -> StepContent {
    if profiles.is_empty() {
        return StepContent {
            intro: "Select at least one vendor profile on the Prerequisites step.".into(),
            ..StepContent::default()
        };
    }
    match step {
        StepId::Prerequisites => prerequisites(profiles),
        StepId::SecurityRole => security_role(profiles),
        StepId::ApiMember => api_member(profiles),
        StepId::ApiKey => api_key(profiles),
        StepId::Integration => integration(profiles, app),
        StepId::Summary => {
            // The vendor portal's own steps, ticked as they are done, with the values to copy.
            let integration = integration(profiles, app);
            StepContent {
                intro: "Now in the vendor's portal: follow its steps and copy each value in."
                    .into(),
                checklist: integration.portal_steps,
                values: integration.portal,
                notes: integration.notes,
                ..StepContent::default()
            }
        }
    }
}

/// Adds `item` unless an equal one is already there (several profiles share prerequisites).
fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn vendor_prefix(profiles: &[&Profile], profile: &Profile, text: &str) -> String {
    if profiles.len() > 1 {
        format!("[{}] {text}", profile.vendor)
    } else {
        text.to_string()
    }
}

/// The Prerequisites intro without the full-screen wizard's own key hint (plain mode asks a
/// numbered question instead of offering Space).
pub const PREREQUISITES_INTRO: &str = "Before you start in ConnectWise.";
/// The wizard's hint for choosing profiles, appended to [`PREREQUISITES_INTRO`].
pub const CHOOSE_WITH_SPACE: &str = " Choose the vendor integration(s) with Space.";

fn prerequisites(profiles: &[&Profile]) -> StepContent {
    let mut content = StepContent {
        intro: format!("{PREREQUISITES_INTRO}{CHOOSE_WITH_SPACE}"),
        ..StepContent::default()
    };
    for p in profiles {
        for item in &p.prerequisites {
            push_unique(&mut content.checklist, item.clone());
        }
        let allow = &p.ip_allow_list;
        let list = if allow.addresses.is_empty() {
            allow.note.clone()
        } else {
            format!("{} ({})", allow.addresses.join(", "), allow.note)
        };
        push_unique(
            &mut content.notes,
            format!(
                "Self-hosted only: allow-list {}'s IP addresses: {list}",
                p.vendor
            ),
        );
        for address in &allow.addresses {
            content
                .values
                .push(CopyValue::text(format!("{} IP", p.vendor), address.clone()));
        }
    }
    content
}

fn security_role(profiles: &[&Profile]) -> StepContent {
    let merged = profile::merge(profiles);
    let mut content = StepContent {
        intro: "Create the security role the API member will use.".into(),
        values: vec![CopyValue::text("Role name", merged.role_name.clone())],
        role_rows: merged.rows,
        ..StepContent::default()
    };
    for p in profiles {
        for item in &p.role.instructions {
            push_unique(&mut content.checklist, item.clone());
        }
        // Said once: a vendor whose own notes already speak of the Admin role needs no echo.
        let notes_mention_admin = p.role.notes.iter().any(|n| n.contains("Admin role"));
        if p.role.admin == AdminAdvice::Discouraged && !notes_mention_admin {
            push_unique(
                &mut content.notes,
                format!(
                    "{} advises against the Admin role for this member.",
                    p.vendor
                ),
            );
        }
    }
    for note in merged.notes {
        push_unique(&mut content.notes, note);
    }
    content
}

fn api_member(profiles: &[&Profile]) -> StepContent {
    // One API member serves every selected tool (each gets its own key on the next step).
    let member = &profiles[0].member;
    let mut values = vec![CopyValue::text("Member ID", member.member_id.clone())];
    if let Some(name) = &member.name {
        values.push(CopyValue::text("Member name", name.clone()));
    }
    if let Some(first) = &member.first_name {
        values.push(CopyValue::text("First name", first.clone()));
    }
    if let Some(last) = &member.last_name {
        values.push(CopyValue::text("Last name", last.clone()));
    }
    let mut notes = vec![
        format!("Department: {}", member.department),
        format!("Location: {}", member.location),
        format!("Level: {}", member.structure_level),
    ];
    notes.extend(member.notes.iter().cloned());
    if profiles.len() > 1 {
        notes.push(
            "One API member serves all selected tools: give each tool its own API key on the next step."
                .into(),
        );
    }
    StepContent {
        intro: "Create the API member that the integration signs in as.".into(),
        checklist: member.instructions.clone(),
        values,
        notes,
        ..StepContent::default()
    }
}

fn api_key(profiles: &[&Profile]) -> StepContent {
    let mut content = StepContent {
        intro: "Create the API key, then paste both keys below: cwsetup trims them and holds them wiped-on-exit.".into(),
        ..StepContent::default()
    };
    for p in profiles {
        for item in &p.key.instructions {
            content.checklist.push(vendor_prefix(profiles, p, item));
        }
        content.values.push(CopyValue::text(
            vendor_prefix(profiles, p, "Key description"),
            p.key.description.clone(),
        ));
        for warning in &p.key.warnings {
            push_unique(&mut content.notes, warning.clone());
        }
    }
    content
}

fn integration(profiles: &[&Profile], app: &App) -> StepContent {
    let mut content = StepContent {
        intro:
            "Test what you will type in the vendor's portal, from here, before you type it there."
                .into(),
        portal: portal_values(profiles, app),
        ..StepContent::default()
    };
    for p in profiles {
        for step in &p.integration.steps {
            content.portal_steps.push(vendor_prefix(profiles, p, step));
        }
        if let Some(after) = &p.integration.after {
            push_unique(&mut content.notes, after.clone());
        }
        for note in &p.integration.notes {
            push_unique(&mut content.notes, vendor_prefix(profiles, p, note));
        }
    }
    content
}

/// The vendor portal's fields, in its order, with the values that passed the test.
pub fn portal_values(profiles: &[&Profile], app: &App) -> Vec<CopyValue> {
    let mut values = Vec::new();
    for p in profiles {
        for field in &p.integration.fields {
            let label = vendor_prefix(profiles, p, &field.label);
            let value = match field.source {
                FieldSource::CompanyId => ValueSource::Text(app.company_id.sanitized()),
                FieldSource::ApiHost => ValueSource::Text(api_host(app)),
                FieldSource::Site => ValueSource::Text(app.site.sanitized()),
                FieldSource::ClientId => ValueSource::Text(app.client_id.sanitized()),
                FieldSource::PublicKey => ValueSource::Field(FieldId::PublicKey),
                FieldSource::PrivateKey => ValueSource::Field(FieldId::PrivateKey),
                FieldSource::Fixed => ValueSource::Text(field.value.clone().unwrap_or_default()),
            };
            values.push(CopyValue { label, value });
        }
    }
    values
}

/// The API host the test reached (what vendors call the ConnectWise URL), else the site.
fn api_host(app: &App) -> String {
    app.check
        .report
        .as_ref()
        .and_then(|r| r.api_base.as_deref())
        .and_then(|base| url::Url::parse(base).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| u.port().map_or(h.to_string(), |p| format!("{h}:{p}")))
        })
        .unwrap_or_else(|| app.site.sanitized())
}
