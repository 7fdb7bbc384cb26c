//! What a check asks ConnectWise after companyinfo: one request per endpoint the rows need,
//! and the concurrency cap that lets them all go out in one wave.

use crate::cw::ClientOptions;
use crate::profile::MergedRow;

/// How many agreements are read to find parents the member cannot see.
pub(super) const AGREEMENT_SCAN_LIMIT: usize = 5000;
/// How many agreement types are read to name the ones no visible agreement has.
pub(super) const AGREEMENT_TYPE_LIMIT: usize = 1000;
/// The cap on requests in flight during a check: at least every call it makes after companyinfo
/// (so they go out in one wave), but bounded for profiles with very many rows.
pub(super) const MAX_CHECK_CONCURRENCY: usize = 32;

/// The agreement-type list: read to name hidden parent types, and the Table Setup row's proof.
pub(super) const TYPES_ENDPOINT: &str = "finance/agreements/types";
/// The endpoints whose count the data stage reports, with the noun of the count.
const COUNTED: [(&str, &str); 4] = [
    ("company/companies", "companies"),
    ("finance/agreements", "agreements"),
    ("procurement/products", "products"),
    ("procurement/catalog", "catalog items"),
];

/// The endpoints the rows' probes read, each once: several rows often prove themselves through
/// the same endpoint, and one GET answers for all of them.
fn probe_endpoints(rows: &[MergedRow]) -> Vec<String> {
    let mut endpoints: Vec<String> = Vec::new();
    for endpoint in rows.iter().filter_map(|r| r.probe.as_ref()) {
        if !endpoints.contains(endpoint) {
            endpoints.push(endpoint.clone());
        }
    }
    endpoints
}

/// The requests a check of `rows` makes after companyinfo, besides system/info and mySecurity.
/// Each permission is proved by one request: a counted endpoint's count is its probe, and the
/// agreement-type list is the probe of `finance/agreements/types`.
#[derive(Debug, PartialEq)]
pub(super) struct Plan {
    /// `GET endpoint?pageSize=1`, for the endpoints nothing else reads.
    pub probes: Vec<String>,
    /// `GET endpoint/count`, for the counted endpoints a row needs.
    pub counts: Vec<(&'static str, &'static str)>,
    /// The agreement list, to find parents the member cannot see (when agreements are needed).
    pub agreement_scan: bool,
    /// The agreement-type list (to name hidden parent types, or as the Table Setup probe).
    pub agreement_types: bool,
}

impl Plan {
    pub fn of(rows: &[MergedRow]) -> Plan {
        let endpoints = probe_endpoints(rows);
        let counts: Vec<(&'static str, &'static str)> = COUNTED
            .into_iter()
            .filter(|(e, _)| endpoints.iter().any(|p| p == e))
            .collect();
        let agreement_scan = counts.iter().any(|(e, _)| *e == "finance/agreements");
        let agreement_types = agreement_scan || endpoints.iter().any(|e| e == TYPES_ENDPOINT);
        let probes = endpoints
            .into_iter()
            .filter(|e| e != TYPES_ENDPOINT && !counts.iter().any(|(c, _)| c == e))
            .collect();
        Plan {
            probes,
            counts,
            agreement_scan,
            agreement_types,
        }
    }

    /// Requests after companyinfo (one page of each list).
    pub fn requests(&self) -> usize {
        2 + self.probes.len()
            + self.counts.len()
            + usize::from(self.agreement_scan)
            + usize::from(self.agreement_types)
    }
}

/// How many requests a check of `rows` may have in flight at once.
pub(super) fn check_concurrency(rows: &[MergedRow]) -> usize {
    let calls = Plan::of(rows).requests();
    calls.clamp(
        ClientOptions::default().max_concurrency,
        MAX_CHECK_CONCURRENCY,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::{Level, Levels};
    use crate::profile;

    #[test]
    fn the_cap_covers_every_call_after_companyinfo_within_bounds() {
        let row = |probe: Option<String>| MergedRow {
            module: "M".into(),
            function: "F".into(),
            levels: Levels::inquire_only(Level::All),
            optional: false,
            optional_because: Vec::new(),
            why: Vec::new(),
            customize: Vec::new(),
            probe,
            customize_deny: None,
            setup_only: None,
        };
        let seven: Vec<MergedRow> = (0..7)
            .map(|i| row(Some(format!("e{i}"))))
            .chain([row(None)])
            .collect();
        // system/info, mySecurity and the seven probes.
        assert_eq!(check_concurrency(&seven), 9);
        assert_eq!(check_concurrency(&[]), 8);
        // Rows sharing an endpoint share its one probe.
        let shared: Vec<MergedRow> = (0..100).map(|_| row(Some("x".into()))).collect();
        assert_eq!(probe_endpoints(&shared), ["x"]);
        assert_eq!(Plan::of(&shared).requests(), 3);
        let many: Vec<MergedRow> = (0..100).map(|i| row(Some(format!("e{i}")))).collect();
        assert_eq!(check_concurrency(&many), MAX_CHECK_CONCURRENCY);
    }

    #[test]
    fn each_permission_is_proved_by_one_request() {
        let sync365 = crate::profile::find("sync365").expect("built in");
        let rows = profile::merge(&[sync365]).rows;
        let plan = Plan::of(&rows);
        // Counts prove their rows; the type list proves Table Setup; only the rest get a probe.
        assert_eq!(plan.probes, ["company/contacts", "finance/invoices"]);
        assert_eq!(plan.counts.len(), 4);
        assert!(plan.agreement_scan && plan.agreement_types);
        // With companyinfo: at most 12 requests (paging aside).
        let with_companyinfo = plan.requests() + 1;
        assert!(with_companyinfo <= 12, "{with_companyinfo}");
    }
}
