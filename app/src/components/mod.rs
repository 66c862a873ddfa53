//! Reusable components shared by pages.

pub mod api_reference;
pub mod top_bar;
pub mod try_room;
