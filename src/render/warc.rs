//! A WARC/1.1 writer for `embedkeep export --warc`: each record is its own gzip member, so a
//! reader can seek to any record and a damaged member spoils one record only.
//!
//! It formats only: the caller hands it the recorded upstream answers and the snapshot
//! documents and owns the file. What the archive keeps of an upstream answer is its request
//! URL, content type and body, so a `response` record's HTTP block is synthesised from those
//! (`HTTP/1.1 200 OK`, `Content-Type`, `Content-Length`): the platform's other headers were
//! never stored. Digests are `sha256:` in RFC 4648 base32, the encoding the WARC 1.1
//! specification's examples use. Record ids are `<urn:uuid:…>` derived from each record's
//! content and place in the file (RFC 9562 version 8), so exporting the same archive twice gives
//! the same ids.

use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// The WARC version line of every record.
const VERSION: &str = "WARC/1.1";

/// A record's id, `<urn:uuid:…>`, for `WARC-Refers-To` and `WARC-Concurrent-To`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordId(String);

impl RecordId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A version-8 UUID from the first 16 bytes of a sha256 over `parts`.
    fn derive(parts: &[&[u8]]) -> RecordId {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        let digest = hasher.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x80; // version 8: custom
        b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
        let h = hex::encode(b);
        RecordId(format!(
            "<urn:uuid:{}-{}-{}-{}-{}>",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        ))
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `sha256:` and the RFC 4648 base32 of the digest of `bytes`.
pub fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", base32(&Sha256::digest(bytes)))
}

