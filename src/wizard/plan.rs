//! Each step's plan: its sections, top to bottom, in one ordered list. The view lays the screen
//! out from it and Tab moves through its panes in the same order, so what the eye sees and where
//! the focus goes cannot disagree. Adding a step means adding its plan here (and its texts in
//! `content`).

use ratatui::layout::Constraint;

use super::app::App;
use super::pane::Pane;
use crate::sanitize::FieldKind;
use crate::setup::fields::{FieldId, Holder};
use crate::setup::own_keys;
use crate::setup::step::{MemberPlan, StepId};

/// How tall a section is, resolved by the view against the main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Height {
    Length(u16),
    Min(u16),
    /// A list pane: its wrapped rows with borders, at most `cap` rows; `tall` raises the cap to
    /// its second number on a main area at least its first number high.
    List {
        cap: u16,
        tall: Option<(u16, u16)>,
    },
    /// The step's intro: two rows at most, one on a short terminal.
    Intro,
    /// `short` rows on a short terminal, else `tall`.
    Short {
        short: u16,
        tall: u16,
    },
    /// The test results (a list, or lists side by side): their rows with borders, giving way
    /// down to `min` rows to the detail below, which comes first (a failed stage's fix).
    Results {
        min: u16,
    },
    /// The detail under the results: the rows it needs (wrapped), at least `min`, and whatever
    /// the results leave.
    Detail {
        min: u16,
    },
}

/// What the detail section explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailKind {
    /// The why of the focused role row, then the role's notes.
    RoleRow,
    /// The fix of the focused test stage, or the verdict.
    TestResult,
}

/// One part of a step's main area.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Title,
    Intro,
    Pane(Pane),
    Detail(DetailKind),
    /// The detail, replaced by the step's notes (scrollable) while the notes have the focus.
    NotesOrDetail(DetailKind),
    /// Every step's state, on the Summary.
    StepStates,
    /// Parts side by side, each with its width.
    Row(Vec<(Constraint, Section)>),
    /// Parts stacked inside a row.
    Column(Vec<Section>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub part: Part,
    pub height: Height,
}

fn section(part: Part, height: Height) -> Section {
    Section { part, height }
}

fn pane(pane: Pane, height: Height) -> Section {
    section(Part::Pane(pane), height)
}

fn list(p: Pane, cap: u16) -> Section {
    pane(p, Height::List { cap, tall: None })
}

fn field(id: FieldId) -> Section {
    pane(Pane::Field(id), Height::Length(3))
}

/// Fields side by side, in equal widths.
fn field_row(ids: &[FieldId]) -> Section {
    let n = ids.len().max(1) as u32;
    section(
        Part::Row(
            ids.iter()
                .map(|id| (Constraint::Ratio(1, n), field(*id)))
                .collect(),
        ),
        Height::Length(3),
    )
}

/// Whether step 5's inputs are shown compact: once a test has run (or runs) and the focus is not
/// in them, the results and the fix get their rows; Tab back into an input expands them.
pub fn inputs_compact(app: &App) -> bool {
    let tested = app.check.running || app.check.report.is_some();
    tested
        && app.step == StepId::Integration
        && app.overlay.is_none()
        && !matches!(app.focused_pane(), Pane::Region | Pane::Field(_))
}

/// The sections of `step`, top to bottom.
pub fn plan(app: &App, step: StepId) -> Vec<Section> {
    let compact = step == StepId::Integration && inputs_compact(app);
    plan_with(app, step, compact)
}

/// The sections of `step`; `compact` (step 5 only) folds the inputs to two rows of boxes. The
/// panes and their order are the same either way, so the Tab order never depends on it.
fn plan_with(app: &App, step: StepId, compact: bool) -> Vec<Section> {
    let mut plan = vec![
        section(Part::Title, Height::Length(1)),
        section(Part::Intro, Height::Intro),
    ];
    let own = app.own.enabled;
    match step {
        StepId::Prerequisites => prerequisites(app, own, &mut plan),
        StepId::SecurityRole => security_role(app, own, &mut plan),
        StepId::ApiMember => api_member(app, own, &mut plan),
        StepId::ApiKey => api_key(app, &mut plan),
        StepId::Integration => integration(app, compact, &mut plan),
        StepId::Summary => summary(&mut plan),
    }
    plan
}

