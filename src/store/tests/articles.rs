//! Articles and the embeds found in them.

use super::*;
use crate::model::{NewsroomFilter, PostFilter};

#[test]
fn article_round_trips_and_a_bodiless_refetch_keeps_what_was_known() {
    let (_dir, mut store) = new_store();
    let first = article("https://news.example/a");
    let id = store.save_article(&first).unwrap();
    let stored = store.article_by_url(&first.url).unwrap();
    assert_eq!(stored.id, id);
    assert_eq!(stored.article, first);
    assert_eq!(stored.first_fetched_at, first.fetched_at);

    let validators = ArticleValidators {
        etag: Some("\"v1\"".into()),
        last_modified: Some("Sun, 01 Nov 2026 10:00:00 GMT".into()),
    };
    store.save_article_validators(id, &validators).unwrap();

    let not_modified = ArticleRecord {
        final_url: None,
        title: None,
        sha256: None,
        http_status: Some(304),
        fetched_at: at("2026-11-02T10:00:00Z"),
        ..first.clone()
    };
    assert_eq!(store.save_article(&not_modified).unwrap(), id);
    let stored = store.article_by_url(&first.url).unwrap();
    assert_eq!(stored.article.title, first.title);
    assert_eq!(stored.article.sha256, first.sha256);
    assert_eq!(stored.article.final_url, first.final_url);
    assert_eq!(stored.article.http_status, Some(304));
    assert_eq!(stored.article.fetched_at, not_modified.fetched_at);
    assert_eq!(stored.first_fetched_at, first.fetched_at);
    assert_eq!(stored.validators, validators);

    assert!(matches!(
        store.article_by_url("https://news.example/other"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.save_article_validators(id + 100, &validators),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn save_embed_upserts_the_post_and_widgets_have_none() {
    let (_dir, mut store) = new_store();
    let a = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    let b = store
        .save_article(&article("https://news.example/b"))
        .unwrap();
    let url = "https://www.instagram.com/p/B_abc/";
    let post = embed(EmbedKind::Post, url, Some("B_abc"));

    let first = store.save_embed(a, &post).unwrap();
    let again = store.save_embed(a, &post).unwrap();
    let elsewhere = store.save_embed(b, &post).unwrap();
    assert!(first.is_some());
    assert_eq!(first, again);
    assert_eq!(first, elsewhere);

    let widgets = [
        embed(
            EmbedKind::Profile,
            "https://www.instagram.com/handle/",
            None,
        ),
        embed(
            EmbedKind::ProfileTimeline,
            "https://www.instagram.com/handle/timeline",
            None,
        ),
    ];
    for widget in &widgets {
        assert_eq!(
            store.save_embed(a, widget).unwrap(),
            None,
            "{}",
            widget.kind
        );
    }

    let post_id = first.unwrap();
    let record = store.post(post_id).unwrap();
    assert_eq!(record.key.post_id, "B_abc");
    assert_eq!(record.platform, Platform::Instagram);
    assert_eq!(record.canonical_url, url);
    assert_eq!(record.liveness, LivenessState::default());
    assert_eq!(store.post_by_url(url).unwrap(), record);
    assert_eq!(store.post_by_key(&record.key).unwrap(), record);
    assert_eq!(store.stats().unwrap().posts, 1);

    let in_a = store.article_embeds(a).unwrap();
    assert_eq!(in_a.len(), 3, "one post embed and two widgets");
    assert_eq!(in_a[0].embed, post);
    assert_eq!(in_a[0].post_id, Some(post_id));
    assert_eq!(in_a[1].embed, widgets[0]);
    assert_eq!(in_a[1].post_id, None);
    assert_eq!(store.post_embeds(post_id).unwrap().len(), 2);

    assert!(matches!(
        store.save_embed(a + 100, &post),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.post_by_url("https://www.instagram.com/p/nope/"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.post(post_id + 100),
        Err(StoreError::NotFound(_))
    ));
}

/// An embed the article's latest complete reading did not find is no longer the article's: it
/// leaves the article's embeds, the list of posts in that article, the articles a post is
/// listed under and the newsroom report, while its record (and what its markup said of the
/// post) stays. Found again, it is the article's again.
#[test]
fn an_embed_taken_out_of_an_article_is_no_longer_listed_under_it() {
    let (_dir, mut store) = new_store();
    let a = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    let b = store
        .save_article(&article("https://news.example/b"))
        .unwrap();
    let kept = embed(
        EmbedKind::Post,
        "https://www.instagram.com/p/B_kept/",
        Some("B_kept"),
    );
    let taken = embed(
        EmbedKind::Post,
        "https://www.instagram.com/p/B_taken/",
        Some("B_taken"),
    );
    store.save_embed(a, &kept).unwrap();
    let taken_id = store.save_embed(a, &taken).unwrap().unwrap();
    store.save_embed(b, &taken).unwrap();

    assert_eq!(
        store
            .mark_removed_embeds(a, &[kept.post_url.as_str()])
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .mark_removed_embeds(a, &[kept.post_url.as_str()])
            .unwrap(),
        0,
        "marked once"
    );
    let in_a: Vec<String> = store
        .article_embeds(a)
        .unwrap()
        .into_iter()
        .map(|e| e.embed.post_url)
        .collect();
    assert_eq!(in_a, std::slice::from_ref(&kept.post_url));
    assert_eq!(
        store.post_embeds(taken_id).unwrap().len(),
        2,
        "records stay"
    );

    let listed_in = |store: &Store, article: &str| -> Vec<String> {
        store
            .list_posts(&PostFilter {
                article_url: Some(article.to_owned()),
                limit: 100,
                ..PostFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|p| p.post.canonical_url)
            .collect()
    };
    assert_eq!(
        listed_in(&store, "https://news.example/a"),
        std::slice::from_ref(&kept.post_url)
    );
    assert_eq!(
        listed_in(&store, "https://news.example/b"),
        std::slice::from_ref(&taken.post_url)
    );
    let all = store
        .list_posts(&PostFilter {
            limit: 100,
            ..PostFilter::default()
        })
        .unwrap();
    let taken_listed = all
        .iter()
        .find(|p| p.post.id == taken_id)
        .expect("the post is still archived");
    assert_eq!(taken_listed.articles, ["https://news.example/b"]);

    let rows = |store: &Store| -> Vec<(i64, String)> {
        store
            .newsroom_rows(&NewsroomFilter {
                statuses: Vec::new(),
                ..NewsroomFilter::default()
            })
            .unwrap()
            .0
            .into_iter()
            .map(|r| (r.post.id, r.article_url))
            .collect()
    };
    let mut report = rows(&store);
    report.sort();
    assert_eq!(report.len(), 2, "{report:?}");
    assert!(!report.contains(&(taken_id, "https://news.example/a".to_owned())));

    // An address that redirected to article a, read before the embed was taken out, does
    // not list it under a: a was archived under its own URL, and is read as it is now.
    let short = store
        .save_article(&ArticleRecord {
            final_url: Some("https://news.example/a".into()),
            ..article("https://news.example/short")
        })
        .unwrap();
    store.save_embed(short, &taken).unwrap();
    assert_eq!(
        listed_in(&store, "https://news.example/a"),
        std::slice::from_ref(&kept.post_url)
    );
    assert_eq!(
        listed_in(&store, "https://news.example/short"),
        std::slice::from_ref(&taken.post_url)
    );

    // Put back by the editor: found again, it is the article's again.
    store.save_embed(a, &taken).unwrap();
    assert_eq!(store.article_embeds(a).unwrap().len(), 2);
    assert_eq!(rows(&store).len(), 4);
}

#[test]
fn a_post_stays_findable_under_an_earlier_url() {
    let (_dir, mut store) = new_store();
    let a = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    let b = store
        .save_article(&article("https://news.example/b"))
        .unwrap();
    let old_url = "https://twitter.com/handle/status/1";
    let new_url = "https://x.com/handle/status/1";
    let mut old = embed(EmbedKind::Post, old_url, Some("1"));
    old.platform = Platform::X;
    let new = EmbedRef {
        post_url: new_url.into(),
        ..old.clone()
    };
    let id = store.save_embed(a, &old).unwrap();
    assert_eq!(store.save_embed(b, &new).unwrap(), id);

    let post = store.post_by_url(new_url).unwrap();
    assert_eq!(post.canonical_url, new_url);
    assert_eq!(store.post_by_url(old_url).unwrap(), post);
}

#[test]
fn a_read_only_store_sees_what_the_writer_commits() {
    let (dir, mut writer) = new_store();
    let reader = Store::open_read_only(&dir.path().join("archive.db")).unwrap();
    let url = "https://www.instagram.com/p/B_abc/";
    assert!(matches!(
        reader.post_by_url(url),
        Err(StoreError::NotFound(_))
    ));
    let id = post_in_article(&mut writer, "B_abc");
    assert_eq!(reader.post_by_url(url).unwrap().id, id);
}

#[test]
fn reads_in_one_read_see_one_state_of_the_archive() {
    let (dir, mut writer) = new_store();
    let reader = Store::open_read_only(&dir.path().join("archive.db")).unwrap();
    let first = "https://www.instagram.com/p/B_first/";
    let second = "https://www.instagram.com/p/B_second/";
    post_in_article(&mut writer, "B_first");

    let (before, after) = reader
        .as_one_read(|r| {
            let before = r.post_by_url(first).map(|p| p.id);
            // A commit by another connection between two reads of one transaction.
            post_in_article(&mut writer, "B_second");
            Ok((before, r.post_by_url(second).map(|p| p.id)))
        })
        .unwrap();
    assert!(before.is_ok());
    assert!(
        matches!(after, Err(StoreError::NotFound(_))),
        "the second read saw a later state: {after:?}"
    );
    // Once that read is over, the next one sees the commit, on the same connection.
    assert!(reader.post_by_url(second).is_ok());
    // A failed read inside still ends the transaction.
    let failed: Result<(), _> =
        reader.as_one_read(|r| r.post_by_url("https://nowhere.example/").map(|_| ()));
    assert!(failed.is_err());
    assert!(reader.conn.is_autocommit());
}
