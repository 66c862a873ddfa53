//! A connection's writer task: drains its bounded outbound queue into the
//! socket (a newcomer's list of connections as `moreConnections` pages),
//! and closes the socket once the queue is closed.

use axum::extract::ws::{Message, WebSocket};
use futures::stream::SplitSink;
use futures::SinkExt;
use tokio::sync::mpsc;

use super::super::protocol::{ConnectionView, ServerMessage};
use super::super::room::{encode, Outbound, CONNECTIONS_PAGE};

/// Drains the queue into the socket; closes it once the queue is closed.
pub(super) async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut queue: mpsc::Receiver<Outbound>,
) {
    while let Some(next) = queue.recv().await {
        let sent = match next {
            Outbound::Text(text) => sink.send(Message::Text(text)).await,
            Outbound::Ping => sink.send(Message::Ping(Default::default())).await,
            Outbound::Connections(list) => send_pages(&mut sink, &list).await,
        };
        if sent.is_err() {
            return;
        }
    }
    let _ = sink.send(Message::Close(None)).await;
}

/// Sends `list` as `moreConnections` frames of [`CONNECTIONS_PAGE`] each.
async fn send_pages(
    sink: &mut SplitSink<WebSocket, Message>,
    list: &[ConnectionView],
) -> Result<(), axum::Error> {
    for page in list.chunks(CONNECTIONS_PAGE) {
        let more = ServerMessage::MoreConnections {
            connections: page.to_vec(),
        };
        sink.send(Message::Text(encode(&more))).await?;
    }
    Ok(())
}
