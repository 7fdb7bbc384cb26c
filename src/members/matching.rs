//! Which shipped vendor profile a role serves: its settings compared with each profile's rows.
//!
//! A profile "matches well" when the role grants most of the profile's rows (at least three in
//! four, at any level) and the two overlap enough that the profile explains the role (the rows
//! both have are more than three in five of the rows either has): a one-row profile does not
//! match a role that grants thirty functions, nor Sync 365 a role made for MSP360 that shares
//! six of its rows. When the member's identifier is the profile's Member ID (a member named
//! `S365` is most likely Sync 365's), half of the rows and an overlap of a quarter are enough, so
//! a role that drifted far is still named. Among the profiles that match well, one named by the
//! identifier wins, then the closest overlap, then the fewest missing rows, then the profile id.

use std::collections::HashMap;

use crate::cw::{SecurityRow, same_security_name};
use crate::permission::Levels;
use crate::profile::{Profile, RoleRow};

/// The share of a profile's rows the role must grant (at any level): 3 in 4, or 1 in 2 when the
/// identifier names the profile.
const COVERAGE: (usize, usize) = (3, 4);
const NAMED_COVERAGE: (usize, usize) = (1, 2);
/// The overlap between the role and the profile (rows both have / rows either has) must be over
/// 3 in 5, or at least 1 in 4 when the identifier names the profile.
const OVERLAP: (usize, usize) = (3, 5);
const NAMED_OVERLAP: (usize, usize) = (1, 4);

/// One profile compared with one role.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'p> {
    pub profile: &'p Profile,
    /// Required rows below need: ("Module / Function", what is short).
    pub missing: Vec<(String, String)>,
    /// Rows granted beyond what the profile needs: "Module / Function".
    pub extra: Vec<String>,
    /// The profile's rows, one per function.
    rows: usize,
    /// Profile rows the role grants at any level.
    granted: usize,
    /// Functions either grants (the profile's rows, plus the role's other granted functions).
    union: usize,
}

impl<'p> Comparison<'p> {
    /// A profile matched without reading the role's settings: nothing missing, `extra` named.
    pub fn unread(profile: &'p Profile, extra: &str) -> Comparison<'p> {
        Comparison {
            profile,
            missing: Vec::new(),
            extra: vec![extra.to_string()],
            rows: 0,
            granted: 0,
            union: 0,
        }
    }

    /// `granted / union` compared as a fraction, without floating point.
    fn overlap_key(&self) -> (usize, usize) {
        (self.granted, self.union.max(1))
    }

    /// `named`: the member's identifier is the profile's Member ID.
    fn matches_well(&self, named: bool) -> bool {
        let rows = self.rows;
        let (coverage, overlap) = if named {
            (NAMED_COVERAGE, NAMED_OVERLAP)
        } else {
            (COVERAGE, OVERLAP)
        };
        let covered = self.granted * coverage.1 >= rows * coverage.0;
        let overlaps = if named {
            self.granted * overlap.1 >= self.union * overlap.0
        } else {
            self.granted * overlap.1 > self.union * overlap.0
        };
        rows > 0 && covered && overlaps
    }
}

fn key(module: &str, function: &str) -> (String, String) {
    (module.trim().to_lowercase(), function.trim().to_lowercase())
}

fn label(module: &str, function: &str) -> String {
    format!("{} / {}", module.trim(), function.trim())
}

/// The profile's rows, one per function (the first of a name kept).
fn unique_rows(profile: &Profile) -> Vec<&RoleRow> {
    let mut seen = std::collections::HashSet::new();
    profile
        .role
        .rows
        .iter()
        .filter(|r| seen.insert(key(&r.module, &r.function)))
        .collect()
}

/// A setting row grants something: a level above None, or one cwsetup does not know.
fn grants(row: &SecurityRow) -> bool {
    !row.levels.is_none() || !row.unknown.is_empty()
}

/// What a row needs once the vendor's setup is done (setup-only levels lowered).
fn needed(row: &RoleRow) -> Levels {
    row.setup_only
        .as_ref()
        .map_or(row.levels, |setup| setup.after_setup(row.levels))
}

type Key = (String, String);

/// One role's settings by normalized name, and the rows that grant something: built once per
/// role, then compared with every profile.
struct RoleIndex<'s> {
    by_name: HashMap<Key, &'s SecurityRow>,
    /// The rows that grant something, each function once, with its key.
    granted: Vec<(Key, &'s SecurityRow)>,
}

impl<'s> RoleIndex<'s> {
    fn new(settings: &'s [SecurityRow]) -> RoleIndex<'s> {
        let mut by_name: HashMap<Key, &SecurityRow> = HashMap::new();
        let mut granted = Vec::new();
        for s in settings {
            let k = key(&s.module_name, &s.function_name);
            if by_name.contains_key(&k) {
                continue;
            }
            if grants(s) {
                granted.push((k.clone(), s));
            }
            by_name.insert(k, s);
        }
        RoleIndex { by_name, granted }
    }
}

/// What is short on a required row, or `None` when the setting covers the need.
fn shortfall(setting: Option<&SecurityRow>, need: &Levels) -> Option<String> {
    if need.is_none() {
        return None;
    }
    match setting {
        None => Some(format!("not in the role; needs {}", need.describe())),
        Some(s) if !grants(s) => Some(format!("None; needs {}", need.describe())),
        Some(s) => {
            let short: Vec<String> = s.shortfalls(need).map(|x| x.to_string()).collect();
            (!short.is_empty()).then(|| short.join("; "))
        }
    }
}

/// `settings` (one role's rows) compared with `profile`.
pub fn compare<'p>(settings: &[SecurityRow], profile: &'p Profile) -> Comparison<'p> {
    compare_indexed(&RoleIndex::new(settings), profile)
}

