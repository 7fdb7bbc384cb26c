//! The detail view of one test result: a stage or a permission row of the Integration step's
//! results, in full (summary, detail, fix), word-wrapped and scrollable. An overlay of its own,
//! drawn over the test panel without changing how the panel itself is laid out.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};

use super::wrap::wrap_line;
use crate::check::{PermissionResult, PermissionStatus, StageId, StageStatus};
use crate::profile::MergedRole;
use crate::setup::check_state::{CheckState, ResultRow, StageView};

/// One result, ready to show: a title and paragraphs (an empty string is a blank line).
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// First wrapped row shown.
    pub scroll: usize,
}

/// The results list's rows: the stages in order, then the permission rows.
pub fn row_count(check: &CheckState) -> usize {
    check.row_count()
}

/// Whether row `index` of the results failed (a ✗ stage or a ✗ permission row).
pub fn row_failed(check: &CheckState, index: usize) -> bool {
    match check.row(index) {
        Some(ResultRow::Stage(id)) => matches!(
            check.stages.get(&id),
            Some(StageView::Finished(r)) if r.status == StageStatus::Fail
        ),
        Some(ResultRow::Permission(i)) => check
            .permissions
            .get(i)
            .is_some_and(|p| p.status == PermissionStatus::Fail),
        None => false,
    }
}

/// The next failed row after `from`, wrapping around; `None` when no row failed.
pub fn next_failed(check: &CheckState, from: usize) -> Option<usize> {
    let n = row_count(check);
    (1..=n)
        .map(|step| (from + step) % n)
        .find(|&i| row_failed(check, i))
}

/// The full text of results row `index`, or `None` when it has nothing to show yet.
/// `role` is the role the test compared with: a row's Customize list comes from it, so the
/// tables to allow can be read here at any terminal size.
pub fn for_row(check: &CheckState, index: usize, role: &MergedRole) -> Option<Detail> {
    match check.row(index)? {
        ResultRow::Stage(id) => Some(stage_detail(check, id)),
        ResultRow::Permission(i) => check.permissions.get(i).map(|p| {
            let customize = role
                .rows
                .iter()
                .find(|r| r.module == p.module && r.function == p.function)
                .and_then(crate::profile::MergedRow::customize_phrase);
            permission_detail(p, customize)
        }),
    }
}

fn stage_detail(check: &CheckState, id: StageId) -> Detail {
    let mut paragraphs = Vec::new();
    match check.stages.get(&id) {
        Some(StageView::Finished(r)) => {
            let status = match r.status {
                StageStatus::Pass => "passed",
                StageStatus::Warn => "passed with a warning",
                StageStatus::Fail => "failed",
                StageStatus::Skip => "skipped (an earlier stage failed)",
            };
            paragraphs.push(format!("{} {status}", r.status.symbol()));
            paragraphs.push(String::new());
            paragraphs.push(format!("Found: {}", r.summary_text()));
            if let Some(fix) = r.fix_text() {
                paragraphs.push(String::new());
                paragraphs.push(format!("Fix: {fix}"));
            }
        }
        Some(StageView::Running) => paragraphs.push("running…".into()),
        Some(StageView::Waiting) | None => {
            paragraphs.push("not run yet: press t to run the test".into());
        }
    }
    Detail {
        title: format!("{}: {}", id.id(), id.title()),
        paragraphs,
        scroll: 0,
    }
}

fn permission_detail(p: &PermissionResult, customize: Option<String>) -> Detail {
    let status = match p.status {
        PermissionStatus::Pass => "verified",
        PermissionStatus::Fail => "failed",
        PermissionStatus::Unverified => "not verifiable here: check it by hand",
    };
    let mut paragraphs = vec![
        format!("{} {status}", p.status.symbol()),
        String::new(),
        format!("Required: {}", p.required),
    ];
    if let Some(customize) = customize {
        paragraphs.push(format!("Customize (the vendor's list): {customize}"));
    }
    paragraphs.extend([String::new(), format!("Found: {}", p.detail)]);
    Detail {
        title: format!("{} / {}", p.module_text(), p.function),
        paragraphs,
        scroll: 0,
    }
}

/// Where the overlay goes in a screen of `area`: nearly all of it, at most 100 columns wide.
fn popup(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(100);
    let height = area.height.saturating_sub(2);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

impl Detail {
    /// The wrapped rows of the text in `width` columns.
    fn rows(&self, width: usize) -> Vec<Line<'static>> {
        self.paragraphs
            .iter()
            .flat_map(|p| wrap_line(&Line::from(p.clone()), width))
            .collect()
    }

    /// Rows of text the overlay shows at once in a screen of `size` (the last row is the key line).
    fn visible(size: (u16, u16)) -> usize {
        usize::from(
            popup(Rect::new(0, 0, size.0, size.1))
                .height
                .saturating_sub(3),
        )
        .max(1)
    }

    /// The largest useful scroll in a screen of `size`.
    pub fn max_scroll(&self, size: (u16, u16)) -> usize {
        let width = usize::from(
            popup(Rect::new(0, 0, size.0, size.1))
                .width
                .saturating_sub(2),
        );
        self.rows(width).len().saturating_sub(Self::visible(size))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let popup = popup(area);
        Clear.render(popup, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Double)
            .title(Span::styled(
                format!(" {} ", self.title),
                Style::default().add_modifier(Modifier::BOLD),
            ));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let rows = self.rows(usize::from(inner.width));
        let visible = usize::from(inner.height.saturating_sub(1)).max(1);
        let scroll = self.scroll.min(rows.len().saturating_sub(visible));
        let shown: Vec<Line<'static>> = rows.iter().skip(scroll).take(visible).cloned().collect();
        let more_above = scroll > 0;
        let more_below = scroll + visible < rows.len();
        Paragraph::new(shown).render(
            Rect {
                height: inner.height.saturating_sub(1),
                ..inner
            },
            buf,
        );
        let mut keys = String::from("Esc close");
        if more_above || more_below {
            keys.push_str("   ↑/↓ scroll");
        }
        if more_below {
            keys.push_str("   ▼ more below");
        } else if more_above {
            keys.push_str("   ▲ more above");
        }
        Paragraph::new(Line::styled(
            keys,
            Style::default().add_modifier(Modifier::DIM),
        ))
        .render(
            Rect {
                y: inner.y + inner.height.saturating_sub(1),
                height: 1.min(inner.height),
                ..inner
            },
            buf,
        );
    }
}
