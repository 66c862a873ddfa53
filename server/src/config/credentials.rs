//! Turning configuration into credentials: which media provider the cloud
//! settings select, and the embedded engine's own project key and secret —
//! taken from the environment, or generated once and persisted in the data
//! directory so tokens and session ids stay valid across restarts.

use std::fs;
use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

use super::Config;
use crate::key_file::{write_private, KeyFileError};
use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials, VonageApplication};

/// File (inside the data directory) that keeps generated engine credentials.
const ENGINE_CREDENTIALS_FILE: &str = "engine-credentials.json";

/// Why the configured credentials cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("{0} is set but {1} is missing")]
    Incomplete(&'static str, &'static str),
    #[error("invalid {name}: {reason}")]
    Invalid { name: &'static str, reason: String },
    /// A key or credentials file cannot be read or written.
    #[error(transparent)]
    File(#[from] KeyFileError),
    #[error("{path} is not valid engine credentials: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// The media provider selected by the configuration.
#[derive(Debug, Clone)]
pub enum ProviderSettings {
    /// No cloud credentials: the embedded engine carries the media.
    Local,
    /// Vonage / OpenTok cloud with these credentials (and optional REST base URL).
    Cloud {
        credentials: Credentials,
        api_url: Option<Url>,
    },
}

impl ProviderSettings {
    /// Reads the cloud settings of `config`. Half-configured credentials are
    /// an error rather than a silent fall-back to the local engine.
    pub fn from_config(config: &Config) -> Result<Self, CredentialsError> {
        let project = match (&config.opentok_api_key, &config.opentok_api_secret) {
            (Some(key), Some(secret)) => Some(Credentials::Project {
                api_key: ApiKey::parse(key).map_err(|e| invalid("OPENTOK_API_KEY", e))?,
                api_secret: ApiSecret::parse(secret.expose_secret())
                    .map_err(|e| invalid("OPENTOK_API_SECRET", e))?,
            }),
            (Some(_), None) => {
                return Err(CredentialsError::Incomplete(
                    "OPENTOK_API_KEY",
                    "OPENTOK_API_SECRET",
                ))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::Incomplete(
                    "OPENTOK_API_SECRET",
                    "OPENTOK_API_KEY",
                ))
            }
            (None, None) => None,
        };
        let vonage = match (&config.vonage_application_id, &config.vonage_private_key) {
            (Some(id), Some(key)) => Some(vonage_application(id, key.expose_secret())?),
            (Some(_), None) => {
                return Err(CredentialsError::Incomplete(
                    "VONAGE_APPLICATION_ID",
                    "VONAGE_PRIVATE_KEY",
                ))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::Incomplete(
                    "VONAGE_PRIVATE_KEY",
                    "VONAGE_APPLICATION_ID",
                ))
            }
            (None, None) => None,
        };
        let api_url = config.opentok_api_url.clone();
        Ok(match project.or(vonage) {
            Some(credentials) => ProviderSettings::Cloud {
                credentials,
                api_url,
            },
            None => ProviderSettings::Local,
        })
    }
}

fn invalid(name: &'static str, reason: impl std::fmt::Display) -> CredentialsError {
    CredentialsError::Invalid {
        name,
        reason: reason.to_string(),
    }
}

