//! What each list pane and each detail shows, as lines before layout: the one source for
//! drawing (`panes`, `sections`), sizing (`layout`) and clicks. A leaf of the view: it draws
//! nothing and knows no rectangle, only the width a detail wraps to.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::check::{StageId, StageStatus};
use crate::permission::Levels;
use crate::setup::check_state::ResultRow;
use crate::setup::content::{CopyValue, RoleItem, StepContent, ValueSource};
use crate::wizard::app::{App, Pane, StageView, StepId, Tone, stage_symbol};
use crate::wizard::plan::DetailKind;

use super::Theme;

/// The rows of a list pane, before wrapping: the one source for drawing, layout and clicks.
pub(super) fn list_rows(
    app: &App,
    content: &StepContent,
    theme: Theme,
    pane: Pane,
) -> Vec<Line<'static>> {
    match pane {
        // Only the rows the vendor filter matches: the cursor and clicks index this list.
        Pane::Profiles => app
            .visible_profiles()
            .into_iter()
            .map(|i| (&app.profiles[i], app.selected[i]))
            .map(|(p, on)| {
                Line::from(vec![
                    Span::raw(if on { "[x] " } else { "[ ] " }),
                    Span::styled(
                        format!("{}  ", p.product),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(format!("{} ({})", p.vendor, p.id), theme.dim()),
                ])
            })
            .collect(),
        Pane::Checklist => content
            .checklist
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ticked = app.is_ticked(app.step, item);
                let style = if ticked {
                    theme.tone(&Tone::Good)
                } else {
                    Style::default()
                };
                Line::from(vec![
                    Span::styled(if ticked { "[✓] " } else { "[ ] " }, style),
                    Span::raw(format!("{}. ", i + 1)),
                    Span::raw(item.clone()),
                ])
            })
            .collect(),
        Pane::Values => value_rows(app, theme, &content.values),
        Pane::Portal => value_rows(app, theme, &content.portal),
        Pane::Region => {
            let chosen = app.hosting();
            app.hosting_options()
                .into_iter()
                .map(|option| {
                    let label = if app.step == StepId::Prerequisites {
                        option.label()
                    } else {
                        option.short_label()
                    };
                    Line::from(vec![
                        Span::raw(if chosen == Some(option) {
                            "(•) "
                        } else {
                            "( ) "
                        }),
                        Span::raw(label),
                    ])
                })
                .collect()
        }
        Pane::Plan => {
            let several = app.selected_profiles().len() > 1;
            let chosen = app.plan();
            app.plan_options()
                .into_iter()
                .map(|plan| {
                    Line::from(vec![
                        Span::raw(if plan == chosen { "(•) " } else { "( ) " }),
                        Span::raw(plan.label(several)),
                    ])
                })
                .collect()
        }
        Pane::Stages => stage_rows(app, theme),
        Pane::RoleTable => role_rows(content, theme),
        Pane::Audit => audit_rows(app, theme),
        Pane::Notes => app
            .notes_of(app.step)
            .into_iter()
            .map(|note| {
                Line::from(vec![
                    Span::styled("! ", theme.tone(&Tone::Warn)),
                    Span::raw(note),
                ])
            })
            .collect(),
        Pane::Field(_) => Vec::new(),
    }
}

/// "Check my work as I go": the audit's lines for this step, a symbol and colour per status.
pub(super) fn audit_rows(app: &App, theme: Theme) -> Vec<Line<'static>> {
    use crate::audit::AuditStatus;
    crate::setup::own_keys::lines(app, app.step)
        .into_iter()
        .map(|l| {
            let lead = match l.status {
                Some(status) => {
                    let tone = match status {
                        AuditStatus::Pass => Tone::Good,
                        AuditStatus::Manual => Tone::Info,
                        AuditStatus::Warn => Tone::Warn,
                        AuditStatus::Fail => Tone::Bad,
                    };
                    Span::styled(format!("{} ", status.symbol()), theme.tone(&tone))
                }
                None if l.indent => Span::raw("    "),
                None => Span::raw(""),
            };
            Line::from(vec![lead, Span::raw(l.text)])
        })
        .collect()
}

