//! The setup's vocabulary: its steps, and the two choices every step follows (where ConnectWise
//! runs, how tools share API members). Pure data: it imports nothing else from the setup.

use crate::cw::site::Region;

/// The steps, in the order of the vendors' guides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepId {
    Prerequisites,
    SecurityRole,
    ApiMember,
    ApiKey,
    Integration,
    Summary,
}

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Prerequisites,
        StepId::SecurityRole,
        StepId::ApiMember,
        StepId::ApiKey,
        StepId::Integration,
        StepId::Summary,
    ];

    /// Steps whose work "check my work as I go" reads back: the role and the API member.
    pub fn audited(self) -> bool {
        matches!(self, StepId::SecurityRole | StepId::ApiMember)
    }

    pub fn title(self) -> &'static str {
        match self {
            StepId::Prerequisites => "Prerequisites",
            StepId::SecurityRole => "Security role",
            StepId::ApiMember => "API member",
            StepId::ApiKey => "API key",
            StepId::Integration => "Integration",
            StepId::Summary => "Summary",
        }
    }

    /// The step's name in the saved setup: stable, whatever the titles or the order say.
    pub fn name(self) -> &'static str {
        match self {
            StepId::Prerequisites => "prerequisites",
            StepId::SecurityRole => "security-role",
            StepId::ApiMember => "api-member",
            StepId::ApiKey => "api-key",
            StepId::Integration => "integration",
            StepId::Summary => "summary",
        }
    }

    pub fn from_name(name: &str) -> Option<StepId> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// True for the steps the technician works through, each with its number; the Summary only
    /// looks back.
    pub fn numbered(self) -> bool {
        match self {
            StepId::Prerequisites
            | StepId::SecurityRole
            | StepId::ApiMember
            | StepId::ApiKey
            | StepId::Integration => true,
            StepId::Summary => false,
        }
    }

    /// "1".."5": the place among the numbered steps; the Summary has no number.
    pub fn number(self) -> Option<usize> {
        self.numbered().then(|| self.index() + 1)
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<StepId> {
        Self::ALL.get(self.index() + 1).copied()
    }

    pub fn prev(self) -> Option<StepId> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    /// Done, but the test passed with warnings to read (step 5 only).
    DoneWithWarnings,
    Current,
    Pending,
    Failed,
}

impl StepState {
    /// Symbols as well as colours, so the state reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            StepState::Done => "✓",
            StepState::DoneWithWarnings => "⚠",
            StepState::Current => "▶",
            StepState::Pending => "·",
            StepState::Failed => "✗",
        }
    }
}

/// Where ConnectWise runs: chosen first, because the prerequisites, the notes and the values
/// for the vendor's portal follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hosting {
    /// A ConnectWise cloud region (its hosts come from [`crate::cw::site::Region`]).
    Cloud(Region),
    /// The MSP's own server: the technician types its address.
    SelfHosted,
}

impl Hosting {
    /// The picker's row on Prerequisites: the region as the region table names it, with its
    /// login host (and, for `aus`, when to choose it).
    pub fn label(self) -> String {
        match self {
            Hosting::Cloud(region) => {
                let when = match region {
                    Region::Aus => ": the second Australian host; choose it if you sign in there",
                    Region::Na | Region::Eu | Region::Au | Region::Za | Region::Staging => "",
                };
                format!("{} cloud ({}){when}", region.label(), region.login_host())
            }
            Hosting::SelfHosted => "Self-hosted server (type its address below)".to_string(),
        }
    }

    /// The short row on the Integration step's narrow picker: the region table's name, with
    /// the shorthand unless the name already ends in a note of its own.
    pub fn short_label(self) -> String {
        match self {
            Hosting::Cloud(region) if region.label().ends_with(')') => region.label().to_string(),
            Hosting::Cloud(region) => format!("{} ({})", region.label(), region.shorthand()),
            Hosting::SelfHosted => "Self-hosted server".to_string(),
        }
    }
}

/// How the selected tools share ConnectWise API members (Visionary 360's guide describes the
/// first three; Sync 365's allows keys on an existing member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberPlan {
    /// One new API member for every tool, with one merged role and one key per tool.
    OneMemberKeyPerTool,
    /// One new API member for every tool, with one merged role and one key they all use.
    OneMemberSharedKey,
    /// One API member per tool, each with its own role and key.
    MemberPerTool,
    /// An API member that already exists: its role gets what the tools need.
    ExistingMember,
}

impl MemberPlan {
    pub fn label(self, several: bool) -> &'static str {
        match (self, several) {
            (MemberPlan::OneMemberKeyPerTool, true) => {
                "One new API member for all tools: one merged role, one key per tool"
            }
            (MemberPlan::OneMemberKeyPerTool, false) => "A new API member for this tool",
            (MemberPlan::OneMemberSharedKey, _) => {
                "One new API member for all tools: one merged role, one key they share"
            }
            (MemberPlan::MemberPerTool, _) => {
                "One API member per tool: each tool its own role, member and key"
            }
            (MemberPlan::ExistingMember, _) => {
                "I already have an API member: add what is needed to its role"
            }
        }
    }

    /// True when one member serves every selected tool.
    pub fn one_member(self) -> bool {
        !matches!(self, MemberPlan::MemberPerTool)
    }
}
