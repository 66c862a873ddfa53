//! The newcomer's list, cut into `Snapshot` events whose JSON fits one hub
//! signal (the platform's 8 KB data limit); the final one says `last`.

use app::presence::{PresenceEvent, RemoteUser};

use crate::opentok::model::signal::MAX_DATA_LEN;

/// `users` as `Snapshot` events of at most [`MAX_DATA_LEN`] bytes each;
/// always at least one (an empty list is one empty, final snapshot).
pub fn snapshot_chunks(users: Vec<RemoteUser>) -> Vec<PresenceEvent> {
    let envelope = PresenceEvent::Snapshot {
        users: Vec::new(),
        last: false,
    }
    .to_json()
    .len();
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    let mut size = envelope;
    for user in users {
        // Its JSON plus a separating comma; a user always fits on its own
        // (ids and 50-character names are far below the limit).
        let len = serde_json::to_string(&user)
            .map(|json| json.len() + 1)
            .unwrap_or(MAX_DATA_LEN);
        if !current.is_empty() && size + len > MAX_DATA_LEN {
            chunks.push(PresenceEvent::Snapshot {
                users: std::mem::take(&mut current),
                last: false,
            });
            size = envelope;
        }
        size += len;
        current.push(user);
    }
    chunks.push(PresenceEvent::Snapshot {
        users: current,
        last: true,
    });
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::models::DisplayName;
    use app::presence::{UserId, UserState};
    use uuid::Uuid;

    fn user(name: &str) -> RemoteUser {
        RemoteUser {
            id: UserId(Uuid::new_v4()),
            name: DisplayName::parse(name).expect("a valid name"),
            state: UserState::InvitePending,
        }
    }

    #[test]
    fn nobody_is_one_empty_final_snapshot() {
        assert_eq!(
            snapshot_chunks(Vec::new()),
            [PresenceEvent::Snapshot {
                users: Vec::new(),
                last: true
            }]
        );
    }

    #[test]
    fn many_users_are_cut_into_signals_that_fit_and_keep_their_order() {
        // Quotes are escaped, so these names take about 90 bytes of JSON.
        let users: Vec<RemoteUser> = (0..500)
            .map(|i| user(&format!("{i:03}{}", "\"".repeat(45))))
            .collect();
        let chunks = snapshot_chunks(users.clone());
        assert!(chunks.len() >= 5, "{} chunks", chunks.len());
        let mut seen = Vec::new();
        for (i, chunk) in chunks.iter().enumerate() {
            assert!(
                chunk.to_json().len() <= MAX_DATA_LEN,
                "chunk {i} is too big"
            );
            let PresenceEvent::Snapshot { users, last } = chunk else {
                panic!("not a snapshot");
            };
            assert_eq!(*last, i + 1 == chunks.len());
            assert!(!users.is_empty());
            seen.extend(users.iter().cloned());
        }
        assert_eq!(seen, users);
    }
}
