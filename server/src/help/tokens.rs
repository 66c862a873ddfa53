//! Who is who on the help hub, and the tokens that say so. Hub tokens are
//! subscriber tokens for the help hub session minted here with connection
//! data naming the party — a customer `{"name", "helpSession"}`, a
//! representative `{"name", "rep"}` — so a connection's data is proof of
//! who it is (nobody else can sign it). Media tokens are publisher tokens
//! for the help session's media session with data `{"name"}`, handed only
//! to its customer and to the representative who took it.

use app::accounts::{Account, AccountId};
use app::help::backend::HelpError;
use app::models::{DisplayName, RoomCredentials};
use serde::{Deserialize, Serialize};

use super::parties::Party;
use super::HelpService;
use crate::engine::ServiceSession;
use crate::opentok::session_id::SessionId;
use crate::provider::publisher_credentials;

/// A help hub connection's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HubData {
    /// A representative.
    Rep {
        /// Their username.
        name: String,
        /// Their account.
        rep: AccountId,
    },
    /// A customer.
    Customer {
        /// Their name.
        name: String,
        /// Their help session (its media session id).
        #[serde(rename = "helpSession")]
        help_session: String,
    },
}

impl HubData {
    /// The JSON to put into a token.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("hub data serialises")
    }

    /// Who the connection with this data is; `None` for data not ours.
    pub(super) fn party(data: &str) -> Option<Party> {
        match serde_json::from_str(data).ok()? {
            HubData::Rep { rep, .. } => Some(Party::Rep(rep)),
            HubData::Customer { help_session, .. } => {
                SessionId::parse(&help_session).ok().map(Party::Customer)
            }
        }
    }
}

impl HelpService {
    /// The help hub credentials for a connection with `data`.
    pub(super) fn hub_credentials(&self, data: &HubData) -> Result<RoomCredentials, HelpError> {
        let engine = &self.inner.engine;
        let token = ServiceSession::token(engine, &self.inner.hub, data.to_json())
            .map_err(|err| HelpError::Unavailable(err.to_string()))?;
        Ok(RoomCredentials {
            api_key: engine.api_key().to_owned(),
            session_id: self.inner.hub.to_string(),
            token,
        })
    }

    /// The representative's help hub credentials.
    pub(super) fn rep_hub_credentials(&self, rep: &Account) -> Result<RoomCredentials, HelpError> {
        self.hub_credentials(&HubData::Rep {
            name: rep.username.to_string(),
            rep: rep.id,
        })
    }

    /// A publisher token for the media session `session` naming `name`.
    pub(super) fn media_credentials(
        &self,
        session: &SessionId,
        name: &DisplayName,
    ) -> Result<RoomCredentials, HelpError> {
        publisher_credentials(self.inner.provider.as_ref(), session, name)
            .map_err(|err| HelpError::Unavailable(err.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;

    #[test]
    fn hub_data_names_the_party() {
        let session = SessionId::generate("123456", None, MediaMode::Relayed);
        let customer = HubData::Customer {
            name: "Ann".into(),
            help_session: session.to_string(),
        };
        let json = customer.to_json();
        assert!(json.contains("\"helpSession\""), "{json}");
        assert_eq!(HubData::party(&json), Some(Party::Customer(session)));
        let rep = HubData::Rep {
            name: "bo".into(),
            rep: AccountId(7),
        };
        assert_eq!(rep.to_json(), r#"{"name":"bo","rep":7}"#);
        assert_eq!(
            HubData::party(&rep.to_json()),
            Some(Party::Rep(AccountId(7)))
        );
        assert_eq!(HubData::party(r#"{"name":"x"}"#), None);
        assert_eq!(HubData::party(r#"{"name":"x","helpSession":"nope"}"#), None);
        assert_eq!(HubData::party("not json"), None);
    }
}
