-- The service: an operator's pin on a post's status, and the durable work queue of the daemon.

-- An operator's verdict ('live' or 'gone') that wins over the checks until lifted (NULL). The
-- checks go on and keep `status` (their own verdict) up to date underneath; readers see
-- COALESCE(pin, status).
ALTER TABLE posts ADD COLUMN pin TEXT CHECK (pin IN ('live', 'gone'));
ALTER TABLE posts ADD COLUMN pinned_at TEXT;

-- Source documents (feeds, sitemaps, URL files) polled by the daemon, with the validators of the
-- last answer so that an unchanged source costs one conditional request.
CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT,
    polled_at     TEXT,
    error         TEXT
) STRICT;

-- The durable work queue. A job is one unit of work on one key (an article URL to archive, a
-- post id to check). `state` moves queued -> running -> done | failed; a running job holds a
-- lease (owner, expiry) and returns to queued when the lease expires (its worker died). A job is
-- claimed by one conditional UPDATE, so two workers never run it at once. Attempts are counted
-- per error class so that a rate limit does not use up the budget of a broken page.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('archive', 'check')),
    key              TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_at           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    transient_errors INTEGER NOT NULL DEFAULT 0 CHECK (transient_errors >= 0),
    permanent_errors INTEGER NOT NULL DEFAULT 0 CHECK (permanent_errors >= 0),
    last_error       TEXT,
    lease_owner      TEXT,
    lease_expires_at TEXT,
    created_at       TEXT    NOT NULL,
    finished_at      TEXT,
    CHECK ((state = 'running') = (lease_owner IS NOT NULL))
) STRICT;
-- One live (queued or running) job per kind and key: queueing the same work twice is a no-op.
CREATE UNIQUE INDEX jobs_live_key ON jobs (kind, key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_ready ON jobs (state, run_at);
