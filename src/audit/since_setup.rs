//! A level the vendors needed only while their setup ran, still granted on the role: reported
//! as "more than needed since setup", never as a failure.

use crate::cw::SecurityRow;
use crate::permission::Column;
use crate::profile::MergedRow;

/// "Add All: more than needed since setup; lower it to None once the vendor's setup is done
/// (ChatStyle: ...)", when `setting` still grants a setup-only level of `row` above what stays.
pub(super) fn since_setup(row: &MergedRow, setting: &SecurityRow) -> Option<String> {
    let setup = row.setup_only.as_ref()?;
    let still: Vec<String> = Column::ALL
        .into_iter()
        .filter(|c| {
            row.levels.get(*c) != setup.after_setup.get(*c)
                && setting.levels.get(*c) > setup.after_setup.get(*c)
        })
        .map(|c| {
            format!(
                "{c} {} (lower to {})",
                setting.levels.get(c),
                setup.after_setup.get(c)
            )
        })
        .collect();
    if still.is_empty() {
        return None;
    }
    Some(format!(
        "more than needed since setup: {}, once the vendor's setup is done ({})",
        still.join(", "),
        setup.why.join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::{Level, Levels};
    use crate::profile;

    fn setting(add: Level) -> SecurityRow {
        SecurityRow {
            module_name: "System".into(),
            function_name: "Table Setup".into(),
            levels: Levels::new(add, Level::None, Level::None, Level::All),
            unknown: Vec::new(),
        }
    }

    #[test]
    fn chatstyles_add_still_granted_is_more_than_needed_since_setup() {
        let merged = profile::merge(&[profile::find("chatstyle").expect("shipped")]);
        let table_setup = merged
            .rows
            .iter()
            .find(|r| r.function == "Table Setup")
            .expect("row");
        let text = since_setup(table_setup, &setting(Level::All)).expect("still granted");
        assert!(text.starts_with("more than needed since setup: Add All (lower to None)"));
        assert!(text.contains("After the initial setup, you can remove the Add access"));
        assert_eq!(since_setup(table_setup, &setting(Level::None)), None);
        let contacts = merged
            .rows
            .iter()
            .find(|r| r.function == "Contacts")
            .expect("row");
        assert_eq!(since_setup(contacts, &setting(Level::All)), None);
    }
}
