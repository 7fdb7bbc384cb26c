//! Every simulator scenario, tested from the wizard at 80x24, 100x30 and 160x45:
//! - the failed stage's whole fix (or, when nothing failed, the warning) can be read on the first
//!   screen after the test: at 100x30 and larger with no key press, at 80x24 one key (Enter) away;
//! - no row of the test panel (stages, permission rows) or of the portal values beside it is cut
//!   without a visible marker;
//! - the verdict (pass, pass with warnings, fail) shows in the sidebar, the test title and the
//!   status line.

use crate::common;

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use cwsetup::check::{self, CheckReport, CheckRequest, StageStatus, Verdict};
use cwsetup::profile;
use cwsetup::sanitize;
use cwsetup::secret::Secret;
use cwsetup::setup::content::ValueSource;
use cwsetup::sim::{
    DEMO_CLIENT_ID, DEMO_COMPANY_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, Scenario, SimServer,
};
use cwsetup::wizard::app::{App, StepId};
use cwsetup::wizard::view;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (160, 45)];

/// The check's time limit: short for the scenarios that hang, so the whole file stays quick.
fn timeout_for(name: &str) -> Duration {
    match name {
        "hang" | "slow-body" => Duration::from_secs(3),
        _ => Duration::from_secs(20),
    }
}

async fn report_for(name: &str) -> CheckReport {
    let scenario = Scenario::named(name).expect("named");
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let request = CheckRequest {
        site: sim.url(),
        company_id: DEMO_COMPANY_ID.to_string(),
        client_id: DEMO_CLIENT_ID.to_string(),
        public_key: Secret::from_str_checked(DEMO_PUBLIC_KEY).expect("fits"),
        private_key: Secret::from_str_checked(DEMO_PRIVATE_KEY).expect("fits"),
        profiles: vec![profile::find("sync365").expect("ships").clone()],
        timeout: timeout_for(name),
        removed_before: Vec::new(),
    };
    let report = tokio::time::timeout(Duration::from_secs(60), check::run(request, None))
        .await
        .expect("the check finishes");
    sim.shutdown().await;
    report
}

/// The wizard on step 5 right after a test that produced `report`, drawn at `size`.
fn tested_app(report: &CheckReport, size: (u16, u16)) -> App {
    tested_app_at(report, size, "na.myconnectwise.net")
}

/// The same, with `site` typed in the Site field.
fn tested_app_at(report: &CheckReport, size: (u16, u16), site: &str) -> App {
    common::wizard::tested(size, site, DEMO_COMPANY_ID, DEMO_CLIENT_ID, report)
}

