//! The permissions stage: each row the profiles need, judged from its one probe and the
//! member's own levels (system/mySecurity). A row the role lacks fails; a call that failed for
//! another reason means the check could not be completed; a row no read-only call can prove is
//! left to check by hand, never passed.

use crate::check::model::*;
use crate::check::progress::Progress;
use crate::cw::{CwError, SecurityRow};
use crate::permission::Levels;
use crate::profile::MergedRow;

use super::{list_names, same_name};

/// The levels of `row` that `actual` does not reach, e.g. ["Add level is None, needs All"].
/// A level ConnectWise spelled in a way cwsetup does not know is left to [`unknown_levels`].
fn missing_levels(row: &MergedRow, actual: &SecurityRow) -> Vec<String> {
    actual
        .shortfalls(&row.levels)
        .map(|s| s.to_string())
        .collect()
}

/// The levels `row` needs that mySecurity gave in a form cwsetup does not know.
fn unknown_levels(row: &MergedRow, actual: &SecurityRow) -> Vec<String> {
    actual
        .unknown_needed(&row.levels)
        .map(|u| u.to_string())
        .collect()
}

/// A probe error that says nothing about the role: only a 404 (the endpoint is not on this
/// version). Timeouts, lost connections, 429 and 5xx mean the check could not be completed.
fn probe_inconclusive(e: &CwError) -> bool {
    matches!(e, CwError::NotFound { .. })
}

/// A mySecurity error that only means "cannot be read by this member" (so rows stay unverified).
fn security_unreadable(e: &CwError) -> bool {
    matches!(e, CwError::Forbidden { .. } | CwError::NotFound { .. })
}

/// One row's verdict: its status, the detail shown, and the failed call behind it when the
/// verdict is a failure to check.
type Verdict = (PermissionStatus, String, Option<CwError>);

/// One row's verdict, and the failed call behind it when the verdict is a failure to check.
/// `gap` is the table its Customize list leaves out, when [`customize_gap`] found one.
fn judge_row(
    row: &MergedRow,
    probe: &Option<Result<(), CwError>>,
    security: Option<&[SecurityRow]>,
    gap: Option<&str>,
) -> Verdict {
    let place = format!(
        "System > Security Roles > (the member's role) > {} > {}",
        row.module, row.function
    );
    let endpoint = row.probe.as_deref().unwrap_or("");
    // None: mySecurity not readable. Some(None): readable, but the row is not in it.
    let actual = security.map(|rows| find_row(Some(rows), row));
    if let Some(Err(e @ CwError::Forbidden { .. })) = probe {
        return refused_probe(row, e, actual.flatten(), gap, &place);
    }
    if let Some(Some(actual)) = actual
        && let Some(verdict) = levels_short(row, actual, &place)
    {
        return verdict;
    }
    if let Some(Err(e)) = probe
        && !probe_inconclusive(e)
    {
        return (
            PermissionStatus::Fail,
            format!("GET {endpoint} could not be checked: {e} — {}", e.fix()),
            Some(e.clone()),
        );
    }
    let probe_note = match probe {
        Some(Ok(())) => format!("GET {endpoint} answered"),
        Some(Err(e)) => format!("the probe GET {endpoint} did not answer: {e}"),
        None => String::new(),
    };
    match actual {
        Some(None) => {
            let what = if probe_note.is_empty() {
                String::new()
            } else {
                format!(" ({probe_note})")
            };
            (
                PermissionStatus::Unverified,
                format!("row not found in system/mySecurity{what} — check by hand in {place}"),
                None,
            )
        }
        Some(Some(actual)) => judge_by_levels(row, actual, probe, &probe_note, &place),
        None => judge_by_probe(row, probe, &probe_note, endpoint, &place),
    }
}

/// `row` as mySecurity lists it, if it was read and lists it.
fn find_row<'a>(security: Option<&'a [SecurityRow]>, row: &MergedRow) -> Option<&'a SecurityRow> {
    security?.iter().find(|r| {
        same_name(&r.module_name, &row.module) && same_name(&r.function_name, &row.function)
    })
}

/// The verdict on a row whose probe ConnectWise refused (403). mySecurity decides why: a level
/// below the need is the level's fix; a level already enough on a Customize-able function means
/// its Customize list leaves the probed table out, which raising the level would never fix.
fn refused_probe(
    row: &MergedRow,
    e: &CwError,
    actual: Option<&SecurityRow>,
    gap: Option<&str>,
    place: &str,
) -> Verdict {
    if let Some(actual) = actual {
        if let Some(verdict) = levels_short(row, actual, place) {
            return verdict;
        }
        if let Some(table) = gap {
            return (
                PermissionStatus::Fail,
                format!(
                    "the level is right (system/mySecurity shows it), but ConnectWise refused GET {}: the role's Customize list for {} leaves out {table} — in {place}, click Customize and allow {table}, then save the role",
                    row.probe.as_deref().unwrap_or(""),
                    row.function
                ),
                None,
            );
        }
        return (
            PermissionStatus::Fail,
            format!(
                "{e} — system/mySecurity shows the levels needed, yet the call was refused: open {place}, save the row again, and test again"
            ),
            None,
        );
    }
    (
        PermissionStatus::Fail,
        format!("{e} — set Inquire to {} in {place}", row.levels.inquire),
        None,
    )
}

