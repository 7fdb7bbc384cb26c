//! The shipped vendor catalogue, compared row by row with the vendors' published matrices.
//!
//! Each table below is transcribed from `VENDOR_MATRICES.md` (the vendors' own pages, read on
//! 2026-11-27), independently of the JSON in `assets/profiles/`: one line per row,
//! `Module › Function  Add / Edit / Delete / Inquire`, with the vendor's notes in `[vendor: ...]`
//! and Table Setup allow-lists in `(customize allow: a; b)`. TimeSanity's "Inquire All only"
//! list is written out one row per function. A single changed level, a missing or extra row, a
//! changed allow-list or a lost vendor note fails.

use crate::common;

use common::catalogue::{assert_rows_match, parse_table, shipped};
use cwsetup::profile;

/// (profile id, source as the reference gives it, rows).
const CATALOGUE: &[(&str, &str, &str)] = &[
    (
        "hudu",
        // The page Hudu's earlier one (360043891234) says it "has been moved" to.
        "https://support.hudu.com/hc/en-us/articles/9422786926615",
        r#"
Companies › Company Maintenance  All / All / None / All
Companies › Configuration - Display Passwords  None / None / None / All
Companies › Configurations  All / All / None / All
Companies › Contacts  All / All / None / All
Service Desk › Service Tickets  None / None / None / All
System › API Reports  All / All / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  None / None / None / All
Finance › Agreements  None / None / None / All
"#,
    ),
    (
        "n-able-n-central",
        "https://documentation.n-able.com/N-central/userguide/Content/Administration/PSA_Integration/ConnectWise/PSA_ConnectWise_Member_Permissions.htm",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  All / All / All / All
Companies › Contacts  None / None / None / All
Finance › Agreements  None / All / None / All  [vendor: only for Billing Profiles]
Finance › Billing View Time  None / None / None / All  [vendor: only for time entries]
Procurement › Product Catalog  None / None / None / All
Service Desk › Close Service Ticket  All / All / All / All
Service Desk › Resource Scheduling  All / None / All / All
Service Desk › Service Tickets  My / My / My / My
System › API Reports  None / None / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  None / None / None / All
Time and Expense › Time Entry  All / None / None / All
"#,
    ),
    (
        "n-able-n-sight",
        "https://documentation.n-able.com/remote-management/userguide/Content/connectwise_manage_custom_role.htm",
        r#"
Companies › Company Maintenance  All / None / All / All
Companies › Configurations  All / All / None / All
Project › Project Tickets  None / None / None / All
Service Desk › Close Service Tickets  None / All / None / All
Service Desk › Service Tickets  All / All / All / All
System › API Reports  None / None / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  None / None / All / All
Time & Expense › Time Entry  All / None / All / All
Marketing › Marketing Groups  None / All / All / All
"#,
    ),
    (
        "n-able-passportal",
        "https://documentation.n-able.com/passportal/userguide/Content/psa-integ/cwpsa-create-custom-security-role.htm",
        r#"
Companies › Company Maintenance  All / All / All / All
Companies › Configurations  All / All / All / All
Companies › Contacts  All / All / All / All
System › Member Maintenance  All / All / All / All
System › Security  All / All / All / All
System › Table Setup  All / All / All / All
"#,
    ),
    (
        "datto-rmm",
        "https://rmm.datto.com/help/en/Content/2SETUP/Integrations/3rdPartyIntegrations/ConnectWise.htm",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  All / All / None / All
Companies › Manage Attachments  All / None / None / All
Companies › Management  None / None / None / All
Finance › Agreements  None / All / None / All
Procurement › Product Catalog  None / None / None / All
Service Desk › Close Service Tickets  None / All / None / All
Service Desk › Service Tickets  All / All / None / All
Service Desk › SLA Dashboard  None / None / None / All
System › API Reports  None / None / None / All
System › System Reports  None / None / None / All
System › Table Setup  All / None / None / All
"#,
    ),
    (
        "datto-continuity",
        "https://continuity.datto.com/help/Content/kb/siris-alto-nas/KB370000000027.htm",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Company/Contact Group Maintenance  None / None / None / All
Companies › Configurations  All / All / None / All
Companies › Contacts  None / None / None / All
Finance › Agreements  All / None / None / All
Procurement › Product Catalog  All / None / None / All
Service Desk › Service Tickets  All / All / None / All
System › Table Setup  All / None / None / All  [customize]
"#,
    ),
    (
        "smileback",
        "https://help.smileback.com/hc/en-us/articles/115000428383-Creating-a-custom-security-role-in-ConnectWise-Manage",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Company/Contact Group Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Companies › Surveys  All / None / None / All
Project › Project Tickets  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
Service Desk › Resource Scheduling  None / None / None / All
System › API Reports  None / None / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  All / None / None / All  (customize allow: Service / Service Board; Service / Surveys - Service)
Time & Expense › Time Entry  None / None / None / All
Marketing › Marketing Groups  All / None / None / All
"#,
    ),
    (
        "cloudradial-chat",
        "https://support.cloudradial.com/hc/en-us/articles/24759497564564-Connecting-ConnectWise-Manage-to-CloudRadial-Chat",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Company / Contact Group Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Companies › Manage Attachments  All / All / None / All
Companies › Notes  All / All / None / All
Companies › Team Members  None / None / None / All
Project › Project Management  None / None / None / All
Project › Project Tickets  None / None / None / All
Service Desk › Close Service Tickets  All / All / None / All
Service Desk › Resource Scheduling  All / All / All / All
Service Desk › Service Tickets  All / All / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  All / None / None / All  [vendor: Add only needed during initial setup or base-data changes]
"#,
    ),
    (
        "cyberdrain-cow",
        "GitHub CyberDrain/CoW-Docs, connectwise-permissions.md (2026-07)",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  None / All / None / All
System › Table Setup  None / None / None / All  (customize allow: Company / Company Status; Company / Company Type; Company / Configuration; Company / Configuration Status)
"#,
    ),
    (
        "immybot",
        "GitHub immense/immybot-documentation, src/guide/connectwise-manage-integration-setup.md",
        r#"
Companies › Company Maintenance  None / None / None / All
Finance › Agreements  None / None / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
System › API Reports  None / None / None / All
"#,
    ),
    (
        "visionary360-accounting-sync",
        "https://kb.visionary360.com/Instructions-for-setting-up-the-API-Member-for-Accounting-Sync_fRVxVHsIUxuy4qhoZFhq",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Manage Attachments  None / None / None / All
Finance › Accounting Interface  All / All / All / All
Finance › Billing View Time  None / None / None / All
Finance › Invoicing  None / All / All / All
Procurement › Inventory Adjustments  None / None / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
Procurement › Purchase Orders  None / None / None / All
Project › Project Headers  None / None / None / All
Service Desk › Service Tickets  None / None / None / All
System › Member Maintenance  None / None / None / All
System › My Company  None / None / None / All
System › Table Setup  None / None / None / All  (customize allow: General Ledger / GL Accounts; Invoicing / Billing Terms)
Time & Expense › Expense Report Entry  None / None / None / All
Time & Expense › Time Entry  None / None / None / All
"#,
    ),
    (
        "commvault",
        "https://documentation.commvault.com/11.44/software/connectwise_manage_permissions.html",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Finance › Agreements  All / All / None / All
Procurement › Product Catalog  All / All / None / All
Service Desk › Service Tickets  All / All / None / All  [vendor: ticketing only]
"#,
    ),
    (
        "watchguard-cloud",
        "https://www.watchguard.com/help/docs/help-center/en-us/content/en-US/WG-Cloud/psa_integration/integrate_connectwise_psa.html",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  All / All / All / All
Finance › Agreements  All / All / None / All
Finance › Reports  None / None / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / All / None / All
Service Desk › Close Service Tickets  All / All / All / All
Service Desk › Reports  None / None / None / All
Service Desk › Service Tickets  All / All / All / All
System › API Reports  All / All / None / All
System › My Company  None / None / None / All
System › Table Setup  All / All / None / All
"#,
    ),
    (
        "lastpass",
        "https://support.lastpass.com/help/connectwise-user-privileges-for-lastpass-psa-integrations",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
System › Table Setup  None / None / None / All
"#,
    ),
    (
        "guardz",
        "https://support.guardz.com/en/articles/8291013-connectwise-psa-integration-setup",
        r#"
Companies › Company Maintenance  None / None / None / All
Service Desk › Close Service Tickets  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
System › Table Setup  None / None / None / All
"#,
    ),
    (
        "bitdefender-gravityzone",
        "https://bitdefender.com/business/support/en/77211-158560-set-up-connectwise-with-api-keys.html",
        r#"
Companies › Company Maintenance  None / None / None / All
Finance › Agreements  All / All / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
Project › Project Ticket Tasks  None / None / None / All
Project › Project Tickets  None / None / None / All
Service Desk › Service Tickets  All / None / None / All
System › Table Setup  None / None / None / All  [customize]
"#,
    ),
    (
        "msp360",
        "https://help.mspbackups.com/integrations/connectwise-manage/required-permissions",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Finance › Agreements  All / All / None / All
Finance › Company Finance  All / All / None / All
Procurement › Product Billable Option  All / All / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
Service Desk › Close Service Tickets  None / All / None / All
Service Desk › Service Tickets  All / All / None / All
System › Table Setup  None / None / None / All  (customize allow: Service / Service Board)
"#,
    ),
    (
        "timesanity",
        "https://help.timesanity.cloud/article/nmd5fbobf6-minimum-connect-wise-security-requirements",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Companies › Management  None / None / None / All
Companies › Notes  None / None / None / All
Companies › Team Members  None / None / None / All
Companies › Tracks  None / None / None / All
Finance › Agreements  None / None / None / All
Finance › Billing Rate Maintenance  None / None / None / All
Finance › Billing View Time  None / None / None / All
Finance › Company Finance  None / None / None / All
Project › Close Projects  None / None / None / All
Project › Project Contacts  None / None / None / All
Project › Project Headers  None / None / None / All
Project › Project Management  None / None / None / All
Project › Project Notes  None / None / None / All
Project › Project Phase  None / None / None / All
Project › Project Product  None / None / None / All
Project › Project Scheduling  None / None / None / All
Project › Project Teams  None / None / None / All
Project › Project Templates  None / None / None / All
Project › Project Ticket - Dependencies  None / None / None / All
Project › Project Ticket Tasks  None / None / None / All
Project › Project Tickets  None / None / None / All
Sales › Opportunity  None / None / None / All
Sales › Sales Dashboard  None / None / None / All
Sales › Sales Funnel  None / None / None / All
Sales › Sales Orders  None / None / None / All
Service Desk › Close Service Tickets  None / None / None / All
Service Desk › Merge Tickets  None / None / None / All
Service Desk › Resource Scheduling  None / None / None / All
Service Desk › Service Ticket - Dependencies  None / None / None / All
Service Desk › Service Tickets  None / None / None / All
Service Desk › SLA Dashboard  None / None / None / All
Service Desk › Ticket Templates  None / None / None / All
System › Member Maintenance  None / None / None / All
System › My Company  None / None / None / All
System › Table Setup  None / None / None / All
Time & Expense › Time Approval  None / None / None / All
Time & Expense › Time Entry  None / None / None / All
Time & Expense › Time Entry Billable Option  None / None / None / All
"#,
    ),
];

