//! The date of the last proved rotation, per site, company and member (`rotations.json` in
//! cwsetup's state directory), so the next run can say how old the key is. No key material: a
//! site, a company ID, a member ID and a date. Only a proved rotation (new key passed, old key
//! rejected) is remembered; a file that cannot be read is treated as empty, never as an error.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The most rotations kept: one per integration, and an MSP has dozens, not thousands.
const MAX_ENTRIES: usize = 500;

/// `<state dir>/cwsetup/rotations.json` (`XDG_STATE_HOME` moves it on Linux).
pub fn memory_path() -> Option<PathBuf> {
    crate::logging::log_dir().map(|dir| dir.join("rotations.json"))
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Memory {
    rotations: Vec<Rotation>,
}

/// One proved rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Rotation {
    site: String,
    company_id: String,
    member: String,
    /// YYYY-MM-DD (UTC).
    date: String,
}

impl Rotation {
    fn is(&self, site: &str, company_id: &str, member: &str) -> bool {
        self.site.eq_ignore_ascii_case(site)
            && self.company_id.eq_ignore_ascii_case(company_id)
            && self.member.eq_ignore_ascii_case(member)
    }
}

fn load(path: &Path) -> Memory {
    crate::report_file::read_own(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// The date of the last proved rotation of `member`'s key at `site` / `company_id`, if any.
pub fn last_rotation(path: &Path, site: &str, company_id: &str, member: &str) -> Option<String> {
    load(path)
        .rotations
        .into_iter()
        .find(|r| r.is(site, company_id, member))
        .map(|r| r.date)
}

/// Remembers that `member`'s key at `site` / `company_id` was rotated on `date` (replacing an
/// earlier date). The file is written as cwsetup writes its own files (0600, renamed into place).
pub fn remember(
    path: &Path,
    site: &str,
    company_id: &str,
    member: &str,
    date: &str,
) -> std::io::Result<()> {
    let mut memory = load(path);
    memory.rotations.retain(|r| !r.is(site, company_id, member));
    memory.rotations.insert(
        0,
        Rotation {
            site: site.to_string(),
            company_id: company_id.to_string(),
            member: member.to_string(),
            date: date.to_string(),
        },
    );
    memory.rotations.truncate(MAX_ENTRIES);
    if let Some(dir) = path.parent() {
        crate::report_file::create_private_dir(dir)?;
    }
    let text = serde_json::to_string_pretty(&memory).map_err(std::io::Error::other)?;
    crate::report_file::write_private(path, text.as_bytes())
}

/// Whole days from `then` to `today` (both YYYY-MM-DD), when both are dates.
pub fn days_between(then: &str, today: &str) -> Option<i64> {
    let parse = |text: &str| {
        let mut parts = text.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
    };
    Some((parse(today)? - parse(then)?).whole_days())
}

/// The sentence about the key's age: "The last proved rotation of S365's key here was on
/// 2026-06-01 (189 days ago)."
pub fn age_sentence(member: &str, last: &str, today: &str) -> String {
    let member = crate::sanitize::display_text(member);
    let last = crate::sanitize::display_text(last);
    match days_between(&last, today) {
        Some(0) => format!("The last proved rotation of {member}'s key here was today."),
        Some(days) if days > 0 => format!(
            "The last proved rotation of {member}'s key here was on {last} ({}).",
            crate::units::plural(days.unsigned_abs() as usize, "day ago", "days ago")
        ),
        _ => format!("The last proved rotation of {member}'s key here was on {last}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotation_is_remembered_per_site_company_and_member_without_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state").join("rotations.json");
        assert_eq!(last_rotation(&path, "na", "contoso", "S365"), None);
        remember(&path, "na", "contoso", "S365", "2026-06-01").expect("written");
        remember(&path, "na", "contoso", "HUDU", "2026-07-01").expect("written");
        remember(&path, "na", "Contoso", "s365", "2026-12-07").expect("replaced");
        assert_eq!(
            last_rotation(&path, "NA", "contoso", "S365").as_deref(),
            Some("2026-12-07")
        );
        assert_eq!(
            last_rotation(&path, "na", "contoso", "HUDU").as_deref(),
            Some("2026-07-01")
        );
        assert_eq!(last_rotation(&path, "eu", "contoso", "S365"), None);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches("\"date\"").count(), 2, "{text}");
        std::fs::write(&path, "not json").expect("spoiled");
        assert_eq!(last_rotation(&path, "na", "contoso", "S365"), None);
    }

    #[test]
    fn the_age_is_said_in_days() {
        assert_eq!(days_between("2026-06-01", "2026-12-07"), Some(189));
        assert_eq!(
            age_sentence("S365", "2026-06-01", "2026-12-07"),
            "The last proved rotation of S365's key here was on 2026-06-01 (189 days ago)."
        );
        assert_eq!(
            age_sentence("S365", "2026-12-06", "2026-12-07"),
            "The last proved rotation of S365's key here was on 2026-12-06 (1 day ago)."
        );
        assert!(age_sentence("S365", "garbage", "2026-12-07").ends_with("on garbage."));
    }
}
