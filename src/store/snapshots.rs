//! Snapshots: one row per distinct content of a post, with its media (and their thumbnails)
//! and the raw upstream bodies it was read from. Identical content is recognised by
//! `Snapshot::content_sha256()` and only moves `last_seen_at`; a stored snapshot is otherwise
//! never changed, so an archived version cannot be overwritten by a later fetch. The two
//! exceptions only add: a snapshot written before title, language, reply/quote targets, alt
//! text and poster URLs were recorded (`content_version` 1) that a fresh fetch shows unchanged
//! gains those fields (see [`upgrade_version_1`]), and a picture whose thumbnail could not be
//! made then (its CDN answered 5xx) gains the one a later fetch of the same content made (see
//! [`fill_missing_thumbnails`]).

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::blobs::{put_raw, put_thumbnail};
use super::columns::{
    get_media_kind, get_opt_time, get_opt_u32, get_time, get_u32, opt_time, time,
};
use super::error::{AtPath, StoreError};
use super::{Store, StoredSnapshot};
use crate::model::{CONTENT_VERSION, Media, Snapshot, StoredImage};

/// The thumbnails (and originals) `fresh`, the same content as stored snapshot `id`, made for
/// pictures the stored one has none of: the same content lists its media in the same order, at
/// the same addresses (their queries aside), so each is matched by position.
fn fill_missing_thumbnails(
    conn: &Connection,
    path: &Path,
    id: i64,
    fresh: &Snapshot,
) -> Result<(), StoreError> {
    if fresh.media.iter().all(|m| m.thumbnail.is_none()) {
        return Ok(());
    }
    let missing: Vec<i64> = conn
        .prepare_cached(
            "SELECT position FROM media WHERE snapshot_id = ?1 AND thumbnail_sha256 IS NULL \
             ORDER BY position",
        )
        .and_then(|mut stmt| {
            stmt.query_map([id], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()
        })
        .at(path)?;
    for position in missing {
        let Some(media) = usize::try_from(position)
            .ok()
            .and_then(|p| fresh.media.get(p))
        else {
            continue;
        };
        let Some(thumb) = &media.thumbnail else {
            continue;
        };
        for image in [Some(thumb), media.original.as_ref()].into_iter().flatten() {
            put_thumbnail(conn, path, image)?;
        }
        let original = media.original.as_ref();
        conn.prepare_cached(
            "UPDATE media SET thumbnail_sha256 = ?3, thumbnail_width = ?4, \
                 thumbnail_height = ?5, thumbnail_mime = ?6, error = NULL, \
                 original_sha256 = coalesce(original_sha256, ?7), \
                 original_mime = coalesce(original_mime, ?8) \
             WHERE snapshot_id = ?1 AND position = ?2 AND thumbnail_sha256 IS NULL",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                id,
                position,
                thumb.sha256.as_str(),
                thumb.width,
                thumb.height,
                thumb.mime.as_str(),
                original.map(|o| o.sha256.as_str()),
                original.map(|o| o.mime.as_str()),
            ])
        })
        .at(path)?;
    }
    Ok(())
}

/// Store `snapshot` for `post_id` inside the caller's transaction. Returns the snapshot's id
/// and whether it is new content.
pub(crate) fn store_snapshot(
    conn: &Connection,
    path: &Path,
    post_id: i64,
    snapshot: &Snapshot,
) -> Result<(i64, bool), StoreError> {
    let content_sha256 = snapshot.content_sha256();
    let seen_at = time(snapshot.fetched_at);
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM snapshots WHERE post_id = ?1 AND content_sha256 = ?2")
        .and_then(|mut stmt| {
            stmt.query_row(params![post_id, content_sha256], |row| row.get(0))
                .optional()
        })
        .at(path)?;
    let existing = match existing {
        Some(id) => Some(id),
        None => upgrade_version_1(conn, path, post_id, snapshot)?,
    };
    if let Some(id) = existing {
        // max(): a late-arriving older fetch must not move the time backwards.
        conn.prepare_cached(
            "UPDATE snapshots SET last_seen_at = max(last_seen_at, ?2) WHERE id = ?1",
        )
        .and_then(|mut stmt| stmt.execute(params![id, seen_at]))
        .at(path)?;
        fill_missing_thumbnails(conn, path, id, snapshot)?;
        return Ok((id, false));
    }

    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO snapshots (post_id, content_sha256, content_version, source, \
                 author_name, author_handle, author_url, title, text, published_at, lang, \
                 reply_to, quote_of, fetched_at, last_seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) \
             RETURNING id",
        )
        .and_then(|mut stmt| {
            stmt.query_row(
                params![
                    post_id,
                    content_sha256,
                    CONTENT_VERSION,
                    snapshot.source,
                    snapshot.author_name,
                    snapshot.author_handle,
                    snapshot.author_url,
                    snapshot.title,
                    snapshot.text,
                    opt_time(snapshot.published_at),
                    snapshot.lang,
                    snapshot.reply_to,
                    snapshot.quote_of,
                    seen_at,
                ],
                |row| row.get(0),
            )
        })
        .at(path)?;

    append_raw(conn, path, id, 0, snapshot)?;

    for (position, media) in (0i64..).zip(&snapshot.media) {
        // Thumbnails and originals are both content-addressed images, stored as they are.
        for image in [&media.thumbnail, &media.original].into_iter().flatten() {
            put_thumbnail(conn, path, image)?;
        }
        let thumb = media.thumbnail.as_ref();
        let original = media.original.as_ref();
        conn.prepare_cached(
            "INSERT INTO media (snapshot_id, position, kind, url, width, height, \
                 thumbnail_sha256, thumbnail_width, thumbnail_height, thumbnail_mime, error, \
                 original_sha256, original_mime, alt, poster_url) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                id,
                position,
                media.kind.as_str(),
                media.url,
                media.width,
                media.height,
                thumb.map(|t| t.sha256.as_str()),
                thumb.map(|t| t.width),
                thumb.map(|t| t.height),
                thumb.map(|t| t.mime.as_str()),
                media.error,
                original.map(|o| o.sha256.as_str()),
                original.map(|o| o.mime.as_str()),
                media.alt,
                media.poster_url,
            ])
        })
        .at(path)?;
    }
    Ok((id, true))
}

