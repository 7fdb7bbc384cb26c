//! The fourteen profiles of issue 27, compared row by row with the vendors' published matrices.
//!
//! Each table below is transcribed from `VENDOR_MATRICES.md` ("Fourteen more vendors, complete
//! with levels", the vendors' own pages read on 2026-12-07), independently of the JSON in
//! `assets/profiles/`: one line per row, `Module › Function  Add / Edit / Delete / Inquire`
//! under ConnectWise's names, with
//! - `[vendor: ...]`: the vendor's note or spelling, which the row's reason must keep;
//! - `(customize allow: a; b)` / `(customize deny: a; b)`: the Table Setup allow- or deny-list;
//! - `{setup only add: ...}`: the columns needed only during setup, and the vendor's words.
//!
//! A single changed level, a missing or extra row, a changed list, a lost note or a lost
//! setup-only mark fails.

use crate::common;

use common::catalogue::{assert_rows_match, shipped};
use cwsetup::profile::{self, AdminAdvice, FieldSource};

const READ_ON: &str = "2026-12-07";

/// (profile id, source as the reference gives it, rows).
const CATALOGUE: &[(&str, &str, &str)] = &[
    (
        "rewst",
        "https://docs.rewst.help/documentation/integrations/integration-guides/connectwise-integration-setup",
        r#"
System › Member Maintenance  None / None / None / All  [vendor: authentication requirement]
Companies › Company Maintenance  None / None / None / All  [vendor: authentication requirement]
Companies › Configurations  All / All / None / All
Companies › Contacts  All / All / None / All
Companies › Manage Attachments  My / My / My / All
Companies › Team Members  None / None / None / All
Finance › Agreements  None / None / None / All
Finance › Billing View Time  None / All / None / All  [vendor: "Required for adding billable time to tickets"]
Project › Project Tickets  All / All / None / All  [vendor: "Project Ticket"]
Project › Project Ticket - Dependencies  All / All / None / All  [vendor: "Project Ticket - Dependancies"]
Project › Close Project Tickets  None / All / None / All
Project › Project Headers  All / All / All / All  [vendor: own bold heading]
Service Desk › Service Tickets  All / All / None / All
Service Desk › Service Ticket - Dependencies  All / All / None / All
Service Desk › Close Service Tickets  None / All / None / All
Service Desk › Merge Tickets  All / All / None / All
System › My Account  My / My / My / My
System › Table Setup  All / None / None / All  [vendor: "Additional customization can be done to allow or disallow tables"]
Time & Expense › Time Entry  All / All / My / All
Time & Expense › Time Entry Billable Option  All / All / My / All
"#,
    ),
    (
        "cisco-umbrella",
        "https://support.umbrella.com/hc/en-us/articles/360039095252-How-to-create-API-Keys-in-ConnectWise-for-PSA-Integration-in-the-Umbrella-MSP-and-MSSP-consoles",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
System › Table Setup  All / All / None / All  (customize allow: Company / Configuration; Service / Priority; Service / Service Board)
"#,
    ),
    (
        "ninjaone",
        "https://www.ninjaone.com/docs/integrations/service-automation-and-management-psa-and-itsm/connectwise-manage/manage-rest-api-key-setup/",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Configurations  All / All / None / All  [vendor: "Comanies → Configurations"]
Companies › Contacts  All / None / None / All
Finance › Agreements  All / All / None / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
Service Desk › Close Service Tickets  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
Service Desk › SLA Dashboard  None / None / None / All
System › Table Setup  All / All / None / All  (customize deny: Contacts / Communication Type; General / StsClient)
"#,
    ),
    (
        "chatstyle",
        "https://docs.chatstyle.ai/docs/connectwise-manage-api-user/",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Company/Contact Group Maintenance  None / None / None / All
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
System › Table Setup  All / None / None / All  [vendor: Service\Source record] {setup only add: "After the initial setup, you can remove the Add access"}
"#,
    ),
    (
        "heyhappy",
        "https://docs.heyhappy.io/setup/connectwise-integration/create-a-custom-security-role-in-connectwise-manage",
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
System › Table Setup  All / None / None / All
Time & Expense › Time Entry  None / None / None / All
Marketing › Marketing Groups  All / None / None / All
"#,
    ),
    (
        "team-gps",
        "https://teamgps.freshdesk.com/support/solutions/articles/70000587077-custom-connectwise-manage-security-role",
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
System › Table Setup  All / None / None / All  [vendor: optional] (customize allow: Service / Service Board; Service / Surveys - Service)
Time & Expense › Time Entry  None / None / None / All
"#,
    ),
    (
        "cyrisma",
        "https://cyrisma.helpjuice.com/psa-integrations/connectwise-psa-integration-guide",
        r#"
Companies › Company Maintenance  None / None / None / All
Service Desk › Close Service Tickets  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
System › API Reports  None / None / None / All
System › Member Maintenance  None / None / None / All
System › My Company  None / None / None / All
System › Table Setup  All / None / None / All
"#,
    ),
    (
        "manageengine-endpoint-central-msp",
        "https://manageengine.com/desktop-management-msp/connectwise-roles-permissions.html",
        r#"
Companies › Company Maintenance  None / None / None / All  [vendor: basic]
System › Table Setup  None / None / None / All  [vendor: basic]
Companies › Configurations  All / All / None / All  [vendor: "If Asset Sync feature is to be enabled"]
Companies › Manage Attachments  All / None / None / All  [vendor: "If Helpdesk Ticket Request feature is to be enabled"]
Service Desk › Service Tickets  All / All / None / All  [vendor: Helpdesk Ticket Request]
"#,
    ),
    (
        "idrive-360",
        "https://gbs-net.jpwww.idrive.com/endpoint-backup/connectwise-manage",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Project › Project Tickets  None / None / None / All
Service Desk › Service Tickets  All / All / None / All
System › Table Setup  None / None / None / All  (customize allow: Service / Service Board)
"#,
    ),
    (
        "gozynta-mobius",
        "https://help.mobius-connect.com/support/solutions/articles/44001923965-custom-security-role",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Companies › Manage Attachments  None / None / None / All
Finance › Accounting Interface  All / All / All / All
Finance › Invoicing  None / All / All / All
Procurement › Product Catalog  None / None / None / All
Procurement › Products  None / None / None / All
Procurement › Purchase Orders  None / None / None / All
Project › Project Tickets  None / None / None / All
Service Desk › Service Tickets  None / None / None / All
System › API Reports  None / None / None / All
System › Member Maintenance  None / None / None / All
System › Table Setup  None / None / None / All  (customize allow: General Ledger / Accounting Package; Invoicing / Billing Status; Invoicing / Tax code; Products / UOM)
Time & Expense › Expense Report Entry  None / None / None / All
Time & Expense › Time Entry  None / None / None / All
"#,
    ),
    (
        "1stream",
        "https://bvoip.helpjuice.com/en_US/551346-connectwise-integration/connectwise-security-role-permissions",
        r#"
Companies › Company Maintenance  All / All / None / All
Companies › Contacts  All / All / None / All
Companies › CRM/Sales Activities  All / All / None / All
Companies › Manage Attachments  All / None / None / All
Companies › Notes  All / All / None / All
Finance › Agreements  All / None / None / All
Finance › Billing View Time  None / None / None / All
Project › Project Headers  All / All / None / All  [vendor: "Projects"]
Project › Project Tickets  All / All / None / All
Sales › Opportunity  All / All / None / All
Service Desk › Close Service Tickets  All / All / None / All
Service Desk › Resource Scheduling  All / All / None / All
Service Desk › Service Tickets  All / All / None / All
System › Manage Hosted API  All / All / None / All
System › Member Maintenance  None / None / None / All
System › My Company  None / None / None / All
System › Table Setup  All / None / None / All
Time & Expense › Time Entry  All / All / None / All  [vendor: "Time and Expense"]
"#,
    ),
    (
        "cloud-im",
        "https://kb.cloud.im/support/solutions/articles/66000488145",
        r#"
Companies › Company Maintenance  None / None / None / All
Companies › Contacts  None / None / None / All
Finance › Agreements  All / All / All / All  [vendor: "to synchronize missing add-ons"]
Finance › Invoicing  None / None / None / All
Procurement › Product Catalog  All / None / None / All  [vendor: "to create automatically catalog entries in case no match is found"]
System › Table Setup  None / None / None / All  [vendor: billing cycles]
System › API Reports  None / None / None / All  [vendor: latest agreement invoice]
"#,
    ),
    (
        "check-point-harmony-sase",
        "https://sc1.checkpoint.com/documents/Infinity_Portal/WebAdminGuides/EN/SASE-Admin-Guide/Content/Topics-SASE-AG/Settings/Integrations/ConnectWise-Manage.htm",
        r#"
Companies › Company Maintenance  None / None / None / All
Finance › Agreements  All / None / None / All
Procurement › Product Catalog  All / None / None / All
System › Table Setup  None / None / None / All  [vendor: "Table setup"]
"#,
    ),
    (
        "mspcfo",
        "https://docs.mspcfo.com/m/60361/l/616160-creating-the-member-api-keys-connectwise",
        r#"
System › API Reports  None / None / None / All  [vendor: "Change only Inquire level on the API reports to All - do not change anything else."]
"#,
    ),
];

