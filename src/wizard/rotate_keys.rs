//! The "rotate a key" path's keyboard: where the keyboard is and which keys work, from the
//! setup's state alone (the key table reads these; [`super::update`] acts on them).

use crate::setup::Setup;
use crate::setup::rotation::{self, RotateField, RotateStep};

use super::keymap::{Context, Situation};

/// Where the keyboard is on the rotate path.
pub fn context(app: &Setup) -> Context {
    match app.rotation.as_ref().and_then(|r| r.focus) {
        Some(_) => Context::RotateField,
        None => Context::Rotate,
    }
}

/// The facts that switch the rotate path's keys on and off.
pub fn situation(app: &Setup) -> Situation {
    let Some(r) = app.rotation.as_ref() else {
        return Situation::default();
    };
    let values = r.step == RotateStep::Portal && !rotation::portal_values(app).is_empty();
    Situation {
        rotate_next: r.step.next().is_some(),
        rotate_back: r.step.prev().is_some(),
        rotate_test: matches!(r.step, RotateStep::CheckNew | RotateStep::ProveOld) && !r.running,
        rotate_fields: !r.step.fields().is_empty(),
        rotate_copy: r.step == RotateStep::NewKey || values,
        has_list: values
            || (matches!(r.step, RotateStep::CheckNew | RotateStep::ProveOld)
                && !rotation::results(app).is_empty()),
        keys_entered: app.keys_entered(),
        secret_field: r.focus.is_some_and(RotateField::is_secret),
        ..Situation::default()
    }
}
