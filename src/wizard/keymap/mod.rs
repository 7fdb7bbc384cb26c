//! The key bindings: one table that dispatches keys and generates the footer and the help overlay,
//! so what the screen says and what the keys do cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod bindings;

pub use bindings::BINDINGS;

/// What a key asks the wizard to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    Back,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    Toggle,
    Copy,
    Help,
    Quit,
    /// Ctrl-C: quit at once, without the question (the keys are wiped on the way out).
    QuitNow,
    ConfirmQuit,
    CancelQuit,
    CloseHelp,
    LeaveField,
    Reveal,
    ClearField,
    RunCheck,
    CancelCheck,
    ClearKeys,
    SaveReport,
    /// Copy the Markdown checklist for a ConnectWise administrator.
    CopyHandoff,
    AddRow,
    EditRow,
    DeleteRow,
    SaveProfile,
    EditorSave,
    EditorCancel,
    /// Jump to the step whose number was pressed (1–6; 6 is the Summary).
    JumpToStep,
    /// Open the focused link in the browser (or copy it where there is none).
    OpenLink,
    /// Resume the saved setup offered at start.
    Resume,
    /// Start fresh instead of resuming.
    StartFresh,
    /// Esc with nothing to leave or close: says so, and the step stays.
    NothingToClose,
    /// "Check my work as I go": show or hide the fields for the technician's own keys (step 1).
    OwnKeys,
    /// Read step 2's role or step 3's member back with the technician's own keys.
    RunAudit,
    /// Step 1: start typing in the vendor list's filter.
    Filter,
    /// Leave the vendor filter's field, keeping the filter.
    FilterDone,
    /// Clear the vendor filter (and leave its field): every vendor shows again.
    FilterClear,
    /// Open the focused test result (stage or permission row) in full.
    OpenDetail,
    /// Close the test result's detail view (the step stays).
    CloseDetail,
    /// Move the results' cursor to the next failed row.
    NextFailed,
    /// Step 1: start the "rotate a key" path.
    Rotate,
    /// Leave the "rotate a key" path, wiping both key pairs.
    LeaveRotate,
}

/// Where the keyboard is, which decides the keys that work right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing a step: lists, checklists, values.
    Browse,
    /// Typing into a text field: printable keys are text, so letter bindings are off.
    Field,
    /// The role-row editor popup.
    Editor,
    Help,
    ConfirmQuit,
    /// The offer to resume yesterday's setup, shown at start.
    ResumeOffer,
    /// Reading one test result in full.
    Detail,
    /// Walking the "rotate a key" path.
    Rotate,
    /// Typing in a field of the "rotate a key" path.
    RotateField,
}

/// Facts about the current screen that switch bindings on and off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Situation {
    pub can_go_back: bool,
    pub can_go_next: bool,
    pub has_copyable: bool,
    pub has_toggle: bool,
    /// Space chooses (a vendor, where ConnectWise runs, the member plan) rather than ticks a
    /// checklist item: the footer says which.
    pub toggle_chooses: bool,
    pub has_list: bool,
    pub check_step: bool,
    pub check_running: bool,
    pub keys_entered: bool,
    pub secret_field: bool,
    pub role_editable: bool,
    pub row_selected: bool,
    pub summary_step: bool,
    /// The row editor's focus is on Module, Function or Why: Space, j and k are text there.
    pub editor_text: bool,
    /// The focused row or field has a link (a vendor's guide, the client-ID page).
    pub has_link: bool,
    /// Step 2 or 3 with the technician's own keys entered: `t` checks the step.
    pub audit_step: bool,
    pub audit_running: bool,
    /// Step 1, where "Check my work as I go" is offered.
    pub own_keys_offer: bool,
    /// Step 1's vendor list is focused and longer than it shows: `/` filters it.
    pub can_filter: bool,
    /// Typing in the vendor list's filter (the context is then [`Context::Field`]).
    pub filter_field: bool,
    /// The vendor list is focused and filtered.
    pub filter_active: bool,
    /// The Integration step's results are focused and there are results: Enter opens one.
    pub result_row: bool,
    /// The Integration step's results have a failed row: `f` jumps to it.
    pub failed_rows: bool,
    /// Rotating: the next rotate step can be reached.
    pub rotate_next: bool,
    /// Rotating: there is a rotate step before this one.
    pub rotate_back: bool,
    /// Rotating: `t` tests the new key (step 2) or proves the old one dead (step 5).
    pub rotate_test: bool,
    /// Rotating: the step has fields (Tab moves between them).
    pub rotate_fields: bool,
    /// Rotating: there is a value to copy (the description, a portal value).
    pub rotate_copy: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    fn matches(&self, event: &KeyEvent) -> bool {
        let without_shift = event.modifiers - KeyModifiers::SHIFT;
        match (self.code, event.code) {
            // Shift is part of the character for symbols ('?' is Shift-/), so it is ignored;
            // Ctrl-letters arrive lower- or upper-case depending on the terminal.
            (KeyCode::Char(a), KeyCode::Char(b)) if self.mods.contains(KeyModifiers::CONTROL) => {
                a.eq_ignore_ascii_case(&b) && without_shift == KeyModifiers::CONTROL
            }
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && without_shift.is_empty(),
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) => a == b && event.modifiers == self.mods,
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in the footer and the help overlay.
    pub label: &'static str,
    pub action: Action,
    /// Short text for the footer.
    pub short: &'static str,
    /// Longer text for the help overlay.
    pub help: &'static str,
    pub contexts: &'static [Context],
    pub when: fn(&Situation) -> bool,
}

