//! Issue 25's matrix: every member plan × one, two and three tools × 80x24, 100x30 and 160x45
//! (and 70x20, the smallest size that shows a step),
//! through every step (and step 5 again after a passing test), with the focus on each box in
//! turn. Drawn on ratatui's TestBackend through the same `update` path as real input.
//!
//! On every screen:
//! - every input box shown has its content row, and the focused box is always shown; boxes
//!   that do not fit are announced on the title row ("▲ n above · ▼ n below");
//! - every list box shown keeps one row of its content;
//! - no value (a field's, or one to copy) is cut without "…";
//!
//! and on every step (its texts, once per tool set and plan):
//! - no step names a member, role or host other than the ones it shows to copy;
//! - the notes follow the plan: under "I already have an API member", nothing says a function
//!   "stays None" or that a member or role is to be created.
//!
//! The content of a step is built once per state (the wizard caches it), so the many screens
//! cost only their drawing.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use cwsetup::check::CheckEvent;
use cwsetup::cw::site::Region;
use cwsetup::profile;
use cwsetup::setup::content::{StepContent, ValueSource};
use cwsetup::wizard::app::{App, FieldId, MemberPlan, Pane, Prefill, StepId};
use cwsetup::wizard::update::{Msg, update};
use cwsetup::wizard::view;

use crate::common::wizard::{go_to, key, settings};

const TOOLS: [&str; 3] = ["sync365", "immybot", "hudu"];
/// The three sizes, and the smallest the wizard draws its steps at.
const SIZES: [(u16, u16); 4] = [(70, 20), (80, 24), (100, 30), (160, 45)];
const SITE: &str = "na.myconnectwise.net";
const COMPANY: &str = "contoso_managed_it";
const CLIENT_ID: &str = "2b7e1516-28ae-4d2a-a6f7-15886309cf4f";
const MEMBER_ID: &str = "AcmeSyncAPI";

/// One tool set under one plan, its fields filled as a technician would fill them.
fn case(tools: &[&str], plan: MemberPlan) -> App {
    let ids: Vec<String> = tools.iter().map(|s| s.to_string()).collect();
    let mut app = App::new(
        settings(std::time::Duration::from_secs(10)),
        profile::builtin().to_vec(),
        &ids,
    );
    app.member_plan = plan;
    app.prefill(Prefill {
        site: SITE.into(),
        company_id: COMPANY.into(),
        client_id: CLIENT_ID.into(),
        public_key: None,
        private_key: None,
    });
    for (_, public, private) in app.key_fields() {
        for (id, key) in [(public, "FakePublicKey001"), (private, "FakePrivateKey01")] {
            if let Some(input) = app.key_input_mut(id) {
                input.paste(key.to_string());
            }
        }
    }
    if plan == MemberPlan::ExistingMember
        && let Some(field) = app.field_mut(FieldId::MemberId)
    {
        field.set(MEMBER_ID);
    }
    app
}

/// The first `n` tools under every plan they offer.
fn cases(n: usize) -> Vec<(String, App)> {
    let tools = &TOOLS[..n];
    case(tools, MemberPlan::OneMemberKeyPerTool)
        .plan_options()
        .into_iter()
        .map(|plan| (format!("{n} tool(s), {plan:?}"), case(tools, plan)))
        .collect()
}