/// Accepts the private key as PEM text or as the path of a PEM file.
fn vonage_application(id: &str, key: &str) -> Result<Credentials, CredentialsError> {
    let application_id =
        Uuid::parse_str(id.trim()).map_err(|e| invalid("VONAGE_APPLICATION_ID", e))?;
    let pem = if key.trim_start().starts_with("-----BEGIN") {
        key.to_owned()
    } else {
        let path = PathBuf::from(key.trim());
        fs::read_to_string(&path).map_err(|source| KeyFileError::Read { path, source })?
    };
    let app = VonageApplication::from_pem(application_id, &pem)
        .map_err(|e| invalid("VONAGE_PRIVATE_KEY", e))?;
    Ok(Credentials::Vonage(app))
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredEngineCredentials {
    api_key: String,
    api_secret: String,
}

/// The embedded engine's project credentials: from ENGINE_API_KEY +
/// ENGINE_API_SECRET when both are set, else from the data directory, else
/// freshly generated and written there (readable by the owner only).
pub fn engine_credentials(config: &Config) -> Result<Credentials, CredentialsError> {
    match (&config.engine_api_key, &config.engine_api_secret) {
        (Some(key), Some(secret)) => Ok(Credentials::Project {
            api_key: ApiKey::parse(key).map_err(|e| invalid("ENGINE_API_KEY", e))?,
            api_secret: ApiSecret::parse(secret.expose_secret())
                .map_err(|e| invalid("ENGINE_API_SECRET", e))?,
        }),
        (Some(_), None) => Err(CredentialsError::Incomplete(
            "ENGINE_API_KEY",
            "ENGINE_API_SECRET",
        )),
        (None, Some(_)) => Err(CredentialsError::Incomplete(
            "ENGINE_API_SECRET",
            "ENGINE_API_KEY",
        )),
        (None, None) => load_or_generate(&config.data_dir),
    }
}

fn load_or_generate(data_dir: &Path) -> Result<Credentials, CredentialsError> {
    let path = data_dir.join(ENGINE_CREDENTIALS_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let stored: StoredEngineCredentials =
                serde_json::from_str(&text).map_err(|source| CredentialsError::Corrupt {
                    path: path.clone(),
                    source,
                })?;
            Ok(Credentials::Project {
                api_key: ApiKey::parse(&stored.api_key)
                    .map_err(|e| invalid("stored api key", e))?,
                api_secret: ApiSecret::parse(&stored.api_secret)
                    .map_err(|e| invalid("stored api secret", e))?,
            })
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let api_key = ApiKey::generate();
            let api_secret = ApiSecret::generate();
            let stored = StoredEngineCredentials {
                api_key: api_key.to_string(),
                api_secret: api_secret.expose().to_owned(),
            };
            let json = serde_json::to_vec_pretty(&stored).expect("credentials serialise");
            write_private(data_dir, &path, &json).map_err(|source| KeyFileError::Write {
                path: path.clone(),
                source,
            })?;
            tracing::info!(api_key = %api_key, path = %path.display(), "generated engine credentials");
            Ok(Credentials::Project {
                api_key,
                api_secret,
            })
        }
        Err(source) => Err(KeyFileError::Read { path, source }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path) -> Config {
        Config::for_tests(dir.to_owned())
    }

    #[test]
    fn no_cloud_credentials_selects_local() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            ProviderSettings::from_config(&config(dir.path())),
            Ok(ProviderSettings::Local)
        ));
    }

    #[test]
    fn key_without_secret_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.opentok_api_key = Some("123456".into());
        let err = ProviderSettings::from_config(&config).unwrap_err();
        assert!(err.to_string().contains("OPENTOK_API_SECRET"), "{err}");
    }

    #[test]
    fn project_credentials_select_cloud() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.opentok_api_key = Some("123456".into());
        config.opentok_api_secret = Some(
            "1234567890abcdef1234567890abcdef1234567890"
                .to_owned()
                .into(),
        );
        match ProviderSettings::from_config(&config).unwrap() {
            ProviderSettings::Cloud {
                credentials,
                api_url,
            } => {
                assert_eq!(credentials.owner_id(), "123456");
                assert!(api_url.is_none());
            }
            other => panic!("expected cloud, got {other:?}"),
        }
    }

    #[test]
    fn generated_engine_credentials_are_persisted_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = engine_credentials(&config(dir.path())).unwrap();
        let second = engine_credentials(&config(dir.path())).unwrap();
        assert_eq!(first.owner_id(), second.owner_id());
        let text = fs::read_to_string(dir.path().join(ENGINE_CREDENTIALS_FILE)).unwrap();
        assert!(text.contains(&first.owner_id()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(ENGINE_CREDENTIALS_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn explicit_engine_credentials_win() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.engine_api_key = Some("4242".into());
        config.engine_api_secret =
            Some("abcdefabcdefabcdefabcdefabcdefabcdefabcd".to_owned().into());
        assert_eq!(engine_credentials(&config).unwrap().owner_id(), "4242");
        assert!(!dir.path().join(ENGINE_CREDENTIALS_FILE).exists());
    }

    #[test]
    fn corrupt_credentials_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(ENGINE_CREDENTIALS_FILE), "not json").unwrap();
        let err = engine_credentials(&config(dir.path())).unwrap_err();
        assert!(matches!(err, CredentialsError::Corrupt { .. }));
    }
}
