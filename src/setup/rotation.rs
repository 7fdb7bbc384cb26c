//! The wizard's "rotate a key" path (issue 26 §3), front-end neutral: the five steps of
//! [`crate::rotate`] walked on screen, from step 1. The new pair runs the full check and must
//! pass (or warn) before anything else; the old pair is then tried on `system/info`, where a 401
//! proves it dead.
//!
//! Both pairs live only in [`MaskedInput`]s here: wiped with `x`, when the path is left, and on
//! quit; never saved (the saved setup knows nothing of this state).

use crate::check::{CheckReport, CheckRequest, Verdict};
use crate::rotate::{OldKey, OldKeyStatus, RotateRequest};
use crate::secret::Secret;

use super::content::CopyValue;
use super::content_model::ContentInput;
use super::fields::FieldId;
use super::state::{Setup, Tone};
use super::text_field::TextField;

pub use super::rotation_state::{RotateField, RotateStep, Rotation};

/// One line of a rotate step's text, with the tone it is said in (none: plain text).
#[derive(Debug, Clone, PartialEq)]
pub struct RotateLine {
    pub tone: Option<Tone>,
    pub text: String,
}

fn say(text: impl Into<String>) -> RotateLine {
    RotateLine {
        tone: None,
        text: text.into(),
    }
}

fn said(tone: Tone, text: impl Into<String>) -> RotateLine {
    RotateLine {
        tone: Some(tone),
        text: text.into(),
    }
}

/// The member the key belongs to, as the first selected profile names it ("S365").
pub fn member_id(app: &Setup) -> String {
    app.selected_profiles()
        .first()
        .map(|p| p.member.member_id.clone())
        .unwrap_or_default()
}

/// The new key's description: the member ID and today's date ("S365 2026-12-07").
pub fn description(app: &Setup) -> String {
    let date = app
        .rotation
        .as_ref()
        .map(|r| r.date.clone())
        .unwrap_or_default();
    crate::sanitize::display_text(&format!("{} {date}", member_id(app)))
}

/// Starts the rotate path (from step 1): nothing typed yet.
pub fn start(app: &mut Setup) {
    app.rotation = Some(Rotation::new(crate::rotate::today()));
}

/// Leaves the rotate path: both pairs are wiped (dropping them wipes them). True when a key was
/// held.
pub fn leave(app: &mut Setup) -> bool {
    let held = app.rotation.as_ref().is_some_and(Rotation::keys_entered);
    if let Some(rotation) = &mut app.rotation {
        rotation.clear_keys();
    }
    app.rotation = None;
    held
}

/// A tenant field of the setup the rotate path edits.
pub fn text_field_mut(app: &mut Setup, field: RotateField) -> Option<&mut TextField> {
    app.field_mut(field.setup_field()?)
}

pub fn text_field(app: &Setup, field: RotateField) -> Option<&TextField> {
    app.field(field.setup_field()?)
}

/// Step 3's values: the same portal values as the wizard's step 5. The keys among them are
/// named, never shown; copying one copies the new key.
pub fn portal_values(app: &Setup) -> Vec<CopyValue> {
    let profiles = app.selected_profiles();
    super::portal_content::portal_values(&profiles, &ContentInput::from(app))
}

/// The rotation's key a portal value names: its public or private key is the new one.
pub fn portal_key(value: &CopyValue) -> Option<RotateField> {
    use super::content::ValueSource;
    match &value.value {
        ValueSource::Field(FieldId::PublicKey | FieldId::ToolPublicKey(_)) => {
            Some(RotateField::NewPublic)
        }
        ValueSource::Field(FieldId::PrivateKey | FieldId::ToolPrivateKey(_)) => {
            Some(RotateField::NewPrivate)
        }
        ValueSource::Field(
            FieldId::Site
            | FieldId::CompanyId
            | FieldId::ClientId
            | FieldId::MyPublicKey
            | FieldId::MyPrivateKey
            | FieldId::RoleName
            | FieldId::MemberId,
        )
        | ValueSource::Text(_) => None,
    }
}

fn copy(rotation: &Rotation, field: RotateField) -> Result<Secret, String> {
    let input = rotation
        .key(field)
        .ok_or_else(|| "internal: not a key field".to_string())?;
    Secret::from_str_checked(input.secret().expose()).map_err(|e| format!("{}: {e}", field.label()))
}