fn draw(app: &App) -> Buffer {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal
        .draw(|frame| view::render(app, frame.area(), frame.buffer_mut()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn row_text(buffer: &Buffer, y: u16, from: u16, to: u16) -> String {
    (from..to)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

fn screen_text(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| row_text(buffer, y, 0, area.width))
        .collect()
}

/// What a one-row box may show of `value`: the whole value, its start then "…", or (while
/// typing) "…" then its end.
fn shows_value(row: &str, value: &str) -> bool {
    let row = row.trim_end().trim_end_matches('▏').trim_end();
    if row == value {
        return true;
    }
    if let Some(start) = row.strip_suffix('…') {
        return !start.is_empty() && value.starts_with(start);
    }
    if let Some(end) = row.strip_prefix('…') {
        return !end.is_empty() && value.ends_with(end);
    }
    false
}

/// The boxes of one screen: each shown box keeps a content row, the focused one is shown, a box
/// out of view is announced, and each field shows its value whole or marked.
fn check_boxes(app: &App, buffer: &Buffer, failures: &mut Vec<String>) {
    let rects = view::pane_rects(app);
    let shown = |pane: Pane| rects.iter().find(|(p, _)| *p == pane).map(|(_, r)| *r);
    let title_row = screen_text(buffer)[1].clone();
    let announced = title_row.contains(" above") || title_row.contains(" below");
    for pane in app.panes() {
        let Some(rect) = shown(pane) else {
            // Step 2's notes are shown where the row's detail is, once Tab reaches them.
            let in_detail = pane == Pane::Notes && app.step == StepId::SecurityRole;
            if pane == app.focused_pane() {
                failures.push(format!("the focused {pane:?} is not on screen"));
            } else if !announced && !in_detail {
                failures.push(format!("{pane:?} is not on screen and nothing says so"));
            }
            continue;
        };
        let least = match pane {
            Pane::Notes => 1,
            Pane::RoleTable => 4,
            _ => 3,
        };
        if rect.height < least || rect.width < 3 {
            failures.push(format!("{pane:?} has no content row: {rect:?}"));
            continue;
        }
        if let Pane::Field(id) = pane {
            check_field(app, buffer, id, rect, failures);
        }
    }
    check_free_rows(buffer, &rects, failures);
}

/// Free height: while rows stay blank under the boxes, no box (but the vendor list, kept short
/// on purpose: `/` filters it) says it has more rows than it shows.
fn check_free_rows(buffer: &Buffer, rects: &[(Pane, Rect)], failures: &mut Vec<String>) {
    let Some(left) = rects.iter().map(|(_, r)| r.x).min() else {
        return;
    };
    let right = buffer.area.width;
    // The main area's blank rows at its end (the notes' rows too), above the status line and
    // the footer.
    let end = buffer.area.height.saturating_sub(2);
    let blank = (1..end)
        .rev()
        .take_while(|y| row_text(buffer, *y, left, right).trim().is_empty())
        .count();
    if blank == 0 {
        return;
    }
    for (pane, rect) in rects {
        // Kept short on purpose: the vendor list (`/` filters it), and on step 5 the region
        // chosen, one row beside the site (Tab there shows every region).
        if matches!(pane, Pane::Profiles | Pane::Region) || rect.height == 0 {
            continue;
        }
        let last = row_text(buffer, rect.bottom() - 1, rect.x, rect.right());
        if last.contains(" more") {
            failures.push(format!(
                "{pane:?} says {:?} above {blank} blank rows",
                last.trim()
            ));
        }
    }
}

fn check_field(app: &App, buffer: &Buffer, id: FieldId, rect: Rect, failures: &mut Vec<String>) {
    let row = row_text(buffer, rect.y + 1, rect.x + 1, rect.right() - 1);
    let value = match (app.field(id), app.key_input(id)) {
        (Some(field), _) => field.value().to_string(),
        (None, Some(input)) => input.masked().to_string(),
        (None, None) => return,
    };
    if value.is_empty() {
        return; // a placeholder, dimmed
    }
    if !shows_value(&row, &value) {
        failures.push(format!("{id:?} shows {:?} for {value:?}", row.trim_end()));
    }
}

/// Where `value` starts on the screen, does it go on to its end, or stop at "…" (or wrap onto
/// the next row, for a value inside a sentence)?
fn check_value_whole_or_marked(lines: &[String], value: &str, failures: &mut Vec<String>) {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 6 {
        return;
    }
    let anchor: String = chars[..6].iter().collect();
    for (y, line) in lines.iter().enumerate() {
        let row: Vec<char> = line.chars().collect();
        let mut from = 0;
        while let Some(at) = find_from(&row, &anchor, from) {
            from = at + 1;
            let same = row[at..]
                .iter()
                .zip(&chars)
                .take_while(|(a, b)| a == b)
                .count();
            if same == chars.len() {
                continue;
            }
            let next = row.get(at + same).copied();
            if next == Some('…') {
                continue;
            }
            // Another text that shares its start ("Sync 365 License" for "Sync 365 API").
            let border = |c: char| "│┃║".contains(c);
            if next.is_some_and(|c| c != ' ' && !border(c)) {
                continue;
            }
            let rest_blank = row[at + same..]
                .iter()
                .take_while(|c| !border(**c))
                .all(|c| *c == ' ');
            if !rest_blank {
                continue;
            }
            // A value inside a sentence may wrap: the next row goes on with the rest of it.
            let goes_on = lines.get(y + 1).is_some_and(|next| {
                let rest: String = chars[same..].iter().take(4).collect();
                next.contains(rest.trim())
            });
            if goes_on {
                continue;
            }
            failures.push(format!(
                "{value:?} cut without a marker: {:?}",
                line.trim_end()
            ));
        }
    }
}

fn find_from(row: &[char], needle: &str, from: usize) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..row.len().saturating_sub(needle.len() - 1)).find(|i| row[*i..].starts_with(&needle))
}

/// The values a screen must show whole or marked: the fields' and the step's values to copy.
fn values_of(app: &App, content: &StepContent) -> Vec<String> {
    let mut values: Vec<String> = [
        FieldId::Site,
        FieldId::CompanyId,
        FieldId::ClientId,
        FieldId::MemberId,
    ]
    .iter()
    .filter_map(|id| app.field(*id).map(|f| f.value().to_string()))
    .collect();
    for v in content.values.iter().chain(&content.portal) {
        if let ValueSource::Text(text) = &v.value {
            values.push(text.clone());
        }
    }
    values.retain(|v| !v.is_empty());
    values.sort();
    values.dedup();
    values
}

/// Every text of a step, as one string per text.
fn texts_of(content: &StepContent, notes: &[String]) -> Vec<String> {
    let mut texts = vec![content.intro.clone()];
    texts.extend(content.checklist.iter().cloned());
    texts.extend(notes.iter().cloned());
    texts.extend(content.portal_steps.iter().cloned());
    texts.extend(content.values.iter().map(|v| v.label.clone()));
    texts
}

/// Whether `name` occurs in `text` as a whole name (not inside a longer host or word).
fn names(text: &str, name: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(|c| part(c) || c == '.') && !after.is_some_and(part)
    })
}

