//! The wizard's state (the model). Rendering reads it; only `update` changes it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::check::{CheckReport, PermissionResult, StageId, StageResult, StageStatus};
use crate::cw::site::{Region, Site};
use crate::profile::{Profile, RoleRow};
use crate::sanitize::FieldKind;

use super::content::{self, StepContent};
use super::keymap::{Context, Situation};
use super::masked_input::MaskedInput;
use super::own_keys::{self, OwnKeys};
use super::role_editor::RoleEditor;
use super::text_field::TextField;

/// The steps, in the order of the vendors' guides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepId {
    Prerequisites,
    SecurityRole,
    ApiMember,
    ApiKey,
    Integration,
    Summary,
}

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Prerequisites,
        StepId::SecurityRole,
        StepId::ApiMember,
        StepId::ApiKey,
        StepId::Integration,
        StepId::Summary,
    ];

    pub fn title(self) -> &'static str {
        match self {
            StepId::Prerequisites => "Prerequisites",
            StepId::SecurityRole => "Security role",
            StepId::ApiMember => "API member",
            StepId::ApiKey => "API key",
            StepId::Integration => "Integration",
            StepId::Summary => "Summary",
        }
    }

    /// "1".."5"; the Summary has no number.
    pub fn number(self) -> Option<usize> {
        let index = self.index();
        (index < 5).then_some(index + 1)
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<StepId> {
        Self::ALL.get(self.index() + 1).copied()
    }

    pub fn prev(self) -> Option<StepId> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    /// Done, but the test passed with warnings to read (step 5 only).
    DoneWithWarnings,
    Current,
    Pending,
    Failed,
}

impl StepState {
    /// Symbols as well as colours, so the state reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            StepState::Done => "✓",
            StepState::DoneWithWarnings => "⚠",
            StepState::Current => "▶",
            StepState::Pending => "·",
            StepState::Failed => "✗",
        }
    }
}

/// The text fields a technician types or pastes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldId {
    PublicKey,
    PrivateKey,
    Site,
    CompanyId,
    ClientId,
    /// The technician's own keys ("Check my work as I go").
    MyPublicKey,
    MyPrivateKey,
    /// Step 2: the role's name in ConnectWise, when it is not the one the step shows.
    RoleName,
    /// One key per tool: the keys of the tool at this index into `App::profiles`, for every
    /// selected tool after the first (the first tool's are `PublicKey` and `PrivateKey`).
    ToolPublicKey(usize),
    ToolPrivateKey(usize),
}

impl FieldId {
    pub fn label(self) -> &'static str {
        match self {
            FieldId::PublicKey | FieldId::ToolPublicKey(_) => "Public key",
            FieldId::PrivateKey | FieldId::ToolPrivateKey(_) => "Private key",
            FieldId::Site => "Site",
            FieldId::CompanyId => "Company ID",
            FieldId::ClientId => "Client ID",
            FieldId::MyPublicKey | FieldId::MyPrivateKey | FieldId::RoleName => {
                super::own_keys::field_label(self).unwrap_or("")
            }
        }
    }

    pub fn is_secret(self) -> bool {
        matches!(
            self,
            FieldId::PublicKey
                | FieldId::PrivateKey
                | FieldId::MyPublicKey
                | FieldId::MyPrivateKey
                | FieldId::ToolPublicKey(_)
                | FieldId::ToolPrivateKey(_)
        )
    }

    /// True for the vendor's key fields (not the technician's own).
    pub fn is_vendor_key(self) -> bool {
        matches!(
            self,
            FieldId::PublicKey
                | FieldId::PrivateKey
                | FieldId::ToolPublicKey(_)
                | FieldId::ToolPrivateKey(_)
        )
    }
}

/// A focusable part of a step. Tab moves between panes; ↑/↓ move within a list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    Profiles,
    Checklist,
    Values,
    RoleTable,
    Field(FieldId),
    Region,
    /// How the selected tools share API members (Prerequisites).
    Plan,
    Stages,
    Portal,
    /// "Check my work as I go": the audit's result on steps 2 and 3.
    Audit,
    /// The step's notes (the "!" lines): a list too, so that a short terminal scrolls them.
    Notes,
}

impl Pane {
    pub fn is_list(self) -> bool {
        !matches!(self, Pane::Field(_))
    }
}

/// Where ConnectWise runs: chosen first, because the prerequisites, the notes and the values
/// for the vendor's portal follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hosting {
    /// A ConnectWise cloud region (its hosts come from [`crate::cw::site::Region`]).
    Cloud(Region),
    /// The MSP's own server: the technician types its address.
    SelfHosted,
}

