//! The fields a technician types or pastes into: one table ([`FieldId::spec`]) gives each its
//! label, kind, step, hint, whether it is secret, whether it is saved, and ConnectWise's limit.
//! The front ends ask the table; none keeps its own list. Adding a field is: a variant and its
//! row here, where [`super::state::Setup`] holds its value (the member in `state.rs`, its arm in
//! `field_values.rs`), and whatever uses the value. A leaf: pure data.

use crate::limits::{self, Limit};
use crate::sanitize::FieldKind;

use super::step::StepId;

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

/// How a field's value is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Visible text ([`TextField`]), cleaned as this kind of value.
    Text(FieldKind),
    /// A key ([`MaskedInput`]): masked, wiped with `x`, never saved.
    Key,
}

/// One row of the field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The label on screen, in plain mode's questions and in messages.
    pub label: &'static str,
    pub holder: Holder,
    /// The step that asks for it.
    pub step: StepId,
    /// What to type, in a question (plain mode's).
    pub hint: &'static str,
    /// The same, short, in an empty box (the wizard's).
    pub placeholder: &'static str,
    /// Masked on screen, never saved, never in a report.
    pub secret: bool,
    /// Its name in the saved setup (`None`: never saved).
    pub saved_as: Option<&'static str>,
    /// The most characters ConnectWise accepts, for a name that goes into ConnectWise.
    pub limit: Option<Limit>,
}

impl FieldId {
    /// The step's fields that hold text a front end asks for, in the order it asks.
    pub const INTEGRATION: [FieldId; 3] = [FieldId::Site, FieldId::CompanyId, FieldId::ClientId];

    /// The field table. Exhaustive: a new field does not compile until it has its row.
    pub fn spec(self) -> FieldSpec {
        let text = |label, kind, step, (hint, placeholder), saved_as, limit| FieldSpec {
            label,
            holder: Holder::Text(kind),
            step,
            hint,
            placeholder,
            secret: false,
            saved_as,
            limit,
        };
        let key = |label, step| FieldSpec {
            label,
            holder: Holder::Key,
            step,
            hint: "paste the key (it is trimmed and never shown)",
            placeholder: "",
            secret: true,
            saved_as: None,
            limit: None,
        };
        match self {
            FieldId::PublicKey | FieldId::ToolPublicKey(_) => key("Public key", StepId::ApiKey),
            FieldId::PrivateKey | FieldId::ToolPrivateKey(_) => key("Private key", StepId::ApiKey),
            FieldId::MyPublicKey => key("Your public key", StepId::Prerequisites),
            FieldId::MyPrivateKey => key("Your private key", StepId::Prerequisites),
            FieldId::Site => text(
                "Site",
                FieldKind::Site,
                StepId::Integration,
                (
                    "a region (na, eu, au, aus, za) or your server's host, e.g. na.myconnectwise.net",
                    "e.g. na.myconnectwise.net",
                ),
                Some("site"),
                None,
            ),
            FieldId::CompanyId => text(
                "Company ID",
                FieldKind::CompanyId,
                StepId::Integration,
                (
                    "the company ID typed on the ConnectWise login screen",
                    "as typed on the login screen",
                ),
                Some("company_id"),
                None,
            ),
            FieldId::ClientId => text(
                "Client ID",
                FieldKind::ClientId,
                StepId::Integration,
                (
                    "your clientId GUID from developer.connectwise.com",
                    "a GUID: Tab here to see how to get one",
                ),
                Some("client_id"),
                None,
            ),
            FieldId::RoleName => text(
                "Role name in ConnectWise",
                FieldKind::MemberId,
                StepId::SecurityRole,
                (
                    "empty: the role name step 2 shows",
                    "empty: the role name above",
                ),
                Some("role_name"),
                Some(limits::ROLE_NAME),
            ),
            FieldId::MemberId => text(
                "Member ID in ConnectWise",
                FieldKind::MemberId,
                StepId::ApiMember,
                (
                    "empty: the member ID step 3 shows",
                    "empty: the member ID above",
                ),
                Some("member_id"),
                Some(limits::MEMBER_ID),
            ),
        }
    }

    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// The most characters ConnectWise accepts in the field, for a name the technician types
    /// that goes into ConnectWise; `None` for the others (keys and connection values).
    pub fn limit(self) -> Option<Limit> {
        self.spec().limit
    }

    pub fn is_secret(self) -> bool {
        self.spec().secret
    }

    /// True for the vendor's key fields (not the technician's own).
    pub fn is_vendor_key(self) -> bool {
        match self {
            FieldId::PublicKey
            | FieldId::PrivateKey
            | FieldId::ToolPublicKey(_)
            | FieldId::ToolPrivateKey(_) => true,
            FieldId::MyPublicKey
            | FieldId::MyPrivateKey
            | FieldId::Site
            | FieldId::CompanyId
            | FieldId::ClientId
            | FieldId::RoleName
            | FieldId::MemberId => false,
        }
    }
}

impl FieldId {
    /// Every field that holds text (the key fields are the rest).
    pub const TEXT: [FieldId; 5] = [
        FieldId::Site,
        FieldId::CompanyId,
        FieldId::ClientId,
        FieldId::RoleName,
        FieldId::MemberId,
    ];
}
