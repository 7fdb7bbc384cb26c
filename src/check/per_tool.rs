//! One test per key pair: under "one member per tool" (or one key per tool on one member) each
//! tool's keys are tested against that tool's own rows, one after another, and the results are
//! merged into one report whose every row names its tool ("[Email reConnector] …").

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::model::{CheckEvent, CheckReport, CheckRequest, StageResult, StageStatus, Verdict};

/// One tool's part of a per-tool test: its product name and its request (its own keys and
/// only its own profile).
pub struct ToolRequest {
    pub tool: String,
    pub request: CheckRequest,
}

/// Runs each tool's check in turn, forwarding progress tagged with the tool, and returns the
/// merged report (see [`merge`]). One request runs as a plain [`super::run`], untagged.
pub async fn run_each(
    requests: Vec<ToolRequest>,
    events: Option<UnboundedSender<CheckEvent>>,
) -> CheckReport {
    let mut requests = requests;
    if requests.len() == 1
        && let Some(only) = requests.pop()
    {
        return super::run(only.request, events).await;
    }
    let mut reports = Vec::new();
    for ToolRequest { tool, request } in requests {
        let (tx, mut rx) = unbounded_channel::<CheckEvent>();
        let outer = events.clone();
        let label = tool.clone();
        let forward = tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                if let Some(outer) = &outer {
                    let tagged = match event {
                        CheckEvent::Finished(r) => CheckEvent::Finished(tag_stage(&label, r)),
                        CheckEvent::Permission(mut p) => {
                            p.module = format!("[{label}] {}", p.module);
                            CheckEvent::Permission(p)
                        }
                        other => other,
                    };
                    let _ = outer.send(tagged);
                }
            }
        });
        let report = super::run(request, Some(tx)).await;
        let _ = forward.await;
        reports.push((tool, report));
    }
    merge(reports)
}

fn tag_stage(tool: &str, mut r: StageResult) -> StageResult {
    r.summary = format!("[{tool}] {}", r.summary);
    r.fix = r.fix.map(|f| format!("[{tool}] {f}"));
    r
}

fn rank(status: StageStatus) -> u8 {
    match status {
        StageStatus::Pass => 0,
        StageStatus::Skip => 1,
        StageStatus::Warn => 2,
        StageStatus::Fail => 3,
    }
}

/// Merges the tools' reports into one: each stage is the worst of the tools' (its summary
/// lists every tool's, its fix every tool's that has one), permission rows, warnings and notes
/// are prefixed with their tool, a "[tool] PASS/FAIL" note per tool says each verdict, and the
/// verdict is the worst of them. Site, version and counts are the first tool's (same server).
pub fn merge(reports: Vec<(String, CheckReport)>) -> CheckReport {
    let mut iter = reports.into_iter();
    let Some((first_tool, first)) = iter.next() else {
        return CheckReport {
            warnings: vec!["no tool to test".to_string()],
            ..CheckReport::new(String::new(), String::new(), String::new())
        };
    };
    let rest: Vec<(String, CheckReport)> = iter.collect();
    let all: Vec<(&String, &CheckReport)> = std::iter::once((&first_tool, &first))
        .chain(rest.iter().map(|(t, r)| (t, r)))
        .collect();
    let mut merged = first.clone();
    merged.stages = first
        .stages
        .iter()
        .map(|stage| {
            let mine: Vec<(&String, &StageResult)> = all
                .iter()
                .filter_map(|(tool, r)| {
                    r.stages
                        .iter()
                        .find(|s| s.id == stage.id)
                        .map(|s| (*tool, s))
                })
                .collect();
            let status = mine
                .iter()
                .map(|(_, s)| s.status)
                .max_by_key(|s| rank(*s))
                .unwrap_or(stage.status);
            let summary = mine
                .iter()
                .map(|(tool, s)| format!("[{tool}] {}", s.summary))
                .collect::<Vec<_>>()
                .join(" · ");
            let fixes: Vec<String> = mine
                .iter()
                .filter_map(|(tool, s)| s.fix.as_ref().map(|f| format!("[{tool}] {f}")))
                .collect();
            StageResult {
                id: stage.id,
                status,
                summary,
                fix: (!fixes.is_empty()).then(|| fixes.join(" ")),
            }
        })
        .collect();
    merged.permissions = all
        .iter()
        .flat_map(|(tool, r)| {
            r.permissions.iter().map(move |p| {
                let mut p = p.clone();
                p.module = format!("[{tool}] {}", p.module);
                p
            })
        })
        .collect();
    let tagged = |pick: fn(&CheckReport) -> &Vec<String>| -> Vec<String> {
        all.iter()
            .flat_map(|(tool, r)| pick(r).iter().map(move |w| format!("[{tool}] {w}")))
            .collect()
    };
    merged.warnings = tagged(|r| &r.warnings);
    let mut notes: Vec<String> = all
        .iter()
        .map(|(tool, r)| format!("[{tool}] {}", r.verdict.title()))
        .collect();
    notes.extend(tagged(|r| &r.notes));
    merged.notes = notes;
    merged.input_removed = first.input_removed.clone();
    merged.beyond_needed = all.iter().find_map(|(_, r)| r.beyond_needed.clone());
    merged.ok = all.iter().all(|(_, r)| r.ok);
    merged.verdict = all
        .iter()
        .map(|(_, r)| r.verdict)
        .max_by_key(|v| match v {
            Verdict::Pass => 0,
            Verdict::Warn => 1,
            Verdict::Fail => 2,
        })
        .unwrap_or(Verdict::Fail);
    merged
}