/// A step names no member, role or host other than the ones shown to copy: each selected tool's
/// own member ID and role name appear only where steps 2 to 4 (or this step) show that name as
/// a value, and no other region's host than the chosen one's appears at all.
fn check_names(app: &App, step: StepId, content: &StepContent, failures: &mut Vec<String>) {
    let notes = app.notes_of(step);
    let texts = texts_of(content, &notes);
    // The names to type: this step's, and the role, member and key steps' (a later step
    // names the member step 3 made).
    let journey: Vec<StepContent> = [StepId::SecurityRole, StepId::ApiMember, StepId::ApiKey]
        .iter()
        .map(|s| app.content(*s))
        .collect();
    let shown: Vec<String> = journey
        .iter()
        .chain(std::iter::once(content))
        .flat_map(|c| c.values.iter().chain(&c.portal))
        .filter_map(|v| match &v.value {
            ValueSource::Text(t) => Some(t.clone()),
            ValueSource::Field(_) => None,
        })
        .collect();
    let mut others: Vec<(&str, String)> = Vec::new();
    for p in app.selected_profiles() {
        others.push(("member", p.member.member_id.clone()));
        others.push(("role", p.role.recommended_name.clone()));
    }
    let chosen = Region::from_host(SITE);
    for region in Region::all() {
        if Some(*region) != chosen {
            others.push(("host", region.login_host().to_string()));
            others.push(("host", region.api_host().to_string()));
        }
    }
    for (kind, name) in others {
        if name.len() < 3 || shown.iter().any(|s| s.contains(&name)) {
            continue;
        }
        for text in &texts {
            if names(text, &name) && !known_content_bug(app, step, kind, text) {
                failures.push(format!(
                    "{step:?} names the {kind} {name:?}, which it does not show to copy: {text:?}"
                ));
            }
        }
    }
}

/// A vendor's step quoted from its page may list every region's host ("api-aus.myconnectwise.net
/// (Australia), api-eu…", issue 25 item 5): it is kept in the vendor's words only when it goes on
/// to say which one to type, the value shown to copy.
fn known_content_bug(_app: &App, step: StepId, kind: &str, text: &str) -> bool {
    kind == "host"
        && matches!(step, StepId::Integration | StepId::Summary)
        && (text.contains("For yours, type ") || text.contains("Type only the one for your"))
}