/// The raw bodies of `snapshot`, appended to snapshot `id`'s evidence from `first_position` on.
fn append_raw(
    conn: &Connection,
    path: &Path,
    id: i64,
    first_position: i64,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    for (position, raw) in (first_position..).zip(&snapshot.raw) {
        let sha256 = put_raw(conn, path, raw)?;
        conn.prepare_cached(
            "INSERT INTO snapshot_raw (snapshot_id, position, url, content_type, blob_sha256) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut stmt| stmt.execute(params![id, position, raw.url, raw.content_type, sha256]))
        .at(path)?;
    }
    Ok(())
}

/// A version-1 snapshot of the post (written before title, language, reply/quote targets, alt
/// text and poster URLs had columns) whose content `snapshot` repeats by the version-1 hash:
/// the post has not changed, only what the archive records of it has grown. Making a new
/// snapshot of it would show every post archived before the upgrade as edited on its first
/// re-check, so the old row is kept and completed instead: only its NULL new columns are filled
/// (nothing it recorded is overwritten), its hash becomes the version-2 hash (later fetches
/// match it directly and a change of the new fields is a new snapshot from then on), and the
/// raw answer the new fields were read from is appended to its evidence. Returns the row's id.
fn upgrade_version_1(
    conn: &Connection,
    path: &Path,
    post_id: i64,
    snapshot: &Snapshot,
) -> Result<Option<i64>, StoreError> {
    let legacy = snapshot.legacy_content_sha256();
    let found: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM snapshots \
             WHERE post_id = ?1 AND content_sha256 = ?2 AND content_version = 1",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![post_id, legacy], |row| row.get(0))
                .optional()
        })
        .at(path)?;
    let Some(id) = found else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE snapshots SET content_sha256 = ?2, content_version = ?3, \
             title = coalesce(title, ?4), lang = coalesce(lang, ?5), \
             reply_to = coalesce(reply_to, ?6), quote_of = coalesce(quote_of, ?7) \
         WHERE id = ?1",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            id,
            snapshot.content_sha256(),
            CONTENT_VERSION,
            snapshot.title,
            snapshot.lang,
            snapshot.reply_to,
            snapshot.quote_of,
        ])
    })
    .at(path)?;
    // The version-1 hash covers the media list item by item, so positions correspond.
    for (position, media) in (0i64..).zip(&snapshot.media) {
        conn.prepare_cached(
            "UPDATE media SET alt = coalesce(alt, ?3), poster_url = coalesce(poster_url, ?4) \
             WHERE snapshot_id = ?1 AND position = ?2",
        )
        .and_then(|mut stmt| stmt.execute(params![id, position, media.alt, media.poster_url]))
        .at(path)?;
    }
    let next_position: i64 = conn
        .prepare_cached(
            "SELECT coalesce(max(position) + 1, 0) FROM snapshot_raw WHERE snapshot_id = ?1",
        )
        .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)))
        .at(path)?;
    append_raw(conn, path, id, next_position, snapshot)?;
    Ok(Some(id))
}

pub(super) const SNAPSHOT_COLUMNS: &str = "id, post_id, content_sha256, fetched_at, last_seen_at, source, \
     author_name, author_handle, author_url, text, published_at, title, lang, reply_to, quote_of, \
     content_version";

