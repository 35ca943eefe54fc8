//! The admin token of the write routes: read once from `serve.admin_token_file` at start,
//! compared in constant time (the SHA-256 digests of the presented and the real token are
//! compared with `subtle`, so neither the content nor the length of the token leaks through
//! timing), and never printed.

use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::ApiError;
use super::{ServeError, ServeState, Writes};

/// The secret a write request must present as `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct AdminToken {
    digest: [u8; 32],
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(<redacted>)")
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

impl AdminToken {
    /// Read the token from its file (surrounding whitespace and a final newline are ignored).
    /// An unreadable or empty file is an error naming the file.
    pub fn read(path: &Path) -> Result<AdminToken, ServeError> {
        let text =
            crate::config::read_secret_file(path).map_err(|source| ServeError::TokenFile {
                path: path.to_owned(),
                source,
            })?;
        AdminToken::new(&text).ok_or_else(|| ServeError::EmptyToken {
            path: PathBuf::from(path),
        })
    }

    /// A token from its text; `None` when it is blank.
    pub fn new(text: &str) -> Option<AdminToken> {
        let token = text.trim();
        (!token.is_empty()).then(|| AdminToken {
            digest: digest(token.as_bytes()),
        })
    }

    /// Whether `presented` is the token, in time that does not depend on either.
    fn matches(&self, presented: &[u8]) -> bool {
        bool::from(digest(presented).ct_eq(&self.digest))
    }
}

/// The writer of a write route, once the request has shown the admin token: 403 when writes are
/// disabled (no token configured), 401 without a bearer token or with a wrong one.
pub(super) fn authorize<'a>(
    state: &'a ServeState,
    headers: &HeaderMap,
    input: &str,
) -> Result<&'a Writes, ApiError> {
    let Some(writes) = state.writes() else {
        return Err(ApiError::WritesDisabled {
            input: input.to_owned(),
        });
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().as_bytes())
        });
    match presented {
        Some(token) if writes.token.matches(token) => Ok(writes),
        _ => Err(ApiError::Unauthorized {
            input: input.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_matches_only_itself_and_never_prints() {
        let token = AdminToken::new("  s3cret-token\n").expect("token");
        assert!(token.matches(b"s3cret-token"));
        assert!(!token.matches(b"s3cret-toke"));
        assert!(!token.matches(b"s3cret-token "));
        assert!(!token.matches(b""));
        assert_eq!(format!("{token:?}"), "AdminToken(<redacted>)");
        assert!(AdminToken::new(" \n").is_none());
    }

    #[test]
    fn an_empty_token_file_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("admin-token");
        std::fs::write(&path, "\n").expect("write");
        let err = AdminToken::read(&path).expect_err("empty");
        assert!(err.to_string().contains("admin-token"), "{err}");
        let missing = AdminToken::read(&dir.path().join("nope")).expect_err("missing");
        assert!(missing.to_string().contains("nope"), "{missing}");
    }
}