pub(super) fn value_rows(app: &App, theme: Theme, values: &[CopyValue]) -> Vec<Line<'static>> {
    let width = values
        .iter()
        .map(|v| v.label.chars().count())
        .max()
        .unwrap_or(0);
    values
        .iter()
        .map(|v| {
            let shown = match &v.value {
                ValueSource::Text(text) if text.is_empty() => "(empty)".to_string(),
                ValueSource::Text(text) => text.clone(),
                ValueSource::Field(id) => app
                    .key_input(*id)
                    .map(|input| {
                        if input.secret().is_empty() {
                            "(not entered)".to_string()
                        } else {
                            input.masked().to_string()
                        }
                    })
                    .unwrap_or_default(),
            };
            Line::from(vec![
                Span::styled(format!("{:width$}  ", v.label), theme.dim()),
                Span::styled(shown, Style::default().add_modifier(Modifier::BOLD)),
            ])
        })
        .collect()
}

/// The four levels, each in its 6-wide column, centred like the column's heading.
pub(super) fn level_cells(levels: &Levels) -> String {
    levels
        .iter()
        .map(|(_, level)| format!("{:^6}", level.cell()))
        .collect()
}

/// `text` in a column `width` wide: padded when shorter, cut with "…" when longer (Enter and
/// the detail below read the row whole).
pub(super) fn cell(text: &str, width: usize) -> String {
    let cut = crate::wizard::wrap::fit(&Line::from(text.to_string()), width);
    let shown: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
    format!("{shown:<width$}")
}

pub(super) fn role_rows(content: &StepContent, theme: Theme) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    let mut last_module: Option<&str> = None;
    for item in content.role_items() {
        let row = match item {
            RoleItem::Heading(heading) => {
                // A new role's table: its module column starts again.
                last_module = None;
                rows.push(Line::from(Span::styled(
                    heading.to_string(),
                    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                )));
                continue;
            }
            RoleItem::Row(row) => row,
        };
        let module = if last_module == Some(row.module.as_str()) {
            ""
        } else {
            row.module.as_str()
        };
        last_module = Some(row.module.as_str());
        rows.push(Line::from(vec![
            Span::styled(
                format!("{} ", cell(module, 12)),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(cell(&row.function, 22)),
            Span::raw(level_cells(&row.levels)),
            Span::styled(if row.optional { " optional" } else { "" }, theme.dim()),
            Span::styled(
                match (&row.setup_only, &row.customize_deny) {
                    (Some(_), _) => " setup only",
                    (None, Some(_)) => " deny-list",
                    (None, None) => "",
                },
                theme.dim(),
            ),
        ]));
    }
    rows
}

pub(super) fn stage_style(theme: Theme, status: Option<StageStatus>) -> Style {
    match status {
        Some(StageStatus::Pass) => theme.tone(&Tone::Good),
        Some(StageStatus::Warn) => theme.tone(&Tone::Warn),
        Some(StageStatus::Fail) => theme.tone(&Tone::Bad),
        Some(StageStatus::Skip) | None => theme.dim(),
    }
}

pub(super) fn stage_rows(app: &App, theme: Theme) -> Vec<Line<'static>> {
    app.check
        .rows()
        .filter_map(|row| match row {
            ResultRow::Stage(id) => Some(stage_row(app, theme, id)),
            ResultRow::Permission(i) => app.check.permissions.get(i).map(|p| {
                let style = match p.status {
                    crate::check::PermissionStatus::Pass => theme.tone(&Tone::Good),
                    crate::check::PermissionStatus::Fail => theme.tone(&Tone::Bad),
                    crate::check::PermissionStatus::Unverified => theme.tone(&Tone::Warn),
                };
                Line::from(vec![
                    Span::raw("   "),
                    Span::styled(format!("{} ", p.status.symbol()), style),
                    Span::raw(format!("{} / {}  ", p.module_text(), p.function)),
                    Span::styled(p.required.clone(), theme.dim()),
                ])
            }),
        })
        .collect()
}