fn draw(app: &App) -> Buffer {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal
        .draw(|frame| view::render(app, frame.area(), frame.buffer_mut()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn rows(buffer: &Buffer) -> Vec<Vec<String>> {
    let area = buffer.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

const BORDERS: [&str; 4] = ["│", "║", "┃", "┆"];

/// The words inside the box that holds `first` (the fix's first word) at row `y`, column `x`:
/// from that row down to the box's bottom edge, between the borders either side of `x`.
fn words_in_box_from(grid: &[Vec<String>], y: usize, x: usize) -> Vec<String> {
    let row = &grid[y];
    let left = (0..x).rev().find(|&i| BORDERS.contains(&row[i].as_str()));
    let right = (x..row.len()).find(|&i| BORDERS.contains(&row[i].as_str()));
    let (from, to) = (left.map_or(0, |l| l + 1), right.unwrap_or(row.len()));
    let mut out = Vec::new();
    for line in &grid[y..] {
        let band: String = line[from..to].concat();
        if ['─', '═', '━'].iter().any(|edge| band.contains(*edge)) {
            break;
        }
        out.extend(words(&band));
    }
    out
}

/// Whether the whole of `fix` reads, word for word, somewhere on the screen.
fn fix_on_screen(buffer: &Buffer, fix: &str) -> bool {
    let want = words(fix);
    let grid = rows(buffer);
    for (y, row) in grid.iter().enumerate() {
        for x in 0..row.len() {
            if !row[x..].concat().starts_with(want[0].as_str()) {
                continue;
            }
            let got = words_in_box_from(&grid, y, x);
            if got.windows(want.len()).any(|w| w == want.as_slice()) {
                return true;
            }
        }
    }
    false
}

fn text(buffer: &Buffer) -> String {
    rows(buffer)
        .iter()
        .map(|r| r.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn every_scenario_shows_the_failed_or_warning_stages_whole_fix_on_the_first_screen() {
    let mut failures = Vec::new();
    let mut failing = 0;
    for (name, _) in Scenario::catalog() {
        let report = report_for(name).await;
        // The failed stage; or, when nothing failed, the first stage that warns (its warning is
        // what the technician must read before the portal).
        let Some(failed) = report
            .stages
            .iter()
            .find(|s| s.status == StageStatus::Fail)
            .or_else(|| {
                report
                    .stages
                    .iter()
                    .find(|s| s.status == StageStatus::Warn && s.fix.is_some())
            })
        else {
            continue;
        };
        let Some(fix) = failed.fix.as_deref().map(sanitize::display_text) else {
            failures.push(format!("{name}: the failed stage has no fix"));
            continue;
        };
        failing += 1;
        for size in SIZES {
            let mut app = tested_app(&report, size);
            let first = draw(&app);
            if fix_on_screen(&first, &fix) {
                continue;
            }
            if size.0 >= 100 && size.1 >= 30 {
                failures.push(format!(
                    "{name} at {}x{}: the fix is not whole on the first screen\nfix: {fix}\n{}",
                    size.0,
                    size.1,
                    text(&first)
                ));
                continue;
            }
            // 80x24: one key away. Enter opens the failed stage in full.
            common::wizard::key(&mut app, KeyCode::Enter);
            let second = draw(&app);
            if !fix_on_screen(&second, &fix) {
                failures.push(format!(
                    "{name} at {}x{}: the fix is neither on the first screen nor one key (Enter) away\nfix: {fix}\n{}\n{}",
                    size.0,
                    size.1,
                    text(&first),
                    text(&second)
                ));
            }
        }
    }
    assert!(failing >= 12, "only {failing} scenarios failed a stage");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The columns of the box around column `x` of `row`: between the borders either side.
fn box_band(row: &[String], x: usize) -> (usize, usize) {
    let left = (0..x).rev().find(|&i| BORDERS.contains(&row[i].as_str()));
    let right = (x..row.len()).find(|&i| BORDERS.contains(&row[i].as_str()));
    (left.map_or(0, |l| l + 1), right.unwrap_or(row.len()))
}

/// The words read from column `x` of row `y` on, in that box: the rest of the row, then the
/// rows below down to the box's bottom edge; and the index of each row's last word.
fn words_from(grid: &[Vec<String>], y: usize, x: usize) -> (Vec<String>, Vec<usize>) {
    let (from, to) = box_band(&grid[y], x);
    let mut out = words(&grid[y][x..to].concat());
    let mut ends = vec![out.len().wrapping_sub(1)];
    for line in &grid[y + 1..] {
        let band: String = line[from..to].concat();
        if ['─', '═', '━'].iter().any(|edge| band.contains(*edge)) {
            break;
        }
        out.extend(words(&band));
        ends.push(out.len().wrapping_sub(1));
    }
    (out, ends)
}

/// Whether the text starting with `summary`'s first word is whole in its box, or cut where a
/// row ends with "…" (saying so). The text is read inside its own box from where it starts, so
/// a pane beside it (the portal values) or a row above that shares a word does not count.
fn whole_or_marked(buffer: &Buffer, summary: &str) -> Result<(), String> {
    let want = words(summary);
    let grid = rows(buffer);
    for (y, row) in grid.iter().enumerate() {
        for x in 0..row.len() {
            if !row[x..].concat().starts_with(want[0].as_str()) {
                continue;
            }
            let (got, ends) = words_from(&grid, y, x);
            let Some(i) = (0..want.len()).find(|&i| got.get(i) != Some(&want[i])) else {
                return Ok(()); // whole
            };
            let here = got.get(i).map(String::as_str).unwrap_or("");
            let stem = here.trim_end_matches('…');
            if here.ends_with('…') && want[i].starts_with(stem) {
                return Ok(()); // cut inside this word, and marked
            }
            if here == "▼" {
                return Ok(()); // cut where the pane ends, and its "▼ n more lines" row says so
            }
            let row_ends_here = ends.contains(&i);
            let row_ended_before = i > 1 && ends.contains(&(i - 1));
            if (row_ends_here && !stem.is_empty() && want[i].starts_with(stem) && i > 0)
                || (row_ended_before && !here.starts_with(want[i].as_str()))
            {
                return Err(format!(
                    "cut without a marker: {:?} for {summary:?} (word {i})",
                    row.concat()
                ));
            }
            // Another text that shares its first words (an address, a digit, a sentence that
            // names the row and wraps on): keep looking.
        }
    }
    Ok(()) // not on screen at all: another pane holds it (the list scrolls with a marker)
}

#[tokio::test]
async fn no_test_result_row_is_cut_without_a_marker_in_any_scenario() {
    let mut failures = Vec::new();
    for (name, _) in Scenario::catalog() {
        let report = report_for(name).await;
        for size in SIZES {
            let app = tested_app(&report, size);
            let screen = draw(&app);
            let mut texts: Vec<String> = report
                .stages
                .iter()
                .map(|stage| sanitize::display_text(&stage.summary))
                .collect();
            // The permission rows, as the results list shows them (the symbol first, so a
            // sentence of a fix that names the row is not taken for it).
            texts.extend(report.permissions.iter().map(|p| {
                sanitize::display_text(&format!(
                    "{} {} / {} {}",
                    p.status.symbol(),
                    p.module,
                    p.function,
                    p.required
                ))
            }));
            // The values for the vendor's portal, label and value (the keys are masked).
            texts.extend(
                app.content(StepId::Integration)
                    .portal
                    .iter()
                    .filter_map(|v| match &v.value {
                        ValueSource::Text(value) => Some(format!("{} {value}", v.label)),
                        ValueSource::Field(_) => None,
                    }),
            );
            for summary in texts {
                if let Err(e) = whole_or_marked(&screen, &summary) {
                    failures.push(format!(
                        "{name} at {}x{}: {e}\n{}",
                        size.0,
                        size.1,
                        text(&screen)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A self-hosted server with a long name: its portal value (the ConnectWise URL) is wider than
/// the portal box at every size, and is cut with a marker, never split into pieces that read as
/// other words.
#[tokio::test]
async fn a_long_portal_value_is_cut_with_a_marker() {
    let report = report_for("healthy").await;
    let site = "connectwise-psa.managed-services-of-a-long-company-name.example.com";
    let mut failures = Vec::new();
    let mut seen = 0;
    for size in SIZES {
        let app = tested_app_at(&report, size, site);
        let screen = draw(&app);
        for v in app.content(StepId::Integration).portal {
            let ValueSource::Text(value) = &v.value else {
                continue;
            };
            if value.contains("managed-services") {
                seen += 1;
            }
            if let Err(e) = whole_or_marked(&screen, &format!("{} {value}", v.label)) {
                failures.push(format!("{}x{}: {e}\n{}", size.0, size.1, text(&screen)));
            }
        }
    }
    assert!(seen > 0, "no portal value holds the long site");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test]
async fn every_scenario_shows_its_verdict_in_the_sidebar_the_test_title_and_the_status_line() {
    let mut failures = Vec::new();
    for (name, _) in Scenario::catalog() {
        let report = report_for(name).await;
        let app = tested_app(&report, (100, 30));
        let screen = text(&draw(&app));
        let (sidebar, title, status) = match report.verdict {
            Verdict::Pass => ("✓ 5 Integration", "Test ✓ passed", "test passed"),
            Verdict::Warn => ("⚠ 5 Integration", "Test ⚠ passed with", "passed with"),
            Verdict::Fail => ("✗ 5 Integration", "Test ✗ failed", "test failed"),
        };
        // The test box's title is whole, or cut with "…" where the box is narrow.
        if let Some(row) = screen.lines().find(|l| l.contains(title))
            && !row.contains("(t runs it again)")
            && !row.contains('…')
        {
            failures.push(format!(
                "{name}: the test title is cut without a marker: {row}"
            ));
        }
        for want in [sidebar, title, status] {
            if !screen.contains(want) {
                failures.push(format!(
                    "{name} ({:?}): {want:?} is not on screen\n{screen}",
                    report.verdict
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
