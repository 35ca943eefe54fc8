-- embedkeep archive, first schema.
--
-- Times are RFC 3339 TEXT in UTC with nanoseconds and a `Z` suffix
-- (`2026-11-25T08:34:11.123456789Z`): fixed width, so text order is time order.
-- Digests are lowercase hex sha256. Every table is STRICT so a wrong type is an error, not a
-- silent coercion.

-- Marks the file as an embedkeep archive ('EKEP' = 0x454B4550), so `open` can refuse another
-- application's SQLite file instead of adding tables to it.
PRAGMA application_id = 1162560848;

-- Articles by the URL they were asked for. Fetch metadata describes the latest fetch; title,
-- final_url and sha256 keep the last known values when a later fetch brought no body (304, error).
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    url              TEXT    NOT NULL UNIQUE,
    final_url        TEXT,
    title            TEXT,
    http_status      INTEGER CHECK (http_status BETWEEN 100 AND 999),
    error            TEXT,
    sha256           TEXT,
    etag             TEXT,
    last_modified    TEXT,
    first_fetched_at TEXT    NOT NULL,
    fetched_at       TEXT    NOT NULL
) STRICT;

-- One row per post, keyed by platform + the platform's own id. The liveness columns mirror
-- `model::LivenessState`; next_check_at drives re-checks (NULL = due now).
CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    post_id         TEXT    NOT NULL,
    canonical_url   TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'unknown'
                    CHECK (status IN ('live', 'suspect', 'gone', 'unknown')),
    gone_streak     INTEGER NOT NULL DEFAULT 0 CHECK (gone_streak >= 0),
    first_gone_at   TEXT,
    last_live_at    TEXT,
    revived_at      TEXT,
    last_checked_at TEXT,
    next_check_at   TEXT,
    created_at      TEXT    NOT NULL,
    UNIQUE (platform, post_id)
) STRICT;
CREATE INDEX posts_canonical_url ON posts (canonical_url);
CREATE INDEX posts_next_check_at ON posts (next_check_at);

-- Which embed appears in which article, with its original markup and what that markup said
-- about the post. post_id is NULL for widgets (profiles, timelines), which are not archived.
CREATE TABLE article_embeds (
    id               INTEGER PRIMARY KEY,
    article_id       INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    post_id          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    platform         TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    post_url         TEXT    NOT NULL,
    -- the platform's id for the post as the markup gave it (NULL for widgets)
    platform_post_id TEXT,
    location         TEXT    NOT NULL,
    evidence         TEXT    NOT NULL,
    markup           TEXT    NOT NULL,
    author_name      TEXT,
    author_handle    TEXT,
    text             TEXT,
    published_at     TEXT,
    first_seen_at    TEXT    NOT NULL,
    last_seen_at     TEXT    NOT NULL,
    UNIQUE (article_id, post_url)
) STRICT;
CREATE INDEX article_embeds_post_id ON article_embeds (post_id);
CREATE INDEX article_embeds_post_url ON article_embeds (post_url);

-- Content-addressed bytes: thumbnails as-is, raw upstream bodies zlib-compressed when that is
-- smaller. sha256 and size describe the uncompressed content.
CREATE TABLE blobs (
    sha256      TEXT    PRIMARY KEY,
    size        INTEGER NOT NULL CHECK (size >= 0),
    compression TEXT    NOT NULL CHECK (compression IN ('none', 'zlib')),
    data        BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
) STRICT;

-- One row per distinct content of a post. fetched_at is when this content was first seen;
-- seeing the same content again only moves last_seen_at.
CREATE TABLE snapshots (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    content_sha256 TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    author_name    TEXT,
    author_handle  TEXT,
    author_url     TEXT,
    text           TEXT,
    published_at   TEXT,
    fetched_at     TEXT    NOT NULL,
    last_seen_at   TEXT    NOT NULL,
    UNIQUE (post_id, content_sha256)
) STRICT;
CREATE INDEX snapshots_latest ON snapshots (post_id, last_seen_at);

-- The raw upstream answers a snapshot was read from, kept as evidence.
CREATE TABLE snapshot_raw (
    snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 0),
    url          TEXT    NOT NULL,
    content_type TEXT,
    blob_sha256  TEXT    NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (snapshot_id, position)
) STRICT;
CREATE INDEX snapshot_raw_blob ON snapshot_raw (blob_sha256);

-- Media of a snapshot in display order, with the thumbnail made from it (or why there is none).
CREATE TABLE media (
    snapshot_id      INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL CHECK (position >= 0),
    kind             TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    url              TEXT    NOT NULL,
    width            INTEGER CHECK (width >= 0),
    height           INTEGER CHECK (height >= 0),
    thumbnail_sha256 TEXT    REFERENCES blobs (sha256),
    thumbnail_width  INTEGER,
    thumbnail_height INTEGER,
    thumbnail_mime   TEXT,
    error            TEXT,
    PRIMARY KEY (snapshot_id, position),
    CHECK ((thumbnail_sha256 IS NULL) = (thumbnail_mime IS NULL))
) STRICT;
CREATE INDEX media_thumbnail ON media (thumbnail_sha256);

-- The liveness history: every check with its outcome and what the answer said.
CREATE TABLE checks (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('live', 'gone', 'transient')),
    source      TEXT    NOT NULL,
    evidence    TEXT    NOT NULL,
    snapshot_id INTEGER REFERENCES snapshots (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX checks_post ON checks (post_id, at);