/// Step 1: the vendors, where ConnectWise runs, the plan, the checklist, and the technician's own keys when "check my work as I go" is on.
fn prerequisites(app: &App, own: bool, plan: &mut Vec<Section>) {
    plan.push(list(Pane::Profiles, super::app::VENDOR_ROWS));
    plan.push(list(Pane::Region, 7));
    plan.push(list(Pane::Plan, 4));
    if app.asks_server_address() {
        plan.push(field(FieldId::Site));
    }
    plan.push(list(Pane::Checklist, if own { 3 } else { 10 }));
    if own {
        // The technician's own keys, then where to use them.
        plan.push(field_row(&[FieldId::MyPublicKey, FieldId::MyPrivateKey]));
        let row = [FieldId::Site, FieldId::CompanyId, FieldId::ClientId];
        if app.size.0 >= 100 {
            // Wide enough: the client ID's box holds its whole GUID.
            plan.push(section(
                Part::Row(
                    row.iter()
                        .map(|id| {
                            let width = if *id == FieldId::ClientId {
                                Constraint::Length(38)
                            } else {
                                Constraint::Fill(1)
                            };
                            (width, field(*id))
                        })
                        .collect(),
                ),
                Height::Length(3),
            ));
        } else {
            plan.push(field_row(&row));
        }
    }
    plan.push(pane(Pane::Notes, Height::Min(2)));
}

/// Step 2: the role table and its notes matter most here: the checklist scrolls instead.
fn security_role(app: &App, own: bool, plan: &mut Vec<Section>) {
    // The role table and its notes matter most here: the checklist scrolls instead.
    plan.push(pane(
        Pane::Checklist,
        Height::List {
            cap: 3,
            tall: Some((36, 6)),
        },
    ));
    // The role name, then each vendor's guide: a second row only where there is room.
    plan.push(pane(
        Pane::Values,
        Height::List {
            cap: 1,
            tall: Some((26, 2)),
        },
    ));
    if own {
        plan.push(field(FieldId::RoleName));
    }
    let table = match app.content(StepId::SecurityRole).role_items().len() {
        0 => 5,
        n => (n as u16 + 3).min(if own { 7 } else { 14 }),
    };
    plan.push(pane(Pane::RoleTable, Height::Length(table)));
    let detail = Part::NotesOrDetail(DetailKind::RoleRow);
    if own {
        // The role read back with the technician's keys; the focused row's reasons below.
        plan.push(pane(Pane::Audit, Height::Min(4)));
        plan.push(section(detail, Height::Length(1)));
    } else {
        // The focused row's reasons, then the role's notes (restricted agreement types…).
        plan.push(section(detail, Height::Min(3)));
    }
}

/// Step 3: the checklist, the member's values, and the audit when it is on.
fn api_member(app: &App, own: bool, plan: &mut Vec<Section>) {
    plan.push(list(Pane::Checklist, 10));
    // Under "I already have an API member" there is nothing to type until its ID is: no empty box.
    if !app.content(StepId::ApiMember).values.is_empty() {
        plan.push(list(Pane::Values, 4));
    }
    if app.plan() == MemberPlan::ExistingMember && !own {
        // The existing member's ID is asked here: the audit, the portal and the handoff use it.
        plan.push(field(FieldId::MemberId));
        plan.push(pane(Pane::Notes, Height::Min(2)));
    } else if own {
        plan.push(field(FieldId::MemberId));
        plan.push(pane(Pane::Audit, Height::Min(4)));
        plan.push(pane(Pane::Notes, Height::Length(2)));
    } else {
        plan.push(pane(Pane::Notes, Height::Min(2)));
    }
}

/// Step 4: one key pair, or one per tool under some member plans.
fn api_key(app: &App, plan: &mut Vec<Section>) {
    plan.push(list(Pane::Checklist, 8));
    plan.push(list(Pane::Values, 2));
    let pairs = app.key_fields();
    for (_, public, private) in &pairs {
        if pairs.len() > 1 {
            // A pair per tool: each tool's two boxes on one row, so that three tools fit.
            plan.push(field_row(&[*public, *private]));
        } else {
            plan.push(field(*public));
            plan.push(field(*private));
        }
    }
    plan.push(pane(Pane::Notes, Height::Min(2)));
}

