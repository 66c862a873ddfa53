//! Client-token throughput: minting HS256 JWT and T1 tokens the way a
//! server does for every participant (a session id, role publisher, data
//! `name=Alice`), plus verifying them as the engine does on connect.
//! `bench/sdk/run.sh` compares these figures with the official SDKs.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenBuilder, TokenFormat};
use server::opentok::verify::TokenVerifier;

const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";

fn mint(credentials: &Credentials, session: &SessionId, format: TokenFormat) -> String {
    TokenBuilder::new(credentials, session)
        .role(Role::Publisher)
        .data("name=Alice")
        .format(format)
        .build()
        .expect("benchmark inputs are valid")
}

fn tokens(c: &mut Criterion) {
    let credentials = Credentials::Project {
        api_key: ApiKey::parse("123456").expect("valid key"),
        api_secret: ApiSecret::parse(SECRET).expect("valid secret"),
    };
    let session = SessionId::parse(SESSION).expect("valid session id");
    let verifier = TokenVerifier::new(&credentials);

    let mut group = c.benchmark_group("tokens");
    group.throughput(Throughput::Elements(1));
    for (name, format) in [("jwt", TokenFormat::Jwt), ("t1", TokenFormat::T1)] {
        group.bench_function(format!("mint_{name}"), |b| {
            b.iter(|| mint(black_box(&credentials), black_box(&session), format))
        });
        let token = mint(&credentials, &session, format);
        group.bench_function(format!("verify_{name}"), |b| {
            b.iter(|| verifier.verify(black_box(&token)).expect("token verifies"))
        });
    }
    group.finish();
}

criterion_group!(benches, tokens);
criterion_main!(benches);
