-- Original media bytes, kept when `store.keep_originals` is on: a content-addressed blob and
-- its sniffed type, beside the thumbnail.
ALTER TABLE media ADD COLUMN original_sha256 TEXT REFERENCES blobs (sha256);
ALTER TABLE media ADD COLUMN original_mime TEXT;
CREATE INDEX media_original ON media (original_sha256);
