//! What a row asks for beyond its four levels: levels needed only while the vendor's setup runs
//! (ChatStyle's Table Setup Add), and a Customize deny-list (NinjaOne's Table Setup: "allow
//! everything except"). Both are data in the profile files; this module is their one meaning:
//! the levels left after setup, how merged rows combine them, and what a profile may say.

use serde::Serialize;

use super::model::{RoleRow, row_key};
use crate::permission::{Column, Level, Levels};

impl RoleRow {
    /// The levels the vendor still needs once its setup is done (the row's levels when none of
    /// them is setup-only).
    pub fn after_setup(&self) -> Levels {
        match &self.setup_only {
            Some(setup) => setup.after_setup(self.levels),
            None => self.levels,
        }
    }
}

/// Levels of a merged row needed only during setup: no selected tool needs them afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedSetupOnly {
    /// What the role keeps once every tool's setup is done.
    pub after_setup: Levels,
    /// The vendors' reasons, prefixed with the product ("ChatStyle: ...").
    pub why: Vec<String>,
}

impl MergedSetupOnly {
    /// The columns to lower after setup, each with its level now and after: e.g. Add All → None.
    pub fn lowered(&self, levels: &Levels) -> Vec<(Column, Level, Level)> {
        Column::ALL
            .into_iter()
            .filter(|c| levels.get(*c) != self.after_setup.get(*c))
            .map(|c| (c, levels.get(c), self.after_setup.get(c)))
            .collect()
    }

    /// "Add All → None, Edit All → My": what to lower, for a sentence or a table cell.
    pub fn describe(&self, levels: &Levels) -> String {
        self.lowered(levels)
            .iter()
            .map(|(c, now, after)| format!("{c} {now} → {after}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl MergedSetupOnly {
    /// "Add: setup only", for the function's cell in a role table.
    pub fn cell_note(&self, levels: &Levels) -> String {
        let columns: Vec<&str> = self
            .lowered(levels)
            .iter()
            .map(|(c, _, _)| c.name())
            .collect();
        format!("{}: setup only", columns.join(", "))
    }

    /// The `setup_only` object of `cwsetup role --format json`.
    pub(super) fn json<'a>(&'a self, levels: &Levels) -> JsonSetupOnly<'a> {
        JsonSetupOnly {
            levels: self.lowered(levels).iter().map(|(c, _, _)| *c).collect(),
            after_setup: self.after_setup,
            why: &self.why,
        }
    }
}

/// `{"levels":["add"],"after_setup":{"add","edit","delete","inquire"},"why":[...]}`.
#[derive(Serialize)]
pub(super) struct JsonSetupOnly<'a> {
    levels: Vec<Column>,
    after_setup: Levels,
    why: &'a [String],
}

/// Per merged row, what [`super::merge`] keeps while it absorbs the profiles' rows.
#[derive(Debug, Clone, Default)]
pub(super) struct ScopeMerge {
    /// The union of every row's levels after setup.
    after_setup: Levels,
    setup_why: Vec<String>,
    /// The intersection of the deny-lists seen (None: no row gave one).
    deny: Option<Vec<String>>,
    /// The union of the allow-lists seen.
    allow: Vec<String>,
}

impl ScopeMerge {
    pub(super) fn absorb(&mut self, label: &str, row: &RoleRow) {
        self.after_setup = self.after_setup.union(row.after_setup());
        if let Some(setup) = &row.setup_only {
            let why = format!("{label}: {}", setup.why.trim());
            if !self.setup_why.contains(&why) {
                self.setup_why.push(why);
            }
        }
        for item in &row.customize {
            if !self.allow.iter().any(|a| row_key(a) == row_key(item)) {
                self.allow.push(item.trim().to_string());
            }
        }
        if !row.customize_deny.is_empty() {
            let theirs: Vec<String> = row.customize_deny.iter().map(|d| row_key(d)).collect();
            self.deny = Some(match self.deny.take() {
                None => row
                    .customize_deny
                    .iter()
                    .map(|d| d.trim().to_string())
                    .collect(),
                // Each tool needs every table but its own list: together, all but the common ones.
                Some(ours) => ours
                    .into_iter()
                    .filter(|d| theirs.contains(&row_key(d)))
                    .collect(),
            });
        }
    }

