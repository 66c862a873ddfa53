//! A call's state as plain data: the other participants and what they
//! send, folded from the video session's events by [`Participants::apply`],
//! and the devices chosen for publishing. The view only reads it. Compiles
//! on both sides of hydration and is unit-tested.

use crate::models::ConnectionData;
use crate::video::{Connection, Reason, SessionEvent, StreamInfo, StreamProperty};

/// Someone else in the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Their connection.
    pub connection_id: String,
    /// Their display name ("Guest" when their token carried none).
    pub name: String,
    /// What they publish, if anything.
    pub stream: Option<StreamInfo>,
    /// The session generation this entry belongs to.
    generation: u32,
}

impl Participant {
    /// The key a tile is rebuilt on: a new stream, or a reconnection,
    /// means a new subscription.
    pub fn tile_key(&self) -> (String, Option<String>, u32) {
        (
            self.connection_id.clone(),
            self.stream.as_ref().map(|s| s.id.clone()),
            self.generation,
        )
    }
}

/// What the camera and microphone will do when joining.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaChoice {
    /// The chosen microphone (`None`: no microphone).
    pub microphone: Option<String>,
    /// The chosen camera (`None`: no camera).
    pub camera: Option<String>,
}

impl MediaChoice {
    /// The browser's default camera and microphone (an empty device id).
    pub fn default_devices() -> Self {
        MediaChoice {
            microphone: Some(String::new()),
            camera: Some(String::new()),
        }
    }

    /// Whether anything will be published.
    pub fn publishes(&self) -> bool {
        self.microphone.is_some() || self.camera.is_some()
    }
}

/// What a session event means for the page besides the participant list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Nothing to show.
    None,
    /// Show the "reconnecting…" banner.
    Reconnecting,
    /// Hide it.
    Reconnected,
    /// The session ended; show why.
    Ended(String),
}

/// The others in the call, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participants {
    /// Everyone else.
    pub people: Vec<Participant>,
    /// Counts reconnections: tiles made before one hold dead subscriptions.
    generation: u32,
}

impl Participants {
    fn find(&mut self, connection_id: &str) -> Option<&mut Participant> {
        self.people
            .iter_mut()
            .find(|p| p.connection_id == connection_id)
    }

    fn join(&mut self, connection: &Connection) -> &mut Participant {
        let name = ConnectionData::parse(&connection.data)
            .map(|d| d.name.to_string())
            .unwrap_or_else(|| "Guest".to_owned());
        if let Some(index) = self
            .people
            .iter()
            .position(|p| p.connection_id == connection.id)
        {
            let known = &mut self.people[index];
            if !connection.data.is_empty() {
                known.name = name;
            }
            return known;
        }
        self.people.push(Participant {
            connection_id: connection.id.clone(),
            name,
            stream: None,
            generation: self.generation,
        });
        self.people.last_mut().expect("just pushed")
    }