/// Step 5: where ConnectWise runs and the values beside it, the results, and the detail of the focused result.
fn integration(app: &App, compact: bool, plan: &mut Vec<Section>) {
    // The step's fields come from the field table, in its order: the site first.
    let fields = FieldId::INTEGRATION;
    let boxes = fields.len() as u16;
    if compact {
        // The region chosen on one row beside the first field (the site); the others below,
        // a client ID wide enough for its GUID.
        let (first, rest) = fields
            .split_first()
            .expect("the Integration step has fields");
        plan.push(section(
            Part::Row(vec![
                (
                    Constraint::Length(30),
                    pane(Pane::Region, Height::Length(3)),
                ),
                (Constraint::Min(20), field(*first)),
            ]),
            Height::Length(3),
        ));
        let width = |id: FieldId| match id.spec().holder {
            Holder::Text(FieldKind::ClientId) => Constraint::Length(40),
            Holder::Text(_) | Holder::Key => Constraint::Min(16),
        };
        plan.push(section(
            Part::Row(rest.iter().map(|id| (width(*id), field(*id))).collect()),
            Height::Length(3),
        ));
    } else {
        plan.push(section(
            Part::Row(vec![
                (Constraint::Length(30), pane(Pane::Region, Height::Min(1))),
                (
                    Constraint::Min(20),
                    section(
                        Part::Column(fields.iter().map(|id| field(*id)).collect()),
                        Height::Min(1),
                    ),
                ),
            ]),
            Height::Length(3 * boxes),
        ));
    }
    let results = if app.check.passed() {
        section(
            Part::Row(vec![
                (
                    Constraint::Percentage(50),
                    pane(Pane::Stages, Height::Min(1)),
                ),
                (
                    Constraint::Percentage(50),
                    pane(Pane::Portal, Height::Min(1)),
                ),
            ]),
            Height::Results { min: 5 },
        )
    } else {
        pane(Pane::Stages, Height::Results { min: 5 })
    };
    plan.push(results);
    // The detail (a failed stage's fix first) takes the rows it needs; the results
    // scroll, with a marker, when both do not fit.
    plan.push(section(
        Part::Detail(DetailKind::TestResult),
        Height::Detail { min: 3 },
    ));
}

/// The Summary: every step's state, then what is left to do.
fn summary(plan: &mut Vec<Section>) {
    plan.push(section(Part::StepStates, Height::Length(5)));
    plan.push(list(Pane::Checklist, 8));
    plan.push(list(Pane::Values, 8));
    plan.push(pane(Pane::Notes, Height::Min(2)));
}

/// The panes of a plan in screen order: the Tab order. The notes take the focus only when there
/// are notes to read.
fn focus_order(sections: &[Section], has_notes: bool, out: &mut Vec<Pane>) {
    for section in sections {
        match &section.part {
            Part::Pane(Pane::Notes) | Part::NotesOrDetail(_) => {
                if has_notes {
                    out.push(Pane::Notes);
                }
            }
            Part::Pane(pane) => out.push(*pane),
            Part::Row(parts) => {
                let inner: Vec<Section> = parts.iter().map(|(_, s)| s.clone()).collect();
                focus_order(&inner, has_notes, out);
            }
            Part::Column(parts) => focus_order(parts, has_notes, out),
            Part::Title | Part::Intro | Part::Detail(_) | Part::StepStates => {}
        }
    }
}

impl App {
    /// The focusable panes of the current step, in Tab order.
    pub fn panes(&self) -> Vec<Pane> {
        self.panes_of(self.step)
    }

    /// The focusable panes of `step`, in Tab order: its plan's panes, top to bottom.
    pub fn panes_of(&self, step: StepId) -> Vec<Pane> {
        let mut panes = Vec::new();
        focus_order(
            &plan_with(self, step, false),
            !self.notes_of(step).is_empty(),
            &mut panes,
        );
        panes
    }

    /// The notes shown under a step's lists: on step 1 the offer of "Check my work as I go"
    /// comes first, as it is for that step only.
    pub fn notes_of(&self, step: StepId) -> Vec<String> {
        let mut notes = Vec::new();
        if step == StepId::Prerequisites {
            notes.push(own_keys::step1_note(self));
        }
        notes.extend(self.content(step).notes);
        notes
    }

    pub fn focused_pane(&self) -> Pane {
        let panes = self.panes();
        panes
            .get(self.focus.min(panes.len().saturating_sub(1)))
            .copied()
            .unwrap_or(Pane::Checklist)
    }

    pub fn cursor(&self, pane: Pane) -> usize {
        if let Some(&at) = self.cursors.get(&(self.step, pane)) {
            return at;
        }
        // Until the technician moves it, the hosting list's cursor rests on the choice already
        // made (a site typed or given on the command line answers it), so Tab lands on "(•)".
        if pane == Pane::Region
            && let Some(hosting) = self.hosting()
        {
            return self
                .hosting_options()
                .iter()
                .position(|h| *h == hosting)
                .unwrap_or(0);
        }
        0
    }

    /// How many rows a list pane has on the current step.
    pub fn list_len(&self, pane: Pane) -> usize {
        let content = self.content(self.step);
        match pane {
            Pane::Profiles => self.visible_profiles().len(),
            Pane::Checklist => content.checklist.len(),
            Pane::Values => content.values.len(),
            Pane::RoleTable => content.role_items().len(),
            Pane::Region => self.hosting_options().len(),
            Pane::Plan => self.plan_options().len(),
            Pane::Stages => self.check.row_count(),
            Pane::Portal => content.portal.len(),
            Pane::Audit => own_keys::lines(self, self.step).len(),
            Pane::Notes => self.notes_of(self.step).len(),
            Pane::Field(_) => 0,
        }
    }
}
