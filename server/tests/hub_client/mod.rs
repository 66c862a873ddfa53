//! A WebSocket client of the realtime hub (`GET /rtc`) for the integration
//! tests, shared by the hub tests (`hub_support`) and the app tests (their
//! typed `hub` module): it sends JSON messages and reads the text frames
//! the hub answers with as JSON. Every read waits at most [`PATIENCE`], so
//! a broken server fails a test instead of hanging it; nothing asserts on
//! timing.

#![allow(dead_code)]

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Longest wait for one expected message before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// One open hub socket.
pub struct HubSocket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl HubSocket {
    /// Opens a socket to `url` (`ws://…/rtc`); nothing is sent yet.
    pub async fn open(url: &str) -> HubSocket {
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket");
        HubSocket { socket }
    }

    /// Sends one JSON message.
    pub async fn send(&mut self, message: &Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    /// The next text frame read as `T`; `None` once the socket is closed.
    pub async fn next<T: DeserializeOwned>(&mut self) -> Option<T> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message in time");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(text.as_str()).expect("a hub message"))
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Closes the socket cleanly.
    pub async fn close(mut self) {
        self.socket.close(None).await.expect("close");
    }
}
