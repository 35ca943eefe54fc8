//! Counts the scans of a JPEG by walking its markers, before any decoder sees the file. A
//! progressive decoder makes a pass over every block of the image per scan, so the cost of a
//! decode is scans × image size, and scans cost a few bytes each: a 28 KB file of 2,000
//! near-empty scans costs half a minute of CPU. The walk reads segment lengths and skips
//! entropy-coded data with `memchr`, so it is one linear pass over the bytes.

use super::error::MediaError;
use super::limits::MAX_JPEG_SCANS;

/// Start of scan.
const SOS: u8 = 0xDA;
/// End of image.
const EOI: u8 = 0xD9;

/// Refuse a JPEG with more than [`MAX_JPEG_SCANS`] scans.
pub(crate) fn check(bytes: &[u8]) -> Result<(), MediaError> {
    let scans = count(bytes, MAX_JPEG_SCANS + 1);
    if scans > MAX_JPEG_SCANS {
        return Err(MediaError::TooManyScans {
            scans,
            max: MAX_JPEG_SCANS,
        });
    }
    Ok(())
}

/// The number of start-of-scan segments in `bytes`, counting no further than `stop_at`.
/// Broken structure ends the walk: the decoder reports it better.
pub(crate) fn count(bytes: &[u8], stop_at: usize) -> usize {
    walk(bytes, stop_at).0
}

/// Whether the marker walk reaches the end-of-image marker after at least one scan: a file
/// cut short (the commonest damage) does not.
pub(crate) fn has_end(bytes: &[u8]) -> bool {
    let (scans, ended) = walk(bytes, usize::MAX);
    scans > 0 && ended
}

/// Walk the markers: (scans seen, counting no further than `stop_at`; whether the walk ended
/// at the end-of-image marker).
fn walk(bytes: &[u8], stop_at: usize) -> (usize, bool) {
    let mut scans = 0;
    let mut at = 0;
    while scans < stop_at {
        // A marker is 0xFF, any number of 0xFF fill bytes, then its code.
        let Some(ff) = memchr::memchr(0xFF, &bytes[at..]) else {
            break;
        };
        at += ff;
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&code) = bytes.get(at) else {
            break;
        };
        at += 1;
        match code {
            EOI => return (scans, true),
            // Stuffed zero, TEM, RSTn and SOI: no length follows.
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let Some(length) = bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            break;
        };
        if length < 2 {
            break;
        }
        at = at.saturating_add(length);
        if at > bytes.len() {
            break;
        }
        if code == SOS {
            scans += 1;
            at = entropy_data_end(bytes, at);
        }
    }
    (scans, false)
}

/// Where the entropy-coded data starting at `from` ends: at the first marker that is neither a
/// stuffed zero (`FF 00`) nor a restart marker (`FF D0`…`FF D7`).
fn entropy_data_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(ff) = memchr::memchr(0xFF, &bytes[at..]) {
        let marker = at + ff;
        let mut next = marker + 1;
        while bytes.get(next) == Some(&0xFF) {
            next += 1;
        }
        match bytes.get(next) {
            Some(0x00 | 0xD0..=0xD7) => at = next + 1,
            Some(_) => return marker,
            None => return bytes.len(),
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A segment: marker, big-endian length (counting itself), payload.
    fn segment(code: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, code];
        out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn entropy_data_with_stuffed_bytes_and_restarts_is_skipped() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0 with \xFF\xDA inside its payload"));
        for _ in 0..3 {
            jpeg.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
            // Data holding FF 00, a restart marker and fill bytes, none of them a marker.
            jpeg.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56, 0xFF, 0xFF, 0x00]);
        }
        jpeg.extend_from_slice(&[0xFF, EOI]);
        // Anything after the end of the image is not read.
        jpeg.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        assert_eq!(count(&jpeg, usize::MAX), 3);
        assert_eq!(count(&jpeg, 2), 2);
        assert!(has_end(&jpeg));
        // Cut inside the last scan's data: no end marker.
        let cut = jpeg
            .iter()
            .rposition(|b| *b == EOI)
            .map(|i| i - 4)
            .unwrap_or(0);
        assert!(!has_end(&jpeg[..cut]));
        // An end marker with no scan before it is no image.
        assert!(!has_end(&[0xFF, 0xD8, 0xFF, EOI]));
    }

    #[test]
    fn broken_structure_ends_the_walk() {
        let cases: &[&[u8]] = &[
            b"",
            &[0xFF, 0xD8],
            &[0xFF, 0xD8, 0xFF],
            &[0xFF, 0xD8, 0xFF, SOS],
            &[0xFF, 0xD8, 0xFF, SOS, 0x00],
            &[0xFF, 0xD8, 0xFF, SOS, 0x00, 0x01, 0xFF, SOS],
            &[0xFF, 0xD8, 0xFF, SOS, 0xFF, 0xFF],
        ];
        for bytes in cases {
            assert_eq!(count(bytes, usize::MAX), 0, "{bytes:02X?}");
        }
    }
}
