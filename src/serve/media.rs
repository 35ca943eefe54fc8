//! `GET /v1/media/{sha256}`: a stored thumbnail or kept original, by the sha256 of its bytes.
//! The address is the content, so the answer never changes: it is cacheable forever, its ETag
//! is the digest, and a client that already has it gets 304 without the bytes being read.
//! For the same reason an image once read can be kept in memory ([`super::media_cache`]) and
//! served again without asking the archive.
//!
//! Because the answer is cached forever by browsers and CDNs, bytes read from the archive are
//! hashed before they are served or kept: a stored copy that no longer hashes to its address
//! (disk corruption, a bad restore, a hand edit) is refused with a 500 naming the digest, and
//! never cached, here or downstream. Kept images were checked when they were read, so serving
//! from memory hashes nothing; a 304 that reads no bytes checks nothing either (the client
//! holds bytes it was served, which were checked then).
//!
//! Only exactly 64 lowercase hex digits name an image; anything else (upper case, other
//! lengths, `..`, encoded slashes) is 404 before the archive is asked. Only blobs that a
//! snapshot's media point to are served: raw upstream answers share the blob table, but they
//! are evidence, not images.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use bytes::Bytes;

use super::ServeState;
use super::error::ApiError;
use super::etag::{not_modified, quoted};
use super::media_cache::Image;
use crate::blocking;
use crate::store::{Store, StoreError, sha256_hex};

/// Images never change under their address.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The type of an image whose stored type is not an image type.
const FALLBACK_TYPE: &str = "application/octet-stream";

/// Whether `s` is a sha256 as the archive writes it: 64 lowercase hex digits.
fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The 32 bytes an address names, if it is one.
fn digest_of(s: &str) -> Option<[u8; 32]> {
    let mut digest = [0u8; 32];
    (is_sha256(s) && hex::decode_to_slice(s, &mut digest).is_ok()).then_some(digest)
}

/// `GET /v1/media/{sha256}`.
pub(super) async fn image(
    State(state): State<ServeState>,
    sha256: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A segment that is not UTF-8 once percent-decoded (`%FF`) is named as it was sent.
    let raw = sha256
        .map(|Path(s)| s)
        .unwrap_or_else(|_| super::posts::sent_segment(&uri, 3));
    let Some(digest) = digest_of(&raw) else {
        return Err(ApiError::not_found(
            "a media address is the sha256 of the image: 64 lowercase hex digits",
            raw,
        ));
    };
    let revalidating = not_modified(&headers, &raw);
    let image = match state.media().get(&digest) {
        Some(kept) => Some(kept),
        None => {
            let read = read_image(&state, &raw, revalidating).await?;
            if let Some(image) = &read {
                state.media().put(digest, image.clone());
            }
            read
        }
    };

    // The tag a kept image was served with, or made from the address for an image just read
    // or a 304 that needed no bytes.
    let etag = image
        .as_ref()
        .map_or_else(|| quoted(&raw), |i| i.etag.clone());
    let mut response = match image {
        Some(image) if !revalidating => {
            let mut r = Response::new(Body::from(image.bytes));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, image.content_type);
            r
        }
        _ => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        }
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    Ok(response)
}

/// The largest image hashed on the request's own thread: about 55 µs of SHA-256 at the
/// 1.2 GB/s measured on a shared two-core machine. The fixtures' thumbnails (2–55 KB, WebP of
/// up to 480 px) are all under it; a larger blob (a kept original of several megabytes: about 0.8 ms per MB, on
/// every request, since it is too large to be kept in memory) is hashed on the blocking pool,
/// so the async workers that drive the other connections do not stall on it.
const HASHED_IN_PLACE: usize = 64 * 1024;

/// The blob `sha256` as stored, or why it cannot be unpacked (for the log).
fn unpacked(store: &Store, sha256: &str) -> Result<Result<Vec<u8>, String>, StoreError> {
    match store.blob(sha256) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(StoreError::CorruptBlob { source, .. }) => {
            Ok(Err(format!("it cannot be decompressed: {source}")))
        }
        Err(e) => Err(e),
    }
}

