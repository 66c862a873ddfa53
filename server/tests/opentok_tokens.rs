//! Client tokens across the public API: every §7 vector verifies, tokens we
//! mint verify in all three forms, and the verifier refuses what the
//! platform refuses (wrong key, tampering, expiry, scope, role, data length).

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials, VonageApplication};
use server::opentok::model::MediaMode;
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenBuilder, TokenError, TokenFormat};
use server::opentok::verify::{TokenVerifier, VerifyError};
use sha2::Sha256;
use uuid::Uuid;

const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";
const APP_ID: &str = "29f760f8-7ce1-46c9-ade3-f2dedee4ed5f";

const VECTOR_7_1: &str = "T1==cGFydG5lcl9pZD0xMjM0NTYmc2lnPWRmOTRhNjQ1NTlhY2MwNjFkN2EzNzUyYTZmYzY5NDkzZTkzOGMxOTE6c2Vzc2lvbl9pZD0xX01YNHhNak0wTlRaLWZsTmhkQ0JOWVhJZ01UVWdNVFE2TkRJNk1qTWdVRVJVSURJd01UUi1NQzQwT1RBeE16QXlOWDQmY3JlYXRlX3RpbWU9MTQyNDIyMTAxMyZub25jZT0wLjM5NDI2MDk4ODEwNTA4ODUmcm9sZT1tb2RlcmF0b3ImZXhwaXJlX3RpbWU9MTQyNDMwNzQxMyZjb25uZWN0aW9uX2RhdGE9JTdCJTIybmFtZSUyMiUzQSUyMnZhbHVlJTIyJTdE";
const VECTOR_7_3: &str = "T1==cGFydG5lcl9pZD0xMjM0NTYmc2lnPTQyZjdkNzcxMmU0YTA4MWEzNmE0MTA1MTExNzYxYjgxZTgzOWM1NmM6c2Vzc2lvbl9pZD0xX01YNHhNak0wTlRaLWZsTmhkQ0JOWVhJZ01UVWdNVFE2TkRJNk1qTWdVRVJVSURJd01UUi1NQzQwT1RBeE16QXlOWDQmY3JlYXRlX3RpbWU9MTcwMDAwMDAwMCZub25jZT0wLjUmcm9sZT1wdWJsaXNoZXImZXhwaXJlX3RpbWU9MTcwMDA4NjQwMCZjb25uZWN0aW9uX2RhdGE9bmFtZSUzREpvaG5ueSUyMERvZSZpbml0aWFsX2xheW91dF9jbGFzc19saXN0PWZvY3VzJTIwc21hbGwmc2NvcGU9c2Vzc2lvbi5jb25uZWN0";
const VECTOR_7_4: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXNzaW9uX2lkIjoiMV9NWDR4TWpNME5UWi1mbE5oZENCTllYSWdNVFVnTVRRNk5ESTZNak1nVUVSVUlESXdNVFItTUM0ME9UQXhNekF5Tlg0Iiwicm9sZSI6InB1Ymxpc2hlciIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJzY29wZSI6InNlc3Npb24uY29ubmVjdCIsImluaXRpYWxfbGF5b3V0X2NsYXNzX2xpc3QiOiJhIiwiY29ubmVjdGlvbl9kYXRhIjoiZCIsImlzcyI6IjEyMzQ1NiIsImlzdCI6InByb2plY3QiLCJub25jZSI6NDI0MjQyfQ.KCBH3PYtQj3L83QevG0grS6qFnlp4MiDLYQE5j4VkhM";

fn project(key: &str) -> Credentials {
    Credentials::Project {
        api_key: ApiKey::parse(key).unwrap(),
        api_secret: ApiSecret::parse(SECRET).unwrap(),
    }
}

fn vonage(pem: &str) -> Credentials {
    Credentials::Vonage(VonageApplication::from_pem(Uuid::parse_str(APP_ID).unwrap(), pem).unwrap())
}

fn session() -> SessionId {
    SessionId::parse(SESSION).unwrap()
}

