//! The one error type of `media`: every way an image can fail to become a thumbnail, each
//! carrying what it was about (the URL, the sniffed format, the declared dimensions).

use std::time::Duration;

use crate::http::HttpError;

/// Why one media item could not be turned into a thumbnail.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The bytes are not any image format we know (an HTML error page, JSON, random bytes).
    #[error("not an image: {len} bytes starting with {head:?}")]
    NotAnImage {
        /// Length of the body.
        len: usize,
        /// Its first bytes, lossily as text, to tell an HTML page from garbage.
        head: String,
    },
    /// A recognised image format that is not decoded here (AVIF, TIFF, BMP, ...).
    #[error("unsupported image format {format}")]
    Unsupported { format: String },
    /// Declared dimensions or the memory the decode needs are over the limits; refused before
    /// the pixels are allocated.
    #[error("{format} image{} is over the limit: {limit}", dimensions_text(.dimensions))]
    TooLarge {
        format: String,
        /// Declared width and height, when the header could be read.
        dimensions: Option<(u32, u32)>,
        /// Which limit was hit.
        limit: Limit,
    },
    /// A JPEG with more scans than [`MAX_JPEG_SCANS`](super::limits::MAX_JPEG_SCANS): each
    /// scan is a pass over the whole image, so a few kilobytes of them cost minutes of CPU.
    /// Refused from a walk over its markers, before any decoder sees it.
    #[error("JPEG image has {scans} or more scans, more than the {max} allowed")]
    TooManyScans {
        /// Scans counted (the walk stops one past the limit).
        scans: usize,
        max: usize,
    },
    /// The image is truncated or its data is broken.
    #[error("corrupt or truncated {format} image: {message}")]
    Corrupt { format: String, message: String },
    /// Resizing the decoded pixels failed.
    #[error("cannot resize {width}x{height} image to {target_width}x{target_height}: {message}")]
    Resize {
        width: u32,
        height: u32,
        target_width: u32,
        target_height: u32,
        message: String,
    },
    /// The thumbnail could not be encoded.
    #[error("cannot encode {width}x{height} thumbnail as {format}: {message}")]
    Encode {
        format: &'static str,
        width: u32,
        height: u32,
        message: String,
    },
    /// The media URL cannot be parsed.
    #[error("cannot fetch media {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The request failed; the HTTP error names the URL.
    #[error(transparent)]
    Fetch(#[from] HttpError),
    /// The server answered with a non-success status.
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// The fetched bytes could not be thumbnailed.
    #[error("{url}: {source}")]
    Image {
        url: String,
        source: Box<MediaError>,
    },
    /// The blocking thumbnail task died (a panic in a decoder) or was cancelled.
    #[error("{url}: thumbnail task failed: {message}")]
    Worker { url: String, message: String },
    /// Decoding and thumbnailing took longer than the decode timeout. The item gets no
    /// thumbnail; the decode thread runs on to its end holding its decode permit.
    #[error("{url}: decoding took longer than {after:?}")]
    Timeout { url: String, after: Duration },
}

/// Which decode limit an image is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// Width or height over `max` pixels.
    Dimensions { max: u32 },
    /// Decoding and shrinking would hold `needed` bytes at their peak, over `max`; `None` when
    /// a decoder found out by itself (its own allocation limit).
    Memory { needed: Option<u64>, max: u64 },
    /// Another limit of a decoder, in its words.
    Other(String),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Dimensions { max } => write!(f, "larger than {max}x{max} px"),
            Limit::Memory {
                needed: Some(needed),
                max,
            } => write!(
                f,
                "decoding needs {needed} bytes at its peak, more than {max}"
            ),
            Limit::Memory { needed: None, max } => write!(f, "needs more than {max} bytes"),
            Limit::Other(text) => f.write_str(text),
        }
    }
}

fn dimensions_text(dimensions: &Option<(u32, u32)>) -> String {
    match dimensions {
        Some((w, h)) => format!(" of {w}x{h}"),
        None => String::new(),
    }
}
