-- Whether an article's last fetch failed in a way no later fetch passes (a body over
-- `http.max_body_bytes`, a redirect loop, an address the private-address guard refuses, a
-- page that is not HTML), whatever status it answered. Its archive job is given up at once,
-- and a source that still lists the article does not queue it again: only failures that may
-- pass (a timeout, a refused connection, a 5xx, a 429) are asked again.
-- 0 for articles saved before this migration: those are judged by their HTTP status alone.
ALTER TABLE articles ADD COLUMN error_lasts INTEGER NOT NULL DEFAULT 0;
