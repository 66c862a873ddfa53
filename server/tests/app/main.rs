//! Integration tests of the whole server over real HTTP: one test binary
//! (faster to build) with a module per area, all sharing [`helpers`].

mod accounts;
mod binary;
mod cloud_provider;
mod concurrent_builds;
mod help;
mod help_durability;
mod help_flow;
mod helpers;
mod pages;
mod presence;
mod rooms;