/// The new key's full check: the tenant's values, the new pair, the selected profiles.
pub fn check_request(app: &Setup) -> Result<CheckRequest, String> {
    let rotation = app.rotation.as_ref().ok_or("internal: not rotating")?;
    Ok(CheckRequest {
        site: app.site.value().to_string(),
        company_id: app.company_id.value().to_string(),
        client_id: app.client_id.value().to_string(),
        public_key: copy(rotation, RotateField::NewPublic)?,
        private_key: copy(rotation, RotateField::NewPrivate)?,
        profiles: app.selected_profiles().into_iter().cloned().collect(),
        timeout: app.settings.timeout,
        removed_before: Vec::new(),
    })
}

/// Both pairs for the old key's proof ([`crate::rotate::prove_old_key_only`]).
pub fn rotate_request(app: &Setup) -> Result<RotateRequest, String> {
    let rotation = app.rotation.as_ref().ok_or("internal: not rotating")?;
    Ok(RotateRequest {
        site: app.site.value().to_string(),
        company_id: app.company_id.value().to_string(),
        client_id: app.client_id.value().to_string(),
        new_public_key: copy(rotation, RotateField::NewPublic)?,
        new_private_key: copy(rotation, RotateField::NewPrivate)?,
        old_public_key: copy(rotation, RotateField::OldPublic)?,
        old_private_key: copy(rotation, RotateField::OldPrivate)?,
        profiles: app.selected_profiles().into_iter().cloned().collect(),
        timeout: app.settings.timeout,
    })
}

/// `t`: on step 2 the new key's check, on step 5 the old key's proof. Whether it started, and
/// what to tell the technician.
pub fn start_run(app: &mut Setup) -> (bool, Option<(Tone, String)>) {
    let Some(rotation) = app.rotation.as_mut() else {
        return (false, None);
    };
    if rotation.running {
        return (false, None);
    }
    let text = match rotation.step {
        RotateStep::CheckNew => {
            if rotation.new_public.secret().is_empty() || rotation.new_private.secret().is_empty() {
                return (
                    false,
                    Some((Tone::Warn, "paste both halves of the new key first".into())),
                );
            }
            rotation.new_key = None;
            rotation.old_key = None;
            "testing the new key: the full check, read-only…"
        }
        RotateStep::ProveOld => {
            if !rotation.new_key_passed() {
                rotation.old_key = Some(crate::rotate::old_key_not_checked());
                return (
                    false,
                    Some((
                        Tone::Bad,
                        "the old key is not checked: the new key must pass first".into(),
                    )),
                );
            }
            if rotation.old_public.secret().is_empty() || rotation.old_private.secret().is_empty() {
                return (
                    false,
                    Some((Tone::Warn, "paste both halves of the OLD key first".into())),
                );
            }
            rotation.old_key = None;
            "trying the old key on system/info (read-only)…"
        }
        RotateStep::NewKey | RotateStep::Portal | RotateStep::DeleteOld => return (false, None),
    };
    rotation.running = true;
    rotation.generation = rotation.generation.wrapping_add(1);
    (true, Some((Tone::Info, text.to_string())))
}

/// The new key's check finished: what to tell the technician (nothing for a late answer).
pub fn new_key_checked(
    app: &mut Setup,
    generation: u64,
    report: CheckReport,
) -> Option<(Tone, String)> {
    let rotation = app.rotation.as_mut()?;
    if generation != rotation.generation || !rotation.running {
        return None;
    }
    rotation.running = false;
    rotation.scroll = 0;
    let said = match report.verdict {
        Verdict::Pass => (Tone::Good, "the new key passed: → for step 3".to_string()),
        Verdict::Warn => (
            Tone::Warn,
            "the new key passed with warnings (read them): → for step 3".to_string(),
        ),
        Verdict::Fail => {
            rotation.old_key = Some(crate::rotate::old_key_not_checked());
            (
                Tone::Bad,
                "the new key failed: fix what failed and press t again; keep the old key".into(),
            )
        }
    };
    rotation.new_key = Some(report);
    Some(said)
}

/// The old key's proof finished: what to tell the technician (nothing for a late answer).
pub fn old_key_proved(app: &mut Setup, generation: u64, old: OldKey) -> Option<(Tone, String)> {
    let rotation = app.rotation.as_mut()?;
    if generation != rotation.generation || !rotation.running {
        return None;
    }
    rotation.running = false;
    rotation.scroll = 0;
    let said = match old.status {
        OldKeyStatus::Rejected => (Tone::Good, "rotated: the old key is rejected (401)".into()),
        OldKeyStatus::StillWorks => (
            Tone::Bad,
            "the old key still works: delete it on the member's API Keys tab, then t again".into(),
        ),
        OldKeyStatus::NotChecked => (
            Tone::Warn,
            "the old key's try proved nothing: see why".into(),
        ),
    };
    rotation.old_key = Some(old);
    Some(said)
}

/// A running check or proof could not start: why.
pub fn failed_to_start(app: &mut Setup) {
    if let Some(rotation) = &mut app.rotation {
        rotation.running = false;
    }
}

