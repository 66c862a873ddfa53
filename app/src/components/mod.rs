//! Reusable components shared by pages.

pub mod api_reference;
pub mod call;
pub mod card;
pub mod failure;
pub mod open_room;
pub mod preview;
pub mod top_bar;
pub mod try_room;