/// The table a Customize list leaves out, quoted, when `row` is Table Setup (or names a Customize
/// list), its probe was refused and mySecurity shows its levels reached: the cause is the list.
fn customize_gap(row: &MergedRow, actual: Option<&SecurityRow>) -> Option<String> {
    let endpoint = row.probe.as_deref()?;
    let customizable = same_name(&row.function, "Table Setup") || !row.customize.is_empty();
    let level_enough = actual.is_some_and(|a| missing_levels(row, a).is_empty());
    (customizable && level_enough).then(|| {
        crate::profile::setup_table_of(endpoint).map_or_else(
            || format!("the table GET {endpoint} reads"),
            |table| format!("\"{table}\""),
        )
    })
}

/// The verdict when mySecurity shows levels below what the row needs; `None` when they reach it.
fn levels_short(row: &MergedRow, actual: &SecurityRow, place: &str) -> Option<Verdict> {
    let missing = missing_levels(row, actual);
    if missing.is_empty() {
        return None;
    }
    // A level only the vendor's setup needs may already be lowered, as the vendor says:
    // the technician knows whether that setup has run, so it is theirs to confirm.
    let after_setup = row.setup_only.as_ref().map(|setup| setup.after_setup);
    let missing_after_setup = after_setup.map(|needed| {
        actual
            .shortfalls(&needed)
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    });
    if missing_after_setup.as_ref().is_some_and(Vec::is_empty) {
        return Some((
            PermissionStatus::Unverified,
            format!(
                "{} — needed only while the vendor's setup runs: raise it in {place} if that setup has not run yet ({})",
                missing.join("; "),
                row.setup_only
                    .as_ref()
                    .map(|s| s.why.join(" "))
                    .unwrap_or_default()
            ),
            None,
        ));
    }
    Some((
        PermissionStatus::Fail,
        format!("{} — change it in {place}", missing.join("; ")),
        None,
    ))
}

/// mySecurity shows the row at the levels needed: a pass, unless a level is spelled in a way
/// cwsetup does not know.
fn judge_by_levels(
    row: &MergedRow,
    actual: &SecurityRow,
    probe: &Option<Result<(), CwError>>,
    probe_note: &str,
    place: &str,
) -> Verdict {
    let unknown = unknown_levels(row, actual);
    if !unknown.is_empty() {
        return (
            PermissionStatus::Unverified,
            format!(
                "system/mySecurity reports a level cwsetup does not know: {} — check by hand in {place}",
                unknown.join("; ")
            ),
            None,
        );
    }
    let detail = match probe {
        None => "levels confirmed by system/mySecurity".to_string(),
        Some(Ok(())) => {
            format!("levels confirmed by system/mySecurity; {probe_note}")
        }
        Some(Err(_)) => format!("levels confirmed by system/mySecurity ({probe_note})"),
    };
    (PermissionStatus::Pass, detail, None)
}

/// mySecurity is not readable: only the probe speaks, and it proves Inquire alone.
fn judge_by_probe(
    row: &MergedRow,
    probe: &Option<Result<(), CwError>>,
    probe_note: &str,
    endpoint: &str,
    place: &str,
) -> Verdict {
    match probe {
        Some(Ok(())) if row.levels == Levels::inquire_only(row.levels.inquire) => (
            PermissionStatus::Pass,
            format!("{probe_note}: Inquire works"),
            None,
        ),
        Some(Ok(())) => (
            PermissionStatus::Unverified,
            format!(
                "Inquire proved by GET {endpoint}; Add/Edit/Delete cannot be tested without writing — check by hand in {place}"
            ),
            None,
        ),
        Some(Err(e)) => (
            PermissionStatus::Unverified,
            format!("the probe could not answer ({e}) — check by hand in {place}"),
            None,
        ),
        None => (
            PermissionStatus::Unverified,
            format!("no read-only endpoint proves this function — check by hand in {place}"),
            None,
        ),
    }
}

/// ", required for creating activities (Visionary 360 Email reConnector)": what an optional row
/// enables, in the vendor's words; empty when the profile gave no reason.
fn without_it(row: &MergedRow) -> String {
    if row.optional_because.is_empty() {
        String::new()
    } else {
        format!(", {}", row.optional_because.join("; "))
    }
}

