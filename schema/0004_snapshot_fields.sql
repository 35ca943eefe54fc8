-- What a post shows beyond its author and text: a title kept apart from the text, the language
-- the platform states, the post a reply answers or a quote quotes, and per media item its alt
-- text and the image its thumbnail was made from (a video's poster), so that a later check can
-- tell a swapped image from a re-encoded one. All nullable: older rows simply did not record them.
ALTER TABLE snapshots ADD COLUMN title TEXT;
ALTER TABLE snapshots ADD COLUMN lang TEXT;
ALTER TABLE snapshots ADD COLUMN reply_to TEXT;
ALTER TABLE snapshots ADD COLUMN quote_of TEXT;

-- Which fields `content_sha256` covers: 1 for rows written before this migration (author, text,
-- date, media kind/size/URL), 2 for rows that also hash the fields above. A version-1 row is
-- compared with a fresh fetch by the version-1 hash, so an unchanged post does not become a new
-- snapshot just because the fields are recorded now.
ALTER TABLE snapshots ADD COLUMN content_version INTEGER NOT NULL DEFAULT 1
    CHECK (content_version IN (1, 2));

ALTER TABLE media ADD COLUMN alt TEXT;
ALTER TABLE media ADD COLUMN poster_url TEXT;
