//! The permission vocabulary: a security-role function's four levels (Add, Edit, Delete,
//! Inquire), each None, My or All. One home for what a vendor's matrix asks for, what the merged
//! role needs, what mySecurity reports and what the simulator grants. A leaf: it imports nothing
//! from the crate, so `cw`, `profile`, `sim`, `check` and the wizard can all use it.

use serde::{Deserialize, Serialize};

/// A permission level on one security-role function. Ordered: `None < My < All`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Level {
    #[default]
    None,
    My,
    All,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::None, Level::My, Level::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::My => "My",
            Level::All => "All",
        }
    }

    /// The next level in the cycle None → My → All → None (the role editor's Space).
    pub fn cycled(self) -> Level {
        match self {
            Level::None => Level::My,
            Level::My => Level::All,
            Level::All => Level::None,
        }
    }

    /// The level as a table cell shows it: "—" for None, so that granted levels stand out.
    pub fn cell(self) -> &'static str {
        match self {
            Level::None => "—",
            Level::My => "My",
            Level::All => "All",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of a function's four level columns, in ConnectWise's order. Written `add`, `edit`,
/// `delete`, `inquire` in a profile file (e.g. a row's `setup_only_levels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Column {
    Add,
    Edit,
    Delete,
    Inquire,
}

impl Column {
    pub const ALL: [Column; 4] = [Column::Add, Column::Edit, Column::Delete, Column::Inquire];

    /// The column's field in a profile file and in JSON reports: "add", "edit", ...
    pub fn field(self) -> &'static str {
        match self {
            Column::Add => "add",
            Column::Edit => "edit",
            Column::Delete => "delete",
            Column::Inquire => "inquire",
        }
    }

    /// The column's name as ConnectWise's security-role screen shows it.
    pub fn name(self) -> &'static str {
        match self {
            Column::Add => "Add",
            Column::Edit => "Edit",
            Column::Delete => "Delete",
            Column::Inquire => "Inquire",
        }
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The four cells of one security-role function, one per [`Column`]. Usually the levels
/// themselves (`Levels`, the default); the audit reports them as text (`Levels<String>`), since
/// ConnectWise may send a level cwsetup does not know. Serialized as the four fields `add`,
/// `edit`, `delete`, `inquire`, the way the profile files and the JSON reports spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Levels<T = Level> {
    pub add: T,
    pub edit: T,
    pub delete: T,
    pub inquire: T,
}

impl<T> Levels<T> {
    pub const fn new(add: T, edit: T, delete: T, inquire: T) -> Levels<T> {
        Levels {
            add,
            edit,
            delete,
            inquire,
        }
    }

    /// The cell of one column.
    pub fn cell(&self, column: Column) -> &T {
        match column {
            Column::Add => &self.add,
            Column::Edit => &self.edit,
            Column::Delete => &self.delete,
            Column::Inquire => &self.inquire,
        }
    }

    /// The four cells in ConnectWise's order: Add, Edit, Delete, Inquire.
    pub fn into_array(self) -> [T; 4] {
        [self.add, self.edit, self.delete, self.inquire]
    }

    /// Each cell turned into another, column by column.
    pub fn map<U>(self, mut f: impl FnMut(Column, T) -> U) -> Levels<U> {
        Levels {
            add: f(Column::Add, self.add),
            edit: f(Column::Edit, self.edit),
            delete: f(Column::Delete, self.delete),
            inquire: f(Column::Inquire, self.inquire),
        }
    }

    /// Every column named with its cell, None included: "Add All, Edit None, Delete None,
    /// Inquire All".
    pub fn spelled_out(&self) -> String
    where
        T: std::fmt::Display,
    {
        Column::ALL
            .iter()
            .map(|&c| format!("{c} {}", self.cell(c)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<T> From<[T; 4]> for Levels<T> {
    /// From the four cells in ConnectWise's order: Add, Edit, Delete, Inquire.
    fn from([add, edit, delete, inquire]: [T; 4]) -> Levels<T> {
        Levels::new(add, edit, delete, inquire)
    }
}

impl Levels {
    pub const NONE: Levels = Levels::uniform(Level::None);

    /// The same level on all four columns.
    pub const fn uniform(level: Level) -> Levels {
        Levels::new(level, level, level, level)
    }

    /// Inquire only: what reading a list needs.
    pub const fn inquire_only(level: Level) -> Levels {
        Levels::new(Level::None, Level::None, Level::None, level)
    }

    pub fn get(&self, column: Column) -> Level {
        *self.cell(column)
    }

    pub fn set(&mut self, column: Column, level: Level) {
        match column {
            Column::Add => self.add = level,
            Column::Edit => self.edit = level,
            Column::Delete => self.delete = level,
            Column::Inquire => self.inquire = level,
        }
    }

    /// The four columns with their levels, in ConnectWise's order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, Level)> + '_ {
        Column::ALL.into_iter().map(|c| (c, self.get(c)))
    }

    /// Whether every column is None (a row that grants nothing).
    pub fn is_none(&self) -> bool {
        self.iter().all(|(_, level)| level == Level::None)
    }

    /// The higher level of the two on every column: what satisfies both.
    pub fn union(self, other: Levels) -> Levels {
        Levels::new(
            self.add.max(other.add),
            self.edit.max(other.edit),
            self.delete.max(other.delete),
            self.inquire.max(other.inquire),
        )
    }

    /// Whether `self` reaches `needed` on every column.
    pub fn covers(&self, needed: &Levels) -> bool {
        self.iter().all(|(c, got)| got >= needed.get(c))
    }

    /// The columns where `self` (what a role has) is below `needed`, in ConnectWise's order.
    pub fn shortfalls<'a>(&'a self, needed: &'a Levels) -> impl Iterator<Item = Shortfall> + 'a {
        self.iter()
            .map(|(column, has)| Shortfall {
                column,
                needed: needed.get(column),
                has,
            })
            .filter(|s| s.has < s.needed)
    }

    /// The levels as people say them: "Add All, Edit All, Inquire All" (None columns left
    /// out), or "None" when nothing is granted.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .iter()
            .filter(|(_, level)| *level != Level::None)
            .map(|(column, level)| format!("{column} {level}"))
            .collect();
        if parts.is_empty() {
            "None".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// One column where a role is below what is needed: "Add level is None, needs All".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    pub column: Column,
    pub needed: Level,
    pub has: Level,
}

impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} level is {}, needs {}",
            self.column, self.has, self.needed
        )
    }
}

