//! What a running check has found so far, and the channel that tells the wizard as it goes:
//! [`Progress`], which every stage reports through, and [`Failed`], what a stage that fails
//! returns (the engine then skips the rest). A leaf: the engine and the stages both use it.

use tokio::sync::mpsc::UnboundedSender;

use crate::cw::CwError;

use super::model::*;

/// A stage that failed: the check stops there, and every stage after it is skipped.
#[derive(Debug)]
pub(in crate::check) struct Failed {
    pub stage: StageId,
    pub summary: String,
    pub fix: Option<String>,
}

impl Failed {
    /// `stage` failed because of `e`: its text, and its fix.
    pub fn by(stage: StageId, e: &CwError) -> Failed {
        Failed {
            stage,
            summary: e.to_string(),
            fix: Some(e.fix()),
        }
    }
}

/// Collects results and tells the wizard about them as they come.
pub(in crate::check) struct Progress {
    pub events: Option<UnboundedSender<CheckEvent>>,
    pub report: CheckReport,
}

impl Progress {
    pub fn send(&self, event: CheckEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    pub fn start(&self, id: StageId) {
        self.send(CheckEvent::Started(id));
    }

    pub fn finish(
        &mut self,
        id: StageId,
        status: StageStatus,
        summary: impl Into<String>,
        fix: Option<String>,
    ) {
        let result = StageResult {
            id,
            status,
            summary: summary.into(),
            fix,
            parts: Vec::new(),
        };
        self.send(CheckEvent::Finished(result.clone()));
        self.report.stages.push(result);
    }

    /// Fails `failed.stage` and marks every stage after it as skipped, naming the reason.
    pub fn fail_and_skip(&mut self, failed: Failed) {
        let Failed {
            stage,
            summary,
            fix,
        } = failed;
        self.finish(stage, StageStatus::Fail, summary, fix);
        for id in StageId::ALL.into_iter().filter(|id| *id > stage) {
            self.finish(
                id,
                StageStatus::Skip,
                format!("skipped: the {} stage failed", stage.id()),
                None,
            );
        }
    }

    pub fn done(mut self) -> CheckReport {
        self.report.ok = self
            .report
            .stages
            .iter()
            .all(|s| matches!(s.status, StageStatus::Pass | StageStatus::Warn));
        self.report.verdict = Verdict::of(&self.report.stages, &self.report.warnings);
        self.report
    }
}
