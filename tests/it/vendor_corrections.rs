//! The corrections of issue 22 ("profiles that disagree with their vendors' pages"), compared
//! with their transcription from `VENDOR_MATRICES.md`, section "Corrections and additions read
//! 2026-12-07", and the vendors' own pages, independently of the JSON in `assets/profiles/`.
//!
//! Each table below is what the vendor's page says; a profile that drifts from it (a member ID,
//! an Admin stance, a portal field's label or value, a vendor's words in a note, or a false note
//! come back) fails here. The role rows themselves are `tests/it/vendor_catalogue.rs`'s.

use cwsetup::limits::{MEMBER_ID, MEMBER_NAME, ROLE_NAME};
use cwsetup::profile::{
    self, AdminAdvice, FieldSource, PortalInputs, PortalText, Profile, portal_entries,
    shown_without_keys,
};
use cwsetup::setup::content::{ContentInput, ValueSource, portal_values};
use cwsetup::setup::step::MemberPlan;

use crate::common::catalogue::shipped;

/// The date the corrections were read from the vendors' pages.
const REREAD_ON: &str = "2026-12-07";

/// The false note every portal with named fields once carried.
const NO_FIELDS_NOTE: &str = "does not list its portal's field names";

/// Every text of a profile a technician may read, one string (to find the vendor's words).
fn all_text(p: &Profile) -> String {
    serde_json::to_string(p).expect("a profile serializes")
}

fn assert_has(haystack: &[String], needle: &str, what: &str) {
    assert!(
        haystack.iter().any(|n| n.contains(needle)),
        "{what}: no line says {needle:?}: {haystack:#?}"
    );
}

#[test]
fn accounting_sync_names_the_vendors_member_key_and_save_button() {
    let p = shipped("visionary360-accounting-sync");
    // "Member ID: Acct Sync API", "Member Name: Acct Sync API", "In the Description field,
    // enter Acct Sync API."
    assert_eq!(p.member.member_id, "Acct Sync API");
    assert_eq!(p.member.name.as_deref(), Some("Acct Sync API"));
    assert_eq!(p.key.description, "Acct Sync API");
    assert_eq!(MEMBER_ID.count(&p.member.member_id), 13);
    assert!(MEMBER_ID.fits(&p.member.member_id) && MEMBER_NAME.fits("Acct Sync API"));
    assert!(ROLE_NAME.fits(&p.role.recommended_name));
    assert_has(
        &p.member.instructions,
        "Member ID: Acct Sync API. Member Name: Acct Sync API.",
        "member steps",
    );
    assert_has(
        &p.key.instructions,
        "Description: Acct Sync API.",
        "key steps",
    );
    // The false note is gone, and the vendor's ID is what its notes name.
    let member_notes = p.member.notes.join(" ");
    assert!(
        !member_notes.contains("does not name the member ID")
            && !all_text(p).contains("V360AcctSync"),
        "{member_notes}"
    );
    assert!(
        member_notes.contains("\"Member ID: Acct Sync API\""),
        "{member_notes}"
    );
    // "Click Save (Do not click Save + Close)."
    assert_has(
        &p.key.instructions,
        "Click Save, not Save + Close",
        "key steps",
    );
    // "We recommend setting the highest possible access level".
    assert!(
        p.member
            .structure_level
            .contains("We recommend setting the highest possible access level"),
        "{}",
        p.member.structure_level
    );
    // "Give the role a name.": the suggested name is cwsetup's, and says so.
    assert!(
        p.role
            .notes
            .iter()
            .any(|n| n.contains("\"Give the role a name.\"") && n.contains("cwsetup's suggestion")),
        "{:?}",
        p.role.notes
    );
    // The key step names the member as the step texts do ("the <ID> member").
    assert_has(
        &p.key.instructions,
        "On the Acct Sync API member",
        "key steps",
    );
}

/// (profile id, the vendor's words accepting the built-in Admin role).
const ADMIN_ACCEPTED: &[(&str, &str)] = &[
    (
        "watchguard-cloud",
        "You must assign the Admin role to the API user or assign a custom role",
    ),
    (
        "n-able-passportal",
        "If you do not want to use the Admin security role for the API Member, you can create a custom Security Role instead.",
    ),
    (
        "n-able-n-sight",
        "If you do not want to use the Admin security role for the API Member, you can create a custom Security Role instead.",
    ),
    (
        "smileback",
        "offered as an alternative to assigning the Admin security role",
    ),
];

#[test]
fn admin_is_accepted_where_the_vendor_says_so_in_its_own_words() {
    for (id, words) in ADMIN_ACCEPTED {
        let p = shipped(id);
        assert_eq!(p.role.admin, AdminAdvice::Acceptable, "{id}");
        assert_has(&p.role.notes, words, id);
        let notes = p.role.notes.join(" ");
        assert!(
            !notes.contains("does not say whether Admin is accepted"),
            "{id}: the unstated note stayed: {notes}"
        );
    }
}

