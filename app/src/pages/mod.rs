//! One module per routed page.

pub mod archives;
pub mod landing;
pub mod not_found;
pub mod presence;
pub mod rep;
pub mod room;
pub mod support;
