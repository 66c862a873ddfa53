//! A live video call, shared by the pages that hold one (rooms, presence
//! chats): its state ([`state`]), its controller ([`controller`]) and its
//! view — participant tiles and controls ([`view`], [`tile`]).

pub mod controller;
pub mod state;
pub mod tile;
pub mod view;

pub use controller::CallController;
pub use state::{MediaChoice, Participant, Participants};
pub use view::CallView;
