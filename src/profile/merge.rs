//! One security role for one API member that serves several tools.
//!
//! Per (module, function) each level is the highest any profile asks for (`None < My < All`),
//! customize lists are united, and every profile's reason is kept.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::model::{AdminAdvice, Profile, RoleRow, row_key};
use super::scope::{MergedSetupOnly, ScopeMerge};
use crate::limits::ROLE_NAME;
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
    /// The first of `notes` when the merged name had to be shortened: why the new role is named
    /// so. A plan that creates no role (an existing member's) leaves it unsaid.
    pub name_note: Option<String>,
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
    /// For an optional row, what stops working without it, in each vendor's words and followed
    /// by its product ("required for creating activities (Visionary 360 Email reConnector)").
    /// Empty for a required row.
    pub optional_because: Vec<String>,
    /// Each profile's reason, prefixed with its product ("Sync 365 License: ...").
    pub why: Vec<String>,
    /// United customize lists, first-seen order.
    pub customize: Vec<String>,
    /// The endpoint that proves Inquire access (the first profile's that has one).
    pub probe: Option<String>,
    /// A Customize deny-list: `Some` when a profile says "allow every table except these"
    /// (NinjaOne's Table Setup); `customize` is then empty. Tables another tool lists as needed
    /// are not in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customize_deny: Option<Vec<String>>,
    /// Levels only needed while a vendor's setup runs: lower them once it is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setup_only: Option<MergedSetupOnly>,
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
    /// The notes for a role that already exists: its name is not ours to choose.
    pub fn notes_for_an_existing_role(&self) -> impl Iterator<Item = &String> {
        self.notes
            .iter()
            .filter(|n| self.name_note.as_ref() != Some(*n))
    }

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
            optional_because: row
                .optional_reason()
                .map(|r| because(label, r))
                .into_iter()
                .collect(),
            why: vec![format!("{label}: {}", row.why.trim())],
            customize: Vec::new(),
            probe: row.probe.clone(),
            customize_deny: None,
            setup_only: None,
        };
        merged.unite_customize(&row.customize);
        merged
    }

    fn absorb(&mut self, label: &str, row: &RoleRow) {
        self.levels = self.levels.union(row.levels);
        self.optional = self.optional && row.optional;
        if self.optional {
            if let Some(reason) = row.optional_reason() {
                let reason = because(label, reason);
                if !self.optional_because.contains(&reason) {
                    self.optional_because.push(reason);
                }
            }
        } else {
            // Required by one tool: what the others would lose does not apply.
            self.optional_because.clear();
        }
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

/// An optional row's reason as shown: "required for creating activities (Visionary 360 Email
/// reConnector)", so that it reads aloud after the row's name.
fn because(label: &str, reason: &str) -> String {
    format!("{reason} ({label})")
}

impl MergedRow {
    /// The row's Customize in one phrase, as every screen shows it: "allow A, B", or for a
    /// deny-list "allow every table except A, B (move only those to \"Disallow access to
    /// these\")". `None` when the row has no Customize.
    pub fn customize_phrase(&self) -> Option<String> {
        match self.customize_deny.as_deref() {
            Some([]) => Some("allow every table (the tools together need them all)".to_string()),
            Some(tables) => Some(format!(
                "deny-list: allow every table except {} (move only those to \"Disallow access to these\")",
                tables.join(", ")
            )),
            None if self.customize.is_empty() => None,
            None => Some(format!("allow {}", self.customize.join(", "))),
        }
    }

    /// "once the vendor's setup is done, lower Add All → None (ChatStyle: ...)"; `None` when no
    /// level of the row is setup-only.
    pub fn setup_phrase(&self) -> Option<String> {
        let setup = self.setup_only.as_ref()?;
        Some(format!(
            "once the vendor's setup is done, lower {} ({})",
            setup.describe(&self.levels),
            setup.why.join(" ")
        ))
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
    // Beside each row: its setup-only levels and Customize deny-lists, combined at the end.
    let mut scopes: Vec<ScopeMerge> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
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
                Some(&at) => {
                    rows[at].absorb(&label, row);
                    scopes[at].absorb(&label, row);
                }
                None => {
                    index.insert(key, rows.len());
                    rows.push(MergedRow::from_row(&label, row));
                    let mut scope = ScopeMerge::default();
                    scope.absorb(&label, row);
                    scopes.push(scope);
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
        admin = admin.max(profile.role.admin);
        sources.push(ProfileSource {
            id: profile.id.clone(),
            label,
            docs_url: profile.docs_url.clone(),
            rows: profile.role.rows.len(),
        });
    }

    for (row, scope) in rows.iter_mut().zip(scopes) {
        let (setup_only, deny, deny_mode) = scope.finish(row.levels);
        row.setup_only = setup_only;
        row.customize_deny = deny;
        if deny_mode {
            row.customize.clear();
        }
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

    let (role_name, name_note) = role_name(profiles);
    if let Some(note) = &name_note {
        notes.insert(0, note.clone());
    }

    MergedRole {
        profiles: profiles.iter().map(|p| p.id.clone()).collect(),
        role_name,
        admin,
        rows,
        notes,
        name_note,
        sources,
    }
}

/// A tool's short name in a merged role's name: its member ID without a trailing "API"
/// ("S365", "V360", "Hudu"). Vendors chose these IDs to name their tool in 15 characters.
fn short_tag(profile: &Profile) -> String {
    let id = profile.member.member_id.trim();
    let stripped = id
        .len()
        .checked_sub(3)
        .filter(|&at| id.is_char_boundary(at) && id[at..].eq_ignore_ascii_case("api"))
        .map(|at| id[..at].trim_end_matches([' ', '-', '_']))
        .filter(|rest| !rest.is_empty());
    stripped.unwrap_or(id).to_string()
}

/// The merged role's name, always within ConnectWise's 30 characters, and the note that
/// explains a shortened one. Deterministic, first that fits:
/// 1. the tools' own role names, joined: "Hudu API + ImmyBot API";
/// 2. their short tags: "S365 + V360 API", then "S365+V360+Hudu+ImmyBot API";
/// 3. as many tags as fit, then how many more: "S365+V360+Hudu+5 more API".
///
/// One profile keeps its own name (`profiles validate` holds it to the limit); a longer one
/// from an unchecked source is cut, never proposed as it is.
fn role_name(profiles: &[&Profile]) -> (String, Option<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    for profile in profiles {
        let name = profile.role.recommended_name.trim().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
        let tag = short_tag(profile);
        if !tags.iter().any(|(t, _)| t.eq_ignore_ascii_case(&tag)) {
            tags.push((tag, product_label(profile)));
        }
    }
    let joined = names.join(" + ");
    if names.len() <= 1 || ROLE_NAME.fits(&joined) {
        return (cut_to_limit(&joined), None);
    }
    let tag_list: Vec<&str> = tags.iter().map(|(t, _)| t.as_str()).collect();
    let mut candidates = vec![
        format!("{} API", tag_list.join(" + ")),
        format!("{} API", tag_list.join("+")),
    ];
    for shown in (1..tag_list.len()).rev() {
        let more = tag_list.len() - shown;
        candidates.push(format!("{}+{more} more API", tag_list[..shown].join("+")));
    }
    let name = candidates
        .into_iter()
        .find(|c| ROLE_NAME.fits(c))
        .unwrap_or_else(|| cut_to_limit(&format!("{} API", tag_list.join("+"))));
    let legend = tags
        .iter()
        .map(|(tag, label)| format!("{tag} is {label}"))
        .collect::<Vec<_>>()
        .join(", ");
    let note = format!(
        "Role name \"{name}\": ConnectWise accepts at most {} characters in a role name, so it is made from each tool's member ID ({legend}).",
        ROLE_NAME.max
    );
    (name, Some(note))
}

/// `name` cut to ConnectWise's limit, at a character boundary, without trailing blanks.
fn cut_to_limit(name: &str) -> String {
    name.chars()
        .take(ROLE_NAME.max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// A vendor's note as it reads for a role that already exists: its functions outside the list
/// keep what they have (the role may serve other tools), not None as on a new role. The wizard's
/// notes and the admin handoff both read notes through it under "I already have an API member".
pub fn for_an_existing_role(note: &str) -> String {
    note.replace(
        "every function not listed stays None",
        "every function not listed keeps the level your role already has (it may serve other tools)",
    )
}
