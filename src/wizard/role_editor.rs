//! The popup that adds or edits one permission row of the security role, for vendors whose
//! profile ships without rows (their requirements live on a page of their own).

use crossterm::event::KeyEvent;

use crate::permission::{Column, Level, Levels};
use crate::profile::RoleRow;
use crate::sanitize::FieldKind;

use crate::setup::text_field::TextField;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorField {
    Module,
    Function,
    Add,
    Edit,
    Delete,
    Inquire,
    Why,
}

impl EditorField {
    pub const ALL: [EditorField; 7] = [
        EditorField::Module,
        EditorField::Function,
        EditorField::Add,
        EditorField::Edit,
        EditorField::Delete,
        EditorField::Inquire,
        EditorField::Why,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EditorField::Module => "Module",
            EditorField::Function => "Function",
            EditorField::Add => "Add",
            EditorField::Edit => "Edit",
            EditorField::Delete => "Delete",
            EditorField::Inquire => "Inquire",
            EditorField::Why => "Why",
        }
    }

    /// Module, Function and Why are typed; the levels are cycled.
    pub fn is_text(self) -> bool {
        self.column().is_none()
    }

    /// The level column the field edits; `None` for the typed fields.
    pub fn column(self) -> Option<Column> {
        match self {
            EditorField::Add => Some(Column::Add),
            EditorField::Edit => Some(Column::Edit),
            EditorField::Delete => Some(Column::Delete),
            EditorField::Inquire => Some(Column::Inquire),
            _ => None,
        }
    }
}

pub struct RoleEditor {
    /// The (module, function) of the row being edited; `None` for a new row.
    pub original: Option<(String, String)>,
    pub module: TextField,
    pub function: TextField,
    pub why: TextField,
    pub levels: Levels,
    /// The vendor's Customize list for the row, shown (not edited) so it can be typed into
    /// ConnectWise from here at any terminal size; kept on save.
    pub customize: Option<String>,
    pub focus: usize,
    pub error: Option<String>,
}

impl RoleEditor {
    pub fn new_row() -> Self {
        RoleEditor {
            original: None,
            module: TextField::new(FieldKind::MemberId),
            function: TextField::new(FieldKind::MemberId),
            why: TextField::new(FieldKind::MemberId),
            levels: Levels::inquire_only(Level::All),
            customize: None,
            focus: 0,
            error: None,
        }
    }

    pub fn edit(row: &RoleRow) -> Self {
        RoleEditor {
            original: Some((row.module.clone(), row.function.clone())),
            module: TextField::with_value(FieldKind::MemberId, &row.module),
            function: TextField::with_value(FieldKind::MemberId, &row.function),
            why: TextField::with_value(FieldKind::MemberId, &row.why),
            levels: row.levels,
            customize: row.customize_phrase(),
            focus: 0,
            error: None,
        }
    }

    pub fn focused(&self) -> EditorField {
        EditorField::ALL[self.focus % EditorField::ALL.len()]
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = EditorField::ALL.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Cycles the focused level None → My → All → None.
    pub fn cycle_level(&mut self) {
        if let Some(column) = self.focused().column() {
            self.levels.set(column, self.levels.get(column).cycled());
        }
    }

    pub fn text_mut(&mut self) -> Option<&mut TextField> {
        match self.focused() {
            EditorField::Module => Some(&mut self.module),
            EditorField::Function => Some(&mut self.function),
            EditorField::Why => Some(&mut self.why),
            _ => None,
        }
    }

    pub fn handle_text_key(&mut self, key: &KeyEvent) -> bool {
        self.text_mut().is_some_and(|f| super::edit::text(f, key))
    }

    /// The row, or what is missing from it.
    pub fn row(&self) -> Result<RoleRow, String> {
        let module = self.module.sanitized();
        let function = self.function.sanitized();
        if module.is_empty() || function.is_empty() {
            return Err("type the Module and the Function, as ConnectWise names them (e.g. Companies / Company Maintenance)".into());
        }
        if self.levels.is_none() {
            return Err("give at least one level (Space changes the focused level)".into());
        }
        let why = self.why.sanitized();
        Ok(RoleRow {
            module,
            function,
            levels: self.levels,
            why: if why.is_empty() {
                "Added in cwsetup from the vendor's role requirements".into()
            } else {
                why
            },
            optional: false,
            optional_reason: None,
            probe: None,
            customize: Vec::new(),
            customize_deny: Vec::new(),
            setup_only: None,
        })
    }
}