/// Judges every row and finishes the permissions stage.
pub(in crate::check) fn permissions_stage(
    rows: &[MergedRow],
    probes: Vec<Option<Result<(), CwError>>>,
    security: Result<Vec<SecurityRow>, CwError>,
    progress: &mut Progress,
) {
    // Calls that failed for a reason other than the role: the check could not be completed.
    let mut call_failures: Vec<(String, CwError)> = Vec::new();
    if let Err(e) = &security
        && !security_unreadable(e)
    {
        call_failures.push(("system/mySecurity".to_string(), e.clone()));
    }
    let judged = judge_rows(
        rows,
        probes,
        security.as_deref().ok(),
        &mut call_failures,
        progress,
    );
    let tally = Tally::of(rows, &judged.results);
    let source = match &security {
        Ok(_) => "levels read from system/mySecurity".to_string(),
        Err(e) if security_unreadable(e) => format!(
            "system/mySecurity not readable ({}), so levels beyond Inquire were not seen",
            e.label()
        ),
        Err(e) => format!("system/mySecurity could not be read: {e}"),
    };
    let nothing_to_verify = rows.is_empty() && call_failures.is_empty();
    let summary = if nothing_to_verify {
        format!("nothing to verify: this profile lists no rows; {source}")
    } else {
        tally.summary(judged.results.len(), &source)
    };
    let (status, fix) = if nothing_to_verify {
        let fix = "The selected profile lists no role rows, so nothing the vendor needs was verified: add them on the Security role step (from the vendor's published requirements) and test again.".to_string();
        progress.report.warnings.push(fix.clone().into());
        (StageStatus::Warn, Some(fix))
    } else if !tally.failed.is_empty() || !call_failures.is_empty() {
        let fix = failure_fix(&tally.failed, &judged, &call_failures);
        (StageStatus::Fail, Some(fix))
    } else if tally.unverified > 0 || !tally.optional_missing.is_empty() {
        let fix = warning_fix(&judged.results, &tally);
        progress
            .report
            .warnings
            .extend(fix.iter().cloned().map(Tagged::from));
        (StageStatus::Warn, Some(fix.join(" ")))
    } else {
        (StageStatus::Pass, None)
    };
    let results = judged.results;
    progress.report.permissions = results;
    progress.finish(StageId::Permissions, status, summary, fix);
}

/// Every row's result, in order, and the rows whose verdict is a failed call, not the role.
struct Judged {
    results: Vec<PermissionResult>,
    /// (module, function) of each row that could not be checked.
    unchecked: Vec<(String, String)>,
    /// ("module / function", quoted table) of each row refused only by its Customize list.
    customize_gaps: Vec<(String, String)>,
}

/// Judges each row with its probe, sends each result as it comes, and adds the failed calls of
/// required rows to `call_failures`.
fn judge_rows(
    rows: &[MergedRow],
    probes: Vec<Option<Result<(), CwError>>>,
    security_rows: Option<&[SecurityRow]>,
    call_failures: &mut Vec<(String, CwError)>,
    progress: &mut Progress,
) -> Judged {
    let mut judged = Judged {
        results: Vec::new(),
        unchecked: Vec::new(),
        customize_gaps: Vec::new(),
    };
    for (row, probe) in rows.iter().zip(probes) {
        // Decided once per row: the row's verdict and the stage's fix both name the table.
        let gap = match &probe {
            Some(Err(CwError::Forbidden { .. })) => {
                customize_gap(row, find_row(security_rows, row))
            }
            _ => None,
        };
        let (status, detail, failed_call) = judge_row(row, &probe, security_rows, gap.as_deref());
        if let Some(table) = gap {
            judged
                .customize_gaps
                .push((format!("{} / {}", row.module, row.function), table));
        }
        if let Some(e) = failed_call {
            judged
                .unchecked
                .push((row.module.clone(), row.function.clone()));
            // An optional row that could not be checked is a warning, like a missing one.
            if !row.optional {
                call_failures.push((row.probe.clone().unwrap_or_default(), e));
            }
        }
        let detail = if row.optional && status != PermissionStatus::Pass {
            format!("optional row{}: {detail}", without_it(row))
        } else {
            detail
        };
        let result = PermissionResult {
            tool: None,
            module: row.module.clone(),
            function: row.function.clone(),
            required: row.levels.describe(),
            status,
            detail,
        };
        progress.send(CheckEvent::Permission(result.clone()));
        judged.results.push(result);
    }
    judged
}

/// The results counted by outcome.
struct Tally<'a> {
    /// Required rows that failed.
    failed: Vec<&'a PermissionResult>,
    /// Optional rows that failed, each named with what stops working without it.
    optional_missing: Vec<String>,
    unverified: usize,
    passed: usize,
}

