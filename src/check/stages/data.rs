//! The data stage: what the member sees (the counts the vendor needs), and the agreement scan
//! that finds agreements whose parent the member cannot see (a hidden agreement type).

use std::collections::{BTreeSet, HashSet};

use crate::check::model::*;
use crate::check::plan::AGREEMENT_SCAN_LIMIT;
use crate::check::progress::Progress;
use crate::cw::CwError;
use crate::cw::models::{AgreementLite, LooseReference};

use super::{list_names, same_name};

/// Two agreement types are the same when their ids match, or (without ids) their names do.
fn same_type(a: &LooseReference, b: &LooseReference) -> bool {
    match (a.id, b.id) {
        (Some(x), Some(y)) => x == y,
        _ => match (&a.name, &b.name) {
            (Some(x), Some(y)) => same_name(x, y),
            _ => false,
        },
    }
}

/// What the agreement scan shows: `(problems, notes)`. A problem makes the data stage warn; a
/// note is only listed. `scan_complete` is false when the scan stopped at its limit with more
/// agreements left, so parents outside the scan may just not have been read: a warning that
/// says so (the technician accepts it or checks by hand), not a claim of hidden types.
fn agreement_findings(
    list: &[AgreementLite],
    scan_complete: bool,
    total: Option<u64>,
    types: &Result<Vec<LooseReference>, CwError>,
) -> (Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let visible: HashSet<i64> = list.iter().filter_map(|a| a.id).collect();
    let seen: Vec<&LooseReference> = list.iter().filter_map(|a| a.kind.as_ref()).collect();
    let seen_names: BTreeSet<String> = seen
        .iter()
        .filter_map(|t| t.name.as_deref())
        .map(|n| n.trim().to_string())
        .collect();
    let orphans: Vec<&AgreementLite> = list
        .iter()
        .filter(|a| {
            a.parent
                .as_ref()
                .and_then(|p| p.id)
                .is_some_and(|id| !visible.contains(&id))
        })
        .collect();
    if !orphans.is_empty() {
        let parents: BTreeSet<String> = orphans
            .iter()
            .filter_map(|a| a.parent.as_ref())
            .map(|p| {
                format!(
                    "{} (#{})",
                    p.name.as_deref().unwrap_or("unnamed"),
                    p.id.unwrap_or_default()
                )
            })
            .collect();
        let parents: Vec<String> = parents.into_iter().collect();
        let child_types: BTreeSet<String> = orphans
            .iter()
            .filter_map(|a| a.kind.as_ref()?.name.clone())
            .collect();
        let examples: Vec<String> = orphans
            .iter()
            .take(3)
            .map(|a| a.name.clone().unwrap_or_default())
            .collect();
        let open_a_parent = format!(
            "open a parent agreement (e.g. {}) in ConnectWise to see its type",
            list_names(&parents, 1)
        );
        // The parents' types: listed as agreement types, but carried by no visible agreement.
        let hidden_types = match types {
            Ok(listed) => {
                let hidden: Vec<String> = listed
                    .iter()
                    .filter(|t| !seen.iter().any(|s| same_type(s, t)))
                    .filter_map(|t| t.name.as_deref().map(|n| n.trim().to_string()))
                    .collect();
                match hidden.len() {
                    0 => format!(
                        "every type listed by finance/agreements/types has visible agreements, so the parents' type cannot be named here: {open_a_parent}"
                    ),
                    1 => format!(
                        "the hidden parent type is probably \"{}\" (an agreement type with no visible agreement)",
                        hidden[0]
                    ),
                    _ => format!(
                        "the hidden parent types are among: {} (agreement types with no visible agreement)",
                        hidden
                            .iter()
                            .map(|t| format!("\"{t}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            }
            Err(e) => format!(
                "the agreement types could not be listed ({}: finance/agreements/types needs System > Table Setup), so the parents' type cannot be named here: {open_a_parent}",
                e.label()
            ),
        };
        if scan_complete {
            problems.push(format!(
                "{} agreements (e.g. {}) of type {} have a parent agreement this member cannot see: {}. The parents' agreement type is not allowed for this role; {hidden_types}. In the role's Finance > Agreements row, customize the allowed agreement types to include every parent type",
                orphans.len(),
                examples.join(", "),
                child_types.into_iter().collect::<Vec<_>>().join(", "),
                list_names(&parents, 5),
            ));
        } else {
            let of = total.map_or(String::new(), |n| format!(" of {n}"));
            problems.push(format!(
                "{} of the {} agreements read point at parents outside them ({}); the scan stopped at {AGREEMENT_SCAN_LIMIT}{of} agreements, so those parents may simply not have been read — not a sign of hidden agreement types by itself. If agreements are missing in the vendor's portal, check the role's allowed agreement types ({hidden_types})",
                orphans.len(),
                list.len(),
                list_names(&parents, 3),
            ));
        }
    }
    if !seen_names.is_empty() {
        notes.push(format!(
            "agreement types seen: {}",
            seen_names.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    (problems, notes)
}

/// What the vendor will lack when the member sees none of a counted thing it needs.
fn empty_means(name: &str) -> &'static str {
    match name {
        "agreements" => {
            "the vendor will have no agreements to sync or bill against. If ConnectWise has agreements, the member's Level or the role's allowed agreement types (Finance > Agreements row) hide them"
        }
        "products" => {
            "the vendor will have no products to sync. If ConnectWise has products, the member's Level or location hides them"
        }
        "catalog items" => {
            "the vendor will find no catalog item to map its products to. Add the items to the product catalog (Procurement > Product Catalog), or check what hides them from the member"
        }
        _ => "the vendor will see none",
    }
}

/// The fix when the member sees no company: the member's Level and restrictions.
const ZERO_COMPANIES_FIX: &str = "The API member sees no company, so the vendor will sync nothing. In ConnectWise open System > Members > API Members > (the member): set its Level to Corporate (not a location or department level), and remove any location or department restriction (its Location and Department, and role rows limited to My location or My department). Save, then test again.";

/// Reports the counts and the agreement scan, and finishes the data stage.
pub(in crate::check) fn data_stage(
    counts: Vec<(&'static str, &'static str, Result<u64, CwError>)>,
    agreements: Option<Result<Vec<AgreementLite>, CwError>>,
    agreement_types: Result<Vec<LooseReference>, CwError>,
    progress: &mut Progress,
) {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut parts = Vec::new();
    let value = |endpoint: &str| {
        counts
            .iter()
            .find(|(e, _, _)| *e == endpoint)
            .and_then(|(_, _, r)| r.as_ref().ok().copied())
    };
    for (_, name, result) in &counts {
        // A count that failed is its row's probe: the permission row already says why.
        match result {
            Ok(n) => parts.push(format!("{n} {name}")),
            Err(_) => parts.push(format!("{name} not counted")),
        }
    }
    progress.report.counts = Counts {
        companies: value("company/companies"),
        agreements: value("finance/agreements"),
        products: value("procurement/products"),
        catalog: value("procurement/catalog"),
    };
    for (_, name, result) in &counts {
        if *name != "companies" && matches!(result, Ok(0)) {
            problems.push(format!("0 {name} visible: {}", empty_means(name)));
        }
    }
    match &agreements {
        Some(Ok(list)) => {
            let total = value("finance/agreements");
            let scan_complete =
                list.len() < AGREEMENT_SCAN_LIMIT || total == Some(list.len() as u64);
            let (p, n) = agreement_findings(list, scan_complete, total, &agreement_types);
            problems.extend(p);
            notes.extend(n);
        }
        Some(Err(e)) => problems.push(format!(
            "could not read the agreements to check their parents: {e}"
        )),
        None => {}
    }
    let summary = if parts.is_empty() {
        "nothing to count: the selected profiles read no companies, agreements or products"
            .to_string()
    } else {
        parts.join(", ")
    };
    progress
        .report
        .notes
        .extend(notes.into_iter().map(Tagged::from));
    if value("company/companies") == Some(0) {
        progress
            .report
            .warnings
            .extend(problems.iter().cloned().map(Tagged::from));
        progress.finish(
            StageId::Data,
            StageStatus::Fail,
            format!("{summary}: the API member sees no company"),
            Some(ZERO_COMPANIES_FIX.to_string()),
        );
    } else if problems.is_empty() {
        progress.finish(StageId::Data, StageStatus::Pass, summary, None);
    } else {
        progress
            .report
            .warnings
            .extend(problems.iter().cloned().map(Tagged::from));
        progress.finish(
            StageId::Data,
            StageStatus::Warn,
            format!(
                "{summary}; {}",
                plural(problems.len(), "warning", "warnings")
            ),
            Some(problems.join(" ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(id: i64, type_id: i64, type_name: &str, parent: Option<i64>) -> AgreementLite {
        AgreementLite {
            id: Some(id),
            name: Some(format!("Agreement {id}")),
            kind: Some(LooseReference {
                id: Some(type_id),
                name: Some(type_name.to_string()),
            }),
            parent: parent.map(|p| LooseReference {
                id: Some(p),
                name: Some(format!("Parent {p}")),
            }),
        }
    }

    fn types(names: &[(i64, &str)]) -> Result<Vec<LooseReference>, CwError> {
        Ok(names
            .iter()
            .map(|(id, name)| LooseReference {
                id: Some(*id),
                name: Some(name.to_string()),
            })
            .collect())
    }

    #[test]
    fn a_hidden_parent_type_is_named_from_the_type_list() {
        let list = vec![
            agreement(1, 2, "Microsoft 365", None),
            agreement(2, 2, "Microsoft 365", Some(99)),
        ];
        let (problems, _) = agreement_findings(
            &list,
            true,
            Some(2),
            &types(&[(1, "Managed Services"), (2, "Microsoft 365")]),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("\"Managed Services\""), "{problems:?}");
        assert!(problems[0].contains("Parent 99 (#99)"), "{problems:?}");
    }

    #[test]
    fn a_scan_stopped_at_its_limit_is_a_qualified_warning() {
        // Every agreement of the scan points at a parent after it: beyond the limit, not hidden.
        let list: Vec<AgreementLite> = (0..AGREEMENT_SCAN_LIMIT as i64)
            .map(|i| agreement(i + 1, 2, "Microsoft 365", Some(i + 10_000)))
            .collect();
        let scan_complete = list.len() < AGREEMENT_SCAN_LIMIT;
        let (problems, notes) = agreement_findings(
            &list,
            scan_complete,
            Some(12_000),
            &types(&[(2, "Microsoft 365")]),
        );
        assert!(
            notes.iter().all(|n| !n.contains("scan stopped")),
            "{notes:?}"
        );
        assert!(
            problems
                .iter()
                .any(|n| n.contains("scan stopped at 5000 of 12000")
                    && n.contains("not a sign of hidden agreement types")),
            "{problems:?}"
        );
    }

    #[test]
    fn unlistable_types_are_said_to_be_unnameable() {
        let list = vec![agreement(2, 2, "Microsoft 365", Some(99))];
        let forbidden = Err(CwError::Forbidden {
            endpoint: "finance/agreements/types".into(),
            code: None,
            message: None,
        });
        let (problems, _) = agreement_findings(&list, true, Some(1), &forbidden);
        assert!(
            problems[0].contains("agreement types could not be listed (no permission (403)"),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("open a parent agreement"),
            "{problems:?}"
        );
    }
}
