//! The exit codes, one table for every mode (docs/command-line.md, "Exit codes").
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success: the check or audit passed (warnings included, unless `--strict`), the output was written |
//! | 1 | it ran but did not succeed: a check stage or audit row failed, a `members` finding failed, the output could not be written (`role`, `profiles`), the simulator could not listen |
//! | 2 | a usage or input error, with the message on stderr: a bad flag (clap's own errors exit 2 too), an unknown profile, a bad file, a missing value, input the check refused, a report that could not be written |
//! | 128 + N | the wizard or plain mode ended by signal N (SIGTERM 143, SIGHUP 129) |

use crate::check::{CheckReport, StageId, StageStatus, Verdict};

/// Success.
pub const EXIT_OK: u8 = 0;
/// It ran, but what it checked failed (or its output could not be written).
pub const EXIT_FAILED: u8 = 1;
/// A usage or input error; the message on stderr says what to change.
pub const EXIT_USAGE: u8 = 2;

/// The code for a run ended by `signal` (SIGTERM 143, SIGHUP 129), as shells expect.
pub fn for_signal(signal: i32) -> u8 {
    128u8.saturating_add(u8::try_from(signal).unwrap_or(0))
}

/// The code for a test's report, the same for `cwsetup check` and plain mode: 2 when the input
/// stage refused the values, 1 when a stage failed (or, with `strict`, on a warning), else 0.
pub fn for_report(report: &CheckReport, strict: bool) -> u8 {
    let input_failed = report
        .stages
        .iter()
        .any(|s| s.id == StageId::Input && s.status == StageStatus::Fail);
    if input_failed {
        EXIT_USAGE
    } else {
        for_verdict(report.ok, report.verdict, strict)
    }
}

/// 0 for a pass and a pass with warnings, 1 for a fail; `strict` makes a warning exit 1.
fn for_verdict(ok: bool, verdict: Verdict, strict: bool) -> u8 {
    match verdict {
        _ if !ok => EXIT_FAILED,
        Verdict::Pass => EXIT_OK,
        Verdict::Warn if !strict => EXIT_OK,
        Verdict::Warn | Verdict::Fail => EXIT_FAILED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_makes_a_warning_exit_1() {
        use Verdict::*;
        assert_eq!(for_verdict(true, Pass, false), EXIT_OK);
        assert_eq!(for_verdict(true, Warn, false), EXIT_OK);
        assert_eq!(for_verdict(false, Fail, false), EXIT_FAILED);
        assert_eq!(for_verdict(true, Pass, true), EXIT_OK);
        assert_eq!(for_verdict(true, Warn, true), EXIT_FAILED);
        assert_eq!(for_verdict(false, Fail, true), EXIT_FAILED);
        // A report that is not ok never exits 0, whatever its verdict says.
        assert_eq!(for_verdict(false, Pass, false), EXIT_FAILED);
    }

    #[test]
    fn a_signal_exits_128_plus_its_number() {
        assert_eq!(for_signal(15), 143);
        assert_eq!(for_signal(1), 129);
        assert_eq!(for_signal(-1), 128);
    }
}
