//! Resuming a setup the next day: the non-secret state of a [`Setup`], saved after each change
//! to the platform's state directory and offered back at the next start.
//!
//! Keys are never part of it: [`SavedState`] has no field that could hold one. Both front ends
//! start with [`Persistence::start`], which hands back a saved setup to offer; each asks in its
//! own way, then resumes with [`SavedState::apply`].

use std::path::{Path, PathBuf};

use super::fields::FieldId;
use super::state::Setup;
use super::step::{Hosting, MemberPlan, StepId};
use crate::cw::site::Region;

pub use super::saved_file::{Loaded, SavedState, VERSION, load, save, state_path};

const SELF_HOSTED: &str = "self-hosted";

const PLANS: [MemberPlan; 4] = [
    MemberPlan::OneMemberKeyPerTool,
    MemberPlan::OneMemberSharedKey,
    MemberPlan::MemberPerTool,
    MemberPlan::ExistingMember,
];

/// A plan's name in the saved file: stable, whatever the labels on screen say.
fn plan_name(plan: MemberPlan) -> &'static str {
    match plan {
        MemberPlan::OneMemberKeyPerTool => "one-member-key-per-tool",
        MemberPlan::OneMemberSharedKey => "one-member-shared-key",
        MemberPlan::MemberPerTool => "member-per-tool",
        MemberPlan::ExistingMember => "existing-member",
    }
}

/// The keys held in memory, each with what to call it: the vendor's (each tool's) and the
/// technician's own.
fn held_keys(app: &Setup) -> Vec<(&'static str, &str)> {
    let mut keys = vec![
        ("public key", app.public_key.secret().expose()),
        ("private key", app.private_key.secret().expose()),
        ("public key", app.own.public_key.secret().expose()),
        ("private key", app.own.private_key.secret().expose()),
    ];
    for (public, private) in app.tool_keys.values() {
        keys.push(("public key", public.secret().expose()));
        keys.push(("private key", private.secret().expose()));
    }
    keys.retain(|(_, key)| !key.trim().is_empty());
    keys
}

