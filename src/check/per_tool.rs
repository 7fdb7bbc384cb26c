//! One test per key pair: under "one member per tool" (or one key per tool on one member) each
//! tool's keys are tested against that tool's own rows, one after another, and the results are
//! merged into one report whose every row carries its tool (shown as "[Email reConnector] …"
//! through [`super::tool_text`]).

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::model::{
    CheckEvent, CheckReport, CheckRequest, PermissionResult, StageResult, Tagged, ToolPart, Verdict,
};

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
                            p.tool = Some(label.clone());
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

/// `tool`'s part of a stage, as a stage of its own (what the live view shows as it finishes).
fn tag_stage(tool: &str, r: StageResult) -> StageResult {
    let id = r.id;
    StageResult::of_parts(id, r.into_parts(tool))
}

/// Merges the tools' reports into one: each stage holds every tool's result of it as its parts
/// (its status the worst of theirs), permission rows, warnings and notes carry their tool, a
/// PASS/FAIL note per tool says each verdict, and the verdict is the worst of them. Site,
/// version and counts are the first tool's (same server).
pub fn merge(reports: Vec<(String, CheckReport)>) -> CheckReport {
    let mut iter = reports.into_iter();
    let Some((first_tool, first)) = iter.next() else {
        return CheckReport {
            warnings: vec![Tagged::from("no tool to test")],
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
            let parts: Vec<ToolPart> = all
                .iter()
                .filter_map(|(tool, r)| {
                    r.stages
                        .iter()
                        .find(|s| s.id == stage.id)
                        .map(|s| s.clone().into_parts(tool))
                })
                .flatten()
                .collect();
            StageResult::of_parts(stage.id, parts)
        })
        .collect();
    merged.permissions = all
        .iter()
        .flat_map(|(tool, r)| {
            r.permissions.iter().map(move |p| PermissionResult {
                tool: Some(p.tool.clone().unwrap_or_else(|| tool.to_string())),
                ..p.clone()
            })
        })
        .collect();
    let tagged = |pick: fn(&CheckReport) -> &Vec<Tagged>| -> Vec<Tagged> {
        all.iter()
            .flat_map(|(tool, r)| {
                pick(r).iter().map(move |t| Tagged {
                    tool: Some(t.tool.clone().unwrap_or_else(|| tool.to_string())),
                    text: t.text.clone(),
                })
            })
            .collect()
    };
    merged.warnings = tagged(|r| &r.warnings);
    let mut notes: Vec<Tagged> = all
        .iter()
        .map(|(tool, r)| Tagged::of_tool(tool, r.verdict.title()))
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
