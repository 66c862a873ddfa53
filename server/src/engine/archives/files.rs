//! Where an archive's files live and where they are served: the directory
//! `{dir}/{archiveId}/` holds `raw/` (one WebM per recorded stream),
//! `streams.json` and the output (`archive.webm` or `archive.zip`), which
//! the engine serves at `/recordings/{archiveId}/{file}`.

use std::path::PathBuf;

use uuid::Uuid;

use super::ArchiveConfig;
use crate::engine::recording::postprocess::output_name;
use crate::opentok::model::OutputMode;

/// The path prefix archive files are served under.
pub const RECORDINGS_PATH: &str = "/recordings";

/// An output file as named in a `/recordings/{id}/{file}` URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFile {
    /// `archive.webm`, a composed archive.
    Webm,
    /// `archive.zip`, an individual archive.
    Zip,
}

impl OutputFile {
    /// Parses a file name from a URL; `None` for anything else.
    pub fn parse(name: &str) -> Option<OutputFile> {
        [OutputFile::Webm, OutputFile::Zip]
            .into_iter()
            .find(|file| file.name() == name)
    }

    /// The output file of an archive with this output mode.
    pub fn of(mode: OutputMode) -> OutputFile {
        match mode {
            OutputMode::Composed => OutputFile::Webm,
            OutputMode::Individual => OutputFile::Zip,
        }
    }

    /// The archive output mode it belongs to.
    pub fn mode(self) -> OutputMode {
        match self {
            OutputFile::Webm => OutputMode::Composed,
            OutputFile::Zip => OutputMode::Individual,
        }
    }

    /// Its file name.
    pub fn name(self) -> &'static str {
        output_name(self.mode())
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            OutputFile::Webm => "video/webm",
            OutputFile::Zip => "application/zip",
        }
    }
}

impl ArchiveConfig {
    /// The directory of archive `id`.
    pub fn archive_dir(&self, id: Uuid) -> PathBuf {
        self.dir.join(id.to_string())
    }

    /// The `url` of archive `id`'s output: the public URL plus the file's
    /// path, or the absolute path without a public URL.
    pub fn file_url(&self, id: Uuid, file: OutputFile) -> String {
        let path = format!("{RECORDINGS_PATH}/{id}/{}", file.name());
        match &self.public_url {
            Some(base) => format!("{}{path}", base.as_str().trim_end_matches('/')),
            None => path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_parse_both_ways() {
        for file in [OutputFile::Webm, OutputFile::Zip] {
            assert_eq!(OutputFile::parse(file.name()), Some(file));
            assert_eq!(OutputFile::of(file.mode()), file);
        }
        assert_eq!(OutputFile::parse("streams.json"), None);
        assert_eq!(OutputFile::parse("../archive.webm"), None);
        assert_eq!(OutputFile::Zip.content_type(), "application/zip");
    }

    #[test]
    fn urls_use_the_public_address_when_there_is_one() {
        let id = Uuid::from_u128(0xA);
        let mut config = ArchiveConfig::default();
        assert_eq!(
            config.file_url(id, OutputFile::Webm),
            "/recordings/00000000-0000-0000-0000-00000000000a/archive.webm"
        );
        for base in ["https://meet.example.com", "https://meet.example.com/"] {
            config.public_url = Some(url::Url::parse(base).unwrap());
            assert_eq!(
                config.file_url(id, OutputFile::Zip),
                "https://meet.example.com/recordings/00000000-0000-0000-0000-00000000000a/archive.zip"
            );
        }
        config.dir = "/data/archives".into();
        assert_eq!(
            config.archive_dir(id),
            PathBuf::from("/data/archives/00000000-0000-0000-0000-00000000000a")
        );
    }
}
