//! A step's instructions as plain lines, from the same [`StepContent`] the wizard draws: read top
//! to bottom, numbered, nothing redrawn in place. Pure functions, so tests compare them with the
//! wizard's content directly.

use crate::profile::MergedRow;
use crate::sanitize::display_text;
use crate::setup::content::{
    CHOOSE_WITH_SPACE, CopyValue, PREREQUISITES_INTRO, RoleItem, StepContent, ValueSource,
};
use crate::setup::{Setup, StepId};

/// "Step 2 of 5: Security role", or "Summary".
pub fn step_heading(step: StepId) -> String {
    match step.number() {
        Some(n) => format!("Step {n} of 5: {}", step.title()),
        None => format!("{}: the last step", step.title()),
    }
}

/// One role row on one line: "Companies, Company Maintenance: Inquire All".
pub fn role_row_line(row: &MergedRow) -> String {
    let levels = row.levels.describe();
    let mut line = if levels == "None" {
        format!(
            "{}, {}: no access (every level None)",
            display_text(&row.module),
            display_text(&row.function)
        )
    } else {
        format!(
            "{}, {}: {}",
            display_text(&row.module),
            display_text(&row.function),
            display_text(&levels)
        )
    };
    if row.optional && row.optional_because.is_empty() {
        line.push_str(" (optional)");
    } else if row.optional {
        line.push_str(&format!(
            " (optional, {})",
            display_text(&row.optional_because.join("; "))
        ));
    }
    if let Some(customize) = row.customize_phrase() {
        line.push_str(&format!("; customize: {}", display_text(&customize)));
    }
    if let Some(setup) = row.setup_phrase() {
        line.push_str(&format!("; {}", display_text(&setup)));
    }
    line
}

/// What a copyable value shows: the text, or for a key only its length (keys are never shown).
pub fn value_text(value: &CopyValue, app: &Setup) -> String {
    match &value.value {
        ValueSource::Text(text) if text.is_empty() => "(not entered yet)".to_string(),
        ValueSource::Text(text) => display_text(text),
        ValueSource::Field(id) => match app.key_input(*id) {
            Some(input) if !input.secret().is_empty() => {
                format!(
                    "[hidden: {}]",
                    crate::units::plural(input.secret().char_count(), "character", "characters")
                )
            }
            _ => "(not entered yet: paste it on step 4)".to_string(),
        },
    }
}

/// The intro as plain mode says it (the wizard's "with Space" hint does not apply here).
pub fn intro(step: StepId, content: &StepContent) -> String {
    let intro = if step == StepId::Prerequisites {
        content
            .intro
            .strip_suffix(CHOOSE_WITH_SPACE)
            .unwrap_or(&content.intro)
    } else {
        &content.intro
    };
    if intro.is_empty() {
        PREREQUISITES_INTRO.to_string()
    } else {
        display_text(intro)
    }
}

/// The values a step offers for copying, in the order they are numbered.
pub fn copyable(step: StepId, content: &StepContent, tested: bool) -> Vec<CopyValue> {
    let mut values = content.values.clone();
    if step == StepId::Integration && tested {
        values.extend(content.portal.iter().cloned());
    }
    values
}

/// Every line of a step's instructions, printed once on arrival (and again on `r`).
pub fn step_lines(step: StepId, content: &StepContent, app: &Setup) -> Vec<String> {
    let mut lines = vec![step_heading(step), intro(step, content)];
    if !content.checklist.is_empty() {
        lines.push(match step {
            StepId::Summary => "In the vendor's portal:".to_string(),
            StepId::Prerequisites
            | StepId::SecurityRole
            | StepId::ApiMember
            | StepId::ApiKey
            | StepId::Integration => "Do this in ConnectWise:".to_string(),
        });
        for (i, item) in content.checklist.iter().enumerate() {
            lines.push(format!("  {}. {}", i + 1, display_text(item)));
        }
    }
    if !content.role_rows.is_empty() {
        lines.push(format!(
            "Permission rows ({}), one per line: module, function: levels to set (levels not named stay None):",
            content.role_rows.len()
        ));
        let mut number = 0;
        for item in content.role_items() {
            match item {
                // One member per tool: each role's rows under its name and tool.
                RoleItem::Heading(heading) => lines.push(format!("  {}:", display_text(heading))),
                RoleItem::Row(row) => {
                    number += 1;
                    lines.push(format!("  {number}. {}", role_row_line(row)));
                }
            }
        }
    }
    let values = copyable(step, content, app.check.passed());
    if !values.is_empty() {
        lines.push(match step {
            StepId::Integration | StepId::Summary => {
                "Values for the vendor's portal (c and a number copies one, e.g. c 1):".to_string()
            }
            StepId::Prerequisites | StepId::SecurityRole | StepId::ApiMember | StepId::ApiKey => {
                "Values to type (c and a number copies one, e.g. c 1):".to_string()
            }
        });
        for (i, value) in values.iter().enumerate() {
            lines.push(format!(
                "  {}. {}: {}",
                i + 1,
                display_text(&value.label),
                value_text(value, app)
            ));
        }
    }
    if !content.notes.is_empty() {
        lines.push("Notes:".to_string());
        for note in &content.notes {
            lines.push(format!("  - {}", display_text(note)));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::{Level, Levels};

    fn row(add: Level, edit: Level, delete: Level, inquire: Level) -> MergedRow {
        MergedRow {
            module: "Companies".into(),
            function: "Company Maintenance".into(),
            levels: Levels::new(add, edit, delete, inquire),
            optional: false,
            optional_because: Vec::new(),
            why: Vec::new(),
            customize: Vec::new(),
            probe: None,
            customize_deny: None,
            setup_only: None,
        }
    }

    #[test]
    fn a_role_row_is_one_line_with_only_the_levels_to_set() {
        use Level::*;
        assert_eq!(
            role_row_line(&row(None, None, None, All)),
            "Companies, Company Maintenance: Inquire All"
        );
        assert_eq!(
            role_row_line(&row(All, All, None, All)),
            "Companies, Company Maintenance: Add All, Edit All, Inquire All"
        );
        assert_eq!(
            role_row_line(&row(None, None, None, None)),
            "Companies, Company Maintenance: no access (every level None)"
        );
        let mut r = row(None, My, None, All);
        r.optional = true;
        r.customize = vec!["Service / SLA".into()];
        assert_eq!(
            role_row_line(&r),
            "Companies, Company Maintenance: Edit My, Inquire All (optional); customize: allow Service / SLA"
        );
    }

    #[test]
    fn outside_text_in_a_row_is_shown_not_obeyed() {
        let mut r = row(Level::None, Level::None, Level::None, Level::All);
        r.module = "Comp\x1b[2Janies".into();
        assert!(!role_row_line(&r).contains('\x1b'));
    }
}