/// Under "I already have an API member" the notes follow the plan: no function "stays None",
/// and no member or role is created.
fn check_plan_words(app: &App, step: StepId, content: &StepContent, failures: &mut Vec<String>) {
    if app.plan() != MemberPlan::ExistingMember {
        return;
    }
    let notes = app.notes_of(step);
    for text in texts_of(content, &notes) {
        let lower = text.to_lowercase();
        let creates = [
            "create the api member",
            "create one api member",
            "create a new api member",
            "create the security role",
            "create one security role",
            "new security role",
            "click + to add a member",
        ]
        .iter()
        .any(|w| lower.contains(w));
        if lower.contains("stays none") || creates {
            failures.push(format!("{step:?} under an existing member says: {text:?}"));
        }
    }
}

/// Every size and every focus on the current step; then its texts once. Returns how many
/// screens it drew.
fn check_step(name: &str, app: &mut App, failures: &mut Vec<String>) -> usize {
    let step = app.step;
    let content = app.content(step);
    let values = values_of(app, &content);
    let panes = app.panes().len();
    for size in SIZES {
        app.size = size;
        for focus in 0..panes.max(1) {
            app.focus = focus;
            let buffer = draw(app);
            let mut here = Vec::new();
            check_boxes(app, &buffer, &mut here);
            let lines = screen_text(&buffer);
            // The main area: under the header (the tools' names) and right of the step
            // sidebar (the steps' names), neither of which holds a value.
            let sidebar = if size.0 < 100 { 7 } else { 21 };
            let main: Vec<String> = lines
                .iter()
                .skip(1)
                .map(|l| l.chars().skip(sidebar).collect())
                .collect();
            for value in &values {
                check_value_whole_or_marked(&main, value, &mut here);
            }
            for failure in here {
                failures.push(format!(
                    "{name}, {step:?} at {}x{} with {:?} focused: {failure}\n{}",
                    size.0,
                    size.1,
                    app.focused_pane(),
                    lines.join("\n")
                ));
            }
        }
    }
    app.focus = 0;
    let mut here = Vec::new();
    check_names(app, step, &content, &mut here);
    check_plan_words(app, step, &content, &mut here);
    failures.extend(here.into_iter().map(|f| format!("{name}: {f}")));
    SIZES.len() * panes.max(1)
}

/// Every plan of `tools` tools through every step; the failures, described.
fn walk(tools: usize) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut screens = 0;
    for (name, mut app) in cases(tools) {
        for step in StepId::ALL {
            go_to(&mut app, step);
            assert_eq!(app.step, step, "{name}");
            screens += check_step(&name, &mut app, &mut failures);
            if step == StepId::Integration {
                // After a passing test: the results and the portal's values beside them.
                key(&mut app, KeyCode::Char('t'));
                update(
                    &mut app,
                    Msg::Check(CheckEvent::Done(Box::new(crate::wizard::passing_report()))),
                );
                screens += check_step(&format!("{name}, tested"), &mut app, &mut failures);
            }
        }
    }
    (screens, failures)
}

fn assert_none(screens: usize, mut failures: Vec<String>) {
    assert!(screens > 100, "{screens} screens");
    failures.dedup();
    // Each failure's first line, then the first two in full with their screens.
    let mut heads: Vec<&str> = failures.iter().filter_map(|f| f.lines().next()).collect();
    heads.dedup();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}\n\nthe first two:\n{}",
        failures.len(),
        heads
            .iter()
            .take(40)
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
        failures
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

// One test per tool count, so that the test runner draws them side by side.

#[test]
fn one_tool_under_every_plan_at_every_size_shows_every_box_and_value() {
    let (screens, failures) = walk(1);
    assert_none(screens, failures);
}

#[test]
fn two_tools_under_every_plan_at_every_size_show_every_box_and_value() {
    let (screens, failures) = walk(2);
    assert_none(screens, failures);
}

#[test]
fn three_tools_under_every_plan_at_every_size_show_every_box_and_value() {
    let (screens, failures) = walk(3);
    assert_none(screens, failures);
}

/// The screen of `app` at `size`, as text.
fn screen_at(app: &mut App, size: (u16, u16)) -> String {
    app.size = size;
    screen_text(&draw(app)).join("\n")
}

