//! Discovery against real article pages it was not built from (`tests/fixtures/articles-unseen/`,
//! sources and labelling rules in its README): the same scoring as the labelled corpus, printed per
//! platform and location class. Run with `--nocapture` to see the table and every miss.
//!
//! The assertions are floors at the figures measured once discovery recognised embeds by what
//! identifies them (elements named for a platform, wrapper frames, any address attribute of a
//! frame, percent-encoded markup), so a regression fails. Before that, the same corpus scored
//! dom posts 119 of 145 (recall 0.821, precision 1.000), hidden posts 1 of 3, widgets 4 of 4 with
//! 1 extra, and 58 of 75 author handles.

#[path = "support/corpus_score.rs"]
mod corpus_score;

use std::path::PathBuf;

use corpus_score::{Class, Correction, Tally, score};

/// Label corrections, each checked by reading the page. Empty while every label holds.
const LABEL_CORRECTIONS: &[Correction] = &[];

/// Floors: (class, recall, precision), measured with the discovery of 2026-12-03 (rounded down)
/// over 216 pages, then over 230, then (2026-12-05) over 258, then over 290, then (2026-12-06)
/// over 328, then over 360, then over 384, then over 403, then over 429, then over 438.
/// The 9 added last (thirteenth batch: news articles of 2010–2011, front pages of CNN and The New
/// York Times, the golang.org home page of 2018, a Russian magazine page) scored 1 of 1 dom posts
/// and 0 of 2 hidden posts, nothing extra. The two hidden posts are players that only the
/// golang.org page's script knows, as addresses in a JavaScript object literal
/// (`{h: 241, s: "//www.youtube.com/embed/ID"}`), of which it shows one at random: discovery
/// reads markup in scripts, not addresses, since a script's player addresses are as often code
/// (a Parallels page maps one video's address to another's by language, sixteen of them) as a
/// player to draw. They lowered the hidden recall floor from 0.884 to 0.821 (23 of 28).
/// Then the Tablespoon player missed since the eleventh batch was found: its container's own id
/// names the platform and the video (`div#youTubeContainer_PqsvBJ7QvW8`), written in the brand's
/// case, which the prefilter now also searches for. Dom posts 542 of 545 (0.994, 0.996).
/// The 26 added last (twelfth batch: recipe pages of twelve languages, a Salon article of 2012,
/// the FiveThirtyEight home page of 2018, a Wayback copy of a university page, The Guardian's
/// and tagesschau.de's front pages of 2016) scored, before any change for them, 20 of 21 dom
/// posts and 2 of 2 widgets, with one near miss reported (see [`KNOWN_NEAR_MISSES_REPORTED`]):
/// dom posts 539 of 544 (0.991, 0.996). The miss was tine.no's play-on-click button over the
/// recipe's poster, `button[data-youtubelink="ID"]`. Since a button is read when a platform names
/// it, and a platform's word followed by `link` is an id key as one followed by `id` is, dom
/// posts are 540 of 544 (0.993, 0.996).
/// The 19 added last (eleventh batch: recipe pages of 2014–2024, a city meetings page, an Ars
/// Technica article of 2025) scored, before any change for them, 7 of 8 dom posts (all YouTube
/// players) with one extra: a site-drawn Instagram feed, `div#sb_instagram[data-id="28910146"]`,
/// whose account number was read as a shortcode (dom posts 519 of 523, precision 519 of 521,
/// 0.996). The miss is a General Mills player whose iframe has no address until a script sets it
/// from the video id that is the iframe's own `id`. Since a number is no Instagram shortcode,
/// nothing is extra: dom posts 519 of 523 (0.992, 0.998).
/// The 24 added last (tenth batch, pages of 2018–2026 chosen for recent embeds) scored, before any
/// change for them, 16 of 16 dom posts, 1 of 1 hidden and 1 of 3 widgets with two extra: a TikTok
/// creator embed read as the account its `cite` names where `embed.js` shows the one its
/// `data-unique-id` names, and a Pinterest board on `pinterest.de` that the scoring keyed apart
/// from the same board reported on `pinterest.com`. Since a creator embed names the account of
/// its `data-unique-id` (and the scoring reads Pinterest's country sites as one): dom posts 512 of
/// 515 (0.994, 0.998), hidden 23 of 26 (0.885, 1.000), widgets 21 of 22 (0.955, 1.000).
/// The 32 added last (ninth batch) scored, before any change for them, 29 of 29 dom posts and 4 of
/// 4 widgets (three X timelines, a Pinterest profile), with one extra dom post: a WordPress.com
/// sidebar listing the site's own tweets, `<li id="twitter-424849233" class="widget_twitter">`,
/// whose widget number was read as a status id (dom precision 496 of 498, 0.996). Since an `id`
/// that WordPress numbers after the widget's `widget_BASE` class names no post, nothing is extra:
/// dom posts 496 of 499 (0.994, 0.998), widgets 18 of 19 (0.947, 1.000).
/// The 38 added last (eighth batch) scored, before any change for them, 13 of 13 dom posts and 4 of
/// 5 widgets, with one extra dom post and six extra hidden ones on The New York Times' page: a skip
/// link (`#story-continues-2`) in a figure named for embedding resolved to the page, a New York
/// Times address to the oEmbed registry, and ad frames a script builds by concatenation
/// (`' + prefix + '//…`) resolved as relative addresses. They lowered the floors from dom
/// precision 0.997 to 0.995 (467 of 469), hidden precision from 1.000 to 0.785 (22 of 28) and
/// widget recall from 1.000 to 0.933 (14 of 15: a Sina Weibo account widget, a platform with no
/// module). Since neither kind of value resolves to an address, none is reported: dom posts 467
/// of 470 (0.994, 0.998), hidden 22 of 25 (0.880, 1.000).
/// The 32 added last (seventh batch, 2012 pages of seomoz/dragnet_data) scored, before any change for
/// them, 77 of 78 dom posts with one extra and 0 of 3 widgets: the miss is a Ustream player
/// (`ustream.tv/embed/recorded/ID`), the widgets are two 2012 `TWTR.Widget({type: 'profile'})`
/// timeline scripts and a YouTube channel-uploads player (`embed?listType=user_uploads&list=NAME`),
/// which was reported as a playlist whose id is the user name (the extra). They lowered the floors
/// from dom precision 0.997 to 0.995 (452 of 454 over all 290) and widget recall from 1.000 to
/// 0.727 (8 of 11). Since a Ustream player is read as the recording it plays
/// (`ustream.tv/embed/recorded/ID`, also on `video.ibm.com`) and YouTube's `listType=user_uploads`
/// player as the channel it names, not a playlist, they score 78 of 78 dom posts with no extra
/// and 1 of 3 widgets: over all 290, dom posts 453 of 457 (recall 0.991, precision 0.997 rounded
/// down from 453 of 454), widgets 9 of 11 (0.818). Since a widget an inline script builds by a
/// call of a platform's library is read (X's `TWTR.Widget`, a declared script call), the two
/// 2012 timeline scripts are found too: widgets 11 of 11 (1.000, precision 1.000). And since
/// the IFrame Player API's element name (`div#ytplayer1[data-videoid]`) names a YouTube player,
/// the asahi.com player missed since an earlier batch is found: dom posts 454 of 457 (0.993, 0.997).
/// The 28 added last (sixth batch, two snacktory forks) scored, before any change for them, 28 of 29
/// dom posts, 2 of 2 hidden ones and 2 of 2 widgets with one extra (a YouTube subscribe button frame
/// reported as a widget). The miss is a player a lazy loader keeps base64-encoded in
/// `data-lazy-src`. They lowered the floors from dom recall 0.988 (346 of 350) to 0.986 (374 of 379)
/// and widget precision from 1.000 to 0.888 (8 of 9). Since an attribute whose value is base64 of an
/// iframe or blockquote is read (in the DOM when a lazy loader's), that player is found: dom
/// posts 375 of 379 (0.989). Since YouTube's subscribe button frames (`subscribe_widget`,
/// `subscribe_embed`) are site pages to the recogniser, as X's follow button is, the extra
/// widget is gone: widgets 8 of 8, precision 1.000.
/// The 14 added last (fifth batch) scored, before any change for them, 5 of 5 dom posts, 8 of 9
/// hidden ones and 1 of 1 widget; the miss is a Facebook post named only by a JSON widget item of
/// the page's data (labelled uncertain). Over all 230: dom posts 346 of 350, hidden 20 of 23.
/// The 38 added before them (fourth batch) scored, before any change for them, 25 of 29 dom posts and
/// 8 of 10 hidden ones; after, 26 of 29 and 8 of 10. The one gained is a sidebar player that
/// keeps its video under `data-youtube`. The misses left, each read in its page:
/// - an Asahi player built by its own script, labelled YouTube as uncertain;
/// - an Opinary poll, a provider with no module and no oEmbed entry;
/// - a 2011 Ustream Flash player named only by `flashvars`;
/// - hidden: a New York Times article card (an oEmbed frame of a site-wide provider), and a 2011
///   Gawker player written by a script call with the bare player address.
///
/// The 25 before them scored 20 of 20 dom posts before any change for them. 29
/// added before those scored 88 of 103 dom posts before discovery was
/// changed for them (13 tweet placeholders BuzzFeed draws itself, a player behind LiveJournal's
/// embed proxy, a SoundCloud playlist named by its URN) and 103 of 103 after.
/// Of the 124 pages before them, 37 were added earlier that day and labelled before discovery
/// was changed for them.
/// Before the change those 37 scored 33 of 45 dom posts: 9 of the misses were players in pages
/// saved from the Wayback Machine, whose frames point at the archive's captures
/// (`web.archive.org/web/…if_/https://www.youtube.com/embed/…`), one a Vimeo showcase and two
/// SlideShare players found under an id naming the whole player address.
/// Measured over all 216: dom posts 341 of 345 found (the four misses above and a YouTube
/// "custom player" of 2010 in Flash, which names a channel's player, not a video) and one
/// reported that the labels count as a near miss (see [`KNOWN_NEAR_MISSES_REPORTED`]); hidden
/// posts 12 of 14; widgets 5 of 5 found. Three Facebook page plugins (the `/plugins/page.php`
/// frame, or the frame the SDK renders, `/v2.10/plugins/page.php`), which the labels count as near
/// misses, were reported as profile widgets (precision 0.625) until the page plugin was counted as
/// site furniture, as the labels' rules and the like and comments plugins have it; since then none
/// is reported.
/// Then The Verge's home page got its fourth hidden post, The New York Times' article frame, an
/// iframe of the Times' own oEmbed HTML endpoint (`/svc/oembed/html/?url=ARTICLE`) kept in its
/// `__NEXT_DATA__`: a provider's own rendering of an item is now that item, though the Times'
/// schemes take every page of its site. Its label names the post as the registry provider's
/// (`the-new-york-times`, the article's address), as every oEmbed label does. Hidden posts 24 of
/// 28 (0.857).
const FLOORS: &[(Class, f64, f64)] = &[
    (Class::DomPost, 0.994, 0.996),
    (Class::HiddenPost, 0.857, 1.000),
    (Class::Widget, 0.958, 1.000),
];

