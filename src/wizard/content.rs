//! What each step shows, derived from the selected vendor profiles. Every sentence a technician
//! reads here comes from `assets/profiles`; this module only arranges it.

use crate::profile::{self, AdminAdvice, MergedRow, PortalText, Profile};

use super::app::{App, FieldId, Hosting, StepId};

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
        StepId::Prerequisites => prerequisites(profiles, app),
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

/// A prerequisite that concerns only a self-hosted server (a vendor's IP allow-list, say).
fn self_hosted_only(item: &str) -> bool {
    item.trim_start().to_lowercase().starts_with("self-hosted")
}

fn prerequisites(profiles: &[&Profile], app: &App) -> StepContent {
    let hosting = app.hosting();
    let self_hosted = hosting == Some(Hosting::SelfHosted);
    let mut content = StepContent {
        intro: format!("{PREREQUISITES_INTRO}{CHOOSE_WITH_SPACE}"),
        ..StepContent::default()
    };
    match hosting {
        None => content.notes.push(
            "Choose where your ConnectWise runs: a cloud region (the host you sign in at), or a self-hosted server. Self-hosted tasks are added only for a server."
                .into(),
        ),
        Some(Hosting::Cloud(region)) => content.notes.push(format!(
            "{} cloud: ConnectWise hosts the server, so there is no IP allow-list, certificate or firewall to set up. The API answers at {}.",
            region.label(),
            region.api_host()
        )),
        Some(Hosting::SelfHosted) => {
            content.notes.push(
                "Self-hosted: the vendor's servers reach yours over the internet. Your firewall must let them through to the server's HTTPS port, and the server needs a certificate issued by a public authority for the address typed here (a self-signed or expired one fails the vendor's test)."
                    .into(),
            );
        }
    }
    for p in profiles {
        for item in &p.prerequisites {
            if self_hosted || !self_hosted_only(item) {
                push_unique(&mut content.checklist, item.clone());
            }
        }
        if !self_hosted {
            continue;
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
                "Self-hosted: allow-list {}'s IP addresses: {list}",
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

/// The vendor portal's fields, in its order, in the form each portal asks for (the same values
/// `cwsetup check` prints and its report lists).
pub fn portal_values(profiles: &[&Profile], app: &App) -> Vec<CopyValue> {
    let site = app.site.sanitized();
    let company_id = app.company_id.sanitized();
    let client_id = app.client_id.sanitized();
    let inputs = profile::PortalInputs {
        site: &site,
        company_id: &company_id,
        client_id: &client_id,
    };
    let mut values = Vec::new();
    for p in profiles {
        for entry in profile::portal_entries(p, &inputs) {
            let label = vendor_prefix(profiles, p, &entry.label);
            let value = match entry.value {
                PortalText::Text(text) => ValueSource::Text(text),
                PortalText::PublicKey => ValueSource::Field(FieldId::PublicKey),
                PortalText::PrivateKey => ValueSource::Field(FieldId::PrivateKey),
            };
            values.push(CopyValue { label, value });
        }
    }
    values
}