/// Issue 25's polish: the help's lines wrap under their text, never cut at its border, and the
/// symbols' column is as wide as its widest symbol.
#[test]
fn the_help_wraps_its_lines_instead_of_cutting_them() {
    let mut app = case(&TOOLS[..1], MemberPlan::OneMemberKeyPerTool);
    for size in [(70, 20), (80, 24)] {
        app.size = size;
        key(&mut app, KeyCode::Char('?'));
        let screen = screen_at(&mut app, size);
        assert!(
            screen.contains("↑ n · ↓ n more the list is cut off"),
            "{screen}"
        );
        // "a test stage or permission that passed": cut at the border it read "permission tha".
        assert!(screen.contains("that passed"), "{screen}");
        assert!(!screen.contains("permission tha "), "{screen}");
        key(&mut app, KeyCode::Esc);
    }
}

/// Issue 25's polish: a permission's name wider than its column ends with "…" ("Configuration -
/// Display Passwords" read "Configuration - Displa").
#[test]
fn a_long_function_name_in_the_role_table_is_marked() {
    let mut app = case(&["hudu"], MemberPlan::OneMemberKeyPerTool);
    go_to(&mut app, StepId::SecurityRole);
    let screen = screen_at(&mut app, (80, 24));
    assert!(screen.contains("Configuration - Displ…"), "{screen}");
}

/// Issue 25's polish: the client ID in the "check my work" boxes (`m`) is whole where the box
/// is wide enough, else its start and "…"; while typing, "…" and its end beside the caret.
#[test]
fn the_client_id_in_the_check_my_work_boxes_is_whole_or_marked() {
    let mut app = case(&TOOLS[..1], MemberPlan::OneMemberKeyPerTool);
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Esc);
    let wide = screen_at(&mut app, (100, 30));
    assert!(wide.contains(CLIENT_ID), "{wide}");
    let narrow = screen_at(&mut app, (80, 24));
    let marked = (8..CLIENT_ID.len()).any(|n| narrow.contains(&format!("{}…", &CLIENT_ID[..n])));
    assert!(marked, "{narrow}");
    app.focus = app
        .panes()
        .iter()
        .position(|p| *p == Pane::Field(FieldId::ClientId))
        .expect("the client ID box");
    let typing = screen_at(&mut app, (80, 24));
    let tail = (1..CLIENT_ID.len() - 8).any(|n| typing.contains(&format!("…{}▏", &CLIENT_ID[n..])));
    assert!(tail, "{typing}");
}

/// Issue 25, item 2: on a screen that cannot hold every box (three tools, "check my work" on,
/// 70x20), the focused box is always shown, with its content row, and the title row says how
/// many boxes are above and below it.
#[test]
fn a_screen_too_short_for_every_box_shows_the_focused_one_and_says_what_is_hidden() {
    let mut app = case(&TOOLS, MemberPlan::OneMemberKeyPerTool);
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Esc);
    app.size = (70, 20);
    let mut hidden_somewhere = false;
    for focus in 0..app.panes().len() {
        app.focus = focus;
        let pane = app.focused_pane();
        let rects = view::pane_rects(&app);
        let rect = rects
            .iter()
            .find(|(p, _)| *p == pane)
            .map(|(_, r)| *r)
            .unwrap_or_else(|| panic!("{pane:?} focused but not shown"));
        assert!(
            rect.height >= 3 || pane == Pane::Notes,
            "{pane:?}: {rect:?}"
        );
        let screen = screen_at(&mut app, (70, 20));
        if rects.len() < app.panes().len() {
            hidden_somewhere = true;
            let title = screen.lines().nth(1).unwrap_or_default();
            assert!(
                title.contains("above") || title.contains("below"),
                "{pane:?}:\n{screen}"
            );
            assert!(
                title.contains("…") || title.contains("Prerequisites"),
                "{title}"
            );
        }
    }
    assert!(
        hidden_somewhere,
        "70x20 with three tools and own keys hides some box"
    );
}

/// Issue 25's "Free height": at 100x60 (where the checklist said "↓ 4 more" above 7 blank rows)
/// no step leaves rows blank under a box that has more to show.
#[test]
fn at_100x60_no_box_is_cut_above_blank_rows() {
    let mut failures = Vec::new();
    for n in 1..=TOOLS.len() {
        for (name, mut app) in cases(n) {
            for step in StepId::ALL {
                go_to(&mut app, step);
                app.size = (100, 60);
                for focus in 0..app.panes().len() {
                    app.focus = focus;
                    let buffer = draw(&app);
                    let mut here = Vec::new();
                    check_free_rows(&buffer, &view::pane_rects(&app), &mut here);
                    failures.extend(here.into_iter().map(|f| format!("{name}, {step:?}: {f}")));
                }
                app.focus = 0;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
