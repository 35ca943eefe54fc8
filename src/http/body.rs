//! Reading a response body under the size cap, chunk by chunk.
//!
//! reqwest has no body limit of its own. The cap is checked against Content-Length before the
//! first byte is read, then against the running total after every (already decompressed)
//! chunk, so neither an endless chunked stream nor a gzip/brotli bomb is ever held in memory
//! beyond the cap. This module must never buffer a body before checking its size.

use bytes::{Bytes, BytesMut};
use url::Url;

use super::HttpError;
use super::error::Phase;

/// Never reserve more than this up front, whatever Content-Length claims: the header is
/// the server's word, the bytes are what counts.
const MAX_PREALLOCATE: u64 = 1024 * 1024;

/// Read the whole body of `response`, failing with [`HttpError::TooLarge`] past `limit` bytes.
/// `url` is the logical URL named in errors.
pub async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
    url: &Url,
) -> Result<Bytes, HttpError> {
    let too_large = || HttpError::TooLarge {
        url: url.to_string(),
        limit,
    };
    // With decompression on, reqwest reports no length for encoded bodies, so this only
    // short-cuts plain bodies; the running count below covers the rest.
    let declared = response.content_length();
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let reserve = declared.unwrap_or(0).min(limit).min(MAX_PREALLOCATE);
    // `reserve` is at most MAX_PREALLOCATE, which fits in usize on every target.
    let mut body = BytesMut::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| HttpError::from_reqwest(url, Phase::Body, e))?
    {
        let total = body.len() as u64 + chunk.len() as u64;
        if total > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
