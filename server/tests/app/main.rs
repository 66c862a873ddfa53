//! Integration tests of the whole server over real HTTP: one test binary
//! (faster to build) with a module per area, all sharing [`helpers`] (and
//! [`hub`] for hub sockets, [`real_server`] for the binary itself).

mod accounts;
mod binary;
mod cloud_provider;
mod concurrent_builds;
mod help;
mod help_durability;
mod help_flow;
mod helpers;
mod hub;
#[path = "../hub_client/mod.rs"]
mod hub_client;
mod pages;
mod presence;
mod real_server;
mod rooms;
