//! Links: the one under the focus (`o` opens it).

use super::app::App;

use super::pane::Pane;
use crate::setup::content::{CopyValue, ValueSource};
use crate::setup::fields::FieldId;

impl App {
    /// The link under the focus, for `o`: a URL in the focused row, the focused profile's
    /// guide, the client-ID page on the Client ID field, else the first selected vendor's guide
    /// on a checklist. Other content supplies links by putting an `https://` URL in a row.
    pub fn focused_link(&self) -> Option<String> {
        let pane = self.focused_pane();
        let cursor = self.cursor(pane);
        let content = self.content(self.step);
        let row_text = match pane {
            Pane::Checklist => content.checklist.get(cursor).cloned(),
            Pane::Values => content.values.get(cursor).map(copy_text),
            Pane::Portal => content.portal.get(cursor).map(copy_text),
            _ => None,
        };
        if let Some(url) = row_text.as_deref().and_then(first_url) {
            return Some(url);
        }
        match pane {
            Pane::Profiles => self
                .focused_profile()
                .and_then(|i| self.profiles.get(i))
                .map(|p| p.docs_url.clone()),
            Pane::Field(FieldId::ClientId) => {
                Some(crate::setup::client_id::DEVELOPER_URL.to_string())
            }
            Pane::Checklist => self.selected_profiles().first().map(|p| p.docs_url.clone()),
            _ => None,
        }
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
    }
}

fn copy_text(value: &CopyValue) -> String {
    match &value.value {
        ValueSource::Text(text) => text.clone(),
        ValueSource::Field(_) => String::new(),
    }
}

/// The first `http(s)://` URL in `text`, without trailing punctuation.
pub fn first_url(text: &str) -> Option<String> {
    let start = text.find("https://").or_else(|| text.find("http://"))?;
    let url: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>'))
        .collect();
    let url = url.trim_end_matches(['.', ',', ';', ':', ')', ']']);
    (url.len() > "https://".len()).then(|| url.to_string())
}