use Context::*;

/// The binding a key triggers right now, if any.
pub fn dispatch(event: &KeyEvent, context: Context, situation: &Situation) -> Option<Action> {
    dispatch_lazily(event, context, || *situation)
}

/// [`dispatch`], building the situation only when some binding of this context has the key: a
/// letter typed into a field (thousands of them in a paste without bracketed paste) then costs
/// a scan of the table, not a look at the whole step.
pub fn dispatch_lazily(
    event: &KeyEvent,
    context: Context,
    situation: impl FnOnce() -> Situation,
) -> Option<Action> {
    let mut candidates = BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&context) && b.keys.iter().any(|k| k.matches(event)))
        .peekable();
    candidates.peek()?;
    let situation = situation();
    candidates.find(|b| (b.when)(&situation)).map(|b| b.action)
}

/// The bindings that work right now, in table order.
pub fn active(
    context: Context,
    situation: &Situation,
) -> impl Iterator<Item = &'static Binding> + '_ {
    BINDINGS
        .iter()
        .filter(move |b| b.contexts.contains(&context) && (b.when)(situation))
}

/// One entry of the footer: a binding's keys as written, what it does, and its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FooterEntry {
    pub keys: &'static str,
    pub what: &'static str,
    pub action: Action,
    /// When the footer is too narrow, this goes before the others: moving focus backwards,
    /// moving within a list and jumping to a step have other keys or are obvious.
    pub drops_first: bool,
    /// This stays when others must go: the help lists every key.
    pub always_shown: bool,
}

/// Footer entries for right now: `(keys, what)`, without repeats of the same action.
pub fn footer(context: Context, situation: &Situation) -> Vec<(&'static str, &'static str)> {
    footer_entries(context, situation)
        .into_iter()
        .map(|e| (e.keys, e.what))
        .collect()
}

/// [`footer`], with each entry's action and how it fares in a narrow footer.
pub fn footer_entries(context: Context, situation: &Situation) -> Vec<FooterEntry> {
    let mut seen: Vec<Action> = Vec::new();
    let mut out = Vec::new();
    // Keys an earlier binding already takes: a binding left with none of its own never fires.
    let mut claimed: Vec<(KeyCode, KeyModifiers)> = Vec::new();
    for b in active(context, situation) {
        let keys: Vec<(KeyCode, KeyModifiers)> = b.keys.iter().map(|k| (k.code, k.mods)).collect();
        if keys.iter().all(|k| claimed.contains(k)) {
            continue;
        }
        claimed.extend(keys);
        // Ctrl-C is always there; the footer names `q` instead where that works.
        if b.action == Action::QuitNow && matches!(context, Browse | Rotate) {
            continue;
        }
        // Esc with nothing to close does nothing worth a place in the footer.
        if b.action == Action::NothingToClose {
            continue;
        }
        if !seen.contains(&b.action) {
            seen.push(b.action);
            out.push(FooterEntry {
                keys: b.label,
                what: b.short,
                action: b.action,
                drops_first: drops_first(b.action, context),
                always_shown: b.action == Action::Help,
            });
        }
    }
    out
}

/// Moving focus backwards, jumping to a step and moving in a list (not scrolling the help or a
/// result, where ↑/↓ is the point).
fn drops_first(action: Action, context: Context) -> bool {
    match action {
        Action::FocusPrev | Action::JumpToStep => true,
        Action::Up | Action::Down => matches!(context, Browse | Field),
        _ => false,
    }
}

/// The bindings of `context` for `actions`, in that order: a popup's own key line.
pub fn bindings_for(context: Context, actions: &[Action]) -> Vec<&'static Binding> {
    actions
        .iter()
        .filter_map(|a| {
            BINDINGS
                .iter()
                .find(|b| b.action == *a && b.contexts.contains(&context))
        })
        .collect()
}

/// The key table in docs/keys.md, generated from [`BINDINGS`] so the documentation cannot drift.
pub fn markdown_table() -> String {
    let mut out = String::from("| Keys | What they do | Where |\n|---|---|---|\n");
    for b in BINDINGS {
        let row = format!(
            "| `{}` | {} | {} |\n",
            b.label,
            b.help,
            where_it_works(b.contexts)
        );
        // `?` and F1 share a help text but work in different places: keep each once.
        if !out.contains(&row) {
            out.push_str(&row);
        }
    }
    out
}

fn where_it_works(contexts: &[Context]) -> String {
    let names: Vec<&str> = contexts
        .iter()
        .map(|c| match c {
            Browse => "on a step",
            Field => "typing in a field",
            Editor => "in the row editor",
            Help => "in the help",
            ConfirmQuit => "at the quit question",
            ResumeOffer => "at the resume question",
            Detail => "in a test result's detail view",
            Rotate => "rotating a key",
            RotateField => "typing in a rotate field",
        })
        .collect();
    if names.len() == 9 {
        "anywhere".into()
    } else {
        names.join(", ")
    }
}