/// The date the reference says the rows were read.
const READ_ON: &str = "2026-11-27";

/// Profiles whose vendor's page was read again for issue 22's corrections (the reference's
/// "Corrections and additions read 2026-12-07"; `tests/it/vendor_corrections.rs` checks what changed).
const REREAD: &[&str] = &[
    "visionary360-accounting-sync",
    "watchguard-cloud",
    "n-able-passportal",
    "n-able-n-sight",
    "smileback",
    "hudu",
    "cyberdrain-cow",
    "msp360",
    "bitdefender-gravityzone",
    "datto-rmm",
    "lastpass",
    "commvault",
];
const REREAD_ON: &str = "2026-12-07";

#[test]
fn the_catalogue_has_the_eighteen_ids_of_the_issue_and_thirty_four_profiles_in_all() {
    assert_eq!(CATALOGUE.len(), 18);
    for (id, _, _) in CATALOGUE {
        shipped(id);
    }
    // The fourteen of issue 27 are compared in tests/it/vendor_catalogue_more.rs.
    assert_eq!(profile::builtin().len(), 34);
}

#[test]
fn every_row_matches_the_vendors_published_matrix() {
    for (id, _, table) in CATALOGUE {
        assert_rows_match(id, table, |row, want, at| {
            if !want.allow.is_empty() {
                assert_eq!(row.customize, want.allow, "{at}: customize");
            }
        });
    }
}

