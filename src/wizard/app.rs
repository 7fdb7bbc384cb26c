//! The wizard's state (the model). Rendering reads it; only `update` changes it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::cw::site::{Region, Site};
use crate::profile::{Profile, RoleRow};
use crate::sanitize::FieldKind;

use super::check_state::OwnKeys;
use super::content::{self, ContentInput, CopyValue, StepContent, ValueSource};
use super::keymap::{Context, Situation};
use super::link_names::resolve_link_names;
use super::masked_input::MaskedInput;
use super::role_editor::RoleEditor;
use super::text_field::TextField;

pub use super::check_state::{CheckState, StageView, stage_status, stage_symbol};
pub use super::step::{FieldId, Hosting, MemberPlan, Pane, StepId, StepState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warn,
    Bad,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub tone: Tone,
    /// While this holds the message still applies; once it does not, the message is cleared
    /// (e.g. "select at least one vendor profile" goes once one is selected). `None`: it stays
    /// until the step changes or another message replaces it.
    pub applies: Option<fn(&App) -> bool>,
}

pub enum Overlay {
    Help,
    ConfirmQuit,
    /// The offer to resume a saved setup, shown at start.
    Resume(Box<super::saved_file::SavedState>),
    // Boxed: the editor is large and overlays are rare.
    Editor(Box<RoleEditor>),
    /// One test result in full (Enter on a row of the results).
    Detail(Box<super::detail::Detail>),
}

/// Rows step 1's vendor list shows at once: with more profiles than this, `/` filters it.
pub const VENDOR_ROWS: u16 = 3;

/// Longest vendor filter kept: enough for any vendor, product or id.
const FILTER_MAX: usize = 64;

/// Step 1's vendor filter: typed text narrows the list to the profiles whose vendor, product or
/// id contains it (case-insensitive). Selection of the rows it hides is kept.
#[derive(Debug, Clone, Default)]
pub struct VendorFilter {
    pub text: String,
    /// The filter field has the keyboard: printable keys are text.
    pub editing: bool,
}

impl VendorFilter {
    /// Adds typed or pasted text, without control characters or line breaks, up to a limit.
    pub fn push_str(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            if self.text.chars().count() >= FILTER_MAX {
                break;
            }
            self.text.push(c);
        }
    }

    pub fn matches(&self, profile: &Profile) -> bool {
        let needle = self.text.trim().to_lowercase();
        needle.is_empty()
            || [&profile.vendor, &profile.product, &profile.id]
                .iter()
                .any(|field| field.to_lowercase().contains(&needle))
    }
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
    /// Loads a saved profile file next time; its path follows.
    pub load_profile: String,
}