impl<'a> Tally<'a> {
    fn of(rows: &[MergedRow], results: &'a [PermissionResult]) -> Self {
        let optional = |r: &PermissionResult| {
            rows.iter()
                .any(|row| row.optional && row.module == r.module && row.function == r.function)
        };
        // A missing optional row is worth a warning, not a failed check.
        let failed: Vec<&PermissionResult> = results
            .iter()
            .filter(|r| r.status == PermissionStatus::Fail && !optional(r))
            .collect();
        // Each named with what stops working without it, in the vendor's words.
        let optional_missing: Vec<String> = results
            .iter()
            .filter(|r| r.status == PermissionStatus::Fail && optional(r))
            .map(|r| {
                let row = rows
                    .iter()
                    .find(|row| row.module == r.module && row.function == r.function);
                format!(
                    "{} / {}{}",
                    r.module,
                    r.function,
                    row.map(without_it).unwrap_or_default()
                )
            })
            .collect();
        let unverified = results
            .iter()
            .filter(|r| r.status == PermissionStatus::Unverified)
            .count();
        let passed = results.len() - failed.len() - optional_missing.len() - unverified;
        Tally {
            failed,
            optional_missing,
            unverified,
            passed,
        }
    }

    /// "3 of 4 rows verified, 1 failed, 0 to check by hand; (source)", with the optional rows
    /// missing.
    fn summary(&self, total: usize, source: &str) -> String {
        let mut summary = format!(
            "{} of {} verified, {} failed, {} to check by hand; {source}",
            self.passed,
            plural(total, "row", "rows"),
            self.failed.len(),
            self.unverified
        );
        if !self.optional_missing.is_empty() {
            summary.push_str(&format!(
                "; optional rows missing: {}",
                self.optional_missing.join(", ")
            ));
        }
        summary
    }
}

/// The fix for a failed stage: the role rows to raise (not those a failed call left unchecked),
/// then the failed calls with each distinct fix once.
fn failure_fix(
    failed: &[&PermissionResult],
    judged: &Judged,
    call_failures: &[(String, CwError)],
) -> String {
    let role_rows: Vec<String> = failed
        .iter()
        .filter(|r| {
            !judged
                .unchecked
                .iter()
                .any(|(m, f)| *m == r.module && *f == r.function)
        })
        .map(|r| format!("{} / {}", r.module, r.function))
        .filter(|name| !judged.customize_gaps.iter().any(|(row, _)| row == name))
        .collect();
    let mut fix = Vec::new();
    if !role_rows.is_empty() {
        fix.push(format!(
            "Raise these rows in the member's security role: {}. Save the role; the change applies to the next API call.",
            role_rows.join(", ")
        ));
    }
    for (row, table) in &judged.customize_gaps {
        fix.push(format!(
            "{row} is already at the level needed, but its Customize list leaves out {table}: in the member's security role, open {row}, click Customize and allow {table}. Save the role."
        ));
    }
    if !call_failures.is_empty() {
        let mut advice: Vec<String> = Vec::new();
        for (_, e) in call_failures {
            let text = e.fix();
            if !advice.contains(&text) {
                advice.push(text);
            }
        }
        fix.push(format!(
            "These calls failed, so their rows could not be checked: {}. {}",
            call_failures
                .iter()
                .map(|(endpoint, e)| format!("GET {endpoint} ({})", e.label()))
                .collect::<Vec<_>>()
                .join(", "),
            advice.join(" ")
        ));
    }
    fix.join(" ")
}

/// The warnings of a stage with nothing failed: rows to check by hand, optional rows missing.
fn warning_fix(results: &[PermissionResult], tally: &Tally) -> Vec<String> {
    let mut fix = Vec::new();
    if tally.unverified > 0 {
        let names: Vec<String> = results
            .iter()
            .filter(|r| r.status == PermissionStatus::Unverified)
            .map(|r| format!("{} / {}", r.module, r.function))
            .collect();
        fix.push(format!(
            "{} only by hand ({}): open the member's security role and confirm the rows marked ? have the levels shown.",
            plural(tally.unverified, "row can be checked", "rows can be checked"),
            list_names(&names, 6)
        ));
    }
    let optional_missing = &tally.optional_missing;
    if !optional_missing.is_empty() {
        fix.push(format!(
            "Optional {} missing: {}. The integration works without {}; add {} only if you want what the vendor names.",
            if optional_missing.len() == 1 { "row" } else { "rows" },
            optional_missing.join("; "),
            if optional_missing.len() == 1 { "it" } else { "them" },
            if optional_missing.len() == 1 { "it" } else { "them" },
        ));
    }
    fix
}