#[test]
fn only_the_reference_gives_customize_lists() {
    // A profile's customize list comes from the vendor's page; the TimeSanity list is on its
    // own line in the reference.
    for (id, _, table) in CATALOGUE {
        let expected = parse_table(table);
        for (row, want) in shipped(id).role.rows.iter().zip(&expected) {
            if want.allow.is_empty() && *id != "timesanity" {
                assert!(
                    row.customize.is_empty(),
                    "{id}: {} has an invented list",
                    row.function
                );
            }
        }
    }
    let ts = shipped("timesanity");
    let table_setup = ts
        .role
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("TimeSanity lists Table Setup");
    assert_eq!(
        table_setup.customize,
        [
            "General / Auto Sync",
            "Project / Project Boards",
            "Service / Service Board"
        ]
    );
}

#[test]
fn every_profile_names_its_source_and_the_date_it_was_read() {
    for (id, source, _) in CATALOGUE {
        let p = shipped(id);
        let url = p
            .source_url
            .as_deref()
            .unwrap_or_else(|| panic!("{id}: no source_url"));
        let read_on = if REREAD.contains(id) {
            REREAD_ON
        } else {
            READ_ON
        };
        assert_eq!(p.as_of.as_deref(), Some(read_on), "{id}: as_of");
        if let Some(github) = source.strip_prefix("GitHub ") {
            // "GitHub owner/repo, file.md (...)": the URL points into that repository at that file.
            let (repo, rest) = github.split_once(", ").expect("repo, file");
            let file = rest.split_whitespace().next().unwrap_or_default();
            let file = file.rsplit('/').next().unwrap_or(file);
            assert!(
                url.starts_with(&format!("https://github.com/{repo}/")) && url.ends_with(file),
                "{id}: {url} is not {source}"
            );
        } else {
            assert_eq!(url, *source, "{id}: source_url");
        }
    }
    for p in profile::builtin() {
        assert!(
            p.source_url.is_some(),
            "{}: every shipped profile has a source",
            p.id
        );
        assert_eq!(
            p.schema.as_deref(),
            Some("../profile.schema.json"),
            "{}: $schema",
            p.id
        );
    }
}

#[test]
fn pages_that_may_continue_say_so_in_a_note() {
    for id in ["cloudradial-chat", "timesanity"] {
        let notes = shipped(id).role.notes.join(" ");
        assert!(notes.contains("continue"), "{id}: {notes}");
    }
}

#[test]
fn every_shipped_row_names_a_known_function_and_its_table_probe() {
    for p in profile::builtin() {
        for row in &p.role.rows {
            let entry = profile::probe_entry(&row.module, &row.function).unwrap_or_else(|| {
                panic!(
                    "{}: {} / {} is not in the probe table",
                    p.id, row.module, row.function
                )
            });
            // sync365 proves its Table Setup through the setup table it needs (agreement types).
            if p.id == "sync365" && row.function == "Table Setup" {
                continue;
            }
            assert_eq!(
                row.probe.as_deref(),
                entry.endpoint,
                "{}: {} / {}",
                p.id,
                row.module,
                row.function
            );
        }
    }
}