pub(super) fn snapshot_from_row(row: &Row<'_>) -> rusqlite::Result<StoredSnapshot> {
    let fetched_at = get_time(row, 3)?;
    Ok(StoredSnapshot {
        id: row.get(0)?,
        post_id: row.get(1)?,
        content_sha256: row.get(2)?,
        content_version: get_u32(row, 15)?,
        first_seen_at: fetched_at,
        last_seen_at: get_time(row, 4)?,
        snapshot: Snapshot {
            fetched_at,
            source: row.get(5)?,
            author_name: row.get(6)?,
            author_handle: row.get(7)?,
            author_url: row.get(8)?,
            title: row.get(11)?,
            text: row.get(9)?,
            published_at: get_opt_time(row, 10)?,
            lang: row.get(12)?,
            reply_to: row.get(13)?,
            quote_of: row.get(14)?,
            media: Vec::new(),
            raw: Vec::new(),
        },
    })
}

fn media_from_row(row: &Row<'_>) -> rusqlite::Result<Media> {
    let thumbnail_sha256: Option<String> = row.get(4)?;
    let thumbnail = match thumbnail_sha256 {
        Some(sha256) => Some(StoredImage {
            sha256,
            width: get_opt_u32(row, 5)?.unwrap_or(0),
            height: get_opt_u32(row, 6)?.unwrap_or(0),
            mime: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
            bytes: Vec::new(),
        }),
        None => None,
    };
    let width = get_opt_u32(row, 2)?;
    let height = get_opt_u32(row, 3)?;
    let original = match row.get::<_, Option<String>>(9)? {
        Some(sha256) => Some(StoredImage {
            sha256,
            width: width.unwrap_or(0),
            height: height.unwrap_or(0),
            mime: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
            bytes: Vec::new(),
        }),
        None => None,
    };
    Ok(Media {
        kind: get_media_kind(row, 0)?,
        url: row.get(1)?,
        width,
        height,
        alt: row.get(11)?,
        poster_url: row.get(12)?,
        thumbnail,
        original,
        error: row.get(8)?,
    })
}

/// Attach each snapshot's media, in order, on any connection (also inside a transaction).
pub(super) fn attach_media(
    conn: &Connection,
    path: &Path,
    mut snapshots: Vec<StoredSnapshot>,
) -> Result<Vec<StoredSnapshot>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT kind, url, width, height, thumbnail_sha256, thumbnail_width, \
                 thumbnail_height, thumbnail_mime, error, original_sha256, original_mime, alt, \
                 poster_url \
             FROM media WHERE snapshot_id = ?1 ORDER BY position",
        )
        .at(path)?;
    for stored in &mut snapshots {
        stored.snapshot.media = stmt
            .query_map([stored.id], media_from_row)
            .at(path)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .at(path)?;
    }
    Ok(snapshots)
}

/// The statement of [`load_latest`], made once: every card, check and `show` reads it.
static LATEST_SNAPSHOT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE post_id = ?1 \
         ORDER BY last_seen_at DESC, id DESC LIMIT 1"
    )
});

/// The newest snapshot of a post (most recently seen, then highest id), on any connection: the
/// check writer reads it inside its own transaction.
pub(super) fn load_latest(
    conn: &Connection,
    path: &Path,
    post_id: i64,
) -> Result<Option<StoredSnapshot>, StoreError> {
    let found = conn
        .prepare_cached(&LATEST_SNAPSHOT)
        .and_then(|mut stmt| stmt.query_row([post_id], snapshot_from_row).optional())
        .at(path)?;
    Ok(attach_media(conn, path, found.into_iter().collect())?.pop())
}

impl Store {
    /// Attach each snapshot's media, in order.
    pub(super) fn with_media(
        &self,
        snapshots: Vec<StoredSnapshot>,
    ) -> Result<Vec<StoredSnapshot>, StoreError> {
        attach_media(&self.conn, &self.path, snapshots)
    }

    /// The newest snapshot of a post: the most recently seen (by `last_seen_at`, then id).
    pub fn latest_snapshot(&self, post_id: i64) -> Result<Option<StoredSnapshot>, StoreError> {
        load_latest(&self.conn, &self.path, post_id)
    }

    /// Whether a post has any snapshot: one indexed lookup, without reading the snapshot
    /// and its media (what `latest_snapshot(..).is_some()` would cost).
    pub fn has_snapshot(&self, post_id: i64) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM snapshots WHERE post_id = ?1)")
            .and_then(|mut stmt| stmt.query_row(params![post_id], |r| r.get(0)))
            .at(&self.path)
    }

    /// Every snapshot of a post, newest (most recently seen) first.
    pub fn snapshots(&self, post_id: i64) -> Result<Vec<StoredSnapshot>, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE post_id = ?1 \
                 ORDER BY last_seen_at DESC, id DESC"
            ))
            .and_then(|mut stmt| {
                stmt.query_map([post_id], snapshot_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(&self.path)?;
        self.with_media(found)
    }

    /// One snapshot by archive id.
    pub fn snapshot(&self, id: i64) -> Result<StoredSnapshot, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE id = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([id], snapshot_from_row).optional())
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(format!("snapshot {id}")))?;
        self.with_media(vec![found])?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("snapshot {id}")))
    }
}
