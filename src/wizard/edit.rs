//! What a key press does to a text or key field: the terminal's keys turned into the setup's
//! edits (type a character, delete one). Control and Alt chords are never text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::setup::masked_input::MaskedInput;
use crate::setup::text_field::TextField;

/// One edit of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Type(char),
    Backspace,
}

impl Edit {
    pub fn of(key: &KeyEvent) -> Option<Edit> {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        match key.code {
            KeyCode::Char(c) => Some(Edit::Type(c)),
            KeyCode::Backspace => Some(Edit::Backspace),
            _ => None,
        }
    }
}

/// Applies `key` to a text field; returns whether the value changed.
pub fn text(field: &mut TextField, key: &KeyEvent) -> bool {
    match Edit::of(key) {
        Some(Edit::Type(c)) => field.type_char(c),
        Some(Edit::Backspace) => field.backspace(),
        None => false,
    }
}

/// Applies `key` to a key field; returns whether the key changed.
pub fn masked(input: &mut MaskedInput, key: &KeyEvent) -> bool {
    match Edit::of(key) {
        Some(Edit::Type(c)) => input.type_char(c),
        Some(Edit::Backspace) => input.backspace(),
        None => false,
    }
}
