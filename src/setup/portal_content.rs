//! What step 5 (Integration) and the Summary say: the vendor portal's own steps, with the one
//! host to type where a vendor quotes every region's, and the portal's values in its order.

use crate::profile::{self, PortalText, Profile};

use super::content_model::{
    ContentInput, CopyValue, StepContent, ValueSource, member_id_of, push_unique, vendor_prefix,
    with_member,
};
use super::fields::FieldId;
use super::step::MemberPlan;

pub(super) fn integration(profiles: &[&Profile], app: &ContentInput) -> StepContent {
    let mut content = StepContent {
        intro:
            "Test what you will type in the vendor's portal, from here, before you type it there."
                .into(),
        portal: portal_values(profiles, app),
        ..StepContent::default()
    };
    for p in profiles {
        for step in &p.integration.steps {
            let mut step = with_member(step, profiles, p, app.plan());
            if let Some(words) = host_words(&step, p, app) {
                step = format!("{step} {words}");
            }
            content.portal_steps.push(vendor_prefix(profiles, p, &step));
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

/// A vendor step that quotes ConnectWise's cloud hosts (Sync 365: "api-aus.myconnectwise.net
/// (Australia), api-eu…") is kept in the vendor's words, then says which one this setup uses: the
/// same text as the portal value to copy, so the step never silently contradicts it. ConnectWise
/// has two Australian sites (au and aus) where a vendor's page may list only one.
fn host_words(step: &str, profile: &Profile, app: &ContentInput) -> Option<String> {
    use profile::FieldSource;
    if !step.contains("myconnectwise.net") {
        return None;
    }
    let is_host = |f: &&profile::PortalField| {
        matches!(
            f.source,
            FieldSource::ApiHost | FieldSource::ApiUrl | FieldSource::Site | FieldSource::SiteUrl
        )
    };
    let fields = &profile.integration.fields;
    let field = fields
        .iter()
        .filter(is_host)
        .find(|f| step.starts_with(f.label.as_str()))
        .or_else(|| fields.iter().find(is_host))?;
    let in_australia = ["au", "aus"].iter().any(|short| {
        let host = profile::api_host(short);
        profile::api_host(&app.site) == host
    });
    let australia = if step.contains("api-au.") != step.contains("api-aus.")
        && (in_australia || app.site.trim().is_empty())
    {
        " ConnectWise has two Australian sites, au and aus: yours is the one in your login address."
    } else {
        ""
    };
    if app.site.trim().is_empty() {
        return Some(format!(
            "Type only the one for your ConnectWise: the \"{}\" value shows it once the Site is filled in on step 5.{australia}",
            field.label
        ));
    }
    let inputs = profile::PortalInputs {
        site: &app.site,
        ..profile::PortalInputs::default()
    };
    match profile::field_value(field, &inputs) {
        PortalText::Text(value) if !value.is_empty() => Some(format!(
            "For yours, type {value} (the \"{}\" value below).{australia}",
            field.label
        )),
        PortalText::Text(_)
        | PortalText::PublicKey
        | PortalText::PrivateKey
        | PortalText::MemberId => None,
    }
}

/// The vendor portal's fields, in its order, in the form each portal asks for (the same values
/// `cwsetup check` prints and its report lists).
pub fn portal_values(profiles: &[&Profile], app: &ContentInput) -> Vec<CopyValue> {
    // One pair per tool, each tool's own; else one pair: the first tool's, or the one every
    // tool shares.
    let shared_key = app.plan() == MemberPlan::OneMemberSharedKey;
    let mut values = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let own_fields = app.key_fields_of(&p.id);
        let fields = own_fields.or_else(|| {
            (i == 0 || shared_key).then_some((FieldId::PublicKey, FieldId::PrivateKey))
        });
        let inputs = profile::PortalInputs {
            site: &app.site,
            company_id: &app.company_id,
            client_id: &app.client_id,
            member_id: member_id_of(profiles, p, app),
        };
        for entry in profile::portal_entries(p, &inputs) {
            let label = vendor_prefix(profiles, p, &entry.label);
            let value = match entry.value {
                PortalText::Text(text) => ValueSource::Text(text),
                PortalText::PublicKey if fields.is_some() => {
                    ValueSource::Field(fields.map_or(FieldId::PublicKey, |f| f.0))
                }
                PortalText::PrivateKey if fields.is_some() => {
                    ValueSource::Field(fields.map_or(FieldId::PrivateKey, |f| f.1))
                }
                PortalText::PublicKey => ValueSource::Text(format!(
                    "(the public key of the \"{}\" key)",
                    p.key.description
                )),
                PortalText::PrivateKey => ValueSource::Text(format!(
                    "(the private key of the \"{}\" key)",
                    p.key.description
                )),
                PortalText::MemberId => {
                    ValueSource::Text("(your existing API member's Member ID)".to_string())
                }
            };
            values.push(CopyValue { label, value });
        }
    }
    values
}