/// RFC 4648 base32 (upper case, with `=` padding).
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                let index = (bits >> (35 - 5 * i)) & 0x1f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A WARC date: UTC, whole seconds unless the time has a fraction (WARC 1.1 allows it).
fn warc_date(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A header value on one line: CR and LF (which would end the header) become spaces.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// Writes WARC records, one gzip member each, to `out`.
pub struct WarcWriter<W: Write> {
    out: W,
    records: u64,
}

impl<W: Write> WarcWriter<W> {
    pub fn new(out: W) -> WarcWriter<W> {
        WarcWriter { out, records: 0 }
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The `warcinfo` record that opens the file: `filename` as `WARC-Filename` (none for a
    /// stream with no file name), `fields` as its `application/warc-fields` body.
    pub fn warcinfo(
        &mut self,
        filename: Option<&str>,
        date: DateTime<Utc>,
        fields: &[(&str, &str)],
    ) -> io::Result<RecordId> {
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!("{}: {}\r\n", one_line(name), one_line(value)));
        }
        let date = warc_date(date);
        let name = filename.unwrap_or_default();
        let id = self.id(&[b"warcinfo", name.as_bytes(), date.as_bytes()]);
        let mut headers = vec![
            ("WARC-Type", "warcinfo".to_owned()),
            ("WARC-Record-ID", id.to_string()),
            ("WARC-Date", date),
        ];
        if let Some(filename) = filename {
            headers.push(("WARC-Filename", one_line(filename)));
        }
        headers.push(("WARC-Block-Digest", sha256_label(body.as_bytes())));
        headers.push(("Content-Type", "application/warc-fields".to_owned()));
        self.record(&headers, body.as_bytes())?;
        Ok(id)
    }

    /// A `response` record for an upstream answer to `target_uri` fetched at `date`: an
    /// HTTP/1.1 200 block synthesised from `content_type` and `body` (see the module
    /// documentation).
    pub fn response(
        &mut self,
        target_uri: &str,
        date: DateTime<Utc>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> io::Result<RecordId> {
        let mut block = b"HTTP/1.1 200 OK\r\n".to_vec();
        if let Some(ct) = content_type.map(one_line).filter(|c| !c.trim().is_empty()) {
            block.extend_from_slice(format!("Content-Type: {}\r\n", ct.trim()).as_bytes());
        }
        block.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        block.extend_from_slice(body);
        let date = warc_date(date);
        let block_digest = sha256_label(&block);
        let target = one_line(target_uri);
        let id = self.id(&[
            b"response",
            target.as_bytes(),
            date.as_bytes(),
            block_digest.as_bytes(),
        ]);
        let headers = vec![
            ("WARC-Type", "response".to_owned()),
            ("WARC-Record-ID", id.to_string()),
            ("WARC-Date", date),
            ("WARC-Target-URI", target),
            ("WARC-Payload-Digest", sha256_label(body)),
            ("WARC-Block-Digest", block_digest),
            (
                "Content-Type",
                "application/http;msgtype=response".to_owned(),
            ),
        ];
        self.record(&headers, &block)?;
        Ok(id)
    }

    /// A `metadata` record about `target_uri` (a JSON document, `json`), describing the
    /// response records `concurrent_to` (the first is also its `WARC-Refers-To`).
    pub fn metadata(
        &mut self,
        target_uri: &str,
        date: DateTime<Utc>,
        concurrent_to: &[RecordId],
        json: &[u8],
    ) -> io::Result<RecordId> {
        let date = warc_date(date);
        let block_digest = sha256_label(json);
        let target = one_line(target_uri);
        let id = self.id(&[
            b"metadata",
            target.as_bytes(),
            date.as_bytes(),
            block_digest.as_bytes(),
        ]);
        let mut headers = vec![
            ("WARC-Type", "metadata".to_owned()),
            ("WARC-Record-ID", id.to_string()),
            ("WARC-Date", date),
            ("WARC-Target-URI", target),
        ];
        if let Some(first) = concurrent_to.first() {
            headers.push(("WARC-Refers-To", first.to_string()));
        }
        for other in concurrent_to {
            headers.push(("WARC-Concurrent-To", other.to_string()));
        }
        headers.push(("WARC-Block-Digest", block_digest));
        headers.push(("Content-Type", "application/json".to_owned()));
        self.record(&headers, json)?;
        Ok(id)
    }

    /// The id of the next record: from its content and its place in the file, so two records
    /// with the same content still get their own ids.
    fn id(&self, parts: &[&[u8]]) -> RecordId {
        let place = self.records.to_be_bytes();
        let mut all = vec![place.as_slice()];
        all.extend_from_slice(parts);
        RecordId::derive(&all)
    }

    /// One record as one gzip member: version line, headers, `Content-Length`, a blank line,
    /// the block and the two CRLFs that end a record.
    fn record(&mut self, headers: &[(&str, String)], block: &[u8]) -> io::Result<()> {
        let mut head = format!("{VERSION}\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
        let mut gz = GzEncoder::new(&mut self.out, Compression::default());
        gz.write_all(head.as_bytes())?;
        gz.write_all(block)?;
        gz.write_all(b"\r\n\r\n")?;
        gz.finish()?;
        self.records += 1;
        Ok(())
    }

    /// Flush and hand back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::MultiGzDecoder;

    use super::*;

    #[test]
    fn base32_is_rfc_4648() {
        // RFC 4648, section 10.
        for (input, want) in [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(base32(input.as_bytes()), want, "{input:?}");
        }
        assert_eq!(
            sha256_label(b""),
            "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ===="
        );
    }

    #[test]
    fn records_are_gzip_members_with_digests_and_links() {
        let date = DateTime::parse_from_rfc3339("2026-11-25T08:34:11Z")
            .expect("date")
            .with_timezone(&Utc);
        let mut w = WarcWriter::new(Vec::new());
        w.warcinfo(Some("a.warc.gz"), date, &[("software", "embedkeep")])
            .expect("warcinfo");
        let r = w
            .response(
                "https://x.example/p/1",
                date,
                Some("text/html\r\nX-Evil: 1"),
                b"<p>hi</p>",
            )
            .expect("response");
        let m = w
            .metadata(
                "https://x.example/p/1",
                date,
                std::slice::from_ref(&r),
                b"{}",
            )
            .expect("metadata");
        assert_ne!(r, m);
        assert_eq!(w.records(), 3);
        let bytes = w.finish().expect("finish");
        // Three gzip members, each starting with the gzip magic.
        let members = bytes
            .windows(3)
            .filter(|w| w == &[0x1f, 0x8b, 0x08])
            .count();
        assert!(members >= 3);
        let mut text = String::new();
        MultiGzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .expect("gunzip");
        assert_eq!(text.matches("WARC/1.1\r\n").count(), 3, "{text}");
        assert!(text.contains("WARC-Date: 2026-11-25T08:34:11Z\r\n"));
        assert!(text.contains("HTTP/1.1 200 OK\r\nContent-Type: text/html  X-Evil: 1\r\nContent-Length: 9\r\n\r\n<p>hi</p>\r\n\r\n"), "{text}");
        assert!(text.contains(&format!("WARC-Refers-To: {r}\r\n")));
        assert!(text.contains(&format!("WARC-Concurrent-To: {r}\r\n")));
        assert!(r.as_str().starts_with("<urn:uuid:") && r.as_str().ends_with('>'));
        assert_eq!(&r.as_str()[24..25], "8", "{r}");
        // The same content at the same place gives the same id; elsewhere, another one.
        let mut again = WarcWriter::new(Vec::new());
        again
            .warcinfo(Some("a.warc.gz"), date, &[("software", "embedkeep")])
            .expect("warcinfo");
        let same = again
            .response(
                "https://x.example/p/1",
                date,
                Some("text/html\r\nX-Evil: 1"),
                b"<p>hi</p>",
            )
            .expect("response");
        assert_eq!(same, r);
        let other = again
            .response(
                "https://x.example/p/1",
                date,
                Some("text/html\r\nX-Evil: 1"),
                b"<p>hi</p>",
            )
            .expect("response");
        assert_ne!(other, r);
    }
}
