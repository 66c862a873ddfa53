//! Integration tests of the whole server over real HTTP: one test binary
//! (faster to build) with a module per area, all sharing [`helpers`].

mod binary;
mod cloud_provider;
mod helpers;
mod pages;
mod presence;
mod rooms;
