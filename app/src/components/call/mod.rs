//! A live video call, shared by the pages that hold one (rooms, presence
//! chats): its state ([`state`]), whether it is recorded ([`recording`]),
//! its controller ([`controller`]) and its view — participant tiles,
//! controls and the recording indicator ([`view`], [`tile`]).

pub mod controller;
pub mod recording;
pub mod state;
pub mod tile;
pub mod view;

pub use controller::CallController;
pub use recording::{ActiveArchive, CallRecording, RecordingIndicator};
pub use state::{MediaChoice, Participant, Participants};
pub use view::CallView;
