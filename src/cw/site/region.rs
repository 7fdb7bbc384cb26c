//! The ConnectWise cloud regions: pure data (names, shorthands, login and API hosts), no HTTP.

/// The ConnectWise cloud regions (plus the developer staging site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    Na,
    Eu,
    Au,
    Aus,
    Za,
    Staging,
}

impl Region {
    /// Every region, in the order the wizard lists them.
    pub fn all() -> &'static [Region] {
        &[
            Region::Na,
            Region::Eu,
            Region::Au,
            Region::Aus,
            Region::Za,
            Region::Staging,
        ]
    }

    /// The shorthand a technician may type (`na`, `eu`, …).
    pub fn shorthand(self) -> &'static str {
        match self {
            Region::Na => "na",
            Region::Eu => "eu",
            Region::Au => "au",
            Region::Aus => "aus",
            Region::Za => "za",
            Region::Staging => "staging",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Region::Na => "North America",
            Region::Eu => "Europe",
            Region::Au => "Australia",
            Region::Aus => "Australia (aus)",
            Region::Za => "South Africa",
            Region::Staging => "Staging (developers)",
        }
    }

    /// The host of the login page, which also answers `login/companyinfo`.
    pub fn login_host(self) -> &'static str {
        match self {
            Region::Na => "na.myconnectwise.net",
            Region::Eu => "eu.myconnectwise.net",
            Region::Au => "au.myconnectwise.net",
            Region::Aus => "aus.myconnectwise.net",
            Region::Za => "za.myconnectwise.net",
            Region::Staging => "staging.connectwisedev.com",
        }
    }

    /// The REST API host: the login host with the `api-` prefix.
    pub fn api_host(self) -> &'static str {
        match self {
            Region::Na => "api-na.myconnectwise.net",
            Region::Eu => "api-eu.myconnectwise.net",
            Region::Au => "api-au.myconnectwise.net",
            Region::Aus => "api-aus.myconnectwise.net",
            Region::Za => "api-za.myconnectwise.net",
            Region::Staging => "api-staging.connectwisedev.com",
        }
    }

    /// The region whose login or API host is `host` (lower-case, no port).
    pub fn from_host(host: &str) -> Option<Region> {
        Region::all()
            .iter()
            .copied()
            .find(|r| r.login_host() == host || r.api_host() == host)
    }

    pub(super) fn from_shorthand(input: &str) -> Option<Region> {
        Region::all()
            .iter()
            .copied()
            .find(|r| r.shorthand().eq_ignore_ascii_case(input))
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.label(), self.login_host())
    }
}

/// The list of cloud hosts, for messages that tell the technician what to type.
pub fn cloud_hosts_hint() -> String {
    let hosts: Vec<String> = Region::all()
        .iter()
        .map(|r| format!("{} ({})", r.login_host(), r.label()))
        .collect();
    hosts.join(", ")
}

pub(super) fn region_shorthands() -> String {
    let names: Vec<&str> = Region::all().iter().map(|r| r.shorthand()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_lists_every_cloud_host() {
        let hint = cloud_hosts_hint();
        for region in Region::all() {
            assert!(hint.contains(region.login_host()));
        }
    }
}
