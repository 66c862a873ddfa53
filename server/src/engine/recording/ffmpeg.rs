//! Running `ffmpeg` for archive post-processing without hurting live calls:
//! at low priority (`nice`), one job at a time across every clone of a
//! [`FfmpegRunner`], killed when it overruns its timeout (or when the caller
//! gives up), and with the tail of its stderr in the error when it fails.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::Semaphore;

use super::RecordingError;

/// How many of ffmpeg's last stderr lines an error keeps.
const STDERR_TAIL_LINES: usize = 20;

/// Runs ffmpeg jobs one after another; clones share the queue.
#[derive(Debug, Clone)]
pub struct FfmpegRunner {
    program: PathBuf,
    niceness: Option<u8>,
    jobs: Arc<Semaphore>,
}

impl Default for FfmpegRunner {
    fn default() -> Self {
        FfmpegRunner::new()
    }
}

impl FfmpegRunner {
    /// `ffmpeg` from the `PATH`, at niceness 10.
    pub fn new() -> FfmpegRunner {
        FfmpegRunner {
            program: PathBuf::from("ffmpeg"),
            niceness: Some(10),
            jobs: Arc::new(Semaphore::new(1)),
        }
    }

    /// Runs `program` instead of `ffmpeg`.
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> FfmpegRunner {
        self.program = program.into();
        self
    }

    /// Runs at this niceness (0–19), or without `nice` when `None`.
    pub fn with_niceness(mut self, niceness: Option<u8>) -> FfmpegRunner {
        self.niceness = niceness.map(|n| n.min(19));
        self
    }

    /// Runs the program with `args` once the previous job is done; kills it
    /// after `timeout`.
    pub async fn run(&self, args: &[String], timeout: Duration) -> Result<(), RecordingError> {
        let _turn = self
            .jobs
            .acquire()
            .await
            .expect("the job semaphore is never closed");
        let mut command = match self.niceness {
            Some(niceness) => {
                let mut nice = Command::new("nice");
                nice.arg("-n").arg(niceness.to_string()).arg(&self.program);
                nice
            }
            None => Command::new(&self.program),
        };
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let child = command.spawn().map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound if self.niceness.is_some() => {
                RecordingError::ToolMissing("nice".into())
            }
            std::io::ErrorKind::NotFound => self.missing(),
            _ => RecordingError::Io {
                action: "run",
                path: self.program.clone(),
                source,
            },
        })?;
        // Dropping the unfinished wait drops the child, which kills it.
        let output = tokio::time::timeout(timeout, child.wait_with_output())
            .await
            .map_err(|_| RecordingError::FfmpegTimeout(timeout))?
            .map_err(RecordingError::io("wait for", &self.program))?;
        match output.status.code() {
            Some(0) => Ok(()),
            // `nice` exits 127 when it cannot find the program.
            Some(127) if self.niceness.is_some() => Err(self.missing()),
            _ => Err(RecordingError::FfmpegFailed {
                status: output.status.to_string(),
                stderr_tail: tail(&output.stderr),
            }),
        }
    }

    fn missing(&self) -> RecordingError {
        RecordingError::ToolMissing(self.program.display().to_string())
    }
}

/// The last lines of `stderr`, as text.
fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    const LONG: Duration = Duration::from_secs(30);

    #[tokio::test]
    async fn failures_carry_the_exit_status_and_the_end_of_stderr() {
        let sh = FfmpegRunner::new().with_program("sh");
        sh.run(&args(&["-c", "exit 0"]), LONG).await.unwrap();
        let script = "for i in $(seq 1 30); do echo line $i >&2; done; exit 3";
        let error = sh.run(&args(&["-c", script]), LONG).await.unwrap_err();
        let RecordingError::FfmpegFailed {
            status,
            stderr_tail,
        } = error
        else {
            panic!("{error:?}");
        };
        assert!(status.contains('3'), "{status}");
        assert!(stderr_tail.starts_with("line 11\n") && stderr_tail.ends_with("line 30"));
    }

    #[tokio::test]
    async fn a_missing_program_says_to_run_the_setup_script() {
        for niceness in [Some(10), None] {
            let runner = FfmpegRunner::new()
                .with_program("/nonexistent/ffmpeg")
                .with_niceness(niceness);
            let error = runner.run(&[], LONG).await.unwrap_err();
            assert!(matches!(&error, RecordingError::ToolMissing(p) if p == "/nonexistent/ffmpeg"));
            assert!(error.to_string().contains("scripts/setup.sh"), "{error}");
        }
    }

    #[tokio::test]
    async fn overrunning_jobs_are_killed() {
        let sleeper = FfmpegRunner::new().with_program("sleep");
        let error = sleeper
            .run(&args(&["30"]), Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(
            matches!(error, RecordingError::FfmpegTimeout(_)),
            "{error:?}"
        );
    }

    #[test]
    fn short_stderr_is_kept_whole() {
        assert_eq!(tail(b"a\nb\n"), "a\nb");
        assert_eq!(tail(b""), "");
    }
}
