//! Merging any combination of the shipped profiles (up to all 34): the result does not depend on
//! the order, merging a profile twice changes nothing, each module's rows stand together, every
//! level is the highest asked for, and every row keeps each vendor's reason. A table one tool
//! must reach stays reachable (allowed, or not on a deny-list), and a level stays after setup
//! while any tool needs it then.

use std::collections::BTreeMap;

use cwsetup::profile::{self, Level, MergedRole, Profile, merge, product_label};
use proptest::prelude::*;

type Summary = BTreeMap<
    (String, String),
    (
        [Level; 4],
        Vec<String>,
        Vec<String>,
        Option<Vec<String>>,
        Option<[Level; 4]>,
    ),
>;

/// The role without its order: per row, levels, sorted customize list, sorted reasons.
fn summary(role: &MergedRole) -> Summary {
    role.rows
        .iter()
        .map(|r| {
            let mut customize = r.customize.clone();
            customize.sort();
            let mut why = r.why.clone();
            why.sort();
            let deny = r.customize_deny.clone().map(|mut d| {
                d.sort();
                d
            });
            let after = r.setup_only.as_ref().map(|s| s.after_setup.into_array());
            (
                (r.module.to_lowercase(), r.function.to_lowercase()),
                (r.levels.into_array(), customize, why, deny, after),
            )
        })
        .collect()
}

fn selection() -> impl Strategy<Value = Vec<&'static Profile>> {
    let all: Vec<&'static Profile> = profile::builtin().iter().collect();
    proptest::sample::subsequence(all.clone(), 1..=all.len()).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn merge_does_not_depend_on_order(profiles in selection()) {
        let mut reversed = profiles.clone();
        reversed.reverse();
        prop_assert_eq!(summary(&merge(&profiles)), summary(&merge(&reversed)));
    }

    #[test]
    fn merging_a_profile_twice_changes_nothing(profiles in selection()) {
        let once = merge(&profiles);
        let mut twice = profiles.clone();
        twice.extend(profiles.iter().copied());
        let twice = merge(&twice);
        prop_assert_eq!(summary(&once), summary(&twice));
    }

    #[test]
    fn rows_stand_by_module_take_the_highest_level_and_keep_every_reason(profiles in selection()) {
        let role = merge(&profiles);
        // Each module's rows are contiguous.
        let mut seen: Vec<String> = Vec::new();
        for row in &role.rows {
            let module = row.module.to_lowercase();
            if seen.last() != Some(&module) {
                prop_assert!(!seen.contains(&module), "{} is split", row.module);
                seen.push(module);
            }
        }
        for p in &profiles {
            let label = product_label(p);
            for row in &p.role.rows {
                let merged = role.rows.iter().find(|m| {
                    m.module.eq_ignore_ascii_case(row.module.trim())
                        && m.function.eq_ignore_ascii_case(row.function.trim())
                });
                prop_assert!(merged.is_some());
                let merged = merged.unwrap();
                let [a, e, d, i] = merged.levels.into_array();
                prop_assert!(a >= row.levels.add && e >= row.levels.edit && d >= row.levels.delete && i >= row.levels.inquire);
                prop_assert!(merged.why.iter().any(|w| w.starts_with(&format!("{label}: "))),
                    "{} lost {}'s reason", merged.function, label);
                for c in &row.customize {
                    match &merged.customize_deny {
                        None => prop_assert!(merged.customize.contains(c)),
                        Some(deny) => prop_assert!(!deny.contains(c), "{} denied", c),
                    }
                }
                if !row.customize_deny.is_empty() {
                    let deny = merged.customize_deny.as_ref();
                    prop_assert!(deny.is_some(), "{}'s deny-list became an allow-list", label);
                    prop_assert!(merged.customize.is_empty());
                    for d in deny.unwrap() {
                        prop_assert!(row.customize_deny.contains(d));
                    }
                }
                let after = merged.setup_only.as_ref().map_or(merged.levels, |s| s.after_setup);
                prop_assert!(after.covers(&row.after_setup()), "{} lowered below {}'s need", merged.function, label);
            }
        }
    }
}

#[test]
fn all_thirty_four_merge_into_one_role() {
    let all: Vec<&Profile> = profile::builtin().iter().collect();
    let role = merge(&all);
    assert_eq!(role.sources.len(), 34);
    let service_tickets = role
        .rows
        .iter()
        .find(|r| r.function == "Service Tickets")
        .expect("Service Tickets");
    assert_eq!(service_tickets.levels.into_array(), [Level::All; 4]);
    assert!(service_tickets.why.len() >= 10, "{:?}", service_tickets.why);
}
