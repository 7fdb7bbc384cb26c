//! The wizard's state: the [`Setup`] it drives, and what only a full-screen UI needs (focus,
//! cursors, overlays, the status line, the terminal's size, scroll). Rendering reads it; only
//! `update` changes it.
//!
//! `App` dereferences to its [`Setup`]: the view reads the model (`app.site`, `app.plan()`)
//! without spelling out the layer, and every change to the model is still one of `Setup`'s.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use crate::profile::Profile;

use super::keymap::{Context, Situation};
use super::role_editor::RoleEditor;

pub use super::pane::Pane;
pub use crate::setup::check_state::{CheckState, StageView, stage_status, stage_symbol};
pub use crate::setup::fields::FieldId;
pub use crate::setup::state::{Hints, Prefill, Settings, Setup, Tone};
pub use crate::setup::step::{Hosting, MemberPlan, StepId, StepState};

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
    Resume(Box<crate::setup::saved_file::SavedState>),
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

pub struct App {
    /// The setup the wizard drives: everything that is not about the screen.
    pub setup: Setup,
    /// Index into `panes()` of the focused pane.
    pub focus: usize,
    pub cursors: BTreeMap<(StepId, Pane), usize>,
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
    pub should_quit: bool,
    /// Just arrived on this step and no focus key pressed yet: on the key step the first Tab
    /// goes to the public key.
    pub just_arrived: bool,
    /// Step 1's vendor filter (`/`).
    pub vendor_filter: VendorFilter,
}

impl Deref for App {
    type Target = Setup;
    fn deref(&self) -> &Setup {
        &self.setup
    }
}

impl DerefMut for App {
    fn deref_mut(&mut self) -> &mut Setup {
        &mut self.setup
    }
}

impl App {
    pub fn new(settings: Settings, profiles: Vec<Profile>, selected_ids: &[String]) -> App {
        App::with_setup(Setup::new(settings, profiles, selected_ids))
    }

    /// The wizard's view of `setup`, on its first step with nothing focused yet.
    pub fn with_setup(setup: Setup) -> App {
        App {
            setup,
            focus: 0,
            cursors: BTreeMap::new(),
            overlay: None,
            status: None,
            clipboard_countdown: None,
            size: (80, 24),
            spinner: 0,
            item_scroll: 0,
            help_scroll: 0,
            should_quit: false,
            just_arrived: true,
            vendor_filter: VendorFilter::default(),
        }
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
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::ConfirmQuit) => Context::ConfirmQuit,
            Some(Overlay::Editor(_)) => Context::Editor,
            Some(Overlay::Resume(_)) => Context::ResumeOffer,
            Some(Overlay::Detail(_)) => Context::Detail,
            None if self.rotation.is_some() => super::rotate_keys::context(&self.setup),
            None => match self.focused_pane() {
                Pane::Field(_) => Context::Field,
                Pane::Profiles if self.vendor_filter.editing => Context::Field,
                _ => Context::Browse,
            },
        }
    }
    pub fn situation(&self) -> Situation {
        if self.rotation.is_some() {
            return super::rotate_keys::situation(&self.setup);
        }
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
            toggle_chooses: matches!(pane, Pane::Profiles | Pane::Region | Pane::Plan),
            has_list: pane.is_list() && self.list_len(pane) > 0,
            editor_text: matches!(&self.overlay, Some(Overlay::Editor(e)) if e.focused().is_text()),
            check_step: self.step == StepId::Integration,
            check_running: self.check.running,
            keys_entered: self.keys_entered(),
            secret_field: matches!(pane, Pane::Field(f) if f.is_secret()),
            role_editable,
            row_selected: pane == Pane::RoleTable
                && content.role_row_at(self.cursor(pane)).is_some(),
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
            ..Situation::default()
        }
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
}
