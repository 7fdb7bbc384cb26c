//! Where each field's value lives in the [`Setup`], and what the key fields add: one pair of
//! keys, or one pair per tool under some member plans. The one place that maps a [`FieldId`] to
//! its value; every match here is exhaustive.

use super::fields::FieldId;
use super::masked_input::MaskedInput;
use super::state::Setup;
use super::step::MemberPlan;
use super::text_field::TextField;

/// Where a field's value lives in the [`Setup`].
pub enum Slot<'a> {
    Text(&'a TextField),
    Key(&'a MaskedInput),
    /// A per-tool key of a tool that has no pair (not selected, or no such tool).
    Missing,
}

/// [`Slot`], to change the value.
pub enum SlotMut<'a> {
    Text(&'a mut TextField),
    Key(&'a mut MaskedInput),
    Missing,
}

impl Setup {
    /// The one place that maps a field to where its value lives. Exhaustive.
    pub fn slot(&self, id: FieldId) -> Slot<'_> {
        let tool = |i: usize| self.tool_keys.get(&i);
        match id {
            FieldId::Site => Slot::Text(&self.site),
            FieldId::CompanyId => Slot::Text(&self.company_id),
            FieldId::ClientId => Slot::Text(&self.client_id),
            FieldId::RoleName => Slot::Text(&self.own.role_name),
            FieldId::MemberId => Slot::Text(&self.own.member_id),
            FieldId::PublicKey => Slot::Key(&self.public_key),
            FieldId::PrivateKey => Slot::Key(&self.private_key),
            FieldId::MyPublicKey => Slot::Key(&self.own.public_key),
            FieldId::MyPrivateKey => Slot::Key(&self.own.private_key),
            FieldId::ToolPublicKey(i) => tool(i).map_or(Slot::Missing, |k| Slot::Key(&k.0)),
            FieldId::ToolPrivateKey(i) => tool(i).map_or(Slot::Missing, |k| Slot::Key(&k.1)),
        }
    }

    /// [`Setup::slot`], to change the value. Exhaustive.
    pub fn slot_mut(&mut self, id: FieldId) -> SlotMut<'_> {
        match id {
            FieldId::Site => SlotMut::Text(&mut self.site),
            FieldId::CompanyId => SlotMut::Text(&mut self.company_id),
            FieldId::ClientId => SlotMut::Text(&mut self.client_id),
            FieldId::RoleName => SlotMut::Text(&mut self.own.role_name),
            FieldId::MemberId => SlotMut::Text(&mut self.own.member_id),
            FieldId::PublicKey => SlotMut::Key(&mut self.public_key),
            FieldId::PrivateKey => SlotMut::Key(&mut self.private_key),
            FieldId::MyPublicKey => SlotMut::Key(&mut self.own.public_key),
            FieldId::MyPrivateKey => SlotMut::Key(&mut self.own.private_key),
            FieldId::ToolPublicKey(i) => self
                .tool_keys
                .get_mut(&i)
                .map_or(SlotMut::Missing, |k| SlotMut::Key(&mut k.0)),
            FieldId::ToolPrivateKey(i) => self
                .tool_keys
                .get_mut(&i)
                .map_or(SlotMut::Missing, |k| SlotMut::Key(&mut k.1)),
        }
    }

    /// True for step 3's member ID under "I already have an API member": no ID is shown above
    /// to fall back on, so the field asks for that member's own.
    fn asks_existing_member(&self, id: FieldId) -> bool {
        id == FieldId::MemberId && self.plan() == MemberPlan::ExistingMember
    }

    /// What an empty box says: the field table's words, or the existing member's.
    pub fn placeholder(&self, id: FieldId) -> &'static str {
        if self.asks_existing_member(id) {
            "your existing API member's ID"
        } else {
            id.spec().placeholder
        }
    }

    /// What a question for the field says (plain mode's): the table's words, or the existing
    /// member's.
    pub fn hint(&self, id: FieldId) -> &'static str {
        if self.asks_existing_member(id) {
            "your existing API member's ID, e.g. IntegrationAPI"
        } else {
            id.spec().hint
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&TextField> {
        match self.slot(id) {
            Slot::Text(field) => Some(field),
            Slot::Key(_) | Slot::Missing => None,
        }
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut TextField> {
        match self.slot_mut(id) {
            SlotMut::Text(field) => Some(field),
            SlotMut::Key(_) | SlotMut::Missing => None,
        }
    }

    pub fn key_input(&self, id: FieldId) -> Option<&MaskedInput> {
        match self.slot(id) {
            Slot::Key(input) => Some(input),
            Slot::Text(_) | Slot::Missing => None,
        }
    }

    pub fn key_input_mut(&mut self, id: FieldId) -> Option<&mut MaskedInput> {
        match self.slot_mut(id) {
            SlotMut::Key(input) => Some(input),
            SlotMut::Text(_) | SlotMut::Missing => None,
        }
    }

    /// The saved text fields, by their names in the saved file ([`FieldSpec::saved_as`]).
    pub fn saved_fields(&self) -> Vec<(&'static str, FieldId, String)> {
        FieldId::TEXT
            .iter()
            .filter_map(|id| {
                let name = id.spec().saved_as?;
                Some((name, *id, self.field(*id)?.value().to_string()))
            })
            .collect()
    }
}

impl Setup {
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

    pub fn keys_entered(&self) -> bool {
        !self.public_key.secret().is_empty()
            || !self.private_key.secret().is_empty()
            || self.tool_keys.values().any(|(public, private)| {
                !public.secret().is_empty() || !private.secret().is_empty()
            })
            || self.own.any_entered()
            || self
                .rotation
                .as_ref()
                .is_some_and(super::rotation_state::Rotation::keys_entered)
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
}
