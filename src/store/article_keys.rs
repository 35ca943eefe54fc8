//! Re-keying the articles of an archive written before articles were keyed by their URL in the
//! URL parser's form ([`article_key`]): `embedkeep archive` kept a URL as it was typed, so one
//! page typed two ways (`HTTPS://News.Example/a`, `https://news.example:443/./a`) was two
//! articles, each listing the same posts. Run once, by migration `0009_article_keys`.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::model::article_key;

/// Give every article its key. Where the key is already another article's, the two are one
/// page read at two times, and become one article: the one read last keeps its row (its reading
/// is the page as it is now) under the key; the other's links to posts join it, those the later
/// reading no longer held marked removed as of that reading (as a re-archive would have marked
/// them), and the other row goes. Archive jobs are re-keyed the same way; a queued job that
/// would repeat one already queued for the key goes.
pub(super) fn rekey(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let articles: Vec<(i64, String)> = tx
        .prepare("SELECT id, url FROM articles ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, url) in articles {
        let key = article_key(&url);
        if key == url {
            continue;
        }
        let holder: Option<i64> = tx
            .query_row("SELECT id FROM articles WHERE url = ?1", [&key], |row| {
                row.get(0)
            })
            .optional()?;
        if let Some(other) = holder {
            merge(tx, id, other)?;
        } else {
            tx.execute(
                "UPDATE articles SET url = ?2 WHERE id = ?1",
                params![id, key],
            )?;
        }
    }
    let jobs: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, key, state FROM jobs WHERE kind = 'archive' ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, url, state) in jobs {
        let key = article_key(&url);
        if key == url {
            continue;
        }
        let moved = tx.execute(
            "UPDATE OR IGNORE jobs SET key = ?2 WHERE id = ?1",
            params![id, key],
        )?;
        if moved == 0 && state == "queued" {
            tx.execute("DELETE FROM jobs WHERE id = ?1", [id])?;
        }
    }
    Ok(())
}

/// Make articles `a` (under a URL that is not its key) and `b` (under the key) one, under the
/// key.
fn merge(tx: &Transaction<'_>, a: i64, b: i64) -> rusqlite::Result<()> {
    let fetched = |id: i64| -> rusqlite::Result<String> {
        tx.query_row(
            "SELECT fetched_at FROM articles WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
    };
    // Times are stored in one fixed-width UTC form, so they order as text.
    let (keep, drop) = if fetched(a)? > fetched(b)? {
        (a, b)
    } else {
        (b, a)
    };
    let key: String = tx.query_row("SELECT url FROM articles WHERE id = ?1", [b], |row| {
        row.get(0)
    })?;
    // A link both readings hold stays the later one's, first seen when either first saw it.
    tx.execute(
        "UPDATE article_embeds SET first_seen_at = min(first_seen_at, \
             (SELECT d.first_seen_at FROM article_embeds d \
              WHERE d.article_id = ?2 AND d.post_url = article_embeds.post_url)) \
         WHERE article_id = ?1 AND post_url IN \
             (SELECT post_url FROM article_embeds WHERE article_id = ?2)",
        params![keep, drop],
    )?;
    tx.execute(
        "UPDATE OR IGNORE article_embeds SET article_id = ?1, \
             removed_at = coalesce(removed_at, \
                 (SELECT fetched_at FROM articles WHERE id = ?1 AND error IS NULL)) \
         WHERE article_id = ?2",
        params![keep, drop],
    )?;
    // The links left behind are the later reading's own; they go with the row.
    tx.execute("DELETE FROM articles WHERE id = ?1", [drop])?;
    tx.execute(
        "UPDATE articles SET url = ?2 WHERE id = ?1",
        params![keep, key],
    )?;
    Ok(())
}
