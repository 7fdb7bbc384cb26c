//! The vendors' published role matrices as the tests transcribe them, one row per line:
//! `Module › Function  Add / Edit / Delete / Inquire`, then optionally `(customize allow: A; B)`,
//! `(customize deny: A; B)`, `{setup only add: the vendor's words}` and `[vendor: note]`.
//! Used by the catalogue tests of the first twenty vendors and of the fourteen after them.

use cwsetup::permission::Column;
use cwsetup::profile::{self, Level, Profile, RoleRow};

/// Vendor spellings that name a ConnectWise module or function differently: the profile uses
/// ConnectWise's own name (so that rows merge and match system/mySecurity) and keeps the
/// vendor's spelling in the row's reason.
const SPELLINGS: &[(&str, &str)] = &[
    ("Time and Expense", "Time & Expense"),
    ("Close Service Ticket", "Close Service Tickets"),
    (
        "Company / Contact Group Maintenance",
        "Company/Contact Group Maintenance",
    ),
];

#[derive(Debug, Default, PartialEq)]
pub struct Row {
    pub module: String,
    pub function: String,
    pub levels: [Level; 4],
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub vendor_note: Option<String>,
    /// (columns, the vendor's words).
    pub setup_only: Option<(Vec<Column>, String)>,
}

fn canonical(name: &str) -> String {
    SPELLINGS
        .iter()
        .find(|(vendor, _)| *vendor == name)
        .map_or(name, |(_, cw)| cw)
        .to_string()
}

pub fn level(s: &str) -> Level {
    match s.trim() {
        "All" => Level::All,
        "My" => Level::My,
        // Blank, "—" and "N/A" are None, as every vendor says "leave all other levels at None".
        _ => Level::None,
    }
}

/// The text between `open` and the next `close` after it, if `open` is in `s`.
fn between<'a>(s: &'a str, open: &str, close: char) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}

fn list(s: &str) -> Vec<String> {
    s.split("; ").map(str::to_string).collect()
}

fn column(s: &str) -> Column {
    match s {
        "add" => Column::Add,
        "edit" => Column::Edit,
        "delete" => Column::Delete,
        "inquire" => Column::Inquire,
        other => panic!("not a column: {other}"),
    }
}

pub fn parse_table(text: &str) -> Vec<Row> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (name, rest) = line.split_once("  ").expect("two spaces before the levels");
            let (module, function) = name.split_once(" › ").expect("Module › Function");
            let cells: Vec<&str> = rest.split(" / ").collect();
            assert!(cells.len() >= 4, "four levels in {line:?}");
            let last = cells[3].split_whitespace().next().unwrap_or("");
            let setup_only = between(rest, "{setup only ", '}').map(|s| {
                let (columns, words) = s.split_once(": ").expect("columns: words");
                (columns.split(", ").map(column).collect(), words.to_string())
            });
            Row {
                module: canonical(module),
                function: canonical(function),
                levels: [
                    level(cells[0]),
                    level(cells[1]),
                    level(cells[2]),
                    level(last),
                ],
                allow: between(rest, "(customize allow: ", ')')
                    .map(list)
                    .unwrap_or_default(),
                deny: between(rest, "(customize deny: ", ')')
                    .map(list)
                    .unwrap_or_default(),
                vendor_note: between(rest, "[vendor: ", ']').map(str::to_string),
                setup_only,
            }
        })
        .collect()
}

pub fn shipped(id: &str) -> &'static Profile {
    profile::find(id).unwrap_or_else(|| panic!("profile {id} is not shipped"))
}

/// Compares shipped profile `id` with its transcription `table`: the same rows in the same
/// order, each with the vendor's levels and, where the vendor adds a note, that note in `why`.
/// `more` gets each (shipped row, transcribed row, "id row i (Module / Function)") for a
/// catalogue's own checks.
pub fn assert_rows_match(id: &str, table: &str, more: impl Fn(&RoleRow, &Row, &str)) {
    let expected = parse_table(table);
    let p = shipped(id);
    assert_eq!(
        p.role.rows.len(),
        expected.len(),
        "{id}: the profile has {} rows, the vendor's matrix {}",
        p.role.rows.len(),
        expected.len()
    );
    for (i, (row, want)) in p.role.rows.iter().zip(&expected).enumerate() {
        let at = format!("{id} row {i} ({} / {})", want.module, want.function);
        assert_eq!(
            (row.module.as_str(), row.function.as_str()),
            (want.module.as_str(), want.function.as_str()),
            "{at}"
        );
        assert_eq!(row.levels.into_array(), want.levels, "{at}: levels");
        if let Some(note) = &want.vendor_note {
            assert!(
                row.why.to_lowercase().contains(&note.to_lowercase()),
                "{at}: the vendor's note {note:?} is missing from why: {:?}",
                row.why
            );
        }
        more(row, want, &at);
    }
}