#[test]
fn the_fourteen_ids_of_the_issue_ship_and_thirty_four_profiles_in_all() {
    assert_eq!(CATALOGUE.len(), 14);
    for (id, _, _) in CATALOGUE {
        shipped(id);
    }
    assert_eq!(profile::builtin().len(), 34);
}

#[test]
fn every_row_matches_the_vendors_published_matrix() {
    for (id, _, table) in CATALOGUE {
        assert_rows_match(id, table, |row, want, at| {
            // No invented list: a row has a Customize list only where the vendor names one.
            assert_eq!(row.customize, want.allow, "{at}: customize");
            assert_eq!(row.customize_deny, want.deny, "{at}: customize_deny");
            match (&row.setup_only, &want.setup_only) {
                (None, None) => {}
                (Some(have), Some((columns, words))) => {
                    assert_eq!(&have.columns, columns, "{at}: setup-only columns");
                    assert!(have.why.contains(words), "{at}: {:?}", have.why);
                }
                (have, want) => panic!("{at}: setup only {have:?}, the vendor: {want:?}"),
            }
        });
    }
}

#[test]
fn every_profile_names_its_source_and_the_date_it_was_read() {
    for (id, source, _) in CATALOGUE {
        let p = shipped(id);
        assert_eq!(p.source_url.as_deref(), Some(*source), "{id}: source_url");
        assert_eq!(p.as_of.as_deref(), Some(READ_ON), "{id}: as_of");
        assert_eq!(p.schema.as_deref(), Some("../profile.schema.json"), "{id}");
    }
}