/// What the current step says, above its fields.
pub fn intro(app: &Setup) -> Vec<RotateLine> {
    let Some(rotation) = &app.rotation else {
        return Vec::new();
    };
    let member = crate::sanitize::display_text(&member_id(app));
    let member = if member.is_empty() {
        "(the member)".to_string()
    } else {
        member
    };
    match rotation.step {
        RotateStep::NewKey => vec![
            say(format!(
                "In ConnectWise: System > Members > API Members > {member} > API Keys > +. \
                 Give the new key this description (c copies it):"
            )),
            said(Tone::Info, format!("   {}", description(app))),
            say(
                "Copy its public and private key when ConnectWise shows them: the private key \
                 cannot be seen again. Keep the old key for now: the integration still uses it.",
            ),
        ],
        RotateStep::CheckNew => vec![say(
            "Paste the NEW key (masked; never saved). t runs the full check with it; it must \
             pass, or pass with warnings, before anything else changes.",
        )],
        RotateStep::Portal => vec![say(
            "Type these into the vendor's portal and save there (c copies the focused one; the \
             keys are the new ones, never shown):",
        )],
        RotateStep::DeleteOld => vec![
            say(format!(
                "In ConnectWise: System > Members > API Members > {member} > API Keys: delete \
                 the OLD key (the one whose description is not \"{}\").",
                description(app)
            )),
            say(
                "Only once the vendor's portal uses the new key: the old one stops working at once.",
            ),
        ],
        RotateStep::ProveOld => vec![say(
            "Paste the OLD key (masked; never saved). t tries it on system/info: a 401 proves \
             it is dead.",
        )],
    }
}

/// What was proved on the current step, below its fields.
pub fn results(app: &Setup) -> Vec<RotateLine> {
    let Some(rotation) = &app.rotation else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match rotation.step {
        RotateStep::CheckNew => {
            if rotation.running {
                out.push(say("testing the new key…"));
            } else if let Some(report) = &rotation.new_key {
                out.extend(new_key_lines(report));
            }
        }
        RotateStep::ProveOld => {
            if rotation.running {
                out.push(say("trying the old key…"));
            } else if !rotation.new_key_passed() {
                out.push(said(
                    Tone::Bad,
                    format!("✗ {}", crate::rotate::old_key_not_checked().detail),
                ));
            } else if let Some(old) = &rotation.old_key {
                out.extend(old_key_lines(rotation, old));
            }
        }
        RotateStep::NewKey | RotateStep::Portal | RotateStep::DeleteOld => {}
    }
    out
}

fn new_key_lines(report: &CheckReport) -> Vec<RotateLine> {
    let tone = |v: Verdict| match v {
        Verdict::Pass => Tone::Good,
        Verdict::Warn => Tone::Warn,
        Verdict::Fail => Tone::Bad,
    };
    let mut out = vec![said(
        tone(report.verdict),
        format!(
            "{} New key: {}",
            report.verdict.symbol(),
            report.verdict.title()
        ),
    )];
    if report.verdict == Verdict::Fail {
        out.push(said(
            Tone::Bad,
            "  Old key: not checked until the new key passes (keep it: the integration uses it).",
        ));
    }
    for stage in &report.stages {
        out.push(say(format!(
            "  {} {}: {}",
            stage.status.symbol(),
            stage.id.title(),
            crate::sanitize::display_text(&stage.summary)
        )));
        if let Some(fix) = &stage.fix {
            out.push(say(format!(
                "      fix: {}",
                crate::sanitize::display_text(fix)
            )));
        }
    }
    out
}

fn old_key_lines(rotation: &Rotation, old: &OldKey) -> Vec<RotateLine> {
    let detail = crate::sanitize::display_text(&old.detail);
    match old.status {
        OldKeyStatus::Rejected => {
            let closing = match rotation.new_verdict() {
                Some(Verdict::Warn) => {
                    "⚠ ROTATED WITH WARNINGS: the new key works, the old is dead."
                }
                Some(Verdict::Pass | Verdict::Fail) | None => {
                    "✓ ROTATED: the new key works, the old one is dead."
                }
            };
            vec![
                said(Tone::Good, format!("✓ {detail}")),
                said(Tone::Good, closing),
            ]
        }
        OldKeyStatus::StillWorks => vec![
            said(Tone::Bad, format!("✗ {detail}")),
            said(Tone::Bad, "✗ NOT DONE: the old key still works."),
        ],
        OldKeyStatus::NotChecked => vec![
            said(Tone::Warn, format!("? {detail}")),
            said(Tone::Warn, "✗ NOT PROVED"),
        ],
    }
}
