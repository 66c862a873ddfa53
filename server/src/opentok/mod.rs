//! The OpenTok server SDK: everything a server needs to speak the OpenTok /
//! Vonage Video protocol, usable both against the cloud and by our embedded
//! engine.
//!
//! - [`credentials`]: API keys, secrets and Vonage applications.
//! - [`session_id`]: generating and decoding session ids.
//! - [`token`]: minting client tokens (HS256 JWT, legacy `T1`, RS256 JWT).
//! - [`verify`]: checking client tokens the way the platform does.
//! - [`rest_auth`]: the REST authentication JWTs, both minting and checking.
//! - [`model`]: the REST wire types shared by the client and the engine.
//! - [`client`]: the REST client for the cloud platform (or any compatible
//!   server, such as our own engine).

pub mod client;
pub mod credentials;
mod jws;
mod keyring;
pub mod model;
pub mod rest_auth;
pub mod session_id;
pub mod token;
pub mod verify;

/// Seconds since the Unix epoch, as every OpenTok timestamp in tokens is.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}
