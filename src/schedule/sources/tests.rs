//! Tests of the whole module: parsers on real fixture files and [`poll`] against a loopback
//! server.

use std::path::Path;

/// A fixture file from `tests/fixtures/sources/`.
pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sources")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