impl Hosting {
    /// The picker's row on Prerequisites: the region with its login host, `aus` explained.
    pub fn label(self) -> String {
        match self {
            Hosting::Cloud(Region::Aus) => format!(
                "Australia, other host ({}): the second Australian host; choose it if you sign in there",
                Region::Aus.login_host()
            ),
            Hosting::Cloud(Region::Staging) => format!(
                "Staging, for ConnectWise developers only ({})",
                Region::Staging.login_host()
            ),
            Hosting::Cloud(region) => {
                format!("{} cloud ({})", region.label(), region.login_host())
            }
            Hosting::SelfHosted => "Self-hosted server (type its address below)".to_string(),
        }
    }

    /// The short row on the Integration step's narrow picker.
    pub fn short_label(self) -> String {
        match self {
            Hosting::Cloud(Region::Aus) => "Australia, other (aus)".to_string(),
            Hosting::Cloud(Region::Staging) => "Staging (developers)".to_string(),
            Hosting::Cloud(region) => format!("{} ({})", region.label(), region.shorthand()),
            Hosting::SelfHosted => "Self-hosted server".to_string(),
        }
    }
}

/// How the selected tools share ConnectWise API members (Visionary 360's guide describes the
/// first three; Sync 365's allows keys on an existing member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberPlan {
    /// One new API member for every tool, with one merged role and one key per tool.
    OneMemberKeyPerTool,
    /// One new API member for every tool, with one merged role and one key they all use.
    OneMemberSharedKey,
    /// One API member per tool, each with its own role and key.
    MemberPerTool,
    /// An API member that already exists: its role gets what the tools need.
    ExistingMember,
}

impl MemberPlan {
    pub fn label(self, several: bool) -> &'static str {
        match (self, several) {
            (MemberPlan::OneMemberKeyPerTool, true) => {
                "One new API member for all tools: one merged role, one key per tool"
            }
            (MemberPlan::OneMemberKeyPerTool, false) => "A new API member for this tool",
            (MemberPlan::OneMemberSharedKey, _) => {
                "One new API member for all tools: one merged role, one key they share"
            }
            (MemberPlan::MemberPerTool, _) => {
                "One API member per tool: each tool its own role, member and key"
            }
            (MemberPlan::ExistingMember, _) => {
                "I already have an API member: add what is needed to its role"
            }
        }
    }

    /// True when one member serves every selected tool.
    pub fn one_member(self) -> bool {
        !matches!(self, MemberPlan::MemberPerTool)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StageView {
    Waiting,
    Running,
    Finished(StageResult),
}

/// The Integration step's test: live progress, then the report.
#[derive(Debug, Clone, Default)]
pub struct CheckState {
    pub running: bool,
    pub stages: BTreeMap<StageId, StageView>,
    pub permissions: Vec<PermissionResult>,
    pub report: Option<CheckReport>,
    /// A field changed after the results were produced.
    pub stale: bool,
    /// When `t` started the test: the running stage shows the time since, of the limit.
    pub started: Option<std::time::Instant>,
    /// Time since `started`, as of the last tick or event (the view draws it; it never reads
    /// the clock itself).
    pub elapsed: Duration,
    /// The running stage's latest retry ("rate-limited, retrying in 2 s"), until it moves on.
    pub retry: Option<String>,
}

impl CheckState {
    pub fn passed(&self) -> bool {
        !self.stale && self.report.as_ref().is_some_and(|r| r.ok)
    }

    pub fn failed(&self) -> bool {
        self.report.as_ref().is_some_and(|r| !r.ok)
    }

    /// Passed with warnings: nothing failed, but something to read before the portal.
    pub fn warned(&self) -> bool {
        self.passed()
            && self
                .report
                .as_ref()
                .is_some_and(|r| r.verdict == crate::check::Verdict::Warn)
    }

    /// "passed", "passed with 1 warning", "passed with 2 warnings".
    pub fn passed_text(&self) -> String {
        match &self.report {
            Some(r) if r.verdict == crate::check::Verdict::Warn => format!(
                "passed with {}",
                crate::check::plural(r.warnings.len().max(1), "warning", "warnings")
            ),
            _ => "passed".to_string(),
        }
    }

    pub fn stage(&self, id: StageId) -> Option<&StageView> {
        self.stages.get(&id)
    }
}

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
    Resume(Box<super::saved::SavedState>),
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
    /// List ConnectWise's developer staging site among the regions (`--show-staging`).
    pub show_staging: bool,
}

pub struct App {
    pub settings: Settings,
    /// Built-in profiles, then the ones loaded with --profile-file.
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
}