/// Near misses that discovery reports as posts, each read in its page. The Kenya Today page
/// pasted a Facebook plugin's iframe code into a link's `href` (`<a href="http://<iframe …
/// data-src="https://www.facebook.com/plugins/post.php?…">`): a browser shows a link, and the
/// scan, which reads tags from where they start, reads the iframe. Omnivore's Cookbook kept a
/// WordPress Instagram embed block that WordPress could not render, `figure.wp-block-embed-instagram`
/// holding the post's URL as text: a reader sees the URL, so the labels count a near miss, and
/// discovery reports the post by design, as it does every embed block and bare post URL in its
/// own paragraph (README, "What is found"): it is the embed the publisher placed, broken, whose
/// post a fallback card can show.
const KNOWN_NEAR_MISSES_REPORTED: &[&str] = &[
    "metadata-lib__kenyatoday.html",
    "recipya__omnivorescookbook.html",
];

/// Author handles read from embed markup that agree with the labels at that measurement (of 192).
const MIN_HANDLES_AGREEING: usize = 187;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles-unseen")
}

fn summary(name: &str, t: Tally) -> String {
    format!(
        "{name}: recall {:.3} ({}/{}), precision {:.3} ({}/{})",
        t.recall(),
        t.hits,
        t.labels,
        t.precision(),
        t.hits,
        t.found
    )
}