    /// The merged row's setup-only levels (given its merged `levels`) and deny-list. With a
    /// deny-list, a table another tool must reach (its allow-list) is not disallowed, and the
    /// allow-list is not shown as one: an admin restricting the role to it would break the tool
    /// that needs every other table.
    pub(super) fn finish(
        self,
        levels: Levels,
    ) -> (Option<MergedSetupOnly>, Option<Vec<String>>, bool) {
        let setup = (self.after_setup != levels).then_some(MergedSetupOnly {
            after_setup: self.after_setup,
            why: self.setup_why,
        });
        let deny_mode = self.deny.is_some();
        let deny = self.deny.map(|deny| {
            deny.into_iter()
                .filter(|d| !self.allow.iter().any(|a| row_key(a) == row_key(d)))
                .collect()
        });
        (setup, deny, deny_mode)
    }
}

/// What a profile may not say about a row's scope: (field, problem, fix).
pub(super) fn check_row(row: &RoleRow) -> Result<(), (&'static str, String, &'static str)> {
    if !row.customize.is_empty() && !row.customize_deny.is_empty() {
        return Err((
            "customize_deny",
            "is given together with customize".to_string(),
            "keep one: customize lists the tables to allow, customize_deny the only tables to disallow (every other table stays allowed)",
        ));
    }
    if let Some(blank) = row.customize_deny.iter().position(|d| d.trim().is_empty()) {
        return Err((
            "customize_deny",
            format!("entry {blank} is empty"),
            "write the table (e.g. \"General / StsClient\") or remove the entry",
        ));
    }
    let mut names: Vec<String> = row.customize_deny.iter().map(|c| row_key(c)).collect();
    names.sort();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err((
            "customize_deny",
            format!("lists `{}` twice", pair[0]),
            "keep each table once",
        ));
    }
    let Some(setup) = &row.setup_only else {
        return Ok(());
    };
    if setup.why.trim().is_empty() {
        return Err((
            "setup_only",
            "is missing or empty".to_string(),
            "give the vendor's reason the levels are needed only during setup, e.g. \"After the initial setup, you can remove the Add access\"",
        ));
    }
    let mut seen = Vec::new();
    for column in &setup.columns {
        if seen.contains(column) {
            return Err((
                "setup_only_levels",
                format!("lists {column} twice"),
                "keep each column once",
            ));
        }
        seen.push(*column);
        if row.levels.get(*column) == Level::None {
            return Err((
                "setup_only_levels",
                format!("names {column}, which is None on this row"),
                "list only columns the row grants (My or All), or leave setup_only_levels out for the whole row",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::SetupOnly;

    fn row(levels: Levels) -> RoleRow {
        RoleRow {
            module: "System".into(),
            function: "Table Setup".into(),
            levels,
            why: "w".into(),
            optional: false,
            optional_reason: None,
            probe: None,
            customize: Vec::new(),
            customize_deny: Vec::new(),
            setup_only: None,
        }
    }

    #[test]
    fn setup_only_lowers_its_columns_or_the_whole_row() {
        let levels = Levels::new(Level::All, Level::My, Level::None, Level::All);
        let add = SetupOnly {
            why: "r".into(),
            columns: vec![Column::Add],
        };
        assert_eq!(
            add.after_setup(levels),
            Levels::new(Level::None, Level::My, Level::None, Level::All)
        );
        let whole = SetupOnly {
            why: "r".into(),
            columns: Vec::new(),
        };
        assert_eq!(whole.after_setup(levels), Levels::NONE);
    }

    #[test]
    fn a_scope_a_profile_cannot_mean_is_refused() {
        let mut both = row(Levels::inquire_only(Level::All));
        both.customize = vec!["a".into()];
        both.customize_deny = vec!["b".into()];
        assert_eq!(check_row(&both).unwrap_err().0, "customize_deny");
        let mut twice = row(Levels::inquire_only(Level::All));
        twice.customize_deny = vec!["General / StsClient".into(), "general / stsclient".into()];
        assert!(check_row(&twice).unwrap_err().1.contains("twice"));
        let mut no_reason = row(Levels::inquire_only(Level::All));
        no_reason.setup_only = SetupOnly::from_file(None, vec![Column::Inquire]);
        assert_eq!(check_row(&no_reason).unwrap_err().0, "setup_only");
        let mut none_level = row(Levels::inquire_only(Level::All));
        none_level.setup_only = SetupOnly::from_file(Some("r".into()), vec![Column::Add]);
        assert!(
            check_row(&none_level)
                .unwrap_err()
                .1
                .contains("None on this row")
        );
        let mut fine = row(Levels::new(
            Level::All,
            Level::None,
            Level::None,
            Level::All,
        ));
        fine.setup_only = SetupOnly::from_file(Some("r".into()), vec![Column::Add]);
        assert!(check_row(&fine).is_ok());
    }
}
