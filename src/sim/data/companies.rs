//! `company/companies` and `company/contacts`.

use serde_json::{Value, json};

use super::{COMPANY_COUNT, info, reference};

pub(super) const COMPANY_NAMES: [&str; COMPANY_COUNT] = [
    "Contoso Managed IT",
    "Adatum Corporation",
    "Alpine Ski House",
    "Bellows College",
    "Best For You Organics",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Consolidated Messenger",
    "Fabrikam Inc",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Liberty Delightful Sinful Bakery",
    "Litware Inc",
    "Lucerne Publishing",
    "Margie's Travel",
    "Munson's Pickles and Preserves",
    "Nod Publishers",
    "Northwind Traders",
    "Proseware Inc",
    "Relecloud",
    "School of Fine Art",
    "Southridge Video",
    "Tailspin Toys",
    "Trey Research",
    "The Phone Company",
    "VanArsdel Ltd",
    "Wide World Importers",
    "Wingtip Toys",
    "Woodgrove Bank",
    "Woodgrove Dental",
    "A. Datum Clinics",
    "Baldwin Museum of Science",
    "Central Valley Credit Union",
    "Hollow Creek Legal",
    "Maple Street Accounting",
    "Riverside Veterinary",
    "Summit Ridge Engineering",
];

const FIRST_NAMES: [&str; 10] = [
    "Avery", "Jordan", "Riley", "Morgan", "Casey", "Taylor", "Quinn", "Harper", "Rowan", "Emerson",
];
const LAST_NAMES: [&str; 10] = [
    "Fischer",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Alvarez",
    "Novak",
    "Brennan",
    "Haddad",
    "Kowalski",
];

const CITIES: [(&str, &str); 5] = [
    ("Tampa", "FL"),
    ("Orlando", "FL"),
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Portland", "OR"),
];

fn company_id(index: usize) -> u64 {
    // Real tenants have sparse ids; start above 250 like a tenant with history.
    250 + index as u64 * 3
}

pub(super) fn company_identifier(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(25)
        .collect()
}

pub(super) fn company_ref(base: &str, index: usize) -> Value {
    let name = COMPANY_NAMES[index];
    let id = company_id(index);
    json!({
        "id": id,
        "identifier": company_identifier(name),
        "name": name,
        "_info": {"company_href": format!("{base}company/companies/{id}")}
    })
}

pub(super) fn contact_id(company_index: usize, n: usize) -> u64 {
    1000 + company_index as u64 * 2 + n as u64
}

pub(super) fn contact_name(company_index: usize, n: usize) -> String {
    let first = FIRST_NAMES[(company_index + n * 3) % FIRST_NAMES.len()];
    let last = LAST_NAMES[(company_index * 7 + n) % LAST_NAMES.len()];
    format!("{first} {last}")
}

/// `company/companies`.
pub fn companies(base: &str) -> Vec<Value> {
    (0..COMPANY_COUNT)
        .map(|i| {
            let name = COMPANY_NAMES[i];
            let id = company_id(i);
            let status = if i % 13 == 12 { (2, "Inactive") } else { (1, "Active") };
            json!({
                "id": id,
                "identifier": company_identifier(name),
                "name": name,
                "status": reference(status.0, status.1, "status", format!("{base}company/companies/statuses/{}", status.0)),
                "addressLine1": format!("{} Main Street", 100 + i * 11),
                "city": CITIES[i % 5].0,
                "state": CITIES[i % 5].1,
                "zip": format!("{:05}", 33601 + i * 17),
                "country": reference(1, "United States", "country", format!("{base}company/countries/1")),
                "phoneNumber": format!("8135550{:03}", 100 + i),
                "website": format!("www.{}.example", company_identifier(name).to_ascii_lowercase()),
                "territory": reference(1, "Main", "location", format!("{base}system/locations/1")),
                "types": [reference(if i == 0 { 5 } else { 1 }, if i == 0 { "Owner" } else { "Client" }, "type", format!("{base}company/companies/types/{}", if i == 0 { 5 } else { 1 }))],
                "defaultContact": reference(contact_id(i, 0), &contact_name(i, 0), "contact", format!("{base}company/contacts/{}", contact_id(i, 0))),
                "dateAcquired": format!("20{:02}-0{}-1{}T00:00:00Z", 10 + i % 15, 1 + i % 9, i % 10),
                "deletedFlag": false,
                "mobileGuid": format!("9f3c2a1e-0000-4000-8000-{:012}", id),
                "_info": {
                    "lastUpdated": "2025-03-14T16:22:05Z",
                    "updatedBy": "jsmith",
                    "dateEntered": "2019-06-03T13:45:10Z",
                    "enteredBy": "jsmith",
                    "contacts_href": format!("{base}company/contacts?conditions=company/id={id}"),
                    "agreements_href": format!("{base}finance/agreements?conditions=company/id={id}"),
                    "sites_href": format!("{base}company/companies/{id}/sites"),
                },
            })
        })
        .collect()
}

/// `company/contacts`: two per company.
pub fn contacts(base: &str) -> Vec<Value> {
    let mut out = Vec::with_capacity(COMPANY_COUNT * 2);
    for (i, company_name) in COMPANY_NAMES.iter().enumerate() {
        for n in 0..2 {
            let id = contact_id(i, n);
            let name = contact_name(i, n);
            let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
            out.push(json!({
                "id": id,
                "firstName": first,
                "lastName": last,
                "company": company_ref(base, i),
                "site": reference(1000 + i as u64, "Main", "site", format!("{base}company/companies/{}/sites/{}", company_id(i), 1000 + i)),
                "inactiveFlag": false,
                "title": if n == 0 { "Office Manager" } else { "Owner" },
                "defaultFlag": n == 0,
                "communicationItems": [{
                    "id": id * 10,
                    "type": reference(1, "Email", "type", format!("{base}company/communicationTypes/1")),
                    "value": format!("{}.{}@{}.example", first.to_ascii_lowercase(), last.to_ascii_lowercase(), company_identifier(company_name).to_ascii_lowercase()),
                    "defaultFlag": true,
                    "communicationType": "Email"
                }],
                "_info": info(base, "company/contacts", &[
                    ("communications_href", format!("{base}company/contacts/{id}/communications")),
                ]),
            }));
        }
    }
    out
}
