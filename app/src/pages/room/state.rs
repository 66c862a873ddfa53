//! The rooms page's own state as plain data: where the person is (lobby,
//! joining, in the call, left). The call's state is the shared
//! [`crate::components::call`]'s, the lobby's camera preview the shared
//! [`crate::components::preview`]'s.

/// Where the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Choosing a name and devices.
    Lobby,
    /// Asking for credentials and connecting.
    Joining,
    /// In the call.
    InCall,
    /// Left or put out; the message says why.
    Left(String),
}
