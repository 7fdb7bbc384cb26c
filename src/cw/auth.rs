//! API credentials and the `Authorization` header built from them.

use base64::Engine;
use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use crate::secret::Secret;

/// What ConnectWise needs to authenticate an API member. Debug never shows the keys.
#[derive(Debug)]
pub struct Credentials {
    /// The company ID typed on the login screen (not a secret).
    pub company_id: String,
    pub public_key: Secret,
    pub private_key: Secret,
}

/// What is wrong with a client ID (once sanitized) that the `clientId` header cannot carry,
/// if anything: the same test the client makes before sending it.
pub fn client_id_problem(client_id: &str) -> Option<String> {
    match client_id.trim() {
        "" => None,
        id if reqwest::header::HeaderValue::from_str(id).is_ok() => None,
        _ => Some(format!(
            "{} ({})",
            crate::cw::CwError::InvalidClientId,
            crate::cw::CwError::InvalidClientId.fix()
        )),
    }
}

/// Why a company ID (already trimmed) cannot be used, or `None` when it can.
///
/// The ID goes both into the URL path of `login/companyinfo` and before the `+` of the
/// Authorization header. A tab, a space or an invisible character inside it would be dropped or
/// encoded differently in the one than in the other, and a `:` would split the header early, so
/// the two would name different companies. The login screen's company ID has none of them.
pub fn company_id_problem(company_id: &str) -> Option<String> {
    let mut found: Vec<&'static str> = Vec::new();
    for c in company_id.chars() {
        let what = match c {
            '\t' => "a tab",
            '\n' | '\r' => "a line break",
            ':' => "a colon",
            c if c.is_whitespace() => "a space",
            c if c.is_control() => "a control character",
            '\u{ad}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}' => "an invisible character",
            _ => continue,
        };
        if !found.contains(&what) {
            found.push(what);
        }
    }
    if found.is_empty() {
        return None;
    }
    let list = match found.len() {
        1 => found[0].to_string(),
        _ => {
            let last = found.pop().unwrap_or_default();
            format!("{} and {last}", found.join(", "))
        }
    };
    Some(format!(
        "the company ID contains {list}: it must be one word exactly as typed in the Company field of the ConnectWise login screen (not the company's name)"
    ))
}

/// `Basic base64("{companyId}+{publicKey}:{privateKey}")`, marked sensitive so that it is
/// left out of Debug output and HTTP/2 header compression tables.
///
/// Built just before each request; the intermediate strings are wiped on drop.
pub fn authorization_header(credentials: &Credentials) -> HeaderValue {
    const BASIC: &[u8] = b"Basic ";
    let plain = credentials.company_id.len()
        + credentials.public_key.len()
        + credentials.private_key.len()
        + 2;
    let mut joined = Zeroizing::new(String::with_capacity(plain));
    joined.push_str(&credentials.company_id);
    joined.push('+');
    joined.push_str(credentials.public_key.expose());
    joined.push(':');
    joined.push_str(credentials.private_key.expose());

    // Encoded straight into a buffer of the exact size: `encode_string` would stage the base64
    // in a 1 KiB buffer on the stack, which nothing wipes.
    let encoded_len = base64::encoded_len(joined.len(), true).unwrap_or(0);
    let mut header = Zeroizing::new(vec![0u8; BASIC.len() + encoded_len]);
    header[..BASIC.len()].copy_from_slice(BASIC);
    let _ = base64::engine::general_purpose::STANDARD
        .encode_slice(joined.as_bytes(), &mut header[BASIC.len()..]);

    // Base64 output and "Basic " are visible ASCII, which is always a valid header value.
    let mut value = HeaderValue::from_bytes(&header).expect("base64 text is a valid header value");
    value.set_sensitive(true);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_ids_with_inner_blanks_or_controls_are_refused_with_the_reason() {
        for ok in ["contoso", "Contoso_IT", "cw-demo.2", "bücher"] {
            assert_eq!(company_id_problem(ok), None, "{ok}");
        }
        for (bad, reason) in [
            ("con\ttoso", "a tab"),
            ("Contoso Ltd", "a space"),
            ("con\u{a0}toso", "a space"),
            ("con\u{1b}[2Jtoso", "a control character"),
            ("con\u{200b}toso", "an invisible character"),
            ("con\rtoso", "a line break"),
            ("con:toso", "a colon"),
        ] {
            let problem = company_id_problem(bad).unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(problem.contains(reason), "{bad:?}: {problem}");
            assert!(!problem.contains("--"), "no flag is named: {problem}");
            assert!(!problem.chars().any(char::is_control), "{problem:?}");
        }
        assert_eq!(
            company_id_problem("a b\tc d"),
            Some("the company ID contains a space and a tab: it must be one word exactly as typed in the Company field of the ConnectWise login screen (not the company's name)".into())
        );
    }

    fn credentials(company: &str, public: &str, private: &str) -> Credentials {
        Credentials {
            company_id: company.to_string(),
            public_key: Secret::from_str_checked(public).expect("fits"),
            private_key: Secret::from_str_checked(private).expect("fits"),
        }
    }

    #[test]
    fn header_is_basic_base64_of_company_plus_public_colon_private() {
        let value = authorization_header(&credentials(
            "contoso",
            "FakePublicKey001",
            "FakePrivateKey01",
        ));
        // base64("contoso+FakePublicKey001:FakePrivateKey01"), computed independently.
        assert_eq!(
            value.as_bytes(),
            b"Basic Y29udG9zbytGYWtlUHVibGljS2V5MDAxOkZha2VQcml2YXRlS2V5MDE="
        );
        assert!(value.is_sensitive());
    }

    #[test]
    fn header_keeps_keys_byte_for_byte_without_trimming() {
        // Sanitising pasted keys is the key step's job; the header must encode exactly what it got.
        let value = authorization_header(&credentials(
            "CW",
            " FakePublicKey001",
            "FakePrivateKey01\n",
        ));
        assert_eq!(
            value.as_bytes(),
            b"Basic Q1crIEZha2VQdWJsaWNLZXkwMDE6RmFrZVByaXZhdGVLZXkwMQo="
        );
    }

    #[test]
    fn debug_of_credentials_and_header_hides_the_keys() {
        let creds = credentials("contoso", "FakePublicKey001", "FakePrivateKey01");
        let debug = format!("{creds:?} {:?}", authorization_header(&creds));
        assert!(!debug.contains("FakePublicKey001"), "{debug}");
        assert!(!debug.contains("FakePrivateKey01"), "{debug}");
        assert!(!debug.contains("Y29udG9z"), "{debug}");
    }
}
