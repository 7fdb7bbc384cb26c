//! The parts of a step the wizard's focus moves between.

use crate::setup::fields::FieldId;

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
