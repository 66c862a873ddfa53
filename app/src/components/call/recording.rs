//! Whether the call is being recorded, as every participant learns it from
//! the session (OpenTok's `archiveStarted` / `archiveStopped`, also told to
//! whoever joins while a recording runs): the state folded from those
//! events ([`CallRecording`]) and the "● Recording" indicator the call
//! view shows everyone ([`RecordingIndicator`]).

use leptos::prelude::*;

use super::controller::CallController;
use crate::video::SessionEvent;

/// A recording running now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveArchive {
    /// The archive's id.
    pub id: String,
    /// Its name, if it has one.
    pub name: Option<String>,
}

/// The call's recordings: those running (several only with distinct
/// `multiArchiveTag`s) and the last one that stopped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallRecording {
    /// Running now, oldest first.
    pub active: Vec<ActiveArchive>,
    /// The id of the archive that stopped last (to link to it).
    pub last_stopped: Option<String>,
}

impl CallRecording {
    /// Whether anything records the call now.
    pub fn is_recording(&self) -> bool {
        !self.active.is_empty()
    }

    /// The recording running now that started first.
    pub fn current(&self) -> Option<&ActiveArchive> {
        self.active.first()
    }

    /// Folds one session event in; returns whether anything changed.
    pub fn apply(&mut self, event: &SessionEvent) -> bool {
        match event {
            SessionEvent::ArchiveStarted { id, name } => {
                if self.active.iter().any(|a| &a.id == id) {
                    return false;
                }
                self.active.push(ActiveArchive {
                    id: id.clone(),
                    name: name.clone(),
                });
                true
            }
            SessionEvent::ArchiveStopped { id } => {
                self.active.retain(|a| &a.id != id);
                self.last_stopped = Some(id.clone());
                true
            }
            // Gone from the session: whatever records it, this person no
            // longer knows.
            SessionEvent::Disconnected { .. } => {
                let changed = !self.active.is_empty();
                self.active.clear();
                changed
            }
            _ => false,
        }
    }
}

/// "● Recording" while the call is recorded, for every participant.
#[component]
pub fn RecordingIndicator(call: CallController) -> impl IntoView {
    let recording = move || call.recording.with(CallRecording::is_recording);
    view! {
        <Show when=recording>
            <span class="recording" role="status" data-testid="recording" title="This call is being recorded">
                <span class="recording-dot" aria-hidden="true"></span>
                "Recording"
            </span>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::Reason;

    fn started(id: &str) -> SessionEvent {
        SessionEvent::ArchiveStarted {
            id: id.into(),
            name: Some("demo".into()),
        }
    }

    #[test]
    fn recordings_start_and_stop() {
        let mut recording = CallRecording::default();
        assert!(!recording.is_recording());
        assert!(recording.apply(&started("a1")));
        assert!(!recording.apply(&started("a1")), "told twice, counted once");
        assert!(recording.is_recording());
        assert_eq!(recording.current().map(|a| a.id.as_str()), Some("a1"));
        assert!(recording.apply(&started("a2")));
        recording.apply(&SessionEvent::ArchiveStopped { id: "a1".into() });
        assert!(recording.is_recording(), "a2 still records");
        assert_eq!(recording.last_stopped.as_deref(), Some("a1"));
        recording.apply(&SessionEvent::ArchiveStopped { id: "a2".into() });
        assert!(!recording.is_recording());
        assert_eq!(recording.last_stopped.as_deref(), Some("a2"));
    }

    #[test]
    fn leaving_the_session_forgets_running_recordings() {
        let mut recording = CallRecording::default();
        recording.apply(&started("a1"));
        assert!(recording.apply(&SessionEvent::Disconnected {
            reason: Reason::NetworkDisconnected,
        }));
        assert_eq!(recording, CallRecording::default());
        assert!(!recording.apply(&SessionEvent::Reconnecting));
    }
}
