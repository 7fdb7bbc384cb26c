//! What each step shows, derived from the selected vendor profiles. Every sentence a technician
//! reads here comes from `assets/profiles`; this module only arranges it.

use crate::profile::{self, AdminAdvice, Profile};

pub use super::content_model::{ContentInput, CopyValue, RoleItem, StepContent, ValueSource};
use super::content_model::{push_unique, vendor_prefix, with_member};
use super::portal_content::integration;
pub use super::portal_content::portal_values;
use super::step::{Hosting, MemberPlan, StepId};

pub fn step_content(
    step: StepId,
    profiles: &[&Profile],
    input: impl Into<ContentInput>,
) -> StepContent {
    let input = input.into();
    let app = &input;
    if profiles.is_empty() {
        return StepContent {
            intro: "Select at least one vendor profile on the Prerequisites step.".into(),
            ..StepContent::default()
        };
    }
    match step {
        StepId::Prerequisites => prerequisites(profiles, app),
        StepId::SecurityRole => security_role(profiles, app),
        StepId::ApiMember => api_member(profiles, app),
        StepId::ApiKey => api_key(profiles, app),
        StepId::Integration => integration(profiles, app),
        StepId::Summary => {
            // The vendor portal's own steps, ticked as they are done, with the values to copy;
            // then lowering what a vendor needed only while its setup ran.
            let integration = integration(profiles, app);
            let mut checklist = integration.portal_steps;
            checklist.extend(super::setup_only::lower_after_setup(profiles, app.plan()));
            StepContent {
                intro: "Now in the vendor's portal: follow its steps and copy each value in."
                    .into(),
                checklist,
                values: integration.portal,
                notes: integration.notes,
                ..StepContent::default()
            }
        }
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

fn prerequisites(profiles: &[&Profile], app: &ContentInput) -> StepContent {
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

/// The role name a profile's own instructions use, replaced with the one this plan creates.
fn with_role_name(text: &str, profile: &Profile, role_name: &str) -> String {
    let own = profile.role.recommended_name.trim();
    if own.is_empty() || own == role_name {
        text.to_string()
    } else {
        text.replace(own, role_name)
    }
}

fn security_role(profiles: &[&Profile], app: &ContentInput) -> StepContent {
    let plan = app.plan();
    let mut content = match plan {
        MemberPlan::MemberPerTool => role_per_tool(profiles),
        MemberPlan::ExistingMember => role_of_existing_member(profiles),
        MemberPlan::OneMemberKeyPerTool | MemberPlan::OneMemberSharedKey => merged_role(profiles),
    };
    for note in super::setup_only::role_step_notes(&content.role_rows) {
        push_unique(&mut content.notes, note);
    }
    for p in profiles {
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
    content
}

/// One role for one member that serves every tool: the merged rows, under the merged name.
fn merged_role(profiles: &[&Profile]) -> StepContent {
    let merged = profile::merge(profiles);
    let mut content = StepContent {
        intro: if profiles.len() > 1 {
            "Create one security role for the API member all the tools share.".into()
        } else {
            "Create the security role the API member will use.".into()
        },
        values: vec![CopyValue::text("Role name", merged.role_name.clone())],
        role_rows: merged.rows,
        ..StepContent::default()
    };
    for (i, p) in profiles.iter().enumerate() {
        let own = p.role.recommended_name.trim();
        for item in &p.role.instructions {
            // The first profile's lines name the role (renamed to the merged name); the others'
            // lines that name their own role would contradict it.
            if i > 0 && !own.is_empty() && item.contains(own) {
                continue;
            }
            push_unique(
                &mut content.checklist,
                with_role_name(item, p, &merged.role_name),
            );
        }
    }
    // Saving the role is the last thing done, whoever's list it came from.
    let (save, mut rest): (Vec<String>, Vec<String>) = content
        .checklist
        .into_iter()
        .partition(|item| item.starts_with("Save the security role"));
    rest.extend(save.into_iter().take(1));
    content.checklist = rest;
    for note in merged.notes {
        push_unique(&mut content.notes, note);
    }
    content
}

/// Each tool its own role: every profile's steps and name, prefixed with its vendor.
fn role_per_tool(profiles: &[&Profile]) -> StepContent {
    let mut content = StepContent {
        intro:
            "Create one security role per tool: each tool's member gets only what that tool needs."
                .into(),
        ..StepContent::default()
    };
    for p in profiles {
        content.values.push(CopyValue::text(
            vendor_prefix(profiles, p, "Role name"),
            p.role.recommended_name.clone(),
        ));
        for item in &p.role.instructions {
            content.checklist.push(vendor_prefix(profiles, p, item));
        }
        let own = profile::merge(&[p]);
        // One table per role, headed by the role's name and its tool.
        content.role_headings.push((
            content.role_rows.len(),
            format!(
                "{}: role \"{}\"",
                profile::product_label(p),
                p.role.recommended_name.trim()
            ),
        ));
        content.role_rows.extend(own.rows);
        for note in own.notes {
            push_unique(&mut content.notes, vendor_prefix(profiles, p, &note));
        }
    }
    content
}

/// The member exists: its role gets at least the merged rows, nothing is lowered.
fn role_of_existing_member(profiles: &[&Profile]) -> StepContent {
    let merged = profile::merge(profiles);
    let mut checklist = vec![
        "In ConnectWise Manage, open System > Members, click the API Members tab and open your existing API member: note its Role ID.".to_string(),
        "Open System > Security Roles and open that role (do not create a new one).".to_string(),
        "Expand each module listed below and raise each function to at least the levels listed. Keep any level that is already higher: the role may serve other tools.".to_string(),
    ];
    for source in merged.sources_without_rows() {
        checklist.push(format!(
            "{} publishes its rows on its own page (see the notes): add them below with a, and raise them on the role too.",
            source.label
        ));
    }
    if merged.rows.iter().any(|r| !r.customize.is_empty()) {
        checklist.push(
            "System > Table Setup: if the role restricts it, click Customize and allow at least the listed tables.".to_string(),
        );
    }
    if merged.rows.iter().any(|r| r.customize_deny.is_some()) {
        checklist.push(
            "Where a row's Customize is a deny-list: keep every other table allowed, and move only the listed tables to \"Disallow access to these\".".to_string(),
        );
    }
    checklist.push("Save the security role.".to_string());
    let mut content = StepContent {
        intro: "Add what the tools need to the security role your existing API member has.".into(),
        checklist,
        role_rows: merged.rows.clone(),
        ..StepContent::default()
    };
    for note in merged.notes_for_an_existing_role() {
        push_unique(&mut content.notes, profile::for_an_existing_role(note));
    }
    content
}

fn member_values(profiles: &[&Profile], p: &Profile, values: &mut Vec<CopyValue>) {
    let member = &p.member;
    values.push(CopyValue::text(
        vendor_prefix(profiles, p, "Member ID"),
        member.member_id.clone(),
    ));
    if let Some(name) = &member.name {
        values.push(CopyValue::text(
            vendor_prefix(profiles, p, "Member name"),
            name.clone(),
        ));
    }
    if let Some(first) = &member.first_name {
        values.push(CopyValue::text(
            vendor_prefix(profiles, p, "First name"),
            first.clone(),
        ));
    }
    if let Some(last) = &member.last_name {
        values.push(CopyValue::text(
            vendor_prefix(profiles, p, "Last name"),
            last.clone(),
        ));
    }
}

fn api_member(profiles: &[&Profile], app: &ContentInput) -> StepContent {
    let plan = app.plan();
    match plan {
        MemberPlan::ExistingMember => {
            let member = &profiles[0].member;
            StepContent {
                intro: "Check the existing API member that the tools will sign in as.".into(),
                checklist: vec![
                    "In ConnectWise Manage, open System > Members, click the API Members tab and open your existing API member.".to_string(),
                    "Type its Member ID into \"Member ID in ConnectWise\" below: the tools sign in as that member, and \"check my work\" reads it.".to_string(),
                    "Check that its Role ID is the security role you updated on the previous step.".to_string(),
                    "Check its Level: Corporate (the top level). A member at a lower level sees only the records inside that level.".to_string(),
                    "Check that the member is not inactive, then close it without other changes.".to_string(),
                ],
                values: (!app.member_id.is_empty())
                    .then(|| CopyValue::text("Member ID", app.member_id.clone()))
                    .into_iter()
                    .collect(),
                notes: vec![format!("Level: {}", member.structure_level)],
                ..StepContent::default()
            }
        }
        MemberPlan::MemberPerTool => {
            let mut content = StepContent {
                intro: "Create one API member per tool, each with that tool's own role.".into(),
                ..StepContent::default()
            };
            for p in profiles {
                let role = p.role.recommended_name.trim();
                for item in &p.member.instructions {
                    let item = if item.contains("Role ID") || item.contains("Security Role") {
                        format!("{item} Here: \"{role}\".")
                    } else {
                        item.clone()
                    };
                    content.checklist.push(vendor_prefix(profiles, p, &item));
                }
                member_values(profiles, p, &mut content.values);
                push_unique(
                    &mut content.notes,
                    vendor_prefix(profiles, p, &format!("Level: {}", p.member.structure_level)),
                );
            }
            content
        }
        MemberPlan::OneMemberKeyPerTool | MemberPlan::OneMemberSharedKey => {
            // One API member serves every selected tool: the first tool's member fields.
            let first = profiles[0];
            let member = &first.member;
            let mut content = StepContent {
                intro: "Create the API member that the integration signs in as.".into(),
                checklist: member.instructions.clone(),
                ..StepContent::default()
            };
            member_values(&profiles[..1], first, &mut content.values);
            content.notes = vec![
                format!("Department: {}", member.department),
                format!("Location: {}", member.location),
                format!("Level: {}", member.structure_level),
            ];
            content.notes.extend(member.notes.iter().cloned());
            if profiles.len() > 1 {
                let role = profile::merge(profiles).role_name;
                content.notes.push(format!(
                    "This one API member ({}) serves all selected tools, with the role \"{role}\".",
                    member.member_id
                ));
                if let Some(item) = content
                    .checklist
                    .iter_mut()
                    .find(|i| i.contains("Role ID") || i.contains("Security Role"))
                {
                    *item = format!("{item} Here: \"{role}\".");
                }
            }
            content
        }
    }
}

fn api_key(profiles: &[&Profile], app: &ContentInput) -> StepContent {
    let plan = app.plan();
    let several = profiles.len() > 1;
    let first = crate::profile::product_label(profiles[0]);
    let intro = match plan {
        _ if !several => "Create the API key, then paste both keys below: cwsetup trims them and holds them wiped-on-exit.".to_string(),
        MemberPlan::OneMemberSharedKey => "Create one API key that every tool uses, then paste both keys below.".to_string(),
        MemberPlan::OneMemberKeyPerTool => "Create one API key per tool on the one member, then paste each tool's keys in its own fields below: the test checks each pair against its tool's rows.".to_string(),
        MemberPlan::ExistingMember => format!(
            "Create one API key per tool on the one member. Paste {first}'s keys below: every key of this member has the same role, so one test covers every tool."
        ),
        MemberPlan::MemberPerTool => "Create each tool's key on that tool's own member, then paste each tool's keys in its own fields below: the test checks each pair against its tool's rows.".to_string(),
    };
    let mut content = StepContent {
        intro,
        ..StepContent::default()
    };
    let shared = plan == MemberPlan::OneMemberSharedKey && several;
    let keyed: &[&Profile] = if shared { &profiles[..1] } else { profiles };
    for p in keyed {
        for item in &p.key.instructions {
            let item = with_member(item, profiles, p, plan);
            if shared {
                content.checklist.push(item);
            } else {
                content.checklist.push(vendor_prefix(profiles, p, &item));
            }
        }
        if shared {
            content.values.push(CopyValue::text(
                "Key description",
                shared_key_description(profiles),
            ));
        } else {
            content.values.push(CopyValue::text(
                vendor_prefix(profiles, p, "Key description"),
                p.key.description.clone(),
            ));
        }
    }
    for p in profiles {
        for warning in &p.key.warnings {
            // One shared key is what was chosen: a vendor's "one key per tool" is said once below.
            if shared && warning.contains("own API key") {
                continue;
            }
            push_unique(&mut content.notes, warning.clone());
        }
    }
    if shared {
        content.notes.push(
            "One key for all tools: revoking it stops every tool at once, and a vendor that asks for one key per tool (Visionary 360 does) may not support sharing it.".into(),
        );
    }
    if shared {
        // The shared description names every tool, so its instruction must too.
        let description = shared_key_description(profiles);
        let own = profiles[0].key.description.trim();
        for item in &mut content.checklist {
            if item.contains(&format!("Description: {own}")) {
                *item = item.replace(
                    &format!("Description: {own}"),
                    &format!("Description: {description}"),
                );
            }
        }
    }
    content
}

fn shared_key_description(profiles: &[&Profile]) -> String {
    profiles
        .iter()
        .map(|p| p.key.description.trim().to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The Markdown checklist for a ConnectWise administrator, following the member plan: the
/// role(s), the member's fields and the key steps. Copied from the wizard with `h`.
pub fn handoff_markdown(profiles: &[&Profile], plan: MemberPlan) -> String {
    if profiles.is_empty() {
        return String::new();
    }
    let handoff = |members: &[&Profile], shape: profile::HandoffMember| {
        profile::render_handoff(&profile::merge(members), members, shape)
    };
    match plan {
        MemberPlan::OneMemberKeyPerTool => handoff(profiles, profile::HandoffMember::OneMember),
        MemberPlan::OneMemberSharedKey => {
            handoff(profiles, profile::HandoffMember::OneMemberSharedKey)
        }
        MemberPlan::ExistingMember => handoff(profiles, profile::HandoffMember::Existing),
        MemberPlan::MemberPerTool => {
            // Each tool its own role, member and key: one checklist per tool, one after another.
            let mut out = String::from(
                "One API member per tool: each tool below has its own security role, API member and key.\n\n",
            );
            for p in profiles {
                out.push_str(&handoff(&[*p], profile::HandoffMember::OneMember));
                out.push('\n');
            }
            out
        }
    }
}