pub struct App {
    pub settings: Settings,
    /// What the front end says to do things again ([`Hints`]).
    pub hints: Hints,
    /// Built-in profiles, then the ones loaded from files.
    pub profiles: Vec<Profile>,
    pub selected: Vec<bool>,
    pub step: StepId,
    /// Index into `panes()` of the focused pane.
    pub focus: usize,
    pub cursors: BTreeMap<(StepId, Pane), usize>,
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
    /// nothing until the technician chooses. See [`App::hosting`].
    pub hosting_choice: Option<Hosting>,
    /// How the selected tools share API members, as chosen on Prerequisites. See [`App::plan`].
    pub member_plan: MemberPlan,
    pub check: CheckState,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    /// Seconds until the clipboard is cleared, and what it holds (set by the runtime).
    pub clipboard_countdown: Option<(String, u64)>,
    pub size: (u16, u16),
    pub spinner: usize,
    /// Display rows scrolled inside the focused list's cursor item, when that item is taller
    /// than its pane: ↓ reads it to its end before moving to the next item.
    pub item_scroll: usize,
    /// First line shown in the help overlay (it scrolls on short terminals).
    pub help_scroll: usize,
    /// Profiles whose role rows were edited in the role step and not yet saved.
    pub edited_profiles: BTreeSet<usize>,
    /// "Check my work as I go": the technician's own keys and the audit of steps 2 and 3.
    pub own: OwnKeys,
    pub should_quit: bool,
    /// Just arrived on this step and no focus key pressed yet: on the key step the first Tab
    /// goes to the public key.
    pub just_arrived: bool,
    /// The last test's outcome in one line, kept for resuming ("passed", "failed: auth").
    pub last_verdict: Option<String>,
    /// Step 1's vendor filter (`/`).
    pub vendor_filter: VendorFilter,
    /// Each step's content with what it was made from: built again only when that changes.
    contents: ContentCache,
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

impl App {
    pub fn new(settings: Settings, profiles: Vec<Profile>, selected_ids: &[String]) -> App {
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
        App {
            settings,
            hints: Hints::default(),
            profiles,
            selected,
            step: StepId::Prerequisites,
            focus: 0,
            cursors: BTreeMap::new(),
            ticked: BTreeSet::new(),
            visited,
            public_key: MaskedInput::new(),
            private_key: MaskedInput::new(),
            tool_keys: (0..profile_count)
                .map(|i| (i, (MaskedInput::new(), MaskedInput::new())))
                .collect(),
            site: TextField::new(FieldKind::Site),
            company_id: TextField::new(FieldKind::CompanyId),
            client_id: TextField::new(FieldKind::ClientId),
            hosting_choice: None,
            member_plan: MemberPlan::OneMemberKeyPerTool,
            check: CheckState::default(),
            overlay: None,
            status: None,
            clipboard_countdown: None,
            size: (80, 24),
            spinner: 0,
            item_scroll: 0,
            help_scroll: 0,
            edited_profiles: BTreeSet::new(),
            own: OwnKeys::default(),
            should_quit: false,
            just_arrived: true,
            last_verdict: None,
            vendor_filter: VendorFilter::default(),
            contents: ContentCache::default(),
        }
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
    /// empties a cloud host from the site, for its own address.
    pub fn choose_hosting(&mut self, hosting: Hosting) {
        self.hosting_choice = Some(hosting);
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
    }

    /// The member plan in force: with one tool, only a new member or an existing one.
    pub fn plan(&self) -> MemberPlan {
        let several = self.selected.iter().filter(|s| **s).count() > 1;
        match self.member_plan {
            MemberPlan::OneMemberSharedKey | MemberPlan::MemberPerTool if !several => {
                MemberPlan::OneMemberKeyPerTool
            }
            plan => plan,
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

    /// True when step 1's vendor list has more rows than it shows: `/` filters it.
    pub fn vendors_filterable(&self) -> bool {
        self.profiles.len() > VENDOR_ROWS as usize
    }

    /// Indices into `profiles` of the rows step 1's vendor list shows, in order: all of them,
    /// or the ones the filter matches. The Profiles cursor is an index into this list.
    pub fn visible_profiles(&self) -> Vec<usize> {
        (0..self.profiles.len())
            .filter(|i| self.vendor_filter.matches(&self.profiles[*i]))
            .collect()
    }

    /// The profile under the vendor list's cursor (an index into `profiles`).
    pub fn focused_profile(&self) -> Option<usize> {
        let cursor = self
            .cursors
            .get(&(StepId::Prerequisites, Pane::Profiles))
            .copied()
            .unwrap_or(0);
        self.visible_profiles().get(cursor).copied()
    }

    /// True while the vendor filter's field has the keyboard.
    pub fn filter_editing(&self) -> bool {
        self.vendor_filter.editing
            && self.overlay.is_none()
            && self.focused_pane() == Pane::Profiles
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

    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::ConfirmQuit) => Context::ConfirmQuit,
            Some(Overlay::Editor(_)) => Context::Editor,
            Some(Overlay::Resume(_)) => Context::ResumeOffer,
            Some(Overlay::Detail(_)) => Context::Detail,
            None => match self.focused_pane() {
                Pane::Field(_) => Context::Field,
                Pane::Profiles if self.vendor_filter.editing => Context::Field,
                _ => Context::Browse,
            },
        }
    }

    pub fn situation(&self) -> Situation {
        let pane = self.focused_pane();
        let content = self.content(self.step);
        let role_editable =
            self.step == StepId::SecurityRole && self.primary_profile_index().is_some();
        Situation {
            can_go_back: self.step.prev().is_some(),
            can_go_next: self.step.next().is_some(),
            has_copyable: match pane {
                Pane::Values => !content.values.is_empty(),
                Pane::Portal => !content.portal.is_empty(),
                _ => false,
            },
            has_toggle: matches!(
                pane,
                Pane::Profiles | Pane::Checklist | Pane::Region | Pane::Plan
            ),
            has_list: pane.is_list() && self.list_len(pane) > 0,
            editor_text: matches!(&self.overlay, Some(Overlay::Editor(e)) if e.focused().is_text()),
            check_step: self.step == StepId::Integration,
            check_running: self.check.running,
            keys_entered: self.keys_entered(),
            secret_field: matches!(pane, Pane::Field(f) if f.is_secret()),
            role_editable,
            row_selected: pane == Pane::RoleTable && !content.role_rows.is_empty(),
            summary_step: self.step == StepId::Summary,
            has_link: self.focused_link().is_some(),
            audit_step: self.step.audited() && self.own.ready(),
            audit_running: self.own.audit.running,
            own_keys_offer: self.step == StepId::Prerequisites,
            can_filter: pane == Pane::Profiles && self.vendors_filterable(),
            filter_field: pane == Pane::Profiles && self.vendor_filter.editing,
            filter_active: pane == Pane::Profiles && !self.vendor_filter.text.is_empty(),
            result_row: self.step == StepId::Integration
                && pane == Pane::Stages
                && !self.check.stages.is_empty(),
            failed_rows: self.step == StepId::Integration
                && (0..super::detail::row_count(&self.check))
                    .any(|i| super::detail::row_failed(&self.check, i)),
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
            _ => {
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

    /// One message at a time: a new one replaces the last, never joins it.
    pub fn set_status(&mut self, tone: Tone, text: impl Into<String>) {
        // Status texts quote paths, profile errors and server text: one line, nothing raw.
        self.status = Some(Status {
            text: crate::sanitize::display_text(&text.into()),
            tone,
            applies: None,
        });
    }

    /// A message that is cleared as soon as `applies` stops holding.
    pub fn set_status_while(
        &mut self,
        tone: Tone,
        text: impl Into<String>,
        applies: fn(&App) -> bool,
    ) {
        self.set_status(tone, text);
        if let Some(status) = &mut self.status {
            status.applies = Some(applies);
        }
    }

    /// Drops a message that no longer applies.
    pub fn expire_status(&mut self) {
        if let Some(applies) = self.status.as_ref().and_then(|s| s.applies)
            && !applies(self)
        {
            self.status = None;
        }
    }

    /// True while something animates: the only time the wizard wakes up on a timer.
    pub fn animating(&self) -> bool {
        self.check.running || self.own.audit.running
    }
}

impl From<&App> for ContentInput {
    fn from(app: &App) -> ContentInput {
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