/// An HS256 JWT over `claims` with the test secret (for hand-made negative cases).
fn hs256(claims: serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{header}.{body}").as_bytes());
    format!(
        "{header}.{body}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

fn claims() -> serde_json::Value {
    serde_json::json!({"iss": "123456", "ist": "project", "iat": 1_700_000_000u64, "exp": 1_700_003_600u64,
                       "scope": "session.connect", "session_id": SESSION, "role": "publisher"})
}

#[test]
fn all_section_7_client_vectors_verify() {
    let verifier = TokenVerifier::new(&project("123456"));
    let t1 = verifier.verify_at(VECTOR_7_1, 1_424_221_100).unwrap();
    assert_eq!(
        (t1.role, t1.expires_at, t1.format),
        (Role::Moderator, 1_424_307_413, TokenFormat::T1)
    );
    assert_eq!(t1.connection_data.as_deref(), Some(r#"{"name":"value"}"#));
    let node = verifier.verify_at(VECTOR_7_3, 1_700_000_001).unwrap();
    assert_eq!(node.connection_data.as_deref(), Some("name=Johnny Doe"));
    assert_eq!(node.initial_layout_class_list, ["focus", "small"]);
    let jwt = verifier.verify_at(VECTOR_7_4, 1_700_000_001).unwrap();
    assert_eq!(
        (jwt.owner.as_str(), jwt.role, jwt.format),
        ("123456", Role::Publisher, TokenFormat::Jwt)
    );
    assert_eq!(
        (jwt.connection_data.as_deref(), jwt.expires_at),
        (Some("d"), 1_700_003_600)
    );
    assert_eq!(jwt.initial_layout_class_list, ["a"]);
    assert_eq!(jwt.session_id, session());
}

#[test]
fn vectors_are_refused_for_another_key_and_after_expiry() {
    let wrong_key = TokenVerifier::new(&project("654321"));
    for vector in [VECTOR_7_1, VECTOR_7_3, VECTOR_7_4] {
        assert_eq!(
            wrong_key.verify_at(vector, 1_400_000_000).unwrap_err(),
            VerifyError::UnknownIssuer
        );
    }
    let verifier = TokenVerifier::new(&project("123456"));
    assert_eq!(
        verifier.verify_at(VECTOR_7_4, 1_700_003_600).unwrap_err(),
        VerifyError::Expired
    );
    assert_eq!(
        verifier.verify_at(VECTOR_7_1, 1_424_307_413).unwrap_err(),
        VerifyError::Expired
    );
}

#[test]
fn tampered_tokens_fail_the_signature_check() {
    let verifier = TokenVerifier::new(&project("123456"));
    let mut parts: Vec<String> = VECTOR_7_4.split('.').map(str::to_owned).collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    claims["role"] = "moderator".into();
    parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
    assert_eq!(
        verifier
            .verify_at(&parts.join("."), 1_700_000_001)
            .unwrap_err(),
        VerifyError::BadSignature
    );

    let plain = String::from_utf8(STANDARD.decode(&VECTOR_7_3[4..]).unwrap()).unwrap();
    let forged = plain.replace("role=publisher", "role=moderator");
    let token = format!("T1=={}", STANDARD.encode(forged));
    assert_eq!(
        verifier.verify_at(&token, 1_700_000_001).unwrap_err(),
        VerifyError::BadSignature
    );
    let upper = plain.replacen("sig=42f7d7712e4a", "sig=42F7D7712E4A", 1);
    assert!(
        verifier
            .verify_at(&format!("T1=={}", STANDARD.encode(upper)), 1_700_000_001)
            .is_ok(),
        "hex is case-insensitive"
    );
}

#[test]
fn t1_in_the_java_url_safe_alphabet_verifies() {
    // "~~~" encodes to "fn5+" when aligned, so one of three offsets yields a '+'.
    let credentials = project("123456");
    let standard = (0..3)
        .map(|pad| {
            let data = format!("{}~~~~~~", "x".repeat(pad));
            TokenBuilder::new(&credentials, &session())
                .format(TokenFormat::T1)
                .data(data)
                .build()
                .unwrap()
        })
        .find(|token| token[4..].contains(['+', '/']))
        .expect("one alignment puts a '+' or '/' in the body");
    let java = format!(
        "T1=={}",
        URL_SAFE.encode(STANDARD.decode(&standard[4..]).unwrap())
    );
    assert_ne!(java, standard);
    let verifier = TokenVerifier::new(&credentials);
    let verified = verifier.verify(&java).unwrap();
    assert!(verified.connection_data.unwrap().ends_with("~~~~~~"));
    let unpadded = java.trim_end_matches('=').to_owned();
    assert!(verifier.verify(&unpadded).is_ok() || unpadded == java);
}

#[test]
fn claim_rules_are_enforced() {
    let verifier = TokenVerifier::new(&project("123456"));
    let at = |claims: serde_json::Value| verifier.verify_at(&hs256(claims), 1_700_000_001);
    assert!(at(claims()).is_ok());
    let mut wrong_scope = claims();
    wrong_scope["scope"] = "session.admin".into();
    assert_eq!(at(wrong_scope).unwrap_err(), VerifyError::Scope);
    let mut no_scope = claims();
    no_scope.as_object_mut().unwrap().remove("scope");
    assert_eq!(at(no_scope).unwrap_err(), VerifyError::Scope);
    let mut bad_role = claims();
    bad_role["role"] = "admin".into();
    assert_eq!(at(bad_role).unwrap_err(), VerifyError::Role("admin".into()));
    let mut long_data = claims();
    long_data["connection_data"] = "x".repeat(1001).into();
    assert_eq!(at(long_data).unwrap_err(), VerifyError::DataTooLong);
    let mut foreign = claims();
    foreign["session_id"] =
        "1_MX42NTQzMjF-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4".into();
    assert_eq!(at(foreign).unwrap_err(), VerifyError::ForeignSession);
}

#[test]
fn lenient_defaults_follow_the_php_and_ruby_sdks() {
    let verifier = TokenVerifier::new(&project("123456"));
    let mut php = claims();
    let object = php.as_object_mut().unwrap();
    object.remove("exp");
    object.remove("role");
    object.insert("iss".into(), 123456.into());
    object.insert("initial_layout_class_list".into(), "focus+main".into());
    let verified = verifier.verify_at(&hs256(php), 1_700_000_001).unwrap();
    assert_eq!(
        (verified.role, verified.expires_at),
        (Role::Publisher, 1_700_086_400)
    );
    assert_eq!(verified.initial_layout_class_list, ["focus", "main"]);
}

#[test]
fn minted_tokens_verify_in_every_form() {
    let credentials = project("123456");
    let verifier = TokenVerifier::new(&credentials);
    for format in [TokenFormat::Jwt, TokenFormat::T1] {
        let token = TokenBuilder::new(&credentials, &session())
            .format(format)
            .data("name=Alice")
            .build()
            .unwrap();
        let verified = verifier.verify(&token).unwrap();
        assert_eq!(
            (verified.format, verified.connection_data.as_deref()),
            (format, Some("name=Alice"))
        );
    }
    let app = vonage(include_str!("fixtures/opentok/vonage_private_key.pem"));
    let app_session = SessionId::generate(&app.owner_id(), None, MediaMode::Routed);
    let token = TokenBuilder::new(&app, &app_session)
        .role(Role::Moderator)
        .build()
        .unwrap();
    let both = TokenVerifier::new(&credentials).with(&app);
    assert_eq!(both.verify(&token).unwrap().role, Role::Moderator);
    let impostor = vonage(include_str!(
        "fixtures/opentok/vonage_other_private_key.pem"
    ));
    assert_eq!(
        TokenVerifier::new(&impostor).verify(&token).unwrap_err(),
        VerifyError::BadSignature
    );
    assert_eq!(
        TokenVerifier::new(&credentials).verify(&token).unwrap_err(),
        VerifyError::UnknownIssuer
    );
}

#[test]
fn builder_refuses_bad_inputs() {
    let credentials = project("123456");
    let far = server_now() + 30 * 86_400 + 60;
    let build = |builder: TokenBuilder<'_>| builder.build().unwrap_err();
    assert_eq!(
        build(TokenBuilder::new(&credentials, &session()).expire_time(far)),
        TokenError::ExpireTooFar
    );
    assert_eq!(
        build(TokenBuilder::new(&credentials, &session()).expire_time(1)),
        TokenError::ExpireInPast
    );
    assert_eq!(
        build(TokenBuilder::new(&credentials, &session()).data("x".repeat(1001))),
        TokenError::DataTooLong
    );
    let foreign =
        SessionId::parse("1_MX42NTQzMjF-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4")
            .unwrap();
    assert_eq!(
        build(TokenBuilder::new(&credentials, &foreign)),
        TokenError::ForeignSession
    );
}

fn server_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
