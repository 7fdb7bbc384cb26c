//! The wizard's vocabulary: its steps, the panes a step is made of, the fields a technician types
//! into, and the two choices every step follows (where ConnectWise runs, how tools share API
//! members). Pure data: it imports nothing else from the wizard, so `app`, `content` and `plan`
//! all build on it without an import circle.

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

    /// "1".."5"; the Summary has no number.
    pub fn number(self) -> Option<usize> {
        let index = self.index();
        (index < 5).then_some(index + 1)
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

/// The text fields a technician types or pastes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldId {
    PublicKey,
    PrivateKey,
    Site,
    CompanyId,
    ClientId,
    /// The technician's own keys ("Check my work as I go").
    MyPublicKey,
    MyPrivateKey,
    /// Step 2: the role's name in ConnectWise, when it is not the one the step shows.
    RoleName,
    /// Step 3: the API member's ID in ConnectWise, when it is not the one the step shows.
    MemberId,
    /// One key per tool: the keys of the tool at this index into `App::profiles`, for every
    /// selected tool after the first (the first tool's are `PublicKey` and `PrivateKey`).
    ToolPublicKey(usize),
    ToolPrivateKey(usize),
}

impl FieldId {
    pub fn label(self) -> &'static str {
        match self {
            FieldId::PublicKey | FieldId::ToolPublicKey(_) => "Public key",
            FieldId::PrivateKey | FieldId::ToolPrivateKey(_) => "Private key",
            FieldId::Site => "Site",
            FieldId::CompanyId => "Company ID",
            FieldId::ClientId => "Client ID",
            FieldId::MyPublicKey => "Your public key",
            FieldId::MyPrivateKey => "Your private key",
            FieldId::RoleName => "Role name in ConnectWise",
            FieldId::MemberId => "Member ID in ConnectWise",
        }
    }

    /// The most characters ConnectWise accepts in the field, for a name the technician types
    /// that goes into ConnectWise; `None` for the others (keys and connection values).
    pub fn limit(self) -> Option<crate::limits::Limit> {
        match self {
            FieldId::RoleName => Some(crate::limits::ROLE_NAME),
            FieldId::MemberId => Some(crate::limits::MEMBER_ID),
            FieldId::PublicKey
            | FieldId::PrivateKey
            | FieldId::Site
            | FieldId::CompanyId
            | FieldId::ClientId
            | FieldId::MyPublicKey
            | FieldId::MyPrivateKey
            | FieldId::ToolPublicKey(_)
            | FieldId::ToolPrivateKey(_) => None,
        }
    }

    pub fn is_secret(self) -> bool {
        matches!(
            self,
            FieldId::PublicKey
                | FieldId::PrivateKey
                | FieldId::MyPublicKey
                | FieldId::MyPrivateKey
                | FieldId::ToolPublicKey(_)
                | FieldId::ToolPrivateKey(_)
        )
    }

    /// True for the vendor's key fields (not the technician's own).
    pub fn is_vendor_key(self) -> bool {
        matches!(
            self,
            FieldId::PublicKey
                | FieldId::PrivateKey
                | FieldId::ToolPublicKey(_)
                | FieldId::ToolPrivateKey(_)
        )
    }
}

/// A focusable part of a step. Tab moves between panes; ↑/↓ move within a list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    Profiles,
    Checklist,
    Values,
    RoleTable,
    Field(FieldId),
    Region,
    /// How the selected tools share API members (Prerequisites).
    Plan,
    Stages,
    Portal,
    /// "Check my work as I go": the audit's result on steps 2 and 3.
    Audit,
    /// The step's notes (the "!" lines): a list too, so that a short terminal scrolls them.
    Notes,
}

impl Pane {
    pub fn is_list(self) -> bool {
        !matches!(self, Pane::Field(_))
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
                    _ => "",
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
