//! The rooms page's own state as plain data: where the person is (lobby,
//! joining, in the call, left) and the lobby's device preview. The call's
//! state is the shared [`crate::components::call`]'s.

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

/// A camera or microphone to pick in the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceOption {
    /// Its `deviceId`.
    pub id: String,
    /// What the browser calls it.
    pub label: String,
}

/// The lobby's camera preview. (`Live` and `Blocked` are only reached in the browser.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Preview {
    /// Asking for the devices.
    Starting,
    /// Showing the camera (or only the microphone is on).
    Live,
    /// Neither camera nor microphone chosen.
    Off,
    /// The devices could not be opened; why, in words.
    Blocked(String),
}