/// A needed column that ConnectWise reported in a form cwsetup does not know:
/// `Inquire level is "Everything" (needs All)`. `sent` is the text as sent, already cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownLevel<'a> {
    pub column: Column,
    pub needed: Level,
    pub sent: &'a str,
}

impl std::fmt::Display for UnknownLevel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} level is \"{}\" (needs {})",
            self.column, self.sent, self.needed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_cycle() {
        assert!(Level::None < Level::My && Level::My < Level::All);
        let mut level = Level::None;
        for expected in [Level::My, Level::All, Level::None] {
            level = level.cycled();
            assert_eq!(level, expected);
        }
        assert_eq!(Level::None.cell(), "—");
    }

    #[test]
    fn describe_leaves_out_none_and_says_none_when_nothing_is_granted() {
        let levels = Levels::new(Level::All, Level::My, Level::None, Level::All);
        assert_eq!(levels.describe(), "Add All, Edit My, Inquire All");
        assert_eq!(Levels::NONE.describe(), "None");
        assert!(Levels::NONE.is_none());
    }

    #[test]
    fn union_covers_both_and_shortfalls_name_each_missing_column() {
        let a = Levels::inquire_only(Level::All);
        let b = Levels::new(Level::My, Level::None, Level::None, Level::My);
        let both = a.union(b);
        assert_eq!(
            both,
            Levels::new(Level::My, Level::None, Level::None, Level::All)
        );
        assert!(both.covers(&a) && both.covers(&b));
        assert!(!a.covers(&b));
        let missing: Vec<_> = a.shortfalls(&b).collect();
        assert_eq!(
            missing,
            vec![Shortfall {
                column: Column::Add,
                needed: Level::My,
                has: Level::None
            }]
        );
        assert_eq!(missing[0].to_string(), "Add level is None, needs My");
    }

    #[test]
    fn an_unknown_level_names_its_column_what_was_sent_and_what_is_needed() {
        let unknown = UnknownLevel {
            column: Column::Inquire,
            needed: Level::All,
            sent: "Everything",
        };
        assert_eq!(
            unknown.to_string(),
            "Inquire level is \"Everything\" (needs All)"
        );
    }

    #[test]
    fn text_cells_map_from_levels_and_spell_out_every_column() {
        let levels = Levels::new(Level::All, Level::None, Level::My, Level::All);
        let text: Levels<String> = levels.map(|column, level| match column {
            Column::Delete => "Some".to_string(),
            _ => level.to_string(),
        });
        assert_eq!(
            text.spelled_out(),
            "Add All, Edit None, Delete Some, Inquire All"
        );
        assert_eq!(
            serde_json::to_string(&text).expect("serializes"),
            r#"{"add":"All","edit":"None","delete":"Some","inquire":"All"}"#
        );
    }

    #[test]
    fn get_and_set_address_each_column() {
        let mut levels = Levels::NONE;
        for (i, column) in Column::ALL.into_iter().enumerate() {
            levels.set(column, Level::ALL[i % 3]);
            assert_eq!(levels.get(column), Level::ALL[i % 3]);
        }
        let array = [Level::None, Level::My, Level::All, Level::None];
        assert_eq!(levels.into_array(), array);
        assert_eq!(Levels::from(array), levels);
    }

    #[test]
    fn serializes_as_the_four_profile_fields() {
        let levels = Levels::new(Level::None, Level::My, Level::All, Level::All);
        let json = serde_json::to_string(&levels).expect("serializes");
        assert_eq!(
            json,
            r#"{"add":"None","edit":"My","delete":"All","inquire":"All"}"#
        );
        let back: Levels = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, levels);
    }
}