fn compare_indexed<'p>(index: &RoleIndex, profile: &'p Profile) -> Comparison<'p> {
    let rows = unique_rows(profile);
    let wanted: HashMap<Key, &RoleRow> = rows
        .iter()
        .map(|r| (key(&r.module, &r.function), *r))
        .collect();
    let mut missing = Vec::new();
    let mut granted = 0;
    for k in wanted.keys() {
        let setting = index.by_name.get(k).copied();
        if setting.is_some_and(grants) {
            granted += 1;
        }
    }
    for row in rows.iter().filter(|r| !r.optional) {
        let setting = index.by_name.get(&key(&row.module, &row.function)).copied();
        if let Some(short) = shortfall(setting, &needed(row)) {
            missing.push((label(&row.module, &row.function), short));
        }
    }
    let mut extra = Vec::new();
    let mut others = 0;
    for (k, s) in &index.granted {
        let want = wanted.get(k);
        let beyond = match want {
            Some(w) => !w.levels.covers(&s.levels),
            None => true,
        };
        if beyond {
            extra.push(label(&s.module_name, &s.function_name));
        }
        if want.is_none() {
            others += 1;
        }
    }
    Comparison {
        profile,
        rows: rows.len(),
        missing,
        extra,
        granted,
        union: rows.len() + others,
    }
}

/// `settings` compared with every profile: done once per role, whatever number of members
/// share it ([`pick`] then chooses per member).
pub fn compare_all<'p>(settings: &[SecurityRow], profiles: &[&'p Profile]) -> Vec<Comparison<'p>> {
    let index = RoleIndex::new(settings);
    profiles
        .iter()
        .map(|p| compare_indexed(&index, p))
        .collect()
}

/// The comparison that matches best for a member called `identifier`, or `None` when none
/// matches well (see the module documentation).
pub fn pick<'a, 'p>(
    comparisons: &'a [Comparison<'p>],
    identifier: &str,
) -> Option<&'a Comparison<'p>> {
    let named = |c: &Comparison| same_security_name(&c.profile.member.member_id, identifier);
    comparisons
        .iter()
        .filter(|c| c.matches_well(named(c)))
        .max_by(|a, b| {
            let (ag, au) = a.overlap_key();
            let (bg, bu) = b.overlap_key();
            named(a)
                .cmp(&named(b))
                .then((ag * bu).cmp(&(bg * au)))
                .then(b.missing.len().cmp(&a.missing.len()))
                .then(b.profile.id.cmp(&a.profile.id))
        })
}

/// The profile `settings` match best for a member called `identifier` ([`compare_all`], then
/// [`pick`]).
pub fn best<'p>(
    settings: &[SecurityRow],
    identifier: &str,
    profiles: &[&'p Profile],
) -> Option<Comparison<'p>> {
    pick(&compare_all(settings, profiles), identifier).cloned()
}