#[test]
fn unseen_recall_and_precision() {
    let score = score(&corpus_dir(), LABEL_CORRECTIONS);
    assert!(
        score.pages >= 438,
        "unseen corpus has {} pages",
        score.pages
    );
    score.print();
    for v in &score.near_miss_violations {
        println!("{v}");
    }
    for (class, _, _) in FLOORS {
        println!("{}", summary(&format!("{class:?}"), score.total(*class)));
    }

    assert!(
        score.total(Class::DomPost).labels >= 100,
        "too few dom post labels: {}",
        score.total(Class::DomPost).labels
    );
    for (class, recall, precision) in FLOORS {
        let t = score.total(*class);
        assert!(
            t.recall() >= *recall && t.precision() >= *precision,
            "{}; floor: recall {recall:.3}, precision {precision:.3}",
            summary(&format!("{class:?}"), t)
        );
    }
    assert!(
        score.handles.1 >= MIN_HANDLES_AGREEING,
        "author handles: {} of {} agree (floor {MIN_HANDLES_AGREEING})",
        score.handles.1,
        score.handles.0
    );
    // No other near miss was reported as a post at that measurement; none may be.
    let unexpected: Vec<&String> = score
        .near_miss_violations
        .iter()
        .filter(|v| !KNOWN_NEAR_MISSES_REPORTED.iter().any(|p| v.starts_with(p)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "near misses reported as posts: {unexpected:#?}"
    );
}
