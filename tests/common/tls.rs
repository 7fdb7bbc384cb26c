//! Certificates and a TLS acceptor for the tests' own HTTPS servers on 127.0.0.1: a test CA, leaves
//! signed by it (valid or expired), and self-signed leaves.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

pub struct TestCa {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

pub fn test_ca() -> TestCa {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "cwsetup test CA");
    let key = KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("CA cert");
    TestCa {
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

pub struct Leaf {
    pub der: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

fn leaf_params(name: &str, expired: bool) -> CertificateParams {
    let mut params = CertificateParams::new(vec![name.to_string()]).expect("params");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    let day = time::Duration::days(1);
    let now = OffsetDateTime::now_utc();
    if expired {
        params.not_before = now - day * 30;
        params.not_after = now - day;
    } else {
        params.not_before = now - day;
        params.not_after = now + day;
    }
    params
}

pub fn signed_leaf(ca: &TestCa, name: &str, expired: bool) -> Leaf {
    signed(ca, leaf_params(name, expired))
}

/// A leaf made from `params` with a fresh key, signed by `ca`.
fn signed(ca: &TestCa, params: CertificateParams) -> Leaf {
    let key = KeyPair::generate().expect("key");
    let cert = params.signed_by(&key, &ca.issuer).expect("signed");
    Leaf {
        der: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

pub fn self_signed_leaf(name: &str) -> Leaf {
    let key = KeyPair::generate().expect("key");
    let cert = leaf_params(name, false)
        .self_signed(&key)
        .expect("self-signed");
    Leaf {
        der: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// A TLS acceptor presenting `leaf`, with rustls's safe defaults (ring, as cwsetup uses).
pub fn acceptor(leaf: Leaf) -> tokio_rustls::TlsAcceptor {
    tokio_rustls::TlsAcceptor::from(server_config(leaf))
}

/// A leaf valid for every name in `names` (a cloud region's site and API hosts), signed by `ca`.
pub fn signed_leaf_for(ca: &TestCa, names: &[&str]) -> Leaf {
    let mut params = leaf_params(names[0], false);
    params.subject_alt_names = names
        .iter()
        .map(|n| rcgen::SanType::DnsName((*n).try_into().expect("a DNS name")))
        .collect();
    signed(ca, params)
}

/// A server config presenting `leaf`, with rustls's safe defaults (ring) and no ALPN list (the
/// simulator's TLS listener offers h2 and http/1.1 when none is set).
pub fn server_config(leaf: Leaf) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der], leaf.key)
        .expect("server config");
    Arc::new(config)
}
