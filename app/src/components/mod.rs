//! Reusable components shared by pages.

pub mod api_reference;
pub mod try_room;