#[test]
fn pages_read_only_in_part_say_where_they_stop() {
    for (id, words) in [
        (
            "ninjaone",
            "From System in the main navigation, click Members and",
        ),
        ("chatstyle", "The public and private key values a"),
        ("cyrisma", "or a similar identi"),
        (
            "idrive-360",
            "On successful authentication, save the credentials and you",
        ),
        ("gozynta-mobius", "so as to easily id"),
        ("cloud-im", "Generating API key"),
    ] {
        let notes = shipped(id).role.notes.join(" ");
        assert!(notes.contains(words), "{id}: {notes}");
        assert!(notes.contains("stops"), "{id}: {notes}");
    }
    let stream = shipped("1stream").role.notes.join(" ");
    assert!(
        stream.contains("may be for future features") && stream.contains("every row ships"),
        "{stream}"
    );
}

#[test]
fn member_facts_follow_the_vendor_and_fit_connectwise() {
    for (id, _, _) in CATALOGUE {
        let p = shipped(id);
        let name = p.member.name.as_deref().expect("a member name");
        assert!(p.member.member_id.chars().count() <= 15, "{id}: member ID");
        assert!(name.chars().count() <= 30, "{id}: member name");
        assert!(p.role.recommended_name.chars().count() <= 30, "{id}: role");
        for step in &p.member.instructions {
            assert!(!step.contains("{"), "{id}: {step}");
        }
    }
    // The names the vendors suggest, where they suggest one.
    for (id, role, member, key) in [
        ("rewst", "Rewst API", "Rewst", "Rewst API"),
        ("cisco-umbrella", "Umbrella", "UmbrellaAPI", "Umbrella"),
        ("heyhappy", "HeyHappy", "HeyHappyAPI", "HeyHappy"),
        ("team-gps", "Team GPS", "TeamGPSAPI", "Team GPS"),
        ("cyrisma", "CYRISMA", "CYRISMA", "CYRISMA"),
        ("gozynta-mobius", "Mobius API", "Mobius", "Mobius"),
    ] {
        let p = shipped(id);
        assert_eq!(p.role.recommended_name, role, "{id}");
        assert_eq!(p.member.member_id, member, "{id}");
        assert_eq!(p.key.description, key, "{id}");
    }
    let rewst = shipped("rewst");
    assert_eq!(rewst.member.name.as_deref(), Some("Rewst"));
    assert!(rewst.member.structure_level.contains("Corporate (Level 1)"));
    // Where the vendor names nobody, the profile says the name is cwsetup's.
    for id in [
        "ninjaone",
        "chatstyle",
        "idrive-360",
        "1stream",
        "cloud-im",
        "mspcfo",
    ] {
        let notes = shipped(id).member.notes.join(" ");
        assert!(notes.contains("cwsetup's suggestion"), "{id}: {notes}");
    }
}

