//! Recordings as answers: telling audio from text by its content, and
//! reading an audio file for a transcription endpoint.
//!
//! A file is audio when its first bytes are one of the containers
//! transcription endpoints decode (RIFF/WAVE, an ID3 tag or an MPEG frame
//! sync, an ISO `ftyp` box as in m4a, OggS, fLaC, or EBML as in webm),
//! whatever its name. A file named like audio whose content is none of these
//! is refused here, before any upload, since no endpoint could decode it.
//! This module knows nothing of endpoints or grading.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Extensions that name a recording. A file with one of them must hold
/// audio; any other file is still sniffed, so a recording saved without an
/// extension is recognised too.
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "m4a", "mp4", "aac", "ogg", "oga", "opus", "flac", "webm", "mpga", "mpeg",
];

/// The containers viva recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Mp3,
    M4a,
    Ogg,
    Flac,
    Webm,
}

impl AudioFormat {
    pub fn name(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
            AudioFormat::Ogg => "ogg",
            AudioFormat::Flac => "flac",
            AudioFormat::Webm => "webm",
        }
    }

    /// The MIME type sent with the upload.
    pub fn mime(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::M4a => "audio/mp4",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::Flac => "audio/flac",
            AudioFormat::Webm => "audio/webm",
        }
    }
}

/// The container of `bytes` (the first few dozen are enough), if it is audio.
pub fn sniff(bytes: &[u8]) -> Option<AudioFormat> {
    let at = |i: usize, magic: &[u8]| bytes.get(i..i + magic.len()) == Some(magic);
    if at(0, b"RIFF") && at(8, b"WAVE") {
        Some(AudioFormat::Wav)
    } else if at(0, b"ID3") {
        Some(AudioFormat::Mp3)
    } else if at(4, b"ftyp") {
        Some(AudioFormat::M4a)
    } else if at(0, b"OggS") {
        Some(AudioFormat::Ogg)
    } else if at(0, b"fLaC") {
        Some(AudioFormat::Flac)
    } else if at(0, &[0x1a, 0x45, 0xdf, 0xa3]) {
        Some(AudioFormat::Webm)
    } else if is_mpeg_frame(bytes) {
        Some(AudioFormat::Mp3)
    } else {
        None
    }
}

/// An MPEG audio frame header: 11 set sync bits, a valid version, layer,
/// bit-rate and sample-rate index. Text never starts with 0xFF, so this
/// does not mistake an answer for audio.
fn is_mpeg_frame(b: &[u8]) -> bool {
    if b.len() < 4 || b[0] != 0xff || b[1] & 0xe0 != 0xe0 {
        return false;
    }
    let version = (b[1] >> 3) & 0b11;
    let layer = (b[1] >> 1) & 0b11;
    let bitrate = b[2] >> 4;
    let rate = (b[2] >> 2) & 0b11;
    version != 0b01 && layer != 0 && bitrate != 0 && bitrate != 0xf && rate != 0b11
}

/// Whether a path's extension names a recording.
pub fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A recording ready to upload.
#[derive(Debug, Clone)]
pub struct Audio {
    /// Where it came from (the path as given), for messages and reports.
    pub origin: String,
    /// The file name sent with the upload.
    pub file_name: String,
    pub format: AudioFormat,
    pub bytes: Vec<u8>,
    /// Hex SHA-256 of the bytes: the transcript cache key.
    pub sha256: String,
}

impl Audio {
    /// Wraps bytes already known to be audio.
    pub fn from_bytes(origin: &str, file_name: &str, format: AudioFormat, bytes: Vec<u8>) -> Audio {
        let sha256 = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Audio {
            origin: origin.to_string(),
            file_name: file_name.to_string(),
            format,
            bytes,
            sha256,
        }
    }

    /// Length in seconds, when the container says so cheaply (WAV only).
    pub fn duration_secs(&self) -> Option<f64> {
        match self.format {
            AudioFormat::Wav => wav_duration(&self.bytes),
            _ => None,
        }
    }
}

/// Why a recording cannot be sent.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read recording {origin}: {source}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "recording {origin} is not audio viva can recognise (not WAV, MP3, M4A, Ogg, FLAC or WebM)"
    )]
    Unrecognised { origin: String },
    #[error("{}", too_large(.origin, *.size, *.limit))]
    TooLarge {
        origin: String,
        /// The whole size when known (a file); `None` for stdin, which is
        /// read no further than the limit.
        size: Option<u64>,
        limit: u64,
    },
}

/// "recording a.wav is 31457324 bytes (30.0 MiB), over the ... 25 MiB limit".
fn too_large(origin: &str, size: Option<u64>, limit: u64) -> String {
    let over = format!(
        "over the transcription endpoint's {} MiB ({limit}-byte) limit",
        limit / 1_048_576
    );
    match size {
        Some(n) => format!(
            "recording {origin} is {n} bytes ({:.1} MiB), {over}",
            n as f64 / 1_048_576.0
        ),
        None => format!("recording {origin} is {over}"),
    }
}