/// Where the keys were, as text prefilled for the demo.
pub struct Prefill {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub public_key: Option<String>,
    pub private_key: Option<String>,
}

impl App {
    /// What each field's sanitizing removed from what was pasted into it, as counts ("public
    /// key: removed 1 trailing newline and a pair of quotes"), for the test's report. The labels
    /// are the check's own, so the report reads the same from the wizard and from `check`.
    pub fn input_removed(&self) -> Vec<String> {
        let text = [
            ("site", &self.site),
            ("company ID", &self.company_id),
            ("client ID", &self.client_id),
        ];
        let keys = [
            ("public key", &self.public_key),
            ("private key", &self.private_key),
        ];
        text.iter()
            .map(|(label, field)| (*label, field.removed()))
            .chain(keys.iter().map(|(label, field)| (*label, field.removed())))
            .filter(|(_, removed)| !removed.is_empty())
            .map(|(label, removed)| format!("{label}: {removed}"))
            .collect()
    }

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

    pub fn content(&self, step: StepId) -> StepContent {
        let mut content = content::step_content(step, &self.selected_profiles(), self);
        own_keys::amend(self, step, &mut content);
        content
    }

    pub fn panes(&self) -> Vec<Pane> {
        self.panes_of(self.step)
    }

    pub fn panes_of(&self, step: StepId) -> Vec<Pane> {
        let mut panes = self.step_panes(step);
        if self.own.enabled {
            panes.extend(match step {
                StepId::Prerequisites => vec![
                    Pane::Field(FieldId::MyPublicKey),
                    Pane::Field(FieldId::MyPrivateKey),
                    Pane::Field(FieldId::Site),
                    Pane::Field(FieldId::CompanyId),
                    Pane::Field(FieldId::ClientId),
                ],
                StepId::SecurityRole => vec![Pane::Field(FieldId::RoleName), Pane::Audit],
                StepId::ApiMember => vec![Pane::Audit],
                _ => Vec::new(),
            });
        }
        if step != StepId::Integration && !self.notes_of(step).is_empty() {
            panes.push(Pane::Notes);
        }
        panes
    }

    /// The notes shown under a step's lists: on step 1 the offer of "Check my work as I go"
    /// comes first, as it is for that step only.
    pub fn notes_of(&self, step: StepId) -> Vec<String> {
        let mut notes = Vec::new();
        if step == StepId::Prerequisites {
            notes.push(own_keys::step1_note(self));
        }
        notes.extend(self.content(step).notes);
        notes
    }

    fn step_panes(&self, step: StepId) -> Vec<Pane> {
        match step {
            StepId::Prerequisites => {
                let mut panes = vec![Pane::Profiles, Pane::Region, Pane::Plan];
                if self.asks_server_address() {
                    panes.push(Pane::Field(FieldId::Site));
                }
                panes.push(Pane::Checklist);
                panes
            }
            StepId::SecurityRole => vec![Pane::Checklist, Pane::Values, Pane::RoleTable],
            StepId::ApiMember => vec![Pane::Checklist, Pane::Values],
            StepId::ApiKey => {
                let mut panes = vec![Pane::Checklist, Pane::Values];
                for (_, public, private) in self.key_fields() {
                    panes.push(Pane::Field(public));
                    panes.push(Pane::Field(private));
                }
                panes
            }
            StepId::Integration => {
                let mut panes = vec![
                    Pane::Region,
                    Pane::Field(FieldId::Site),
                    Pane::Field(FieldId::CompanyId),
                    Pane::Field(FieldId::ClientId),
                    Pane::Stages,
                ];
                if self.check.passed() {
                    panes.push(Pane::Portal);
                }
                panes
            }
            StepId::Summary => vec![Pane::Checklist, Pane::Values],
        }
    }

    pub fn focused_pane(&self) -> Pane {
        let panes = self.panes();
        panes
            .get(self.focus.min(panes.len().saturating_sub(1)))
            .copied()
            .unwrap_or(Pane::Checklist)
    }

    pub fn cursor(&self, pane: Pane) -> usize {
        self.cursors.get(&(self.step, pane)).copied().unwrap_or(0)
    }