fn stage_row(app: &App, theme: Theme, id: StageId) -> Line<'static> {
    let view = app.check.stage(id);
    let status = crate::wizard::app::stage_status(view);
    let summary = match view {
        Some(StageView::Finished(r)) => r.summary_text(),
        // Seconds since `t`, of the limit the whole test has (--timeout); a retry says so.
        Some(StageView::Running) => {
            let mut text = format!(
                "running… {} s of {} s",
                app.check.elapsed.as_secs(),
                app.settings.timeout.as_secs()
            );
            if let Some(retry) = &app.check.retry {
                text.push_str(" · ");
                text.push_str(retry);
            }
            text
        }
        _ if app.check.report.is_none() && !app.check.running => "not run yet".into(),
        _ => String::new(),
    };
    Line::from(vec![
        Span::styled(
            format!("{} ", stage_symbol(view, app.spinner)),
            stage_style(theme, status),
        ),
        Span::styled(
            format!("{:<12}", id.id()),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(summary),
    ])
}

/// The detail's rows, wrapped to `width`: what the renderer draws and the layout makes room for.
pub(super) fn detail_lines(
    app: &App,
    content: &StepContent,
    kind: DetailKind,
    theme: Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let width = width as usize;
    match kind {
        DetailKind::RoleRow => role_row_detail(app, content, theme)
            .iter()
            .flat_map(|l| crate::wizard::wrap::wrap_line(l, width))
            .collect(),
        DetailKind::TestResult => integration_detail(app, theme)
            .iter()
            .flat_map(|(line, hang)| match hang {
                Some(indent) => crate::wizard::wrap::wrap_hanging(line, width, *indent),
                None => crate::wizard::wrap::wrap_line(line, width),
            })
            .collect(),
    }
}

fn role_row_detail(app: &App, content: &StepContent, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(row) = content.role_row_at(app.cursor(Pane::RoleTable)) {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} / {}: ", row.module, row.function),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(row.levels.describe()),
        ]));
        for why in &row.why {
            lines.push(Line::from(vec![
                Span::raw("   why: "),
                Span::raw(why.clone()),
            ]));
        }
        if row.optional {
            // What stops working without it, in the vendor's words: the reason to add it or not.
            let because = if row.optional_because.is_empty() {
                "the vendor calls it optional".to_string()
            } else {
                row.optional_because.join("; ")
            };
            lines.push(Line::from(vec![
                Span::styled("   optional: ", theme.tone(&Tone::Warn)),
                Span::raw(because),
            ]));
        }
        if let Some(customize) = row.customize_phrase() {
            lines.push(Line::from(vec![
                Span::raw("   customize: "),
                Span::raw(customize),
            ]));
        }
        if let Some(setup) = row.setup_phrase() {
            lines.push(Line::from(vec![
                Span::raw("   setup only: "),
                Span::raw(setup),
            ]));
        }
    }
    for note in &content.notes {
        lines.push(Line::from(vec![
            Span::styled(" ! ", theme.tone(&Tone::Warn)),
            Span::raw(note.clone()),
        ]));
    }
    lines
}

/// The warnings (what to act on; those `said` does not already hold) and, apart, the notes.
pub(super) fn verdict_lines(
    report: &crate::check::CheckReport,
    theme: Theme,
    said: &str,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(crate::check::Tagged::shown)
        .filter(|w| said.is_empty() || !said.contains(w.as_str()))
        .collect();
    if !report.warnings.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                " {}: act on each, or accept it knowingly",
                crate::check::plural(report.warnings.len(), "warning", "warnings")
            ),
            theme.tone(&Tone::Warn),
        )));
    }
    for warning in warnings {
        lines.push(Line::from(vec![
            Span::styled(" ⚠ ", theme.tone(&Tone::Warn)),
            Span::raw(warning),
        ]));
    }
    for note in &report.notes {
        lines.push(Line::from(vec![
            Span::styled(" note: ", theme.dim()),
            Span::styled(note.shown(), theme.dim()),
        ]));
    }
    lines
}

