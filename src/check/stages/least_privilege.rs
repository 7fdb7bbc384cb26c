//! Least privilege: what the member may do beyond what the selected profiles need, read from
//! system/mySecurity (listed in the report, never a failure), and whether its role is Admin.

use crate::check::model::*;
use crate::check::progress::Progress;
use crate::cw::SecurityRow;
use crate::permission::{Level, Levels};
use crate::profile::{self, MergedRow};

use super::same_name;

/// The member's rows beyond what `rows` need, grouped by module; an Admin role (every function
/// at All) is named, as a warning where the profiles discourage it and a note where accepted.
pub(in crate::check) fn least_privilege(
    rows: &[MergedRow],
    security: &[SecurityRow],
    admin_advice: profile::AdminAdvice,
    progress: &mut Progress,
) {
    let mut modules: Vec<BeyondModule> = Vec::new();
    let mut count = 0;
    for actual in security {
        let need = rows.iter().find(|r| {
            same_name(&r.module, &actual.module_name)
                && same_name(&r.function, &actual.function_name)
        });
        let want = need.map_or(Levels::NONE, |r| r.levels);
        if want.covers(&actual.levels) {
            continue;
        }
        count += 1;
        let module = crate::cw::error::clean_text(&actual.module_name);
        let row = BeyondRow {
            function: crate::cw::error::clean_text(&actual.function_name),
            have: actual.levels.describe(),
        };
        match modules.iter_mut().find(|m| m.module == module) {
            Some(m) => m.rows.push(row),
            None => modules.push(BeyondModule {
                module,
                rows: vec![row],
            }),
        }
    }
    let admin = !security.is_empty()
        && security
            .iter()
            .all(|r| r.unknown.is_empty() && r.levels == Levels::uniform(Level::All));
    if admin {
        let text = "Admin: every function. The vendor's API member has every function at All";
        match admin_advice {
            profile::AdminAdvice::Discouraged => progress.report.warnings.push(format!(
                "{text}; the selected profile discourages the Admin role: give the member a role with only the rows listed."
            ).into()),
            profile::AdminAdvice::Acceptable => progress.report.notes.push(format!(
                "{text}; the selected profile accepts it, though a role with only the rows listed is the least privilege."
            ).into()),
            profile::AdminAdvice::Unstated => progress.report.notes.push(format!(
                "{text}; the vendor's guide does not say whether Admin is acceptable: a role with only the rows listed is the least privilege."
            ).into()),
        }
    }
    progress.report.beyond_needed = Some(BeyondNeeded {
        count,
        admin,
        modules,
    });
}