/// (profile id, the portal's fields in its order as the vendor names them, the vendor's words
/// naming them, which an integration note quotes).
/// A portal's fields in its order: (label, where the value comes from).
type Fields = &'static [(&'static str, FieldSource)];

const PORTAL_FIELDS: &[(&str, Fields, &str)] = &[
    (
        "hudu",
        &[
            ("ConnectWise Domain", FieldSource::Site),
            ("Company", FieldSource::CompanyId),
            ("Public Key", FieldSource::PublicKey),
            ("Private Key", FieldSource::PrivateKey),
        ],
        "Fully Qualified Domain name (example: support.mymsp.com)",
    ),
    (
        "cyberdrain-cow",
        &[
            ("CW Instance URL", FieldSource::SiteUrl),
            ("Company ID", FieldSource::CompanyId),
            ("API Username", FieldSource::PublicKey),
            ("API Password", FieldSource::PrivateKey),
        ],
        "\"CW Instance URL\", \"Company ID\", \"API Username\" and \"API Password\"",
    ),
    (
        "msp360",
        &[
            ("Member ID", FieldSource::MemberId),
            ("Public Key", FieldSource::PublicKey),
            ("Private Key", FieldSource::PrivateKey),
        ],
        "you need to provide three credentials: Member ID.",
    ),
    (
        "watchguard-cloud",
        &[
            ("Public Key", FieldSource::PublicKey),
            ("Private Key", FieldSource::PrivateKey),
            ("Site", FieldSource::Site),
            ("Company ID", FieldSource::CompanyId),
        ],
        "you can change the Public Key, Private Key, and Site. If you want to change the Company ID",
    ),
    (
        "bitdefender-gravityzone",
        &[
            ("URL", FieldSource::Site),
            ("Company", FieldSource::CompanyId),
            ("Public Key", FieldSource::PublicKey),
            ("Private Key", FieldSource::PrivateKey),
        ],
        "URL: the ConnectWise server address. Company: your ConnectWise Company ID.",
    ),
];

#[test]
fn portal_fields_are_labelled_as_the_vendors_name_them() {
    for (id, want, words) in PORTAL_FIELDS {
        let p = shipped(id);
        let got: Vec<(&str, FieldSource)> = p
            .integration
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.source))
            .collect();
        assert_eq!(got, *want, "{id}: portal fields");
        assert_has(&p.integration.notes, words, id);
        let notes = p.integration.notes.join(" ");
        assert!(!notes.contains(NO_FIELDS_NOTE), "{id}: {notes}");
    }
}

#[test]
fn companion_and_moved_pages_are_the_ones_named() {
    let hudu = shipped("hudu");
    let moved = "https://support.hudu.com/hc/en-us/articles/9422786926615";
    assert_eq!(hudu.source_url.as_deref(), Some(moved));
    assert_eq!(hudu.docs_url, moved);
    assert_has(&hudu.role.notes, "This article has been moved!", "hudu");
    for (id, page) in [
        (
            "watchguard-cloud",
            "psa_integration/psa_connection_details.html",
        ),
        ("bitdefender-gravityzone", "77211-158561"),
        (
            "msp360",
            "connectwise-manage/authentication-using-api-member",
        ),
        (
            "cyberdrain-cow",
            "using-cow/navigation/integrations/connectwise-psa/README.md",
        ),
    ] {
        let p = shipped(id);
        assert_has(&p.integration.notes, page, id);
        assert_has(&p.integration.steps, page, id);
    }
}

#[test]
fn suggested_role_names_are_the_vendors_and_fit() {
    // CyberDrain: "e.g. `CyberDrain Only Warranties`"; MSP360: "Enter API for the Role ID."
    for (id, name, words) in [
        (
            "cyberdrain-cow",
            "CyberDrain Only Warranties",
            "name the role something easily identifiable",
        ),
        ("msp360", "API", "Enter API for the Role ID."),
    ] {
        let p = shipped(id);
        assert_eq!(p.role.recommended_name, name, "{id}");
        assert!(ROLE_NAME.fits(name), "{id}");
        assert_has(&p.role.notes, words, id);
    }
}

