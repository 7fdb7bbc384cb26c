//! One security role for one API member that serves several tools.
//!
//! Per (module, function) each level is the highest any profile asks for (`None < My < All`),
//! customize lists are united, and every profile's reason is kept.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::load::row_key;
use super::model::{AdminAdvice, Profile, RoleRow};
use crate::permission::Levels;

/// The role to create in ConnectWise for the selected profiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedRole {
    /// The profile ids, in the order given.
    pub profiles: Vec<String>,
    pub role_name: String,
    /// The strictest advice: `Discouraged` when any profile discourages the built-in Admin role,
    /// `Unstated` when any profile's vendor does not say.
    pub admin: AdminAdvice,
    /// Rows in order of first appearance (profile order, then row order).
    pub rows: Vec<MergedRow>,
    /// The profiles' role notes, without duplicates; prefixed with the product when several.
    pub notes: Vec<String>,
    /// Who contributed, and who shipped no rows (their vendor publishes them elsewhere).
    pub sources: Vec<ProfileSource>,
}

/// One function of the merged role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedRow {
    pub module: String,
    pub function: String,
    /// Per column, the highest level any profile asks for.
    #[serde(flatten)]
    pub levels: Levels,
    /// Optional only when every profile that lists the row marks it optional.
    pub optional: bool,
    /// Each profile's reason, prefixed with its product ("Sync 365 License: ...").
    pub why: Vec<String>,
    /// United customize lists, first-seen order.
    pub customize: Vec<String>,
    /// The endpoint that proves Inquire access (the first profile's that has one).
    pub probe: Option<String>,
}

/// A profile that went into a [`MergedRole`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSource {
    pub id: String,
    /// How the product is named in reasons and notes, e.g. "Visionary 360 Email reConnector".
    pub label: String,
    pub docs_url: String,
    /// How many rows the profile lists; 0 means the rows must still be added.
    pub rows: usize,
}

impl MergedRole {
    /// Profiles whose rows must still be added (their vendor publishes them on its own page).
    pub fn sources_without_rows(&self) -> impl Iterator<Item = &ProfileSource> {
        self.sources.iter().filter(|s| s.rows == 0)
    }
}

impl MergedRow {
    fn from_row(label: &str, row: &RoleRow) -> Self {
        let mut merged = MergedRow {
            module: row.module.trim().to_string(),
            function: row.function.trim().to_string(),
            levels: row.levels,
            optional: row.optional,
            why: vec![format!("{label}: {}", row.why.trim())],
            customize: Vec::new(),
            probe: row.probe.clone(),
        };
        merged.unite_customize(&row.customize);
        merged
    }

    fn absorb(&mut self, label: &str, row: &RoleRow) {
        self.levels = self.levels.union(row.levels);
        self.optional = self.optional && row.optional;
        let why = format!("{label}: {}", row.why.trim());
        if !self.why.contains(&why) {
            self.why.push(why);
        }
        self.unite_customize(&row.customize);
        if self.probe.is_none() {
            self.probe = row.probe.clone();
        }
    }

    fn unite_customize(&mut self, items: &[String]) {
        let mut seen: HashSet<String> = self.customize.iter().map(|c| row_key(c)).collect();
        for item in items {
            let item = item.trim();
            if seen.insert(row_key(item)) {
                self.customize.push(item.to_string());
            }
        }
    }
}

/// The product as named in reasons and notes: "Sync 365 License", "Visionary 360 Email reConnector".
pub fn product_label(profile: &Profile) -> String {
    let vendor = profile.vendor.trim();
    let product = profile.product.trim();
    if product.to_lowercase().starts_with(&vendor.to_lowercase()) {
        product.to_string()
    } else {
        format!("{vendor} {product}")
    }
}

/// Merges the roles of `profiles` into one. An empty slice gives an empty role with no name.
pub fn merge(profiles: &[&Profile]) -> MergedRole {
    let several = profiles.len() > 1;
    let mut rows: Vec<MergedRow> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut sources = Vec::with_capacity(profiles.len());
    let mut admin = AdminAdvice::Acceptable;

    // Each row's place in `rows`, by its normalized (module, function): one lookup per row, so
    // thousands of rows merge in linear time (a search of `rows` for each was quadratic).
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for profile in profiles {
        let label = product_label(profile);
        for row in &profile.role.rows {
            let key = (row_key(&row.module), row_key(&row.function));
            match index.get(&key) {
                Some(&at) => rows[at].absorb(&label, row),
                None => {
                    index.insert(key, rows.len());
                    rows.push(MergedRow::from_row(&label, row));
                }
            }
        }
        for note in &profile.role.notes {
            let note = if several {
                format!("{label}: {}", note.trim())
            } else {
                note.trim().to_string()
            };
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        let name = profile.role.recommended_name.trim().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
        admin = admin.max(profile.role.admin);
        sources.push(ProfileSource {
            id: profile.id.clone(),
            label,
            docs_url: profile.docs_url.clone(),
            rows: profile.role.rows.len(),
        });
    }

    // Rows of one module stand together, as on ConnectWise's role screen, in the order each
    // module first appears; a second profile's (or an added) Companies row joins Companies.
    let mut modules: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let next = modules.len();
        modules.entry(row_key(&row.module)).or_insert(next);
    }
    // A stable sort: within a module, rows keep their order.
    rows.sort_by_cached_key(|row| modules.get(&row_key(&row.module)).copied());

    MergedRole {
        profiles: profiles.iter().map(|p| p.id.clone()).collect(),
        role_name: names.join(" + "),
        admin,
        rows,
        notes,
        sources,
    }
}
