//! The document inside a fetched body: the bytes themselves, or their gzip decompression read
//! through a counting cap.
//!
//! Sitemaps are often served as `.xml.gz` files (`application/gzip`, no `Content-Encoding`),
//! which the HTTP client hands over still compressed. Whether a body is gzip is decided by its
//! magic bytes (`1f 8b`), not by the URL: a `.gz` URL served with `Content-Encoding: gzip`
//! arrives already inflated, and a body that is plain XML is read as it is. Decompression is
//! streamed and stops with [`SourceError::TooLarge`] as soon as the output passes the cap, so a
//! gzip bomb costs at most the cap in work and never more than a buffer in memory.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;
use url::Url;

use super::SourceError;

/// The first two bytes of every gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// True if `body` is gzip-compressed.
pub(super) fn is_gzip(body: &[u8]) -> bool {
    body.starts_with(&GZIP_MAGIC)
}

/// A streaming reader over the document in `body`, decompressing gzip (every concatenated
/// member, as `gzip -d` does) and failing past `limit` decompressed bytes. Read errors from it
/// are turned into a [`SourceError`] by [`read_error`].
pub(super) fn open(body: &[u8], limit: u64) -> Box<dyn BufRead + '_> {
    if is_gzip(body) {
        Box::new(BufReader::new(Capped {
            inner: MultiGzDecoder::new(body),
            limit,
            total: 0,
        }))
    } else {
        Box::new(body)
    }
}

/// The whole document in `body` in memory, decompressed under `limit` when it is gzip.
pub(super) fn read_all<'a>(
    body: &'a [u8],
    url: &Url,
    limit: u64,
) -> Result<Cow<'a, [u8]>, SourceError> {
    if !is_gzip(body) {
        return Ok(Cow::Borrowed(body));
    }
    let mut out = Vec::new();
    open(body, limit)
        .read_to_end(&mut out)
        .map_err(|e| read_error(&e, url, limit))?;
    Ok(Cow::Owned(out))
}

/// The [`SourceError`] for a failed read from [`open`]'s reader: the cap, or a corrupt stream
/// (reading plain bytes from memory cannot fail otherwise).
pub(super) fn read_error(error: &io::Error, url: &Url, limit: u64) -> SourceError {
    if is_over_cap(error) {
        SourceError::TooLarge {
            url: url.to_string(),
            limit,
        }
    } else {
        SourceError::Gzip {
            url: url.to_string(),
            message: error.to_string(),
        }
    }
}

/// True if `error` is the cap of [`open`]'s reader.
pub(super) fn is_over_cap(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<OverCap>().is_some())
}

/// The error a [`Capped`] reader fails with once its output passes the limit.
#[derive(Debug)]
struct OverCap;

impl fmt::Display for OverCap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("decompressed document is larger than the limit")
    }
}

impl std::error::Error for OverCap {}

/// Counts what `inner` produces and fails once the total passes `limit`.
struct Capped<R> {
    inner: R,
    limit: u64,
    total: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.total = self.total.saturating_add(n as u64);
        if self.total > self.limit {
            return Err(io::Error::other(OverCap));
        }
        Ok(n)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write as _;

    use flate2::write::GzEncoder;
    use flate2::{Compress, Compression, Crc, FlushCompress};

    use super::*;

    /// A single-member gzip file that inflates to `mib` MiB of zeros, made without compressing
    /// them all: one MiB is deflated and ended with a full flush (byte-aligned, nothing
    /// referring back before it), and those bytes are repeated. The trailer's CRC is combined
    /// from the one MiB's, so the whole file is valid.
    pub(in super::super) fn zero_bomb(mib: u32) -> Vec<u8> {
        let zeros = vec![0u8; 1 << 20];
        let mut deflate = Compress::new(Compression::best(), false);
        let mut chunk = Vec::with_capacity(64 * 1024);
        while deflate.total_in() < zeros.len() as u64 {
            let consumed = usize::try_from(deflate.total_in()).unwrap();
            deflate
                .compress_vec(&zeros[consumed..], &mut chunk, FlushCompress::Full)
                .unwrap();
            chunk.reserve(64 * 1024);
        }
        let mut end = Vec::with_capacity(64);
        deflate
            .compress_vec(&[], &mut end, FlushCompress::Finish)
            .unwrap();
        let mut one = Crc::new();
        one.update(&zeros);
        let mut crc = Crc::new();
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        for _ in 0..mib {
            out.extend_from_slice(&chunk);
            crc.combine(&one);
        }
        out.extend_from_slice(&end);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&crc.amount().to_le_bytes());
        out
    }

    #[test]
    fn the_zero_bomb_is_one_valid_gzip_member() {
        let bomb = zero_bomb(3);
        let mut out = Vec::new();
        // Single-member decoder: it checks the CRC and length in the trailer.
        flate2::read::GzDecoder::new(&bomb[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len(), 3 << 20);
        assert!(out.iter().all(|b| *b == 0));
        let gigabyte = zero_bomb(1024);
        assert!(gigabyte.len() < 2 << 20, "{} bytes", gigabyte.len());
    }

    #[test]
    fn a_gigabyte_gzip_bomb_stops_at_the_default_cap() {
        let bomb = zero_bomb(1024);
        let limit = crate::schedule::sources::DEFAULT_MAX_DECOMPRESSED_BYTES;
        match read_all(&bomb, &url(), limit) {
            Err(SourceError::TooLarge { url, limit: got }) => {
                assert_eq!(url, "https://news.test/sitemap.xml.gz");
                assert_eq!(got, limit);
            }
            other => panic!("{:?}", other.map(|b| b.len())),
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn url() -> Url {
        Url::parse("https://news.test/sitemap.xml.gz").unwrap()
    }

    #[test]
    fn plain_bodies_are_borrowed_and_gzip_bodies_inflated() {
        let xml = b"<urlset/>";
        assert!(matches!(read_all(xml, &url(), 100), Ok(Cow::Borrowed(b)) if b == xml));
        let compressed = gzip(xml);
        let inflated = read_all(&compressed, &url(), 100).unwrap();
        assert_eq!(&inflated[..], xml);
    }

    #[test]
    fn concatenated_members_are_all_read() {
        let mut body = gzip(b"<urlset>");
        body.extend(gzip(b"</urlset>"));
        assert_eq!(
            &read_all(&body, &url(), 100).unwrap()[..],
            b"<urlset></urlset>"
        );
    }

    #[test]
    fn exactly_the_limit_passes_and_one_byte_more_fails() {
        let body = gzip(&[b'x'; 1000]);
        assert_eq!(read_all(&body, &url(), 1000).unwrap().len(), 1000);
        match read_all(&body, &url(), 999) {
            Err(SourceError::TooLarge { url, limit }) => {
                assert_eq!(
                    (url.as_str(), limit),
                    ("https://news.test/sitemap.xml.gz", 999)
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_truncated_gzip_body_is_a_gzip_error_naming_the_url() {
        let body = gzip(&[b'x'; 5000]);
        let err = read_all(&body[..body.len() / 2], &url(), 1 << 20).unwrap_err();
        assert!(matches!(err, SourceError::Gzip { .. }), "{err:?}");
        assert!(
            err.to_string().contains("https://news.test/sitemap.xml.gz"),
            "{err}"
        );
    }
}
