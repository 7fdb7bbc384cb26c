//! The setup itself, front-end neutral: which tools, where ConnectWise runs, how the tools share
//! API members, what was ticked and typed, and what the test and the audit found. The terminal
//! wizard ([`crate::wizard`]) and plain mode ([`crate::plain`]) both drive one [`Setup`]; each
//! keeps only its own way of showing it (the wizard: focus, cursors, overlays, layout, scroll).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::cw::site::{Region, Site};
use crate::profile::{Profile, RoleRow};

use super::check_state::{CheckState, OwnKeys};
use super::content::{self, ContentInput, CopyValue, StepContent, ValueSource};
use super::fields::FieldId;
use super::link_names::resolve_link_names;
use super::masked_input::MaskedInput;
use super::step::{Hosting, MemberPlan, StepId, StepState};
use super::text_field::TextField;

/// How a message to the technician reads: said with a symbol and a colour, or a word in plain mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warn,
    Bad,
}

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub demo: bool,
    pub no_color: bool,
    pub timeout: Duration,
    /// List ConnectWise's developer staging site among the regions.
    pub show_staging: bool,
}

/// How to do something again from the front end that started the wizard, in its own words
/// (`cli` passes the command line's; the wizard names no flag). An empty hint is left unsaid.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Starts over instead of offering to resume, e.g. a command to run.
    pub start_over: String,
    /// Gives the test more time, e.g. a flag to start with.
    pub more_time: String,
    /// Loads a saved profile file next time; its path follows.
    pub load_profile: String,
}

impl Hints {
    /// A stage's fixes as this front end says them: a shared fix names no flag ("allow the check
    /// more time"), so the starting command's way to do it follows in brackets.
    pub fn on_stage(&self, mut stage: crate::check::StageResult) -> crate::check::StageResult {
        let with = |fix: &mut Option<String>| {
            if let Some(text) = fix.as_mut()
                && !self.more_time.is_empty()
                && text.to_lowercase().contains(crate::cw::FIX_ALLOW_MORE_TIME)
            {
                text.push_str(&format!(" ({})", self.more_time));
            }
        };
        // The input stage's values, by where this setup asks for them.
        let input = |fix: &mut Option<String>| {
            if let Some(text) = fix.as_mut() {
                *text = text.replace(
                    crate::check::FIX_INPUT_VALUES,
                    &format!(
                        "{} (the keys on the {} step; the site, company ID and client ID on {})",
                        crate::check::FIX_INPUT_VALUES,
                        super::StepId::ApiKey.title(),
                        super::StepId::Integration.title()
                    ),
                );
            }
        };
        with(&mut stage.fix);
        input(&mut stage.fix);
        for part in &mut stage.parts {
            with(&mut part.fix);
            input(&mut part.fix);
        }
        stage
    }
}

/// Values given before the wizard starts (flags, the environment, or the demo's, keys included).
#[derive(Default)]
pub struct Prefill {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Option<String>,
    pub private_key: Option<String>,
}

/// Everything the setup holds. Keys live only in the [`MaskedInput`]s: wiped with `x`, never saved.
pub struct Setup {
    pub settings: Settings,
    /// What the front end says to do things again ([`Hints`]).
    pub hints: Hints,
    /// Built-in profiles, then the ones loaded from files.
    pub profiles: Vec<Profile>,
    pub selected: Vec<bool>,
    pub step: StepId,
    /// Ticked checklist items, by their text: changing the selected profiles keeps what was ticked.
    pub ticked: BTreeSet<(StepId, String)>,
    pub visited: BTreeSet<StepId>,
    pub public_key: MaskedInput,
    pub private_key: MaskedInput,
    /// One key per tool: the keys of every tool but the first selected one, by index into
    /// `profiles` (one pair per profile, empty until typed). Wiped with the others, never saved.
    pub tool_keys: BTreeMap<usize, (MaskedInput, MaskedInput)>,
    pub site: TextField,
    pub company_id: TextField,
    pub client_id: TextField,
    /// Where ConnectWise runs, as chosen on Prerequisites (or the Integration step's picker);
    /// nothing until the technician chooses. See [`Setup::hosting`].
    pub hosting_choice: Option<Hosting>,
    /// How the selected tools share API members, as chosen on Prerequisites. See [`Setup::plan`].
    pub member_plan: MemberPlan,
    pub check: CheckState,
    /// Profiles whose role rows were edited in the role step and not yet saved.
    pub edited_profiles: BTreeSet<usize>,
    /// "Check my work as I go": the technician's own keys and the audit of steps 2 and 3.
    pub own: OwnKeys,
    /// The last test's outcome in one line, kept for resuming ("passed", "failed: auth").
    pub last_verdict: Option<String>,
    /// The "rotate a key" path, while it is walked (from step 1): both key pairs and what was
    /// proved. Never saved; wiped with `x`, when left and on quit.
    pub rotation: Option<super::rotation_state::Rotation>,
    /// Each step's content with what it was made from: built again only when that changes.
    contents: ContentCache,
}