/// The profile whose Member ID is `identifier`: how an Admin role's member is matched (an
/// Admin role grants everything, so its settings say nothing of its purpose).
pub fn by_identifier<'p>(identifier: &str, profiles: &[&'p Profile]) -> Option<&'p Profile> {
    profiles
        .iter()
        .find(|p| same_security_name(&p.member.member_id, identifier))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::Level;
    use crate::profile::{builtin, find};

    fn rows_of(profile: &Profile) -> Vec<SecurityRow> {
        profile
            .role
            .rows
            .iter()
            .map(|r| SecurityRow {
                module_name: r.module.clone(),
                function_name: r.function.clone(),
                levels: r.levels,
                unknown: Vec::new(),
            })
            .collect()
    }

    fn row(module: &str, function: &str, levels: Levels) -> SecurityRow {
        SecurityRow {
            module_name: module.into(),
            function_name: function.into(),
            levels,
            unknown: Vec::new(),
        }
    }

    fn all() -> Vec<&'static Profile> {
        builtin().iter().collect()
    }

    #[test]
    fn a_role_with_exactly_a_profiles_rows_matches_it_with_nothing_missing_or_extra() {
        for profile in builtin() {
            let settings = rows_of(profile);
            let best = best(&settings, &profile.member.member_id, &all()).expect("a match");
            assert_eq!(best.profile.member.member_id, profile.member.member_id);
            // Profiles with the same rows (SmileBack and HeyHappy) tie; the identifier decides.
            assert_eq!(best.profile.id, profile.id, "{}", profile.id);
            assert!(
                best.missing.is_empty(),
                "{}: {:?}",
                profile.id,
                best.missing
            );
            assert!(best.extra.is_empty(), "{}: {:?}", profile.id, best.extra);
        }
    }

    #[test]
    fn a_small_drift_still_matches_and_names_what_is_missing_and_extra() {
        let ninja = find("ninjaone").expect("shipped");
        let mut settings = rows_of(ninja);
        settings.retain(|r| r.function_name != "Contacts");
        settings.push(row("Finance", "Invoicing", Levels::uniform(Level::All)));
        let best = best(&settings, "SomeOtherName", &all()).expect("a match");
        assert_eq!(best.profile.id, "ninjaone");
        assert_eq!(best.missing.len(), 1, "{:?}", best.missing);
        assert_eq!(best.missing[0].0, "Companies / Contacts");
        assert!(best.missing[0].1.contains("not in the role"));
        assert_eq!(best.extra, ["Finance / Invoicing"]);
    }

    #[test]
    fn a_broad_role_matches_no_small_profile_and_an_empty_one_matches_nothing() {
        // A technician-like role: read on many modules, matching nothing shipped.
        let mut settings = Vec::new();
        for (m, f) in crate::sim::admin::all_functions() {
            settings.push(row(
                &m,
                &f,
                Levels::new(Level::My, Level::My, Level::None, Level::All),
            ));
        }
        assert_eq!(best(&settings, "TECH", &all()), None);
        assert_eq!(best(&[], "S365", &all()), None);
        let nothing = vec![row("Companies", "Contacts", Levels::NONE)];
        assert_eq!(best(&nothing, "S365", &all()), None);
    }

    #[test]
    fn an_identifier_decides_between_profiles_that_both_match_well() {
        let smileback = find("smileback").expect("shipped");
        let settings = rows_of(smileback);
        let heyhappy = find("heyhappy").expect("shipped");
        let by_name = best(&settings, &heyhappy.member.member_id, &all()).expect("a match");
        assert_eq!(by_name.profile.id, "heyhappy");
        assert_eq!(
            by_identifier("s365", &all()).map(|p| p.id.as_str()),
            Some("sync365")
        );
    }

    #[test]
    fn a_row_below_need_is_missing_with_what_is_short() {
        let sync = find("sync365").expect("shipped");
        let mut settings = rows_of(sync);
        for s in &mut settings {
            if s.function_name == "Contacts" {
                s.levels = Levels::inquire_only(Level::All);
            }
        }
        let c = compare(&settings, sync);
        assert_eq!(c.missing.len(), 1);
        assert!(
            c.missing[0].1.contains("Add level is None, needs All"),
            "{:?}",
            c.missing
        );
        assert!(c.matches_well(false));
    }

    #[test]
    fn a_role_made_for_another_vendor_does_not_match_a_profile_sharing_some_rows() {
        // MSP360's role grants 6 of Sync 365's 8 rows, and 4 others.
        let msp360 = rows_of(find("msp360").expect("shipped"));
        let sync = find("sync365").expect("shipped");
        assert_eq!(best(&msp360, "MSP360API", &[sync]), None);
        // Named S365, the same role is taken as Sync 365's, drifted: 2 rows absent, 2 below need.
        let named = best(&msp360, "S365", &[sync]).expect("named");
        assert_eq!(named.missing.len(), 4, "{:?}", named.missing);
    }
}