/// Which key `value` equals or contains, if any. Containment is judged only for keys of 8
/// characters or more (ConnectWise's are 16), so a stray short key cannot blank every field.
fn key_in(value: &str, keys: &[(&'static str, &str)]) -> Option<&'static str> {
    let value = value.trim();
    keys.iter()
        .find(|(_, key)| {
            let key = key.trim();
            value == key || (key.chars().count() >= 8 && value.contains(key))
        })
        .map(|(what, _)| *what)
}

impl SavedState {
    /// The state to save. A text that equals or contains a key held in memory (the private key
    /// pasted into Company ID, say) is left out, empty: see [`SavedState::withheld`].
    pub fn from_app(app: &Setup) -> SavedState {
        let keys = held_keys(app);
        let text = |value: &str| match key_in(value, &keys) {
            Some(_) => String::new(),
            None => value.to_string(),
        };
        let state = SavedState::from_app_as_typed(app);
        SavedState {
            fields: state
                .fields
                .iter()
                .map(|(name, value)| (name.clone(), text(value)))
                .collect(),
            ticked: state
                .ticked
                .into_iter()
                .filter(|(_, item)| key_in(item, &keys).is_none())
                .collect(),
            last_verdict: state.last_verdict.filter(|v| key_in(v, &keys).is_none()),
            ..state
        }
    }

    /// What [`SavedState::from_app`] left out because it held a key, one line each:
    /// "Company ID: this looks like your private key; it was not saved".
    pub fn withheld(app: &Setup) -> Vec<String> {
        let keys = held_keys(app);
        app.saved_fields()
            .into_iter()
            .filter_map(|(_, id, value)| {
                key_in(&value, &keys).map(|what| {
                    format!(
                        "{}: this looks like your {what}; it was not saved",
                        id.label()
                    )
                })
            })
            .collect()
    }

    fn from_app_as_typed(app: &Setup) -> SavedState {
        SavedState {
            version: VERSION,
            step: app.step.name().to_string(),
            ticked: app
                .ticked
                .iter()
                .map(|(step, item)| (step.name().to_string(), item.clone()))
                .collect(),
            region: app.hosting_choice.map(|h| match h {
                Hosting::Cloud(region) => region.shorthand().to_string(),
                Hosting::SelfHosted => SELF_HOSTED.to_string(),
            }),
            member_plan: Some(plan_name(app.member_plan).to_string()),
            fields: app
                .saved_fields()
                .into_iter()
                .map(|(name, _, value)| (name.to_string(), value))
                .collect(),
            selected: app
                .selected_profiles()
                .iter()
                .map(|p| p.id.clone())
                .collect(),
            role_edits: app
                .edited_profiles
                .iter()
                .filter_map(|i| app.profiles.get(*i))
                .map(|p| (p.id.clone(), p.role.rows.clone()))
                .collect(),
            last_verdict: app.last_verdict.clone(),
        }
    }

    /// Puts the saved values back into `app` (profiles it does not know are skipped), on the saved
    /// step, and returns that step for the front end to show.
    pub fn apply(&self, app: &mut Setup) -> StepId {
        let step = StepId::from_name(&self.step).unwrap_or(StepId::Prerequisites);
        if self
            .selected
            .iter()
            .any(|id| app.profiles.iter().any(|p| &p.id == id))
        {
            for (profile, on) in app.profiles.iter().zip(app.selected.iter_mut()) {
                *on = self.selected.contains(&profile.id);
            }
        }
        app.ticked = self
            .ticked
            .iter()
            .filter_map(|(name, item)| StepId::from_name(name).map(|s| (s, item.clone())))
            .collect();
        match self.region.as_deref() {
            Some(SELF_HOSTED) => app.hosting_choice = Some(Hosting::SelfHosted),
            Some(name) => {
                if let Some(region) = Region::all().iter().find(|r| r.shorthand() == name) {
                    app.hosting_choice = Some(Hosting::Cloud(*region));
                }
            }
            None => {}
        }
        if let Some(plan) = PLANS
            .iter()
            .find(|p| Some(plan_name(**p)) == self.member_plan.as_deref())
        {
            app.member_plan = *plan;
        }
        for id in FieldId::TEXT {
            if let (Some(name), Some(field)) = (id.spec().saved_as, app.field_mut(id)) {
                field.set(self.field(name));
            }
        }
        for (id, rows) in &self.role_edits {
            if let Some(i) = app.profiles.iter().position(|p| &p.id == id) {
                app.profiles[i].role.rows = rows.clone();
                app.edited_profiles.insert(i);
            }
        }
        app.last_verdict = self.last_verdict.clone();
        for s in StepId::ALL.iter().take(step.index() + 1) {
            app.visited.insert(*s);
        }
        app.arrive(step);
        step
    }

    /// "the Sync 365 setup for company acme from step 4"
    pub fn describe(&self, app: &Setup) -> String {
        let products: Vec<String> = self
            .selected
            .iter()
            .filter_map(|id| app.profiles.iter().find(|p| &p.id == id))
            .map(|p| p.product.clone())
            .collect();
        let what = if products.is_empty() {
            "the setup".to_string()
        } else {
            format!("the {} setup", products.join(" + "))
        };
        let company_id = self.field(FieldId::CompanyId.spec().saved_as.unwrap_or_default());
        let company = if company_id.trim().is_empty() {
            String::new()
        } else {
            format!(" for company {}", company_id.trim())
        };
        let step = match StepId::from_name(&self.step).and_then(StepId::number) {
            Some(n) => format!("step {n}"),
            None => "the Summary".to_string(),
        };
        crate::sanitize::display_text(&format!("{what}{company} from {step}"))
    }
}

/// What [`Persistence::start`] found for the front end to say or ask.
#[derive(Debug, Default)]
pub struct Found {
    /// A saved setup that differs from this start: offer to resume it.
    pub offer: Option<Box<SavedState>>,
    /// A saved file set aside (unreadable, damaged, from a newer cwsetup), in one line.
    pub warning: Option<String>,
}

/// Where the setup is remembered, and what was last written, so that it writes only when
/// something changed.
pub struct Persistence {
    state_path: Option<PathBuf>,
    config_path: Option<PathBuf>,
    last_saved: Option<SavedState>,
    last_client_id: Option<String>,
    /// A write failed: said once, then quiet.
    failed: bool,
    /// Why the last write of the state failed, if it did (the farewell says so).
    state_error: Option<String>,
    /// The fields last left unsaved because they held a key (said when this changes).
    last_withheld: Vec<String>,
}

impl Persistence {
    /// Loads what was saved: a setup to offer back (unless `fresh`), or a line saying a file was
    /// set aside; fills a remembered or built-in client ID into an empty field.
    pub fn start(
        app: &mut Setup,
        state_path: Option<PathBuf>,
        config_path: Option<PathBuf>,
        fresh: bool,
    ) -> (Persistence, Found) {
        let remembered = config_path
            .as_deref()
            .and_then(super::client_id::remembered);
        if app.client_id.value().is_empty()
            && let Some(id) = super::client_id::built_in()
                .map(str::to_string)
                .or_else(|| remembered.clone())
        {
            app.client_id.set(&id);
        }
        let baseline = SavedState::from_app(app);
        let mut found = Found::default();
        if let Some(path) = &state_path
            && !fresh
        {
            match load(path) {
                Loaded::State(state) if *state != baseline => found.offer = Some(state),
                Loaded::SetAside(line) => found.warning = Some(line),
                Loaded::State(_) | Loaded::Nothing => {}
            }
        }
        let persistence = Persistence {
            state_path,
            config_path,
            last_saved: Some(baseline),
            last_client_id: remembered,
            failed: false,
            state_error: None,
            last_withheld: Vec::new(),
        };
        (persistence, found)
    }

    /// After each change: saves the state if it changed, and remembers a newly typed valid
    /// client ID. The front end does not call it while its resume offer is open: the saved
    /// setup must survive until it is answered. Returns the warning to show when a write failed
    /// (the first time only) or a key was left unsaved.
    pub fn save_changes(&mut self, app: &Setup) -> Option<String> {
        let mut warning = None;
        let id = app.client_id.sanitized();
        if super::client_id::is_guid(&id)
            && self.last_client_id.as_deref() != Some(id.as_str())
            && super::client_id::built_in() != Some(id.as_str())
            && let Some(path) = self.config_path.clone()
        {
            self.last_client_id = Some(id.clone());
            if let Err(e) = super::client_id::remember(&path, &id) {
                warning = warning.or(self.fail(&path, &e));
            }
        }
        let path = self.state_path.clone()?;
        let state = SavedState::from_app(app);
        // A key typed into another field is left unsaved; say so once for each new finding.
        let withheld = SavedState::withheld(app);
        if withheld != self.last_withheld {
            self.last_withheld = withheld.clone();
            if !withheld.is_empty() {
                warning = Some(withheld.join("; "));
            }
        }
        if self.last_saved.as_ref() == Some(&state) {
            return warning;
        }
        self.last_saved = Some(state.clone());
        match save(&path, &state) {
            Ok(()) => self.state_error = None,
            Err(e) => {
                self.state_error = Some(e.to_string());
                warning = warning.or(self.fail(&path, &e));
            }
        }
        warning
    }

    fn fail(&mut self, path: &Path, e: &std::io::Error) -> Option<String> {
        if self.failed {
            return None;
        }
        self.failed = true;
        Some(format!(
            "could not save progress to {} ({e}); the setup still works, it just will not resume",
            path.display()
        ))
    }

    /// What to say after quitting: where the progress is, and that the keys are gone.
    pub fn farewell(&self, app: &Setup) -> Vec<String> {
        let mut lines = Vec::new();
        if let (Some(path), Some(e)) = (&self.state_path, &self.state_error) {
            // The last write failed: whatever is at the path is not this session's progress.
            lines.push(format!(
                "progress could not be saved to {} ({e}); next time starts from the beginning",
                path.display()
            ));
        } else if let Some(path) = &self.state_path
            && self.last_saved.is_some()
            && path.is_file()
        {
            // How to start over is the front end's to say (a flag, for the command line).
            let start_over = if app.hints.start_over.is_empty() {
                String::new()
            } else {
                format!(" ({} starts over)", app.hints.start_over)
            };
            lines.push(format!(
                "progress saved to {}; next time cwsetup offers to resume{start_over}",
                path.display()
            ));
        }
        if app.keys_entered() {
            lines.push(
                "the API keys you entered are gone: keys are never saved, paste them again next time"
                    .to_string(),
            );
        }
        lines
    }
}