impl Setup {
    pub fn new(settings: Settings, profiles: Vec<Profile>, selected_ids: &[String]) -> Setup {
        let profiles: Vec<Profile> = profiles.into_iter().map(resolve_link_names).collect();
        let profile_count = profiles.len();
        let mut selected: Vec<bool> = profiles
            .iter()
            .map(|p| selected_ids.iter().any(|id| id == &p.id))
            .collect();
        if !selected.contains(&true) && !selected.is_empty() {
            selected[0] = true;
        }
        let mut visited = BTreeSet::new();
        visited.insert(StepId::Prerequisites);
        Setup {
            settings,
            hints: Hints::default(),
            profiles,
            selected,
            step: StepId::Prerequisites,
            ticked: BTreeSet::new(),
            visited,
            public_key: MaskedInput::new(),
            private_key: MaskedInput::new(),
            tool_keys: (0..profile_count)
                .map(|i| (i, (MaskedInput::new(), MaskedInput::new())))
                .collect(),
            site: TextField::for_field(FieldId::Site),
            company_id: TextField::for_field(FieldId::CompanyId),
            client_id: TextField::for_field(FieldId::ClientId),
            hosting_choice: None,
            member_plan: MemberPlan::OneMemberKeyPerTool,
            check: CheckState::default(),
            edited_profiles: BTreeSet::new(),
            own: OwnKeys::default(),
            last_verdict: None,
            rotation: None,
            contents: ContentCache::default(),
        }
    }

    /// Moves to `step`, remembering it was visited.
    pub fn arrive(&mut self, step: StepId) {
        self.step = step;
        self.visited.insert(step);
    }

    /// Fills the Integration fields (and, for the demo, the keys).
    pub fn prefill(&mut self, prefill: Prefill) {
        self.site.set(&prefill.site);
        self.company_id.set(&prefill.company_id);
        self.client_id.set(&prefill.client_id);
        if let Some(key) = prefill.public_key {
            self.public_key.paste(key);
        }
        if let Some(key) = prefill.private_key {
            self.private_key.paste(key);
        }
        // A site given on the command line (or the demo's simulator) answers the first question.
        self.hosting_choice = self.hosting();
    }

    /// Where ConnectWise runs: what the typed site says when it is a site (a cloud host is its
    /// region, anything else a server), else what was chosen.
    pub fn hosting(&self) -> Option<Hosting> {
        // The demo always talks to its simulator: a region chosen there changes the words on
        // screen, never the target.
        if self.settings.demo && self.hosting_choice.is_some() {
            return self.hosting_choice;
        }
        match Site::parse(&self.site.sanitized()) {
            Ok(site) => Some(site.region().map_or(Hosting::SelfHosted, Hosting::Cloud)),
            Err(_) => self.hosting_choice,
        }
    }

    /// The picker's rows: the cloud regions of [`Region::all`] (staging only with
    /// `--show-staging`), then the self-hosted server.
    pub fn hosting_options(&self) -> Vec<Hosting> {
        let mut options: Vec<Hosting> = Region::all()
            .iter()
            .filter(|r| self.settings.show_staging || **r != Region::Staging)
            .map(|r| Hosting::Cloud(*r))
            .collect();
        options.push(Hosting::SelfHosted);
        options
    }

    /// Chooses where ConnectWise runs: a region fills the site with its login host; a server
    /// empties a cloud host from the site, for its own address. In the demo the site stays the
    /// simulator's: the returned line says so, for the front end to show.
    pub fn choose_hosting(&mut self, hosting: Hosting) -> Option<String> {
        self.hosting_choice = Some(hosting);
        if self.settings.demo {
            return match hosting {
                Hosting::Cloud(region) => Some(format!(
                    "DEMO: the steps now read as for {}; the test still talks to the simulated \
                     ConnectWise (a real setup would use {})",
                    region.label(),
                    region.login_host()
                )),
                Hosting::SelfHosted => None,
            };
        }
        match hosting {
            Hosting::Cloud(region) => self.site.set(region.login_host()),
            Hosting::SelfHosted => {
                let cloud = Site::parse(&self.site.sanitized())
                    .ok()
                    .and_then(|s| s.region())
                    .is_some();
                if cloud {
                    self.site.clear();
                }
            }
        }
        None
    }

