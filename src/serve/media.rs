//! `GET /v1/media/{sha256}`: a stored thumbnail or kept original, by the sha256 of its bytes.
//! The address is the content, so the answer never changes: it is cacheable forever, its ETag
//! is the digest, and a client that already has it gets 304 without the bytes being read.
//! For the same reason an image once read can be kept in memory ([`super::media_cache`]) and
//! served again without asking the archive.
//!
//! Only exactly 64 lowercase hex digits name an image; anything else (upper case, other
//! lengths, `..`, encoded slashes) is 404 before the archive is asked. Only blobs that a
//! snapshot's media point to are served: raw upstream answers share the blob table, but they
//! are evidence, not images.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

use super::ServeState;
use super::error::ApiError;
use super::etag::{not_modified, quoted};
use super::media_cache::Image;

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
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let raw = sha256.map(|Path(s)| s).unwrap_or_default();
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
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    Ok(response)
}

/// The image stored under `sha256` as it is served, or, for a client that already has it,
/// `None` once the archive says it is an image it serves (a 304 names only images it has).
async fn read_image(
    state: &ServeState,
    sha256: &str,
    revalidating: bool,
) -> Result<Option<Image>, ApiError> {
    let wanted = sha256.to_owned();
    let (facts, bytes) = state
        .reader()
        .call_point(move |s| {
            let facts = s.media_facts(&wanted)?;
            let bytes = if revalidating {
                None
            } else {
                Some(s.blob(&wanted)?)
            };
            Ok((facts, bytes))
        })
        .await
        .map_err(|e| ApiError::store(e, sha256))?;
    Ok(bytes.map(|bytes| Image {
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
}
