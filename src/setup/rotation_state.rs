//! The "rotate a key" path's state ([`super::rotation`] walks it): its five steps, its fields
//! and both key pairs. A leaf: the setup's state holds it, so it imports nothing that does.

use crate::check::{CheckReport, Verdict};
use crate::rotate::OldKey;

use super::fields::FieldId;
use super::masked_input::MaskedInput;

/// The rotation's five steps, in the order the technician does them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RotateStep {
    NewKey,
    CheckNew,
    Portal,
    DeleteOld,
    ProveOld,
}

impl RotateStep {
    pub const ALL: [RotateStep; 5] = [
        RotateStep::NewKey,
        RotateStep::CheckNew,
        RotateStep::Portal,
        RotateStep::DeleteOld,
        RotateStep::ProveOld,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RotateStep::NewKey => "Make a new key",
            RotateStep::CheckNew => "Test the new key",
            RotateStep::Portal => "Type it in the portal",
            RotateStep::DeleteOld => "Delete the old key",
            RotateStep::ProveOld => "Prove the old is dead",
        }
    }

    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<RotateStep> {
        Self::ALL.get(self.number()).copied()
    }

    pub fn prev(self) -> Option<RotateStep> {
        self.number().checked_sub(2).map(|i| Self::ALL[i])
    }

    /// The fields the step asks for, in Tab order.
    pub fn fields(self) -> &'static [RotateField] {
        match self {
            RotateStep::CheckNew => &[
                RotateField::Site,
                RotateField::CompanyId,
                RotateField::ClientId,
                RotateField::NewPublic,
                RotateField::NewPrivate,
            ],
            RotateStep::ProveOld => &[RotateField::OldPublic, RotateField::OldPrivate],
            RotateStep::NewKey | RotateStep::Portal | RotateStep::DeleteOld => &[],
        }
    }
}

/// A field of the rotate path: the tenant's values (the setup's own fields, shared with step 5)
/// and the two key pairs (the rotation's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateField {
    Site,
    CompanyId,
    ClientId,
    NewPublic,
    NewPrivate,
    OldPublic,
    OldPrivate,
}

impl RotateField {
    pub fn label(self) -> &'static str {
        match self {
            RotateField::Site => FieldId::Site.label(),
            RotateField::CompanyId => FieldId::CompanyId.label(),
            RotateField::ClientId => FieldId::ClientId.label(),
            RotateField::NewPublic => "New public key",
            RotateField::NewPrivate => "New private key",
            RotateField::OldPublic => "Old public key",
            RotateField::OldPrivate => "Old private key",
        }
    }

    pub fn is_secret(self) -> bool {
        match self {
            RotateField::Site | RotateField::CompanyId | RotateField::ClientId => false,
            RotateField::NewPublic
            | RotateField::NewPrivate
            | RotateField::OldPublic
            | RotateField::OldPrivate => true,
        }
    }

    /// The setup's field this one is, for the tenant's values.
    pub fn setup_field(self) -> Option<FieldId> {
        match self {
            RotateField::Site => Some(FieldId::Site),
            RotateField::CompanyId => Some(FieldId::CompanyId),
            RotateField::ClientId => Some(FieldId::ClientId),
            RotateField::NewPublic
            | RotateField::NewPrivate
            | RotateField::OldPublic
            | RotateField::OldPrivate => None,
        }
    }
}

/// The rotate path's state: where it is, both pairs, and what was proved.
pub struct Rotation {
    pub step: RotateStep,
    pub new_public: MaskedInput,
    pub new_private: MaskedInput,
    pub old_public: MaskedInput,
    pub old_private: MaskedInput,
    /// The field with the keyboard, if any (`None`: browsing the step).
    pub focus: Option<RotateField>,
    /// The cursor in step 3's portal values.
    pub cursor: usize,
    /// Rows scrolled in a result longer than the screen (steps 2 and 5).
    pub scroll: usize,
    /// The new key's full check, once it ran.
    pub new_key: Option<CheckReport>,
    /// The old key's proof, once it ran.
    pub old_key: Option<OldKey>,
    /// A check or a proof is running.
    pub running: bool,
    /// Numbers each run: a late answer (after `x`, or a key changed) is dropped.
    pub generation: u64,
    /// Today, for the new key's description.
    pub date: String,
}

impl Rotation {
    pub fn new(date: String) -> Rotation {
        Rotation {
            step: RotateStep::NewKey,
            new_public: MaskedInput::new(),
            new_private: MaskedInput::new(),
            old_public: MaskedInput::new(),
            old_private: MaskedInput::new(),
            focus: None,
            cursor: 0,
            scroll: 0,
            new_key: None,
            old_key: None,
            running: false,
            generation: 0,
            date,
        }
    }