/// `bytes`, if they hash to `sha256` (lowercase hex); else why not, for the log.
fn intact(sha256: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let actual = sha256_hex(&bytes);
    if actual == sha256 {
        Ok(bytes)
    } else {
        Err(format!("its bytes hash to {actual}"))
    }
}

/// The bytes read under `sha256`, checked against it: a damaged copy is an error, so it is
/// neither served nor kept in memory. A thumbnail is checked once per process while the
/// memory cache keeps it.
async fn checked(sha256: &str, read: Result<Vec<u8>, String>) -> Result<Vec<u8>, ApiError> {
    let checked = match read {
        Ok(bytes) if bytes.len() <= HASHED_IN_PLACE => intact(sha256, bytes),
        Ok(bytes) => {
            let wanted = sha256.to_owned();
            blocking::run("hashing an image", move || intact(&wanted, bytes))
                .await
                .map_err(|e| {
                    tracing::error!("image {sha256}: {e}");
                    ApiError::Internal {
                        input: sha256.to_owned(),
                    }
                })?
        }
        Err(why) => Err(why),
    };
    checked.map_err(|why| {
        tracing::warn!("the stored copy of image {sha256} is damaged ({why}); it is not served");
        ApiError::DamagedImage {
            input: sha256.to_owned(),
        }
    })
}

/// The image stored under `sha256` as it is served, or, for a client that already has it,
/// `None` once the archive says it is an image it serves (a 304 names only images it has).
async fn read_image(
    state: &ServeState,
    sha256: &str,
    revalidating: bool,
) -> Result<Option<Image>, ApiError> {
    let wanted = sha256.to_owned();
    let (facts, read) = state
        .reader()
        .call_point(move |s| {
            let facts = s.media_facts(&wanted)?;
            let read = if revalidating {
                None
            } else {
                Some(unpacked(s, &wanted)?)
            };
            Ok((facts, read))
        })
        .await
        .map_err(|e| ApiError::store(e, sha256))?;
    let Some(read) = read else {
        return Ok(None);
    };
    let bytes = checked(sha256, read).await?;
    Ok(Some(Image {
        bytes: Bytes::from(bytes),
        etag: quoted(sha256),
        content_type: Some(facts.mime.as_str())
            .filter(|m| m.starts_with("image/"))
            .and_then(|m| HeaderValue::from_str(m).ok())
            .unwrap_or(HeaderValue::from_static(FALLBACK_TYPE)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_hex_of_64_digits_is_an_address() {
        let ok = "a".repeat(64);
        assert!(is_sha256(&ok));
        assert!(!is_sha256(&"A".repeat(64)));
        assert!(!is_sha256(&"a".repeat(63)));
        assert!(!is_sha256(&"a".repeat(65)));
        assert!(!is_sha256(&format!("../{}", "a".repeat(61))));
        assert!(!is_sha256(""));
        assert_eq!(digest_of(&ok), Some([0xaa; 32]));
        assert_eq!(digest_of(&"A".repeat(64)), None);
    }

    /// Bytes that hash to another digest, or that cannot be unpacked, are refused as a damaged
    /// copy naming the address, on both sides of the in-place size; matching bytes pass.
    #[tokio::test]
    async fn only_bytes_that_hash_to_their_address_pass() {
        for len in [10, HASHED_IN_PLACE + 1] {
            let bytes = vec![7u8; len];
            let sha = sha256_hex(&bytes);
            assert_eq!(checked(&sha, Ok(bytes.clone())).await, Ok(bytes.clone()));
            let mut damaged = bytes;
            damaged[len / 2] = 0;
            assert_eq!(
                checked(&sha, Ok(damaged)).await,
                Err(ApiError::DamagedImage { input: sha.clone() })
            );
            assert_eq!(
                checked(&sha, Err("it cannot be decompressed".into())).await,
                Err(ApiError::DamagedImage { input: sha })
            );
        }
    }
}