#[test]
fn admin_stance_is_the_vendors_in_its_words() {
    for (id, _, _) in CATALOGUE {
        let p = shipped(id);
        let (advice, words) = match *id {
            "heyhappy" => (
                AdminAdvice::Acceptable,
                "you can use the built in Admin role",
            ),
            "gozynta-mobius" => (AdminAdvice::Acceptable, "STRONGLY RECOMMENDED"),
            "cyrisma" => (
                AdminAdvice::Discouraged,
                "avoid using a pre-existing role such as “Admin”",
            ),
            _ => (AdminAdvice::Unstated, "Admin"),
        };
        assert_eq!(p.role.admin, advice, "{id}");
        assert!(p.role.notes.join(" ").contains(words), "{id}");
    }
}

#[test]
fn portal_fields_are_named_as_the_vendor_names_them() {
    let labels = |id: &str| -> Vec<(String, FieldSource)> {
        shipped(id)
            .integration
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.source))
            .collect()
    };
    let want = |pairs: &[(&str, FieldSource)]| -> Vec<(String, FieldSource)> {
        pairs.iter().map(|(l, s)| (l.to_string(), *s)).collect()
    };
    use FieldSource::*;
    assert_eq!(
        labels("cloud-im"),
        want(&[
            ("Company ID", CompanyId),
            ("Public Key", PublicKey),
            ("Private Key", PrivateKey),
            ("API Base URL", ApiUrl)
        ])
    );
    assert_eq!(
        labels("check-point-harmony-sase"),
        want(&[
            ("ConnectWise site", SiteUrl),
            ("ConnectWise company ID", CompanyId),
            ("REST API Public Key", PublicKey),
            ("REST API Private Key", PrivateKey)
        ])
    );
    assert_eq!(
        labels("cyrisma"),
        want(&[
            ("Company ID", CompanyId),
            ("Domain", Site),
            ("Public Key", PublicKey),
            ("Private Key", PrivateKey)
        ])
    );
    assert_eq!(
        labels("cisco-umbrella"),
        want(&[
            ("Public API Key", PublicKey),
            ("Private API Key", PrivateKey)
        ])
    );
    assert_eq!(
        labels("mspcfo"),
        want(&[
            ("Public Key", PublicKey),
            ("Private Key", PrivateKey),
            ("URL for your CW server", SiteUrl),
            ("CW ID", CompanyId)
        ])
    );
    let rewst = labels("rewst");
    // The Member ID of the member the keys are on (the API member step), not a fixed word.
    assert_eq!(rewst[0], ("API Member ID".to_string(), MemberId));
    assert!(
        rewst
            .iter()
            .any(|(l, s)| l.starts_with("Client ID") && *s == ClientId)
    );
    assert!(
        shipped("check-point-harmony-sase")
            .integration
            .notes
            .join(" ")
            .contains("(sic)")
    );
}

#[test]
fn no_vendor_in_this_batch_publishes_ip_addresses() {
    for (id, _, _) in CATALOGUE {
        let p = shipped(id);
        assert!(p.ip_allow_list.addresses.is_empty(), "{id}");
        assert!(p.ip_allow_list.note.contains("does not mention"), "{id}");
    }
}