    pub fn key(&self, field: RotateField) -> Option<&MaskedInput> {
        match field {
            RotateField::NewPublic => Some(&self.new_public),
            RotateField::NewPrivate => Some(&self.new_private),
            RotateField::OldPublic => Some(&self.old_public),
            RotateField::OldPrivate => Some(&self.old_private),
            RotateField::Site | RotateField::CompanyId | RotateField::ClientId => None,
        }
    }

    pub fn key_mut(&mut self, field: RotateField) -> Option<&mut MaskedInput> {
        match field {
            RotateField::NewPublic => Some(&mut self.new_public),
            RotateField::NewPrivate => Some(&mut self.new_private),
            RotateField::OldPublic => Some(&mut self.old_public),
            RotateField::OldPrivate => Some(&mut self.old_private),
            RotateField::Site | RotateField::CompanyId | RotateField::ClientId => None,
        }
    }

    pub fn keys_entered(&self) -> bool {
        [
            &self.new_public,
            &self.new_private,
            &self.old_public,
            &self.old_private,
        ]
        .iter()
        .any(|k| !k.secret().is_empty())
    }

    /// Wipes both pairs; what was proved stays shown but must be proved again.
    pub fn clear_keys(&mut self) {
        self.new_public.clear();
        self.new_private.clear();
        self.old_public.clear();
        self.old_private.clear();
        self.running = false;
        self.generation = self.generation.wrapping_add(1);
    }

    /// The new key's verdict, when its check ran.
    pub fn new_verdict(&self) -> Option<Verdict> {
        self.new_key.as_ref().map(|r| r.verdict)
    }

    /// The new key passed (or warned): the steps after step 2 are open.
    pub fn new_key_passed(&self) -> bool {
        matches!(self.new_verdict(), Some(Verdict::Pass | Verdict::Warn))
    }

    /// Why the next step cannot be reached yet, if it cannot.
    pub fn blocked(&self) -> Option<String> {
        match self.step {
            RotateStep::CheckNew if self.running => Some("the new key's test is running".into()),
            RotateStep::CheckNew if self.new_key.is_some() && !self.new_key_passed() => Some(
                "the new key failed its test: fix what failed, then t again. Keep the old key \
                 until it passes."
                    .into(),
            ),
            RotateStep::CheckNew if !self.new_key_passed() => {
                Some("the new key must pass (or warn) its test first: paste it and press t.".into())
            }
            RotateStep::NewKey
            | RotateStep::CheckNew
            | RotateStep::Portal
            | RotateStep::DeleteOld
            | RotateStep::ProveOld => None,
        }
    }

    /// A key of the new pair or the tenant changed: the new key's result no longer proves it.
    pub fn new_key_changed(&mut self) {
        self.new_key = None;
        self.old_key = None;
        self.running = false;
        self.generation = self.generation.wrapping_add(1);
    }

    /// A key of the old pair changed: its proof no longer holds.
    pub fn old_key_changed(&mut self) {
        self.old_key = None;
        if self.step == RotateStep::ProveOld {
            self.running = false;
            self.generation = self.generation.wrapping_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_steps_go_in_order_and_only_steps_2_and_5_ask_for_keys() {
        let order: Vec<usize> = RotateStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(order, vec![1, 2, 3, 4, 5]);
        assert_eq!(RotateStep::NewKey.prev(), None);
        assert_eq!(RotateStep::ProveOld.next(), None);
        assert_eq!(RotateStep::Portal.next(), Some(RotateStep::DeleteOld));
        for step in RotateStep::ALL {
            let keys = step.fields().iter().filter(|f| f.is_secret()).count();
            match step {
                RotateStep::CheckNew | RotateStep::ProveOld => assert_eq!(keys, 2),
                RotateStep::NewKey | RotateStep::Portal | RotateStep::DeleteOld => {
                    assert_eq!(keys, 0)
                }
            }
        }
    }

    #[test]
    fn step_2_blocks_until_the_new_key_passes_and_x_wipes_both_pairs() {
        let mut r = Rotation::new("2026-12-07".into());
        assert_eq!(r.blocked(), None, "step 1 never blocks");
        r.step = RotateStep::CheckNew;
        assert!(r.blocked().is_some_and(|b| b.contains("press t")));
        r.new_public.paste("FakePublicKey001".into());
        r.old_private.paste("FakePrivateKey01".into());
        assert!(r.keys_entered());
        let generation = r.generation;
        r.clear_keys();
        assert!(!r.keys_entered());
        assert_ne!(r.generation, generation, "a late answer is dropped");
    }
}
