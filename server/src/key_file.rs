//! Secret files in the data directory: written once (never overwritten),
//! readable by the owner only and synced to disk; and, built on that, the
//! 32-byte signing keys that are generated on first start and reused after
//! (the presence identity cookie and the staff session cookie each keep
//! their own), so cookies survive restarts. Key bytes never reach `Debug`
//! output or logs: only the file's path does.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::Rng;

/// Why a key file (or another secret file, such as the engine's
/// credentials) could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A new file cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key file does not hold exactly 32 bytes.
    #[error("{0} does not hold a 32-byte key")]
    Corrupt(PathBuf),
}

/// The 32-byte key in `data_dir/file_name`, generated (random) and written
/// owner-only on first use. A file of another length is reported, never
/// replaced: replacing it would sign everyone out without a word.
pub fn load_or_generate_key(data_dir: &Path, file_name: &str) -> Result<[u8; 32], KeyFileError> {
    let path = data_dir.join(file_name);
    match read_key(&path) {
        Err(KeyFileError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = rand::rng().random();
            match write_private(data_dir, &path, &key) {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "generated a signing key");
                    Ok(key)
                }
                // Another process created it first: theirs is the key.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => read_key(&path),
                Err(source) => Err(KeyFileError::Write { path, source }),
            }
        }
        other => other,
    }
}

fn read_key(path: &Path) -> Result<[u8; 32], KeyFileError> {
    let bytes = fs::read(path).map_err(|source| KeyFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| KeyFileError::Corrupt(path.to_owned()))
}

/// Writes `bytes` to the new file `path` (creating `data_dir` first), mode
/// 0600 on Unix, and syncs it. Fails with `AlreadyExists` rather than
/// overwrite an existing file.
pub fn write_private(data_dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(data_dir)?;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_generated_once_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("nested");
        let first = load_or_generate_key(&data_dir, "a-key").unwrap();
        assert_eq!(load_or_generate_key(&data_dir, "a-key").unwrap(), first);
        assert_eq!(fs::read(data_dir.join("a-key")).unwrap(), first);
        let other = load_or_generate_key(&data_dir, "b-key").unwrap();
        assert_ne!(other, first, "each file holds its own random key");
    }

    #[cfg(unix)]
    #[test]
    fn key_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        load_or_generate_key(dir.path(), "key").unwrap();
        let mode = fs::metadata(dir.path().join("key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_corrupt_key_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        fs::write(&path, b"short").unwrap();
        let err = load_or_generate_key(dir.path(), "key").unwrap_err();
        assert!(matches!(err, KeyFileError::Corrupt(_)), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"short");
    }

    #[test]
    fn write_private_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        write_private(dir.path(), &path, b"first").unwrap();
        let err = write_private(dir.path(), &path, b"second").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
    }
}