    /// The member plan in force: with one tool, only a new member or an existing one.
    pub fn plan(&self) -> MemberPlan {
        let several = self.selected.iter().filter(|s| **s).count() > 1;
        match self.member_plan {
            MemberPlan::OneMemberSharedKey | MemberPlan::MemberPerTool if !several => {
                MemberPlan::OneMemberKeyPerTool
            }
            plan @ (MemberPlan::OneMemberKeyPerTool
            | MemberPlan::OneMemberSharedKey
            | MemberPlan::MemberPerTool
            | MemberPlan::ExistingMember) => plan,
        }
    }

    /// The plan picker's rows: all four for several tools, new or existing for one.
    pub fn plan_options(&self) -> Vec<MemberPlan> {
        if self.selected.iter().filter(|s| **s).count() > 1 {
            vec![
                MemberPlan::OneMemberKeyPerTool,
                MemberPlan::OneMemberSharedKey,
                MemberPlan::MemberPerTool,
                MemberPlan::ExistingMember,
            ]
        } else {
            vec![MemberPlan::OneMemberKeyPerTool, MemberPlan::ExistingMember]
        }
    }

    /// True when the site's address is asked on Prerequisites (a self-hosted server).
    pub fn asks_server_address(&self) -> bool {
        self.hosting_choice == Some(Hosting::SelfHosted)
            || self.hosting() == Some(Hosting::SelfHosted)
    }

    pub fn selected_profiles(&self) -> Vec<&Profile> {
        self.profiles
            .iter()
            .zip(&self.selected)
            .filter_map(|(p, s)| s.then_some(p))
            .collect()
    }

    /// The profile whose rows the role step edits: the first selected one.
    pub fn primary_profile_index(&self) -> Option<usize> {
        self.selected.iter().position(|s| *s)
    }

    /// What `step` shows: built once per change of what it is made from (the selected
    /// profiles, the few fields [`ContentInput`] holds, the own-keys reminder), else the copy
    /// kept from last time. A frame, a key press and a click all ask for it several times.
    pub fn content(&self, step: StepId) -> StepContent {
        let profiles = self.selected_profiles();
        let input = ContentInput::from(self);
        let reminder = self.own_keys_reminder(step);
        if let Some(content) = self.contents.get(step, &profiles, &input, reminder) {
            return content;
        }
        let mut content = content::step_content(step, &profiles, input.clone());
        self.amend(step, &mut content);
        let source = ContentSource {
            profiles: profiles.into_iter().cloned().collect(),
            input,
            reminder,
        };
        self.contents.put(step, source, &content);
        content
    }

    /// Whether `step` reminds the technician that "check my work as I go" needs both keys.
    fn own_keys_reminder(&self, step: StepId) -> bool {
        step.audited() && self.own.enabled && !self.own.ready()
    }

    /// What the state adds to a step's content that [`content`] does not know: the reminder of
    /// "check my work as I go" on steps 2 and 3, and on step 2 the vendors' guides.
    fn amend(&self, step: StepId, content: &mut StepContent) {
        if self.own_keys_reminder(step) {
            content.notes.push(
                "Check my work as I go: enter both of your own keys on step 1 to have this step read back with t.".into(),
            );
        }
        if step == StepId::SecurityRole {
            self.vendor_guides(content);
        }
    }

    /// Step 2: each selected vendor's guide, where its rows were read and when, as a value the
    /// technician can copy (`c`) or open (`o`).
    fn vendor_guides(&self, content: &mut StepContent) {
        let profiles = self.selected_profiles();
        let several = profiles.len() > 1;
        for profile in profiles {
            let Some(url) = profile
                .source_url
                .as_deref()
                .filter(|u| !u.trim().is_empty())
            else {
                continue;
            };
            let read = profile
                .as_of
                .as_deref()
                .map(|d| format!(", read {d}"))
                .unwrap_or_default();
            let whose = if several {
                format!("{} guide", profile.id)
            } else {
                "Vendor guide".to_string()
            };
            content.values.push(CopyValue {
                label: format!("{whose}{read}"),
                value: ValueSource::Text(url.to_string()),
            });
        }
    }

    /// Done, current, pending or failed, for the sidebar.
    pub fn step_state(&self, step: StepId) -> StepState {
        if step == StepId::Integration && self.check.failed() && !self.check.stale {
            return StepState::Failed;
        }
        if self.step_done(step) {
            if step == StepId::Integration && self.check.warned() {
                return StepState::DoneWithWarnings;
            }
            return StepState::Done;
        }
        if step == self.step {
            StepState::Current
        } else {
            StepState::Pending
        }
    }

