//! The key bindings: one table that dispatches keys and generates the footer and the help overlay,
//! so what the screen says and what the keys do cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
}

/// Facts about the current screen that switch bindings on and off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Situation {
    pub can_go_back: bool,
    pub can_go_next: bool,
    pub has_copyable: bool,
    pub has_toggle: bool,
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
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn plain(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
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

fn always(_: &Situation) -> bool {
    true
}

use Context::*;
use KeyCode as K;

/// The table. Order matters: the first binding that matches wins, and the footer follows it.
pub static BINDINGS: &[Binding] = &[
    Binding {
        keys: &[plain(K::Enter), plain(K::Char('y'))],
        label: "Enter",
        action: Action::Resume,
        short: "resume",
        help: "Resume the saved setup where it stopped",
        contexts: &[ResumeOffer],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('n')), plain(K::Esc)],
        label: "n/Esc",
        action: Action::StartFresh,
        short: "start fresh",
        help: "Start a new setup (the saved one is replaced at the first change)",
        contexts: &[ResumeOffer],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('y')), plain(K::Enter)],
        label: "y/Enter",
        action: Action::ConfirmQuit,
        short: "quit",
        help: "Quit cwsetup",
        contexts: &[ConfirmQuit],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('n')), plain(K::Esc)],
        label: "n/Esc",
        action: Action::CancelQuit,
        short: "stay",
        help: "Go back to the wizard",
        contexts: &[ConfirmQuit],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('?')), plain(K::Esc), plain(K::F(1))],
        label: "?/Esc",
        action: Action::CloseHelp,
        short: "close help",
        help: "Close this help",
        contexts: &[Help],
        when: always,
    },
    Binding {
        keys: &[plain(K::Esc), plain(K::Enter)],
        label: "Esc/Enter",
        action: Action::CloseDetail,
        short: "close",
        help: "Close the result's detail view (the step stays)",
        contexts: &[Detail],
        when: always,
    },
    Binding {
        keys: &[plain(K::Up), plain(K::Char('k'))],
        label: "↑/k",
        action: Action::Up,
        short: "scroll up",
        help: "Scroll the result's text up",
        contexts: &[Detail],
        when: always,
    },
    Binding {
        keys: &[plain(K::Down), plain(K::Char('j'))],
        label: "↓/j",
        action: Action::Down,
        short: "scroll down",
        help: "Scroll the result's text down",
        contexts: &[Detail],
        when: always,
    },
    Binding {
        keys: &[plain(K::Enter)],
        label: "Enter",
        action: Action::EditorSave,
        short: "save row",
        help: "Save the row being edited",
        contexts: &[Editor],
        when: always,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::EditorCancel,
        short: "cancel",
        help: "Close the row editor without saving",
        contexts: &[Editor],
        when: always,
    },
    Binding {
        keys: &[plain(K::Tab)],
        label: "Tab",
        action: Action::FocusNext,
        short: "next field",
        help: "Move to the next field",
        contexts: &[Browse, Field, Editor],
        when: always,
    },
    Binding {
        keys: &[plain(K::BackTab)],
        label: "Shift-Tab",
        action: Action::FocusPrev,
        short: "prev field",
        help: "Move to the previous field",
        contexts: &[Browse, Field, Editor],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char(' ')), plain(K::Left), plain(K::Right)],
        label: "Space/←/→",
        action: Action::Toggle,
        short: "change level",
        help: "Cycle the focused level: None, My, All",
        contexts: &[Editor],
        when: |s| !s.editor_text,
    },
    Binding {
        keys: &[plain(K::Up)],
        label: "↑",
        action: Action::FocusPrev,
        short: "field up",
        help: "Move to the field above",
        contexts: &[Editor],
        when: always,
    },
    Binding {
        keys: &[plain(K::Down)],
        label: "↓",
        action: Action::FocusNext,
        short: "field down",
        help: "Move to the field below",
        contexts: &[Editor],
        when: always,
    },
    // Step 1's vendor filter: its field is a text field (letters are text), but Space still
    // ticks the focused match and ↑/↓ move among the matches.
    Binding {
        keys: &[plain(K::Enter)],
        label: "Enter",
        action: Action::FilterDone,
        short: "done",
        help: "Vendor filter: stop typing and keep the filter",
        contexts: &[Field],
        when: |s| s.filter_field,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::FilterClear,
        short: "clear filter",
        help: "Vendor filter: clear it, show every vendor (selections are kept)",
        contexts: &[Field],
        when: |s| s.filter_field,
    },
    Binding {
        keys: &[plain(K::Char(' '))],
        label: "Space",
        action: Action::Toggle,
        short: "select",
        help: "Vendor filter: select or unselect the focused match",
        contexts: &[Field],
        when: |s| s.filter_field,
    },
    Binding {
        keys: &[plain(K::Up)],
        label: "↑",
        action: Action::Up,
        short: "up",
        help: "Vendor filter: move up among the matches",
        contexts: &[Field],
        when: |s| s.filter_field,
    },
    Binding {
        keys: &[plain(K::Down)],
        label: "↓",
        action: Action::Down,
        short: "down",
        help: "Vendor filter: move down among the matches",
        contexts: &[Field],
        when: |s| s.filter_field,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::CancelCheck,
        short: "cancel test",
        help: "Cancel the running test (only while a test runs)",
        contexts: &[Browse, Field],
        when: |s| s.check_running,
    },
    Binding {
        keys: &[plain(K::Enter)],
        label: "Enter",
        action: Action::Next,
        short: "next",
        help: "Next field; on the last field, run the test",
        contexts: &[Field],
        when: always,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::LeaveField,
        short: "leave field",
        help: "Stop typing; letter keys work again (the step stays)",
        contexts: &[Field],
        when: always,
    },
    Binding {
        keys: &[ctrl('y')],
        label: "Ctrl-Y",
        action: Action::Copy,
        short: "copy",
        help: "Copy the field's value, trimmed of stray whitespace",
        contexts: &[Field],
        when: |s| !s.filter_field,
    },
    Binding {
        keys: &[ctrl('r')],
        label: "Ctrl-R",
        action: Action::Reveal,
        short: "show last 4",
        help: "Show or hide the last 4 characters of a key",
        contexts: &[Field],
        when: |s| s.secret_field,
    },
    Binding {
        keys: &[ctrl('o')],
        label: "Ctrl-O",
        action: Action::OpenLink,
        short: "open link",
        help: "Open the field's link in a browser (over SSH: copies it)",
        contexts: &[Field],
        when: |s| s.has_link,
    },
    Binding {
        keys: &[ctrl('u')],
        label: "Ctrl-U",
        action: Action::ClearField,
        short: "clear field",
        help: "Erase the field (keys are wiped from memory)",
        contexts: &[Field],
        when: always,
    },
    Binding {
        keys: &[plain(K::Enter)],
        label: "Enter",
        action: Action::OpenDetail,
        short: "details",
        help: "Show the focused test result in full",
        contexts: &[Browse],
        when: |s| s.result_row && !s.check_running,
    },
    // On the test results Enter opens a result, so only → goes on (and the footer says so).
    Binding {
        keys: &[plain(K::Right)],
        label: "→",
        action: Action::Next,
        short: "next step",
        help: "Go to the next step",
        contexts: &[Browse],
        when: |s| s.result_row && !s.check_running && s.can_go_next,
    },
    Binding {
        keys: &[plain(K::Enter), plain(K::Right)],
        label: "Enter/→",
        action: Action::Next,
        short: "next step",
        help: "Go to the next step",
        contexts: &[Browse],
        when: |s| s.can_go_next,
    },
    Binding {
        keys: &[plain(K::Left)],
        label: "←",
        action: Action::Back,
        short: "back",
        help: "Go to the previous step (everything entered is kept)",
        contexts: &[Browse],
        when: |s| s.can_go_back,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::FilterClear,
        short: "clear filter",
        help: "Step 1: clear the vendor filter (selections are kept)",
        contexts: &[Browse],
        when: |s| s.filter_active && !s.check_running,
    },
    Binding {
        keys: &[plain(K::Esc)],
        label: "Esc",
        action: Action::NothingToClose,
        short: "nothing to close",
        help: "Nothing to close here: the step stays (← goes back)",
        contexts: &[Browse],
        when: |s| !s.check_running,
    },
    Binding {
        keys: &[plain(K::Up), plain(K::Char('k'))],
        label: "↑/k",
        action: Action::Up,
        short: "up",
        help: "Move up in the focused list",
        contexts: &[Browse],
        when: |s| s.has_list,
    },
    Binding {
        keys: &[plain(K::Down), plain(K::Char('j'))],
        label: "↓/j",
        action: Action::Down,
        short: "down",
        help: "Move down in the focused list",
        contexts: &[Browse],
        when: |s| s.has_list,
    },
    Binding {
        keys: &[plain(K::Char(' '))],
        label: "Space",
        action: Action::Toggle,
        short: "tick",
        help: "Tick or untick the focused item",
        contexts: &[Browse],
        when: |s| s.has_toggle,
    },
    Binding {
        keys: &[plain(K::Char('/'))],
        label: "/",
        action: Action::Filter,
        short: "filter",
        help: "Step 1: filter the vendor list by vendor, product or id",
        contexts: &[Browse],
        when: |s| s.can_filter,
    },
    Binding {
        keys: &[plain(K::Char('c'))],
        label: "c",
        action: Action::Copy,
        short: "copy",
        help: "Copy the focused value, trimmed of stray whitespace",
        contexts: &[Browse],
        when: |s| s.has_copyable,
    },
    // "Check my work as I go" (the technician's own keys): before the test's `t`, which works
    // only on step 5.
    Binding {
        keys: &[plain(K::Char('t'))],
        label: "t",
        action: Action::RunAudit,
        short: "check my work",
        help: "With your own keys: check step 2 or 3 (read-only)",
        contexts: &[Browse],
        when: |s| s.audit_step && !s.audit_running,
    },
    Binding {
        keys: &[plain(K::Char('m'))],
        label: "m",
        action: Action::OwnKeys,
        short: "check as I go",
        help: "Step 1: check my work as I go (your own API keys)",
        contexts: &[Browse],
        when: |s| s.own_keys_offer,
    },
    Binding {
        keys: &[plain(K::Char('t'))],
        label: "t",
        action: Action::RunCheck,
        short: "test",
        help: "Test the connection, keys and permissions live",
        contexts: &[Browse],
        when: |s| s.check_step && !s.check_running,
    },
    Binding {
        keys: &[plain(K::Char('a'))],
        label: "a",
        action: Action::AddRow,
        short: "add row",
        help: "Add a permission row to the role",
        contexts: &[Browse],
        when: |s| s.role_editable,
    },
    Binding {
        keys: &[plain(K::Char('e'))],
        label: "e",
        action: Action::EditRow,
        short: "edit row",
        help: "Edit the focused permission row",
        contexts: &[Browse],
        when: |s| s.role_editable && s.row_selected,
    },
    Binding {
        keys: &[plain(K::Char('d'))],
        label: "d",
        action: Action::DeleteRow,
        short: "delete row",
        help: "Delete the focused permission row",
        contexts: &[Browse],
        when: |s| s.role_editable && s.row_selected,
    },
    Binding {
        keys: &[plain(K::Char('s'))],
        label: "s",
        action: Action::SaveProfile,
        short: "save profile",
        help: "Role step: save the edited role as a reusable profile file",
        contexts: &[Browse],
        when: |s| s.role_editable,
    },
    Binding {
        keys: &[plain(K::Char('s'))],
        label: "s",
        action: Action::SaveReport,
        short: "save report",
        help: "Summary: save a redacted Markdown report for a ticket",
        contexts: &[Browse],
        when: |s| s.summary_step,
    },
    Binding {
        keys: &[plain(K::Char('o'))],
        label: "o",
        action: Action::OpenLink,
        short: "open link",
        help: "Open the focused link in a browser (over SSH: copies it)",
        contexts: &[Browse],
        when: |s| s.has_link,
    },
    Binding {
        keys: &[
            plain(K::Char('1')),
            plain(K::Char('2')),
            plain(K::Char('3')),
            plain(K::Char('4')),
            plain(K::Char('5')),
            plain(K::Char('6')),
        ],
        label: "1–6",
        action: Action::JumpToStep,
        short: "go to step",
        help: "Go to that step (6 is the Summary)",
        contexts: &[Browse],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('h'))],
        label: "h",
        action: Action::CopyHandoff,
        short: "admin handoff",
        help: "Copy the admin handoff (role, member, keys) as Markdown",
        contexts: &[Browse],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('x'))],
        label: "x",
        action: Action::ClearKeys,
        short: "clear keys",
        help: "Wipe the keys from memory (the vendor's and your own)",
        contexts: &[Browse],
        when: |s| s.keys_entered,
    },
    Binding {
        keys: &[plain(K::Char('f'))],
        label: "f",
        action: Action::NextFailed,
        short: "next failed",
        help: "Move to the next failed test result",
        contexts: &[Browse],
        when: |s| s.failed_rows && !s.check_running,
    },
    Binding {
        keys: &[plain(K::Char('?')), plain(K::F(1))],
        label: "?",
        action: Action::Help,
        short: "help",
        help: "Show all keys",
        contexts: &[Browse],
        when: always,
    },
    Binding {
        keys: &[plain(K::Up), plain(K::Char('k'))],
        label: "↑/k",
        action: Action::Up,
        short: "scroll",
        help: "Scroll this help up",
        contexts: &[Help],
        when: always,
    },
    Binding {
        keys: &[plain(K::Down), plain(K::Char('j'))],
        label: "↓/j",
        action: Action::Down,
        short: "scroll",
        help: "Scroll this help down",
        contexts: &[Help],
        when: always,
    },
    Binding {
        keys: &[plain(K::F(1))],
        label: "F1",
        action: Action::Help,
        short: "help",
        help: "Show all keys",
        // Not in the row editor: the help would replace it and lose the row being typed.
        contexts: &[Field],
        when: always,
    },
    Binding {
        keys: &[plain(K::Char('q'))],
        label: "q",
        action: Action::Quit,
        short: "quit",
        help: "Quit (asks first once a key has been entered)",
        contexts: &[Browse],
        when: always,
    },
    Binding {
        keys: &[ctrl('c')],
        label: "Ctrl-C",
        action: Action::QuitNow,
        short: "quit",
        help: "Quit at once, without asking (keys are wiped)",
        contexts: &[
            Browse,
            Field,
            Editor,
            Help,
            ConfirmQuit,
            ResumeOffer,
            Detail,
        ],
        when: always,
    },
];

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

/// Footer entries for right now: `(keys, what)`, without repeats of the same action.
pub fn footer(context: Context, situation: &Situation) -> Vec<(&'static str, &'static str)> {
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
        if b.action == Action::QuitNow && context == Browse {
            continue;
        }
        // Esc with nothing to close does nothing worth a place in the footer.
        if b.action == Action::NothingToClose {
            continue;
        }
        if !seen.contains(&b.action) {
            seen.push(b.action);
            out.push((b.label, b.short));
        }
    }
    out
}

/// The README's key table, generated from [`BINDINGS`] so the documentation cannot drift.
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
        })
        .collect();
    if names.len() == 7 {
        "anywhere".into()
    } else {
        names.join(", ")
    }
}
