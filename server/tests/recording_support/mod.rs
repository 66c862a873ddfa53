//! Shared helpers of the recording tests: real VP8 and Opus frames made by
//! ffmpeg (taken out of IVF and Ogg containers with their timestamps), and
//! checks of the results with ffprobe and ffmpeg's decoder. ffmpeg and
//! ffprobe are required; `scripts/setup.sh` installs them.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Length of the generated media.
pub const SECONDS: u64 = 3;

pub fn require_ffmpeg() {
    for tool in ["ffmpeg", "ffprobe"] {
        let found = Command::new(tool)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(found, "{tool} is not installed: run scripts/setup.sh");
    }
}

pub fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(program)
        .args(args)
        .output()
        .expect("the tool runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.trim().is_empty(),
        "{program} {args:?}: {stderr}"
    );
    output.stdout
}

/// A frame taken out of ffmpeg's output: (ms, data, keyframe).
pub type Frame = (u64, Vec<u8>, bool);

/// VP8 frames from an IVF file: 32-byte header, then `size, pts, data`.
pub fn ivf_frames(bytes: &[u8]) -> Vec<Frame> {
    assert_eq!(&bytes[..4], b"DKIF");
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let (rate, scale) = (u64::from(u32_at(16)), u64::from(u32_at(20)));
    let mut at = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let mut frames = Vec::new();
    while at + 12 <= bytes.len() {
        let size = u32_at(at) as usize;
        let pts = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap());
        let data = bytes[at + 12..at + 12 + size].to_vec();
        let keyframe = data[0] & 1 == 0;
        frames.push((pts * 1000 * scale / rate, data, keyframe));
        at += 12 + size;
    }
    frames
}

/// Opus packets from an Ogg file, timed by their TOC byte (RFC 6716 §3.1).
pub fn ogg_opus_frames(bytes: &[u8]) -> Vec<Frame> {
    let mut packets = Vec::new();
    let mut packet = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        assert_eq!(&bytes[at..at + 4], b"OggS", "page at {at}");
        let segments = usize::from(bytes[at + 26]);
        let lacing = &bytes[at + 27..at + 27 + segments];
        let mut body = at + 27 + segments;
        for &len in lacing {
            packet.extend_from_slice(&bytes[body..body + usize::from(len)]);
            body += usize::from(len);
            if len < 255 {
                packets.push(std::mem::take(&mut packet));
            }
        }
        at = body;
    }
    assert!(packets[0].starts_with(b"OpusHead") && packets[1].starts_with(b"OpusTags"));
    let mut samples = 0u64;
    packets[2..]
        .iter()
        .map(|p| {
            let config = usize::from(p[0] >> 3);
            let per_frame = match config {
                0..=11 => [480, 960, 1920, 2880][config % 4],
                12..=15 => [480, 960][config % 2],
                _ => [120, 240, 480, 960][config % 4],
            };
            let count = match p[0] & 3 {
                0 => 1,
                1 | 2 => 2,
                _ => u64::from(p[1] & 0x3F),
            };
            let ts = samples * 1000 / 48_000;
            samples += per_frame * count;
            (ts, p.clone(), true)
        })
        .collect()
}

/// Real VP8 and Opus frames, `SECONDS` long.
pub fn media(dir: &Path) -> (Vec<Frame>, Vec<Frame>) {
    let (ivf, ogg) = (dir.join("v.ivf"), dir.join("a.ogg"));
    let secs = SECONDS.to_string();
    let base = [
        "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-t", &secs, "-i",
    ];
    let video = [
        &base[..],
        &[
            "testsrc=size=320x240:rate=15",
            "-c:v",
            "libvpx",
            "-g",
            "30",
            "-f",
            "ivf",
        ],
    ]
    .concat();
    run("ffmpeg", &[&video[..], &[ivf.to_str().unwrap()]].concat());
    let audio = [
        &base[..],
        &[
            "sine=frequency=440:sample_rate=48000",
            "-c:a",
            "libopus",
            "-f",
            "ogg",
        ],
    ]
    .concat();
    run("ffmpeg", &[&audio[..], &[ogg.to_str().unwrap()]].concat());
    let video = ivf_frames(&std::fs::read(ivf).unwrap());
    let audio = ogg_opus_frames(&std::fs::read(ogg).unwrap());
    assert_eq!(video.len() as u64, 15 * SECONDS);
    assert!(
        video[0].2 && video[30].2 && !video[1].2,
        "keyframes every 30 frames"
    );
    (video, audio)
}

pub fn probe(path: &Path) -> Value {
    let args = [
        "-v",
        "error",
        "-count_packets",
        "-show_streams",
        "-show_format",
        "-of",
        "json",
    ];
    serde_json::from_slice(&run(
        "ffprobe",
        &[&args[..], &[path.to_str().unwrap()]].concat(),
    ))
    .unwrap()
}

/// (codec_type, codec_name) of every stream, and the duration in seconds.
pub fn summary(probe: &Value) -> (Vec<(String, String)>, f64) {
    let streams = probe["streams"].as_array().unwrap();
    let kinds = streams
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap().into(),
                s["codec_name"].as_str().unwrap().into(),
            )
        })
        .collect();
    let duration = probe["format"]["duration"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (kinds, duration)
}

/// Mean brightness of the left and right halves of the frame at `at` s.
pub fn halves(path: &Path, at: &str) -> (f64, f64) {
    let args = [
        "-v",
        "error",
        "-ss",
        at,
        "-i",
        path.to_str().unwrap(),
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "gray",
        "-",
    ];
    let pixels = run("ffmpeg", &args);
    assert_eq!(pixels.len(), 640 * 480);
    let mean = |left: bool| {
        let half: Vec<u64> = pixels
            .chunks(640)
            .flat_map(|row| if left { &row[..320] } else { &row[320..] })
            .map(|p| u64::from(*p))
            .collect();
        half.iter().sum::<u64>() as f64 / half.len() as f64
    };
    (mean(true), mean(false))
}

/// Root-mean-square level (0–32768) of the audio from `at` for 0.4 s.
pub fn loudness(path: &Path, at: &str) -> f64 {
    let args = [
        "-v",
        "error",
        "-ss",
        at,
        "-t",
        "0.4",
        "-i",
        path.to_str().unwrap(),
        "-ac",
        "1",
        "-f",
        "s16le",
        "-",
    ];
    let pcm = run("ffmpeg", &args);
    let samples: Vec<f64> = pcm
        .chunks_exact(2)
        .map(|s| f64::from(i16::from_le_bytes([s[0], s[1]])))
        .collect();
    (samples.iter().map(|s| s * s).sum::<f64>() / samples.len() as f64).sqrt()
}

/// The timestamps (ms) of the video packets, in file order.
pub fn video_packet_times(path: &Path) -> Vec<u64> {
    let args = [
        "-v",
        "error",
        "-select_streams",
        "v",
        "-show_entries",
        "packet=pts",
        "-of",
        "json",
    ];
    let packets: Value = serde_json::from_slice(&run(
        "ffprobe",
        &[&args[..], &[path.to_str().unwrap()]].concat(),
    ))
    .unwrap();
    let packets = packets["packets"].as_array().unwrap();
    packets.iter().map(|p| p["pts"].as_u64().unwrap()).collect()
}