    /// A step is done when its checklist is ticked (and, for Integration, the test passed).
    pub fn step_done(&self, step: StepId) -> bool {
        match step {
            StepId::Integration => self.check.passed(),
            StepId::Summary => false,
            // Where ConnectWise runs is the first thing step 1 asks.
            StepId::Prerequisites if self.hosting().is_none() => false,
            StepId::Prerequisites | StepId::SecurityRole | StepId::ApiMember | StepId::ApiKey => {
                let items = self.content(step).checklist;
                !items.is_empty()
                    && items
                        .into_iter()
                        .all(|item| self.ticked.contains(&(step, item)))
            }
        }
    }

    pub fn is_ticked(&self, step: StepId, item: &str) -> bool {
        self.ticked.contains(&(step, item.to_string()))
    }

    pub fn ticked_count(&self, step: StepId) -> (usize, usize) {
        let items = self.content(step).checklist;
        let total = items.len();
        let done = items
            .into_iter()
            .filter(|item| self.ticked.contains(&(step, item.clone())))
            .count();
        (done, total)
    }

    pub fn role_rows_mut(&mut self) -> Option<&mut Vec<RoleRow>> {
        let index = self.primary_profile_index()?;
        Some(&mut self.profiles[index].role.rows)
    }

    /// True while something animates: the only time the wizard wakes up on a timer.
    pub fn animating(&self) -> bool {
        self.check.running
            || self.own.audit.running
            || self.rotation.as_ref().is_some_and(|r| r.running)
    }
}

impl From<&Setup> for ContentInput {
    fn from(app: &Setup) -> ContentInput {
        // Each profile's own pair, found as the portal values look it up: by the profile's id.
        let own_key_fields = app
            .selected_profiles()
            .iter()
            .filter_map(|p| {
                let index = app.profiles.iter().position(|q| q.id == p.id)?;
                Some((p.id.clone(), app.key_fields_of(index)?))
            })
            .collect();
        ContentInput {
            hosting: app.hosting(),
            plan: app.plan(),
            site: app.site.sanitized(),
            company_id: app.company_id.sanitized(),
            client_id: app.client_id.sanitized(),
            member_id: app.own.member_id.sanitized(),
            own_key_fields,
        }
    }
}

/// What a step's content was made from: when it is the same, so is the content.
struct ContentSource {
    profiles: Vec<Profile>,
    input: ContentInput,
    reminder: bool,
}

/// Each step's content with its [`ContentSource`]. Interior mutability: the content is asked
/// for while the state is borrowed shared (drawing, hit-testing).
#[derive(Default)]
struct ContentCache(std::cell::RefCell<BTreeMap<StepId, (ContentSource, StepContent)>>);

impl ContentCache {
    fn get(
        &self,
        step: StepId,
        profiles: &[&Profile],
        input: &ContentInput,
        reminder: bool,
    ) -> Option<StepContent> {
        let cache = self.0.borrow();
        let (made_from, content) = cache.get(&step)?;
        let same = made_from.reminder == reminder
            && made_from.input == *input
            && made_from.profiles.iter().eq(profiles.iter().copied());
        same.then(|| content.clone())
    }

    fn put(&self, step: StepId, source: ContentSource, content: &StepContent) {
        self.0.borrow_mut().insert(step, (source, content.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::Hints;
    use crate::check::{StageId, StageResult, StageStatus};

    #[test]
    fn a_fix_asking_for_more_time_gets_the_front_ends_way_to_give_it() {
        let stage = |fix: &str| StageResult {
            id: StageId::Connect,
            status: StageStatus::Fail,
            summary: "no answer in time".into(),
            fix: Some(fix.into()),
            parts: Vec::new(),
        };
        let hints = Hints {
            more_time: "start cwsetup with --timeout SECS".into(),
            ..Hints::default()
        };
        let timed_out = hints.on_stage(stage("Try again later, or allow the check more time."));
        assert_eq!(
            timed_out.fix.as_deref(),
            Some(
                "Try again later, or allow the check more time. (start cwsetup with --timeout SECS)"
            )
        );
        let other = hints.on_stage(stage("Type the company ID."));
        assert_eq!(other.fix.as_deref(), Some("Type the company ID."));
        // No hint given (a front end with no flags): the fix is left as it is.
        let plain = Hints::default().on_stage(stage("allow the check more time"));
        assert_eq!(plain.fix.as_deref(), Some("allow the check more time"));
    }
}