#[test]
fn msp360s_member_id_is_the_member_the_plan_creates_and_never_invented() {
    let msp = shipped("msp360");
    let hudu = shipped("hudu");
    let member_value = |profiles: &[&Profile], plan: MemberPlan| {
        let input = ContentInput {
            hosting: None,
            plan,
            site: "na".into(),
            company_id: "contoso".into(),
            client_id: String::new(),
            member_id: String::new(),
            own_key_fields: Vec::new(),
        };
        portal_values(profiles, &input)
            .into_iter()
            .find(|v| v.label.ends_with("Member ID"))
            .map(|v| v.value)
            .expect("MSP360's portal asks for the Member ID")
    };
    let text = |s: &str| ValueSource::Text(s.to_string());
    assert_eq!(
        member_value(&[msp], MemberPlan::MemberPerTool),
        text(&msp.member.member_id)
    );
    // One member for every tool: the first tool's member, which step 3 creates.
    for plan in [
        MemberPlan::OneMemberKeyPerTool,
        MemberPlan::OneMemberSharedKey,
    ] {
        assert_eq!(
            member_value(&[hudu, msp], plan),
            text(&hudu.member.member_id),
            "{plan:?}"
        );
    }
    assert_eq!(
        member_value(&[hudu, msp], MemberPlan::MemberPerTool),
        text(&msp.member.member_id)
    );
    // An existing member: cwsetup does not know its ID and says so.
    assert_eq!(
        member_value(&[msp], MemberPlan::ExistingMember),
        text("(your existing API member's Member ID)")
    );

    // `cwsetup check` tests keys without learning whose they are.
    let inputs = PortalInputs {
        site: "na",
        company_id: "contoso",
        client_id: "",
        member_id: None,
    };
    let entries = portal_entries(msp, &inputs);
    assert_eq!(entries[0].value, PortalText::MemberId);
    assert_eq!(
        shown_without_keys(&entries[0].value),
        "the Member ID of the API member whose keys you tested"
    );
    let report = cwsetup::check::CheckReport::new("na".into(), "contoso".into(), String::new());
    let printed = cwsetup::check::portal_values(&report, &[msp]);
    assert!(
        printed.contains("Member ID    the Member ID of the API member whose keys you tested"),
        "{printed}"
    );
    let known = PortalInputs {
        member_id: Some("MSP360API"),
        ..inputs
    };
    assert_eq!(
        portal_entries(msp, &known)[0].value,
        PortalText::Text("MSP360API".into())
    );
}

#[test]
fn datto_rmm_names_its_outbound_ip_list_and_psa_basic() {
    let p = shipped("datto-rmm");
    let note = &p.ip_allow_list.note;
    assert!(
        note.contains("on-premise ConnectWise PSA server")
            && note.contains("IP addresses per platform (Outbound)"),
        "{note}"
    );
    assert!(
        !note.contains("does not mention an IP allow list"),
        "{note}"
    );
    assert_has(
        &p.prerequisites,
        "ConnectWise PSA Basic is not supported.",
        "datto-rmm prerequisites",
    );
}

#[test]
fn lastpass_says_its_customize_list_is_unconfirmed() {
    let p = shipped("lastpass");
    let notes = p.role.notes.join(" ");
    assert!(notes.contains("unconfirmed"), "{notes}");
    for table in [
        "Company / Company Status",
        "Company / Company Type",
        "Contact / Contact Type",
    ] {
        assert!(notes.contains(table), "{table}: {notes}");
    }
    let table_setup = p
        .role
        .rows
        .iter()
        .find(|r| r.function == "Table Setup")
        .expect("LastPass lists Table Setup");
    assert!(
        table_setup.customize.is_empty(),
        "an unconfirmed list is not shipped as the vendor's"
    );
}

#[test]
fn commvault_says_the_client_id_is_required() {
    let p = shipped("commvault");
    assert!(
        all_text(p).contains("Client ID: Required on all authenticated requests"),
        "{p:#?}"
    );
}

#[test]
fn every_corrected_profile_was_read_again_on_the_day() {
    let corrected = [
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
    for id in corrected {
        assert_eq!(shipped(id).as_of.as_deref(), Some(REREAD_ON), "{id}");
    }
    // No shipped profile keeps the false portal note where its vendor names the fields.
    for (id, _, _) in PORTAL_FIELDS {
        assert!(!all_text(shipped(id)).contains(NO_FIELDS_NOTE), "{id}");
    }
}

/// The vendor's Member ID has spaces: step 3's read-back finds it on a (simulated) ConnectWise,
/// where the member search quotes it, and a member ID cut at the first space is not found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_finds_the_acct_sync_api_member_by_its_spaced_id() {
    use crate::common::fixture::{client, credentials, options};
    use cwsetup::sim::{
        DEMO_ADMIN_PRIVATE_KEY, DEMO_ADMIN_PUBLIC_KEY, DEMO_COMPANY_ID, Scenario, SimServer,
    };

    let p = shipped("visionary360-accounting-sync");
    let scenario = Scenario::named("healthy")
        .expect("known scenario")
        .member_identifier(&p.member.member_id);
    let sim = SimServer::start(scenario).await.expect("sim starts");
    let client = client(&sim.url(), options());
    let info = client
        .company_info(DEMO_COMPANY_ID)
        .await
        .expect("companyinfo answers");
    let session = client.session(
        &info,
        credentials(
            DEMO_COMPANY_ID,
            DEMO_ADMIN_PUBLIC_KEY,
            DEMO_ADMIN_PRIVATE_KEY,
        ),
    );
    let merged = profile::merge(&[p]);
    let found =
        cwsetup::audit::audit_member(&session, &merged, "Sync 365 API", "Acct Sync API").await;
    assert_eq!(found.identifier, "Acct Sync API");
    assert_eq!(found.found, Some(true), "{found:#?}");
    let cut = cwsetup::audit::audit_member(&session, &merged, "Sync 365 API", "Acct").await;
    assert_eq!(cut.found, Some(false), "{cut:#?}");
    sim.shutdown().await;
}