/// A paragraph of the test's detail and the indent of its continuation rows (`None`: under its
/// text, after the label).
type DetailLine = (Line<'static>, Option<usize>);

/// The test's detail: the focused result in full; after a failed test, with the focus elsewhere,
/// the first failed stage. A failed stage's fix comes first, then what the test found.
pub(super) fn integration_detail(app: &App, theme: Theme) -> Vec<DetailLine> {
    let focused = app.focused_pane() == Pane::Stages;
    let row = if focused {
        app.check.row(app.cursor(Pane::Stages))
    } else {
        app.check.rows().find(|row| match row {
            ResultRow::Stage(id) => matches!(
                app.check.stage(*id),
                Some(StageView::Finished(r)) if r.status == StageStatus::Fail
            ),
            ResultRow::Permission(_) => false,
        })
    };
    match row {
        Some(ResultRow::Stage(id)) => {
            if let Some(StageView::Finished(r)) = app.check.stage(id) {
                return stage_detail(app, theme, id, r);
            }
        }
        Some(ResultRow::Permission(i)) => {
            if let Some(p) = app.check.permissions.get(i) {
                return vec![
                    (
                        Line::from(vec![
                            Span::styled(
                                format!(
                                    " {} {} / {}: ",
                                    p.status.symbol(),
                                    p.module_text(),
                                    p.function
                                ),
                                Style::default().add_modifier(Modifier::BOLD),
                            ),
                            Span::raw(format!("needs {}", p.required)),
                        ]),
                        None,
                    ),
                    (Line::from(format!(" {}", p.detail)), Some(1)),
                ];
            }
        }
        None => {}
    }
    if let Some(report) = &app.check.report {
        let mut lines = Vec::new();
        if let Some(base) = &report.api_base {
            lines.push(Line::from(format!(
                " API base {base}  ·  {}  ·  {}",
                report.version.as_deref().unwrap_or("version unknown"),
                match report.is_cloud {
                    Some(true) => "cloud",
                    Some(false) => "self-hosted",
                    None => "cloud or self-hosted unknown",
                }
            )));
        }
        lines.extend(verdict_lines(report, theme, ""));
        return lines.into_iter().map(|l| (l, None)).collect();
    }
    vec![(
        Line::from(Span::styled(
            " Fill in the fields (the keys come from step 4), then press t or Enter on the last field to test.",
            theme.dim(),
        )),
        Some(1),
    )]
}

/// One finished stage: failed, its fix first (word-wrapped under the whole width), then what
/// the test found; otherwise what it found, its advice, and the verdict's warnings and notes.
fn stage_detail(
    app: &App,
    theme: Theme,
    id: StageId,
    r: &crate::check::StageResult,
) -> Vec<DetailLine> {
    let style = stage_style(theme, Some(r.status)).add_modifier(Modifier::BOLD);
    // A failed stage or a warning: what to do comes first, then what the test found.
    let lead = match r.status {
        StageStatus::Fail => Some("failed. Fix: "),
        StageStatus::Warn => Some("passed with a warning. Act on it or accept it: "),
        _ => None,
    };
    let fix_text = r.fix_text();
    let summary = r.summary_text();
    if let (Some(lead), Some(fix)) = (lead, &fix_text) {
        let mut lines = vec![
            (
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled(
                        format!("{} {}: {lead}", r.status.symbol(), id.title()),
                        style,
                    ),
                    Span::raw(fix.clone()),
                ]),
                Some(1),
            ),
            (
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled("Found: ", theme.dim()),
                    Span::raw(summary.clone()),
                ]),
                Some(1),
            ),
        ];
        if r.status == StageStatus::Warn
            && let Some(report) = &app.check.report
        {
            lines.extend(
                verdict_lines(report, theme, fix)
                    .into_iter()
                    .map(|l| (l, Some(1))),
            );
        }
        return lines;
    }
    let mut lines = vec![(
        Line::from(vec![
            Span::styled(format!(" {} {}: ", r.status.symbol(), id.title()), style),
            Span::raw(summary),
        ]),
        None,
    )];
    if let Some(fix) = &fix_text {
        lines.push((
            Line::from(vec![
                Span::styled(" fix: ", theme.key()),
                Span::raw(fix.clone()),
            ]),
            None,
        ));
    }
    // After a pass, the verdict's warnings (those the fix did not say) and notes.
    if r.status != StageStatus::Fail
        && let Some(report) = &app.check.report
    {
        let fix = fix_text.as_deref().unwrap_or("");
        lines.extend(
            verdict_lines(report, theme, fix)
                .into_iter()
                .map(|l| (l, None)),
        );
    }
    lines
}
