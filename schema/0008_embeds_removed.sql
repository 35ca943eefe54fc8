-- When an article's latest complete reading no longer held an embed it held before (an editor
-- took it out, or replaced it): the link is kept, with its markup, as the record of what the
-- article once embedded, but the article no longer embeds the post, so the lists of dead
-- embeds, the newsroom report and the article's fallbacks leave it out. NULL while the article
-- holds it; set back to NULL if a later reading finds it again.
ALTER TABLE article_embeds ADD COLUMN removed_at TEXT;