    /// How many rows a list pane has on the current step.
    pub fn list_len(&self, pane: Pane) -> usize {
        let content = self.content(self.step);
        match pane {
            Pane::Profiles => self.visible_profiles().len(),
            Pane::Checklist => content.checklist.len(),
            Pane::Values => content.values.len(),
            Pane::RoleTable => content.role_rows.len(),
            Pane::Region => self.hosting_options().len(),
            Pane::Plan => self.plan_options().len(),
            Pane::Stages => StageId::ALL.len() + self.check.permissions.len(),
            Pane::Portal => content.portal.len(),
            Pane::Audit => own_keys::lines(self, self.step).len(),
            Pane::Notes => self.notes_of(self.step).len(),
            Pane::Field(_) => 0,
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&TextField> {
        match id {
            FieldId::Site => Some(&self.site),
            FieldId::CompanyId => Some(&self.company_id),
            FieldId::ClientId => Some(&self.client_id),
            FieldId::RoleName => Some(&self.own.role_name),
            _ => None,
        }
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut TextField> {
        match id {
            FieldId::Site => Some(&mut self.site),
            FieldId::CompanyId => Some(&mut self.company_id),
            FieldId::ClientId => Some(&mut self.client_id),
            FieldId::RoleName => Some(&mut self.own.role_name),
            _ => None,
        }
    }

    pub fn key_input(&self, id: FieldId) -> Option<&MaskedInput> {
        match id {
            FieldId::PublicKey => Some(&self.public_key),
            FieldId::PrivateKey => Some(&self.private_key),
            FieldId::MyPublicKey => Some(&self.own.public_key),
            FieldId::MyPrivateKey => Some(&self.own.private_key),
            FieldId::ToolPublicKey(i) => self.tool_keys.get(&i).map(|k| &k.0),
            FieldId::ToolPrivateKey(i) => self.tool_keys.get(&i).map(|k| &k.1),
            _ => None,
        }
    }

    pub fn key_input_mut(&mut self, id: FieldId) -> Option<&mut MaskedInput> {
        match id {
            FieldId::PublicKey => Some(&mut self.public_key),
            FieldId::PrivateKey => Some(&mut self.private_key),
            FieldId::MyPublicKey => Some(&mut self.own.public_key),
            FieldId::MyPrivateKey => Some(&mut self.own.private_key),
            FieldId::ToolPublicKey(i) => self.tool_keys.get_mut(&i).map(|k| &mut k.0),
            FieldId::ToolPrivateKey(i) => self.tool_keys.get_mut(&i).map(|k| &mut k.1),
            _ => None,
        }
    }

    pub fn keys_entered(&self) -> bool {
        !self.public_key.secret().is_empty()
            || !self.private_key.secret().is_empty()
            || self.tool_keys.values().any(|(public, private)| {
                !public.secret().is_empty() || !private.secret().is_empty()
            })
            || self.own.any_entered()
    }

    /// Wipes every vendor key pair (the first tool's and the other tools').
    pub fn clear_vendor_keys(&mut self) {
        self.public_key.clear();
        self.private_key.clear();
        for (public, private) in self.tool_keys.values_mut() {
            public.clear();
            private.clear();
        }
    }

    /// True when the key step holds one key pair per selected tool: several tools under one
    /// member per tool, or one member with one key per tool.
    pub fn keys_per_tool(&self) -> bool {
        self.selected.iter().filter(|s| **s).count() > 1
            && matches!(
                self.plan(),
                MemberPlan::MemberPerTool | MemberPlan::OneMemberKeyPerTool
            )
    }

    /// The key step's pairs: (the tool, by index into `profiles`, when there is one pair per
    /// tool; its public key field; its private key field). The first selected tool's pair is
    /// `PublicKey`/`PrivateKey`, also the only pair under the other plans.
    pub fn key_fields(&self) -> Vec<(Option<usize>, FieldId, FieldId)> {
        if !self.keys_per_tool() {
            return vec![(None, FieldId::PublicKey, FieldId::PrivateKey)];
        }
        let selected: Vec<usize> = (0..self.profiles.len())
            .filter(|i| self.selected.get(*i).copied().unwrap_or(false))
            .collect();
        selected
            .iter()
            .enumerate()
            .map(|(n, i)| {
                if n == 0 {
                    (Some(*i), FieldId::PublicKey, FieldId::PrivateKey)
                } else {
                    (
                        Some(*i),
                        FieldId::ToolPublicKey(*i),
                        FieldId::ToolPrivateKey(*i),
                    )
                }
            })
            .collect()
    }

    /// The key fields of one tool (by index into `profiles`), when it has its own pair.
    pub fn key_fields_of(&self, profile: usize) -> Option<(FieldId, FieldId)> {
        self.key_fields()
            .into_iter()
            .find(|(tool, _, _)| *tool == Some(profile))
            .map(|(_, public, private)| (public, private))
    }

    /// A field's label on screen: a vendor key field names its tool when each tool has its
    /// own pair ("Email reConnector public key").
    pub fn field_label(&self, id: FieldId) -> String {
        if id.is_vendor_key() && self.keys_per_tool() {
            let tool = self
                .key_fields()
                .into_iter()
                .find(|(_, public, private)| *public == id || *private == id)
                .and_then(|(tool, _, _)| tool)
                .and_then(|i| self.profiles.get(i));
            if let Some(p) = tool {
                return format!("{} {}", p.product, id.label().to_lowercase());
            }
        }
        id.label().to_string()
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
            audit_step: own_keys::audits(self.step) && self.own.ready(),
            audit_running: self.own.audit.running,
            own_keys_offer: self.step == StepId::Prerequisites,
            can_filter: pane == Pane::Profiles && self.vendors_filterable(),
            filter_field: pane == Pane::Profiles && self.vendor_filter.editing,
            filter_active: pane == Pane::Profiles && !self.vendor_filter.text.is_empty(),
            result_row: self.step == StepId::Integration
                && pane == Pane::Stages
                && !self.check.stages.is_empty(),
            failed_rows: self.step == StepId::Integration
                && (0..super::detail::row_count(self)).any(|i| super::detail::row_failed(self, i)),
        }
    }

    /// The link under the focus, for `o`: a URL in the focused row, the focused profile's
    /// guide, the client-ID page on the Client ID field, else the first selected vendor's guide
    /// on a checklist. Other content supplies links by putting an `https://` URL in a row.
    pub fn focused_link(&self) -> Option<String> {
        let pane = self.focused_pane();
        let cursor = self.cursor(pane);
        let content = self.content(self.step);
        let row_text = match pane {
            Pane::Checklist => content.checklist.get(cursor).cloned(),
            Pane::Values => content.values.get(cursor).map(copy_text),
            Pane::Portal => content.portal.get(cursor).map(copy_text),
            _ => None,
        };
        if let Some(url) = row_text.as_deref().and_then(first_url) {
            return Some(url);
        }
        match pane {
            Pane::Profiles => self
                .focused_profile()
                .and_then(|i| self.profiles.get(i))
                .map(|p| p.docs_url.clone()),
            Pane::Field(FieldId::ClientId) => Some(super::client_id::DEVELOPER_URL.to_string()),
            Pane::Checklist => self.selected_profiles().first().map(|p| p.docs_url.clone()),
            _ => None,
        }
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
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

/// The overall status symbol of a finished stage or a running one.
pub fn stage_symbol(view: Option<&StageView>, spinner: usize) -> &'static str {
    const FRAMES: [&str; 4] = ["◐", "◓", "◑", "◒"];
    match view {
        None | Some(StageView::Waiting) => "·",
        Some(StageView::Running) => FRAMES[spinner % FRAMES.len()],
        Some(StageView::Finished(result)) => result.status.symbol(),
    }
}

pub fn stage_status(view: Option<&StageView>) -> Option<StageStatus> {
    match view {
        Some(StageView::Finished(result)) => Some(result.status),
        _ => None,
    }
}

fn copy_text(value: &super::content::CopyValue) -> String {
    match &value.value {
        super::content::ValueSource::Text(text) => text.clone(),
        super::content::ValueSource::Field(_) => String::new(),
    }
}

/// The first `http(s)://` URL in `text`, without trailing punctuation.
pub fn first_url(text: &str) -> Option<String> {
    let start = text.find("https://").or_else(|| text.find("http://"))?;
    let url: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>'))
        .collect();
    let url = url.trim_end_matches(['.', ',', ';', ':', ')', ']']);
    (url.len() > "https://".len()).then(|| url.to_string())
}

/// Profiles' texts point at their pages by field name ("see the page (source_url)"); on screen
/// the technician sees the link itself, never an internal name.
pub fn resolve_link_names(profile: Profile) -> Profile {
    fn walk(value: &mut serde_json::Value, links: &[(&str, String)]) {
        match value {
            serde_json::Value::String(s) => {
                for (name, url) in links {
                    if s.contains(name) {
                        *s = s.replace(name, url);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, links)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| walk(v, links)),
            _ => {}
        }
    }
    let docs = profile.docs_url.clone();
    let source = profile.source_url.clone().unwrap_or_else(|| docs.clone());
    let links = [("source_url", source), ("docs_url", docs)];
    let Ok(mut value) = serde_json::to_value(&profile) else {
        return profile;
    };
    if let serde_json::Value::Object(map) = &mut value {
        for (key, field) in map.iter_mut() {
            if key != "source_url" && key != "docs_url" && key != "$schema" {
                walk(field, &links);
            }
        }
    }
    serde_json::from_value(value).unwrap_or(profile)
}
