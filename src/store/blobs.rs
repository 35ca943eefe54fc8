//! Content-addressed bytes. A blob is keyed by the sha256 of its uncompressed content, so the
//! same thumbnail or upstream body is stored once however many snapshots use it. Raw upstream
//! bodies are zlib-compressed when that makes them smaller; thumbnails are already compressed
//! images and are stored as-is. A thumbnail whose bytes do not hash to its claimed digest is
//! refused: a wrong key would silently serve one post's image for another.

use std::io::{Read, Write};
use std::path::Path;

use chrono::Utc;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Store;
use super::columns::time;
use super::error::{AtPath, StoreError};
use crate::model::{RawBody, StoredImage};

/// Lowercase hex sha256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// How a blob's bytes are kept in the `data` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Packing {
    None,
    Zlib,
}

impl Packing {
    fn as_str(self) -> &'static str {
        match self {
            Packing::None => "none",
            Packing::Zlib => "zlib",
        }
    }
}

/// zlib-compress `bytes` if that makes them smaller.
fn maybe_compress(bytes: &[u8]) -> (Packing, Vec<u8>) {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail; if it somehow does, keep the bytes uncompressed.
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(packed) if packed.len() < bytes.len() => (Packing::Zlib, packed),
        _ => (Packing::None, bytes.to_vec()),
    }
}

/// The content of a stored blob, decompressed.
pub(crate) fn unpack(compression: &str, data: Vec<u8>) -> std::io::Result<Vec<u8>> {
    match compression {
        "none" => Ok(data),
        "zlib" => {
            let mut out = Vec::new();
            ZlibDecoder::new(data.as_slice()).read_to_end(&mut out)?;
            Ok(out)
        }
        other => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("unknown compression {other:?}"),
        )),
    }
}

/// Store `bytes` under `sha256` unless a blob with that digest exists (deduplication).
fn put(
    conn: &Connection,
    path: &Path,
    sha256: &str,
    bytes: &[u8],
    compress: bool,
) -> Result<(), StoreError> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM blobs WHERE sha256 = ?1")
        .and_then(|mut stmt| stmt.query_row([sha256], |_| Ok(())).optional())
        .at(path)?
        .is_some();
    if exists {
        return Ok(());
    }
    let (compression, data) = if compress {
        maybe_compress(bytes)
    } else {
        (Packing::None, bytes.to_vec())
    };
    conn.prepare_cached(
        "INSERT INTO blobs (sha256, size, compression, data, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            sha256,
            i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            compression.as_str(),
            data,
            time(Utc::now()),
        ])
    })
    .at(path)?;
    Ok(())
}

/// Store a raw upstream body (compressed when that helps); returns its digest.
pub(crate) fn put_raw(conn: &Connection, path: &Path, raw: &RawBody) -> Result<String, StoreError> {
    let sha256 = sha256_hex(&raw.bytes);
    put(conn, path, &sha256, &raw.bytes, true)?;
    Ok(sha256)
}

/// Store a thumbnail as-is under its claimed digest (lowercase hex, as `StoredImage` promises),
/// after checking the claim.
pub(crate) fn put_thumbnail(
    conn: &Connection,
    path: &Path,
    image: &StoredImage,
) -> Result<(), StoreError> {
    let actual = sha256_hex(&image.bytes);
    if actual != image.sha256 {
        return Err(StoreError::DigestMismatch {
            claimed: image.sha256.clone(),
            actual,
        });
    }
    put(conn, path, &actual, &image.bytes, false)
}

impl Store {
    /// A blob's bytes by sha256 (decompressed).
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let wanted = sha256.to_ascii_lowercase();
        let (compression, data): (String, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT compression, data FROM blobs WHERE sha256 = ?1")
            .and_then(|mut stmt| {
                stmt.query_row([&wanted], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(sha256.to_owned()))?;
        unpack(&compression, data).map_err(|source| StoreError::CorruptBlob {
            path: self.path.clone(),
            sha256: wanted,
            source,
        })
    }

    /// The raw upstream bodies a snapshot was read from, in order, with their bytes.
    pub fn raw_bodies(&self, snapshot_id: i64) -> Result<Vec<RawBody>, StoreError> {
        self.raw_body_refs(snapshot_id)?
            .into_iter()
            .map(|r| {
                Ok(RawBody {
                    bytes: self.blob(&r.sha256)?,
                    url: r.url,
                    content_type: r.content_type,
                })
            })
            .collect()
    }
}
