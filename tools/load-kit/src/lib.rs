//! What the load tools (`hub-load`, `media-load`) share: the server under
//! test as a child process of the server binary — its own temporary data
//! directory, a free loopback port, the benchmark project's engine
//! credentials, ready once `GET /healthz` answers; its CPU time and
//! resident memory read from `/proc`; and the errors both tools share
//! ([`ServerError`], [`Timeout`]). Each tool adds what is its own (a log
//! filter, extra environment) through [`Launch`].

mod error;
mod launch;
mod process;
mod procfs;

pub use error::{ServerError, Timeout};
pub use launch::Launch;
pub use process::ServerProcess;
pub use procfs::clock_ticks_per_second;