    /// Folds one session event in; returns what else the page should show.
    pub fn apply(&mut self, event: SessionEvent) -> Notice {
        match event {
            SessionEvent::ConnectionCreated(connection) => {
                self.join(&connection);
            }
            SessionEvent::ConnectionDestroyed { connection, .. } => {
                self.people.retain(|p| p.connection_id != connection.id);
            }
            SessionEvent::StreamCreated(stream) => {
                let connection = Connection {
                    id: stream.connection_id.clone(),
                    data: String::new(),
                    creation_time: 0,
                };
                // Streams may be announced before their connection (OpenTok.js
                // does not promise an order); the name arrives with it.
                if let Some(participant) = self.find(&stream.connection_id) {
                    participant.stream = Some(stream);
                } else {
                    self.join(&connection).stream = Some(stream);
                }
            }
            SessionEvent::StreamDestroyed { stream, .. } => {
                for participant in &mut self.people {
                    if participant
                        .stream
                        .as_ref()
                        .is_some_and(|s| s.id == stream.id)
                    {
                        participant.stream = None;
                    }
                }
            }
            SessionEvent::StreamPropertyChanged {
                stream_id,
                property,
                value,
            } => {
                for participant in &mut self.people {
                    if let Some(stream) = participant.stream.as_mut().filter(|s| s.id == stream_id)
                    {
                        match property {
                            StreamProperty::HasAudio => stream.has_audio = value,
                            StreamProperty::HasVideo => stream.has_video = value,
                        }
                    }
                }
            }
            // Recordings are folded by `CallRecording`.
            SessionEvent::Signal { .. }
            | SessionEvent::ArchiveStarted { .. }
            | SessionEvent::ArchiveStopped { .. } => {}
            SessionEvent::Reconnecting => return Notice::Reconnecting,
            SessionEvent::Reconnected => {
                self.generation += 1;
                return Notice::Reconnected;
            }
            SessionEvent::Disconnected { reason } => {
                self.people.clear();
                let why = match reason {
                    Reason::ForceDisconnected => "You were removed from the call.",
                    Reason::NetworkDisconnected => {
                        "The connection was lost and could not be restored."
                    }
                    Reason::ClientDisconnected => "You left the room.",
                };
                return Notice::Ended(why.to_owned());
            }
        }
        Notice::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(id: &str, data: &str) -> Connection {
        Connection {
            id: id.into(),
            data: data.into(),
            creation_time: 1,
        }
    }

    fn stream(id: &str, connection_id: &str) -> StreamInfo {
        StreamInfo {
            id: id.into(),
            connection_id: connection_id.into(),
            name: "cam".into(),
            has_audio: true,
            has_video: true,
            video_type: None,
        }
    }

    #[test]
    fn participants_follow_connections_streams_and_mutes() {
        let mut people = Participants::default();
        people.apply(SessionEvent::ConnectionCreated(connection(
            "a",
            r#"{"name":"Ada"}"#,
        )));
        people.apply(SessionEvent::ConnectionCreated(connection("b", "not json")));
        assert_eq!(people.people[0].name, "Ada");
        assert_eq!(people.people[1].name, "Guest");

        people.apply(SessionEvent::StreamCreated(stream("s1", "a")));
        people.apply(SessionEvent::StreamPropertyChanged {
            stream_id: "s1".into(),
            property: StreamProperty::HasAudio,
            value: false,
        });
        let ada = &people.people[0];
        assert_eq!(ada.tile_key(), ("a".into(), Some("s1".into()), 0));
        assert!(!ada.stream.as_ref().unwrap().has_audio);
        assert!(ada.stream.as_ref().unwrap().has_video);

        people.apply(SessionEvent::StreamDestroyed {
            stream: stream("s1", "a"),
            reason: Reason::ClientDisconnected,
        });
        assert_eq!(people.people[0].stream, None);
        people.apply(SessionEvent::ConnectionDestroyed {
            connection: connection("a", ""),
            reason: Reason::ClientDisconnected,
        });
        assert_eq!(people.people.len(), 1);
        assert_eq!(people.people[0].connection_id, "b");
    }

    #[test]
    fn a_stream_before_its_connection_keeps_the_later_name() {
        let mut people = Participants::default();
        people.apply(SessionEvent::StreamCreated(stream("s", "c")));
        people.apply(SessionEvent::ConnectionCreated(connection(
            "c",
            r#"{"name":"Cy"}"#,
        )));
        assert_eq!(people.people.len(), 1);
        assert_eq!(people.people[0].name, "Cy");
        assert!(people.people[0].stream.is_some());
    }

    #[test]
    fn session_notices() {
        let mut people = Participants::default();
        people.apply(SessionEvent::ConnectionCreated(connection("a", "")));
        assert_eq!(
            people.apply(SessionEvent::Reconnecting),
            Notice::Reconnecting
        );
        assert_eq!(people.apply(SessionEvent::Reconnected), Notice::Reconnected);
        // After a reconnection the same person and stream get a new tile.
        people.apply(SessionEvent::ConnectionDestroyed {
            connection: connection("a", ""),
            reason: Reason::NetworkDisconnected,
        });
        people.apply(SessionEvent::ConnectionCreated(connection("a", "")));
        assert_eq!(people.people[0].tile_key(), ("a".into(), None, 1));
        let ended = people.apply(SessionEvent::Disconnected {
            reason: Reason::ForceDisconnected,
        });
        assert_eq!(
            ended,
            Notice::Ended("You were removed from the call.".into())
        );
        assert!(people.people.is_empty());
    }
}