impl AudioError {
    pub fn hint(&self) -> &'static str {
        match self {
            AudioError::Read { .. } => "check the path",
            AudioError::Unrecognised { .. } => {
                "pass a wav, mp3, m4a, ogg, flac or webm recording, or a text answer"
            }
            AudioError::TooLarge { .. } => {
                "compress it (e.g. `sox in.wav -r 16000 -c 1 out.flac`) or cut it into one answer per file; \
the limit is --stt-max-mb"
            }
        }
    }
}

/// The container of the file at `path` when it is a recording: by content,
/// or by an audio extension (then content that is not audio is an error).
/// `Ok(None)` means the file is not a recording and should be read as text.
pub fn sniff_file(path: &Path) -> Result<Option<AudioFormat>, AudioError> {
    let origin = path.display().to_string();
    // A missing or unreadable file: the text reader says why.
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    let mut head = [0u8; 64];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            // A folder or unreadable file: the text reader says why.
            Err(_) => return Ok(None),
        }
    }
    match sniff(&head[..n]) {
        Some(f) => Ok(Some(f)),
        None if has_audio_extension(path) => Err(AudioError::Unrecognised { origin }),
        None => Ok(None),
    }
}

/// Reads a recording of a known container, refusing files over `limit`
/// bytes without reading them.
pub fn read(path: &Path, format: AudioFormat, limit: u64) -> Result<Audio, AudioError> {
    let origin = path.display().to_string();
    let read_err = |source| AudioError::Read {
        origin: origin.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > limit {
        return Err(AudioError::TooLarge {
            origin,
            size: Some(size),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| has_audio_extension(Path::new(n)))
        .unwrap_or_else(|| format!("answer.{}", format.name()));
    Ok(Audio::from_bytes(&origin, &file_name, format, bytes))
}

/// [`sniff_file`] then [`read`]: the recording at `path`, or `Ok(None)`
/// when it is not one.
pub fn read_if_audio(path: &Path, limit: u64) -> Result<Option<Audio>, AudioError> {
    match sniff_file(path)? {
        Some(format) => read(path, format, limit).map(Some),
        None => Ok(None),
    }
}

/// The length of a PCM WAV file from its `fmt ` and `data` chunks.
pub fn wav_duration(bytes: &[u8]) -> Option<f64> {
    let u32_at = |i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?))
    };
    let mut i = 12;
    let mut byte_rate = None;
    while i + 8 <= bytes.len() {
        let id = &bytes[i..i + 4];
        let len = u32_at(i + 4)? as usize;
        if id == b"fmt " {
            byte_rate = u32_at(i + 16);
        } else if id == b"data" {
            let rate = byte_rate.filter(|&r| r > 0)?;
            // A recorder that never finalised its header writes 0 or ~4 GB.
            let len = len.min(bytes.len().saturating_sub(i + 8));
            return Some(len as f64 / f64::from(rate));
        }
        i += 8 + len + (len & 1);
    }
    None
}

/// A mono 16-bit PCM WAV of `samples` at `rate` Hz, for tests and tools.
pub fn wav_bytes(samples: &[i16], rate: u32) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_recognised_by_their_magic_bytes() {
        let cases: [(&[u8], Option<AudioFormat>); 10] = [
            (b"RIFF\x24\0\0\0WAVEfmt ", Some(AudioFormat::Wav)),
            (b"ID3\x04\0\0\0\0\0\0", Some(AudioFormat::Mp3)),
            (&[0xff, 0xfb, 0x90, 0x64], Some(AudioFormat::Mp3)),
            (b"\0\0\0\x20ftypM4A \0\0", Some(AudioFormat::M4a)),
            (b"OggS\0\x02\0\0", Some(AudioFormat::Ogg)),
            (b"fLaC\0\0\0\x22", Some(AudioFormat::Flac)),
            (&[0x1a, 0x45, 0xdf, 0xa3, 0x9f], Some(AudioFormat::Webm)),
            (b"RIFF\x24\0\0\0AVI LIST", None),
            (b"The GIL is a lock", None),
            (&[0xff, 0xfb, 0xf0, 0x64], None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn a_wav_knows_its_length() {
        let wav = wav_bytes(&vec![0; 16000 * 3 / 2], 16000);
        assert_eq!(wav_duration(&wav), Some(1.5));
        assert_eq!(sniff(&wav), Some(AudioFormat::Wav));
        assert_eq!(wav_duration(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn files_are_read_by_content_and_named_audio_must_be_audio() {
        let dir = tempfile::tempdir().unwrap();
        let wav = wav_bytes(&[0; 160], 16000);
        let no_ext = dir.path().join("recording");
        std::fs::write(&no_ext, &wav).unwrap();
        let a = read_if_audio(&no_ext, 1 << 20).unwrap().unwrap();
        assert_eq!(
            (a.format, a.file_name.as_str()),
            (AudioFormat::Wav, "answer.wav")
        );
        let text = dir.path().join("a.txt");
        std::fs::write(&text, "an answer").unwrap();
        assert!(read_if_audio(&text, 1 << 20).unwrap().is_none());
        let fake = dir.path().join("a.mp3");
        std::fs::write(&fake, "not audio at all").unwrap();
        assert!(matches!(
            read_if_audio(&fake, 1 << 20),
            Err(AudioError::Unrecognised { .. })
        ));
        assert!(matches!(
            read_if_audio(&no_ext, 100),
            Err(AudioError::TooLarge {
                size: Some(364),
                ..
            })
        ));
    }
}
