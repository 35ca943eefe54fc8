-- Articles are keyed by their URL in the URL parser's form (host lowercased, default port
-- dropped, dot segments resolved, spaces and non-ASCII percent-encoded), as the daemon has always
-- queued them; an archive written by `embedkeep archive` kept a URL as it was typed, so one page
-- typed two ways was two articles. This version re-keys them: the rows are rewritten by
-- `store::article_keys::rekey` (URL parsing is not SQL), run in this migration's transaction.
SELECT 1;
