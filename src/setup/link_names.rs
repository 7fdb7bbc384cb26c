//! The profiles' link names resolved to the pages they name, as the wizard takes its profiles.

use crate::profile::Profile;

/// Profiles' texts point at their pages by field name ("see the page (source_url)"); on screen
/// the technician sees the link itself, never an internal name.
pub fn resolve_link_names(profile: Profile) -> Profile {
    fn walk(value: &mut serde_json::Value, links: &[(&str, String)]) {
        match value {
            serde_json::Value::String(s) => {
                for (name, url) in links {
                    if s.contains(name) {
                        *s = s.replace(name, url);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, links)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| walk(v, links)),
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }
    let docs = profile.docs_url.clone();
    let source = profile.source_url.clone().unwrap_or_else(|| docs.clone());
    let links = [("source_url", source), ("docs_url", docs)];
    let Ok(mut value) = serde_json::to_value(&profile) else {
        return profile;
    };
    if let serde_json::Value::Object(map) = &mut value {
        for (key, field) in map.iter_mut() {
            if key != "source_url" && key != "docs_url" && key != "$schema" {
                walk(field, &links);
            }
        }
    }
    serde_json::from_value(value).unwrap_or(profile)
}
