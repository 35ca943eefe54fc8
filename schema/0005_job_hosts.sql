-- The host each job's work is asked of, so that a claim can leave a host's jobs queued while
-- that host already has as many running as it may have requests in flight
-- (`politeness.per_host_concurrency`): one slow host then holds that many workers, not all of
-- them. An archive job's host is its article URL's; a check job's is its post's canonical URL's.
-- NULL when unknown (such a job is not limited).
ALTER TABLE jobs ADD COLUMN host TEXT;

-- Jobs queued before this migration: the host read from the URL as the binary reads it
-- (authority without user info and port, lower case). The keys are serialised URLs, so the
-- authority always ends at the path's '/'; '?' and '#' are cut too in case one does not.
UPDATE jobs SET host = substr(key, instr(key, '://') + 3)
    WHERE kind = 'archive' AND instr(key, '://') > 0;
UPDATE jobs SET host = (SELECT substr(p.canonical_url, instr(p.canonical_url, '://') + 3)
                        FROM posts p
                        WHERE p.id = CAST(jobs.key AS INTEGER)
                          AND instr(p.canonical_url, '://') > 0)
    WHERE kind = 'check';
UPDATE jobs SET host = substr(host, 1, instr(host || '/', '/') - 1) WHERE host IS NOT NULL;
UPDATE jobs SET host = substr(host, 1, instr(host || '?', '?') - 1) WHERE host IS NOT NULL;
UPDATE jobs SET host = substr(host, 1, instr(host || '#', '#') - 1) WHERE host IS NOT NULL;
UPDATE jobs SET host = substr(host, instr(host, '@') + 1) WHERE instr(host, '@') > 0;
UPDATE jobs SET host = CASE WHEN host LIKE '[%' THEN substr(host, 1, instr(host, ']'))
                            ELSE substr(host, 1, instr(host || ':', ':') - 1) END
    WHERE host IS NOT NULL;
UPDATE jobs SET host = nullif(lower(host), '') WHERE host IS NOT NULL;

-- A claim counts each host's running jobs.
CREATE INDEX jobs_running_host ON jobs (host, lease_expires_at) WHERE state = 'running';
