//! A one-line text field for values that are not secret (site, company ID, client ID).
//! Pastes are trimmed at the edges on the way in, and what was removed is said.

use crate::sanitize::{self, FieldKind};

use super::fields::{FieldId, Holder};

#[derive(Debug, Clone)]
pub struct TextField {
    kind: FieldKind,
    value: String,
    note: Option<String>,
    /// What sanitizing removed from the pastes that gave the value (counts only), for the report.
    removed: sanitize::Removal,
}

/// Longest value accepted: a pasted page is refused rather than kept.
const MAX_LEN: usize = 512;

impl TextField {
    pub fn new(kind: FieldKind) -> Self {
        TextField {
            kind,
            value: String::new(),
            note: None,
            removed: sanitize::Removal::default(),
        }
    }

    /// The empty box of a text field of the field table, cleaned as its row says. Key fields are
    /// held as [`super::masked_input::MaskedInput`]s, never here; asked for one anyway, it cleans
    /// like a key.
    pub fn for_field(id: FieldId) -> Self {
        match id.spec().holder {
            Holder::Text(kind) => Self::new(kind),
            Holder::Key => Self::new(FieldKind::PrivateKey),
        }
    }

    pub fn with_value(kind: FieldKind, value: &str) -> Self {
        let mut field = Self::new(kind);
        field.set(value);
        field
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The value as it will be used: trimmed of stray whitespace.
    pub fn sanitized(&self) -> String {
        sanitize::sanitize(self.kind, &self.value).value
    }

    /// What sanitizing removed, or a refusal, for the line under the field.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// What sanitizing removed from the last paste that changed the value (empty if none).
    pub fn removed(&self) -> &sanitize::Removal {
        &self.removed
    }

    pub fn set(&mut self, value: &str) {
        self.value.clear();
        self.note = None;
        self.removed = sanitize::Removal::default();
        self.paste(value);
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.note = None;
        self.removed = sanitize::Removal::default();
    }

    /// One typed character; returns whether the value changed.
    pub fn type_char(&mut self, c: char) -> bool {
        if self.value.len() + c.len_utf8() > MAX_LEN {
            self.note = Some(format!("too long: at most {MAX_LEN} characters"));
            return false;
        }
        self.value.push(c);
        self.note = self.problem();
        true
    }

    /// Deletes the last character; returns whether the value changed.
    pub fn backspace(&mut self) -> bool {
        let changed = self.value.pop().is_some();
        self.note = self.problem();
        changed
    }

    /// A paste is sanitized at once, so the field shows exactly what will be used.
    pub fn paste(&mut self, pasted: &str) {
        let combined = format!("{}{}", self.value, pasted);
        let clean = sanitize::sanitize(self.kind, &combined);
        if clean.value.len() > MAX_LEN {
            // What was typed before stays; only the paste is refused.
            self.note = Some(format!(
                "paste refused: {} characters is not a {}; copy just the value",
                clean.value.chars().count(),
                self.kind_name()
            ));
            return;
        }
        self.value = clean.value;
        if !clean.removed.is_empty() {
            self.removed = clean.removed.clone();
        }
        self.note = self
            .problem()
            .or_else(|| (!clean.removed.is_empty()).then(|| clean.removed.to_string()));
    }

    /// Why the value cannot be used as it is (the same reason the test's input stage gives).
    fn problem(&self) -> Option<String> {
        match self.kind {
            FieldKind::CompanyId => crate::check::company_id_problem(&self.sanitized()),
            FieldKind::PublicKey
            | FieldKind::PrivateKey
            | FieldKind::MemberId
            | FieldKind::ClientId
            | FieldKind::Site => None,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            FieldKind::Site => "site",
            FieldKind::CompanyId => "company ID",
            FieldKind::ClientId => "client ID",
            FieldKind::MemberId => "member ID",
            FieldKind::PublicKey | FieldKind::PrivateKey => "key",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_id_with_inner_blanks_gets_the_checks_reason_on_its_field() {
        let mut field = TextField::new(FieldKind::CompanyId);
        field.paste("con\ttoso");
        let reason = crate::check::company_id_problem("con\ttoso").expect("refused");
        assert_eq!(field.note(), Some(reason.as_str()));
        field.set("contoso");
        assert_eq!(field.note(), None);
        field.type_char(' ');
        field.type_char('x');
        assert!(field.note().is_some_and(|n| n.contains("a space")));
        field.backspace();
        field.backspace();
        assert_eq!(field.note(), None);
        // Other fields keep their inner characters without a note.
        let mut site = TextField::new(FieldKind::ClientId);
        site.paste("a b");
        assert_eq!(site.note(), None);
    }
}
