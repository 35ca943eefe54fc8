//! Bluesky resolver tests on recorded answers: the getPostThread capture and NotFound answer of
//! the sample manifest, and real post views (images, video, quotes, link card, labelled authors)
//! served in the AppView's envelopes, plus whole recorded answers of other projects (their
//! provenance in `*.source.txt` beside each file, or in the manifest). Hostile and malformed
//! answers are written here.

use std::collections::HashMap;
use std::sync::Mutex;

use url::Url;

use super::appview::{self, HANDLE, POSTS, THREAD};
use super::resolve::resolve_with;
use crate::config::Config;
use crate::model::{CheckOutcome, EmbedKind, EmbedRef, Location, MediaKind, Platform, Resolution};
use crate::platforms::replay::fixture_answer;
use crate::platforms::source::{Answer, Fetch, SourceError};

const CHAD_DID: &str = "did:plc:uy7ehrx332p6dow5sk32hxzq";

fn sample_body(file: &str) -> Vec<u8> {
    fixture_answer(
        "https://x/",
        200,
        "application/json",
        &format!("bluesky/{file}"),
    )
    .body
}

/// A recorded post view in `getPostThread`'s envelope.
fn thread_of(file: &str) -> Vec<u8> {
    let view = String::from_utf8(sample_body(file)).expect("utf-8");
    format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{view},"replies":[]}}}}"#
    )
    .into_bytes()
}

/// A recorded post view in `getPosts`' envelope.
fn posts_of(file: &str) -> Vec<u8> {
    let view = String::from_utf8(sample_body(file)).expect("utf-8");
    format!(r#"{{"posts":[{view}]}}"#).into_bytes()
}

fn answer(url: &str, status: u16, body: &[u8]) -> Answer {
    Answer {
        url: url.to_owned(),
        status,
        content_type: Some("application/json; charset=utf-8".into()),
        body: body.to_vec(),
    }
}

/// Answers by exact request URL; unknown URLs fail like an unreachable host.
#[derive(Default)]
struct Answers {
    by_url: HashMap<String, (u16, Vec<u8>)>,
    asked: Mutex<Vec<String>>,
}

impl Answers {
    fn with(mut self, url: Url, status: u16, body: impl Into<Vec<u8>>) -> Answers {
        self.by_url.insert(url.to_string(), (status, body.into()));
        self
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("lock").clone()
    }
}

impl Fetch for Answers {
    async fn fetch(&self, source_name: &str, url: &Url) -> Result<Answer, SourceError> {
        self.asked.lock().expect("lock").push(url.to_string());
        let Some((status, body)) = self.by_url.get(url.as_str()) else {
            return Err(SourceError::Transport {
                source_name: source_name.to_owned(),
                url: url.to_string(),
                message: "cannot connect: not recorded".into(),
            });
        };
        let a = answer(url.as_str(), *status, body);
        crate::platforms::source::check_status(source_name, &a)?;
        Ok(a)
    }
}

fn embed(post_id: &str) -> EmbedRef {
    let (actor, rkey) = post_id.rsplit_once('/').expect("ACTOR/RKEY");
    EmbedRef {
        platform: Platform::Bluesky,
        kind: EmbedKind::Post,
        post_url: format!("https://bsky.app/profile/{actor}/post/{rkey}"),
        post_id: Some(post_id.to_owned()),
        location: Location::Dom,
        evidence: "blockquote.bluesky-embed".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

fn thread_url(did: &str, rkey: &str) -> Url {
    appview::thread_url(&appview::at_uri(did, rkey))
}

fn posts_url(did: &str, rkey: &str) -> Url {
    appview::posts_url(&appview::at_uri(did, rkey))
}

fn live(r: Resolution) -> crate::model::PostContent {
    match r {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

#[test]
fn request_urls_have_the_recorded_shape() {
    // The recorded request names only `uri`; the fixture server matches on it alone.
    let url = thread_url(CHAD_DID, "3k7rmyigapw2y");
    assert_eq!(
        url.as_str(),
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fdid%3Aplc%3Auy7ehrx332p6dow5sk32hxzq%2Fapp.bsky.feed.post%2F3k7rmyigapw2y&depth=0&parentHeight=0"
    );
    assert_eq!(
        appview::handle_url("chadmichael.bsky.social").as_str(),
        "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=chadmichael.bsky.social"
    );
}

#[test]
fn recorded_thread_answers_classify_as_the_manifest_says() {
    // The 2023 capture: live, with the manifest's expected fields.
    let a = fixture_answer(
        thread_url(CHAD_DID, "3k7rmyigapw2y").as_str(),
        200,
        "application/json; charset=utf-8",
        "bluesky/getPostThread-3k7rmyigapw2y-2023.json",
    );
    let c = live(appview::parse_thread(CHAD_DID, "3k7rmyigapw2y", &a, false));
    assert_eq!(c.source, THREAD);
    assert_eq!(c.author_handle.as_deref(), Some("chadmichael.bsky.social"));
    assert_eq!(c.author_name.as_deref(), Some("Chad"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://bsky.app/profile/chadmichael.bsky.social")
    );
    assert_eq!(
        c.published_at
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        Some("2023-09-19T21:14:01.345Z".to_owned())
    );
    assert_eq!(
        c.text.as_deref(),
        Some(
            "If Bluesky is invite only, does this mean that people were sitting on their invites until today or that Bluesky sent more invites to its waiting list or that people are suddenly giving away more invites? Hard to see how there's a correlation when signup isn't open."
        )
    );
    assert_eq!(c.lang.as_deref(), Some("en"));
    // A reply: the parent post, as a bsky.app URL.
    assert_eq!(
        c.reply_to.as_deref(),
        Some("https://bsky.app/profile/did:plc:mndtiksvxikpsy3zl6ebd2kr/post/3k7rlrukr4w2v")
    );
    assert_eq!(c.quote_of, None);
    // The parent's link card belongs to the parent, not to this post.
    assert!(c.media.is_empty(), "{:?}", c.media);
    assert_eq!(c.raw.len(), 1);
    assert_eq!(c.raw[0].bytes, a.body);

    // The reconstructed NotFound answer: gone, naming the AppView's message.
    let a = fixture_answer(
        thread_url(CHAD_DID, "3kzzzzzzzzz2a").as_str(),
        400,
        "application/json; charset=utf-8",
        "bluesky/getPostThread-404-notfound.json",
    );
    match appview::parse_thread(CHAD_DID, "3kzzzzzzzzz2a", &a, false) {
        Resolution::Gone { source, evidence } => {
            assert_eq!(source, THREAD);
            assert!(evidence.contains("NotFound: Post not found"), "{evidence}");
        }
        other => panic!("expected gone, got {other:?}"),
    }
    // The same answer asked about another post names a post that is not the one asked for: it
    // says nothing of it.
    match appview::parse_thread(CHAD_DID, "3kzzzzzzzzz2b", &a, false) {
        Resolution::Transient { source, evidence } => {
            assert_eq!(source, THREAD);
            assert!(
                evidence.contains("NotFound about at://") && evidence.contains("3kzzzzzzzzz2a"),
                "{evidence}"
            );
        }
        other => panic!("expected transient, got {other:?}"),
    }
}

#[test]
fn images_keep_their_alt_text_and_size() {
    // This author carries `!no-unauthenticated`; shown here with the text allowed.
    let rkey = "3lhmggpkbw22v";
    let did = "did:plc:z7ja7uhcr5is6uqmnsjyn3k7";
    let body = thread_of("postview-3lhmggpkbw22v-images-no-unauthenticated.json");
    let c = live(appview::parse_thread(
        did,
        rkey,
        &answer("u", 200, &body),
        true,
    ));
    assert_eq!(c.text.as_deref(), Some("It was time to go M1 to M4"));
    assert_eq!(c.author_name.as_deref(), Some("Dan O’Leary"));
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(
        m.url,
        "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:z7ja7uhcr5is6uqmnsjyn3k7/bafkreicjr5ezdgwv6z4zcxv2egqjmaox6ocplsrhvubmmfqyuh6dybhfma@jpeg"
    );
    assert_eq!(m.image_url.as_deref(), Some(m.url.as_str()));
    assert_eq!((m.width, m.height), (Some(1999), Some(1500)));
    // The author left the alt text empty: no alt, rather than a blank one.
    assert_eq!(m.alt, None);
}

#[test]
fn restricted_posts_are_archived_without_their_text() {
    // (file, did, rkey): authors labelled `!no-unauthenticated` in real answers.
    let cases = [
        (
            "postview-3lhmggpkbw22v-images-no-unauthenticated.json",
            "did:plc:z7ja7uhcr5is6uqmnsjyn3k7",
            "3lhmggpkbw22v",
        ),
        (
            "postview-3lhmgh4f5es2q-reply-no-unauthenticated.json",
            "did:plc:yf6b2cgjhxo5wevddebvklna",
            "3lhmgh4f5es2q",
        ),
    ];
    for (file, did, rkey) in cases {
        let body = thread_of(file);
        let hidden = live(appview::parse_thread(
            did,
            rkey,
            &answer("u", 200, &body),
            false,
        ));
        assert_eq!(hidden.text, None, "{file}");
        assert!(hidden.media.iter().all(|m| m.alt.is_none()), "{file}");
        // Still archived: author, date and the raw answer (which holds the text) are kept.
        assert!(hidden.author_handle.is_some(), "{file}");
        assert!(hidden.published_at.is_some(), "{file}");
        assert_eq!(hidden.raw[0].bytes, body, "{file}");
        let shown = live(appview::parse_thread(
            did,
            rkey,
            &answer("u", 200, &body),
            true,
        ));
        assert!(shown.text.is_some(), "{file}");
    }
    // The reply keeps its parent either way.
    let body = thread_of("postview-3lhmgh4f5es2q-reply-no-unauthenticated.json");
    let c = live(appview::parse_thread(
        "did:plc:yf6b2cgjhxo5wevddebvklna",
        "3lhmgh4f5es2q",
        &answer("u", 200, &body),
        false,
    ));
    assert_eq!(
        c.reply_to.as_deref(),
        Some("https://bsky.app/profile/did:plc:x2rfmy3ldn2k6d2diyp7ofi2/post/3lhmfcfualc2s")
    );
}

/// A post the network's moderation hides (`!hide`, PLATFORMS.md: "hidden") is archived as a
/// restricted one is: without its text in what is served, unless configured. The recorded
/// author's `!no-unauthenticated` label, given the moderation's value instead.
#[test]
fn posts_the_moderation_hides_are_archived_without_their_text() {
    let recorded = String::from_utf8(thread_of(
        "postview-3lhmggpkbw22v-images-no-unauthenticated.json",
    ))
    .expect("utf-8");
    assert!(recorded.contains(r#""val":"!no-unauthenticated""#));
    let body = recorded.replace(r#""val":"!no-unauthenticated""#, r#""val":"!hide""#);
    let (did, rkey) = ("did:plc:z7ja7uhcr5is6uqmnsjyn3k7", "3lhmggpkbw22v");
    let hidden = live(appview::parse_thread(
        did,
        rkey,
        &answer("u", 200, body.as_bytes()),
        false,
    ));
    assert_eq!(hidden.text, None);
    assert!(hidden.author_handle.is_some());
    let shown = live(appview::parse_thread(
        did,
        rkey,
        &answer("u", 200, body.as_bytes()),
        true,
    ));
    assert!(shown.text.is_some());
}

#[test]
fn video_keeps_its_playlist_and_poster() {
    let body = posts_of("postview-3lhnr2o6kb22h-video.json");
    let c = live(appview::parse_posts(
        "did:plc:l7mosai5i2u562b5qbosw6c7",
        "3lhnr2o6kb22h",
        &answer("u", 200, &body),
        false,
    ));
    assert_eq!(c.source, POSTS);
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Video);
    assert_eq!(
        m.url,
        "https://video.bsky.app/watch/did%3Aplc%3Al7mosai5i2u562b5qbosw6c7/bafkreic3uqlah5pnqzq4tx2r5cg6kyj2uziq4jn4uatuwdhvl33sx2qkgm/playlist.m3u8"
    );
    assert_eq!(
        m.image_url.as_deref(),
        Some(
            "https://video.bsky.app/watch/did%3Aplc%3Al7mosai5i2u562b5qbosw6c7/bafkreic3uqlah5pnqzq4tx2r5cg6kyj2uziq4jn4uatuwdhvl33sx2qkgm/thumbnail.jpg"
        )
    );
    assert_eq!((m.width, m.height), (Some(1920), Some(1920)));
    assert!(c.text.as_deref().is_some_and(|t| t.contains("#swiftUI")));
}

#[test]
fn a_gallery_keeps_every_picture_with_its_size_and_alt_text() {
    // A post of nine pictures (2026): posts of five or more carry `app.bsky.embed.gallery`,
    // whose view lists `items` with `thumbnail` rather than `images` with `thumb`.
    let file = "postview-3mnzf3lvwvq2t-gallery-nine-images-no-unauthenticated-2026.json";
    let (did, rkey) = ("did:plc:ec72yg6n2sydzjvtovvdlxrk", "3mnzf3lvwvq2t");
    let cdn =
        |size: &str, cid: &str| format!("https://cdn.bsky.app/img/feed_{size}/plain/{did}/{cid}");
    const FIRST: &str = "bafkreidsj4g5hv2glhdr5yznsml2njqgeomc4hsx46fdyqlyyj6pzbhheu";
    const MIDDLE: &str = "bafkreierjvtgtcqt53o5rfrlahctdeiczekegsxpo5nyxhn4qywgghiln4";
    const LAST: &str = "bafkreigfkwp7thnpirniwjombepq2iyuqqtauu6qazr3yeqgrd567d5vue";
    for (body, thread) in [(posts_of(file), false), (thread_of(file), true)] {
        let answer = answer("u", 200, &body);
        let c = live(if thread {
            appview::parse_thread(did, rkey, &answer, true)
        } else {
            appview::parse_posts(did, rkey, &answer, true)
        });
        assert_eq!(c.text.as_deref(), Some("Long cat is long, sideways"));
        assert_eq!(c.media.len(), 9, "{:?}", c.media);
        for m in &c.media {
            assert_eq!(m.kind, MediaKind::Image);
            assert_eq!(m.image_url.as_deref(), Some(m.url.as_str()));
            assert_eq!(m.alt.as_deref(), Some("Long cat is long, sideways"));
        }
        let picture = |i: usize| {
            let m = &c.media[i];
            (m.url.clone(), m.width, m.height)
        };
        assert_eq!(picture(0), (cdn("fullsize", FIRST), Some(142), Some(138)));
        assert_eq!(picture(1), (cdn("fullsize", MIDDLE), Some(198), Some(138)));
        assert_eq!(picture(8), (cdn("fullsize", LAST), Some(164), Some(138)));
    }
    // The author carries `!no-unauthenticated`: the pictures stay, their descriptions do not.
    let hidden = live(appview::parse_posts(
        did,
        rkey,
        &answer("u", 200, &posts_of(file)),
        false,
    ));
    assert_eq!(hidden.media.len(), 9);
    assert!(hidden.media.iter().all(|m| m.alt.is_none()));
    assert_eq!(hidden.text, None);
}

#[test]
fn quotes_name_the_quoted_post_and_keep_only_their_own_media() {
    let body = thread_of("postview-3lhmjfkl44s2y-quote.json");
    let c = live(appview::parse_thread(
        "did:plc:grjqrmpcr7bcrwxmll7weidf",
        "3lhmjfkl44s2y",
        &answer("u", 200, &body),
        false,
    ));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://bsky.app/profile/did:plc:6y3jllixhqf3vjupdvzdtxsf/post/3lhmdqmtrj22m")
    );
    // The quoted post's image is the quoted post's.
    assert!(c.media.is_empty(), "{:?}", c.media);

    // A quote with its own images: both kept apart.
    let body = thread_of("postview-3lhnv26fdxc2v-quote-with-images.json");
    let c = live(appview::parse_thread(
        "did:plc:64fyz6rpsagabcfqzdxykwgg",
        "3lhnv26fdxc2v",
        &answer("u", 200, &body),
        false,
    ));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://bsky.app/profile/did:plc:ab5inzxnpw4j2zvzlxupr5ut/post/3lhnuqw5cms2h")
    );
    // The post has no text of its own: live on its author, date and image.
    assert_eq!(c.text, None);
    assert_eq!(c.media.len(), 1);
    assert_eq!(
        c.media[0].alt.as_deref(),
        Some("Bluesky Alt Text Rating\nHow consistently do you use alt text?\nMy score is 93%")
    );
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(890), Some(1238))
    );
}

#[test]
fn link_cards_keep_the_link_its_thumbnail_and_title() {
    let body = thread_of("postview-3lhlr5a4shz2u-external.json");
    let c = live(appview::parse_thread(
        "did:plc:a2xro4bckdu24pdxtevo7mmr",
        "3lhlr5a4shz2u",
        &answer("u", 200, &body),
        false,
    ));
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(
        m.url,
        "https://www.createwithswift.com/designing-for-application-states-creating-seamless-user-experiences/"
    );
    assert_eq!(
        m.image_url.as_deref(),
        Some(
            "https://cdn.bsky.app/img/feed_thumbnail/plain/did:plc:a2xro4bckdu24pdxtevo7mmr/bafkreidro6ak2yxfghlmpejb5j7c2xexj24ddqfggbrrheiuzdqogjuljy@jpeg"
        )
    );
    assert_eq!(
        m.alt.as_deref(),
        Some("Designing for Application States: Creating Seamless User Experiences")
    );
}

#[test]
fn thread_gone_signals() {
    let did = CHAD_DID;
    let rkey = "3k7rmyigapw2y";
    let uri = appview::at_uri(did, rkey);
    let takedown = String::from_utf8(sample_body("getPostThread-3k7rmyigapw2y-2023.json"))
        .expect("utf-8")
        .replacen(
            r#""viewer":{},"labels":[]"#,
            r#""viewer":{},"labels":[{"val":"!takedown"}]"#,
            1,
        );
    assert!(takedown.contains("!takedown"), "the sample changed shape");
    // (status, body, evidence must contain)
    let cases = [
        (
            200,
            format!(
                r#"{{"thread":{{"$type":"app.bsky.feed.defs#notFoundPost","uri":"{uri}","notFound":true}}}}"#
            ),
            "notFoundPost",
        ),
        (
            200,
            format!(
                r#"{{"thread":{{"$type":"app.bsky.feed.defs#blockedPost","uri":"{uri}","blocked":true,"author":{{"did":"{did}"}}}}}}"#
            ),
            "blockedPost",
        ),
        (200, takedown, "!takedown"),
    ];
    for (status, body, want) in cases {
        match appview::parse_thread(did, rkey, &answer("u", status, body.as_bytes()), false) {
            Resolution::Gone { source, evidence } => {
                assert_eq!(source, THREAD);
                assert!(evidence.contains(want), "{evidence}");
            }
            other => panic!("{want}: expected gone, got {other:?}"),
        }
    }
    // A not-found or blocked view of another post (or of none) says nothing of this one.
    let other = appview::at_uri(did, "3k7rmyigapw2z");
    for (kind, uri) in [
        ("notFoundPost", format!(r#","uri":"{other}""#)),
        ("blockedPost", format!(r#","uri":"{other}""#)),
        ("notFoundPost", String::new()),
    ] {
        let body =
            format!(r#"{{"thread":{{"$type":"app.bsky.feed.defs#{kind}"{uri},"notFound":true}}}}"#);
        match appview::parse_thread(did, rkey, &answer("u", 200, body.as_bytes()), false) {
            Resolution::Transient { evidence, .. } => {
                assert!(
                    evidence.contains(&format!("not {}", appview::at_uri(did, rkey))),
                    "{evidence}"
                )
            }
            other => panic!("{body}: expected transient, got {other:?}"),
        }
    }
}

#[test]
fn bad_and_foreign_answers_are_transient() {
    let did = CHAD_DID;
    let rkey = "3k7rmyigapw2y";
    let other_post = String::from_utf8(sample_body("getPostThread-3k7rmyigapw2y-2023.json"))
        .expect("utf-8")
        .replace("3k7rmyigapw2y", "3k7rmyigapw2z");
    let huge = format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{{"uri":"{}","record":{{"text":"{}"}}}}}}}}"#,
        appview::at_uri(did, rkey),
        "x".repeat(10)
    );
    let cases: Vec<(u16, String)> = vec![
        // An HTML error page where JSON was expected, with the gone status.
        (
            400,
            "<html><body><h1>400 Bad Request</h1></body></html>".into(),
        ),
        // The AppView's own error, but not NotFound.
        (
            400,
            r#"{"error":"InvalidRequest","message":"Error: uri must be a valid at-uri"}"#.into(),
        ),
        // A 404 with a foreign body (no XRPC route answers 404 for a missing post).
        (404, r#"{"message":"Not Found"}"#.into()),
        (
            401,
            r#"{"error":"AuthMissing","message":"Authentication Required"}"#.into(),
        ),
        (200, "<html>captcha</html>".into()),
        (200, "{\"thread\":".into()),
        (200, "[]".into()),
        (200, "{}".into()),
        (
            200,
            r#"{"thread":{"$type":"app.bsky.feed.defs#somethingNew"}}"#.into(),
        ),
        (
            200,
            r#"{"thread":{"$type":"app.bsky.feed.defs#threadViewPost"}}"#.into(),
        ),
        // A post about nothing: the right uri but no field.
        (
            200,
            format!(
                r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{{"uri":"{}"}}}}}}"#,
                appview::at_uri(did, rkey)
            ),
        ),
        // An answer about another post.
        (200, other_post),
        (429, "{}".into()),
        (502, "<html>bad gateway</html>".into()),
    ];
    for (status, body) in cases {
        let verdict =
            appview::parse_thread(did, rkey, &answer("u", status, body.as_bytes()), false);
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{status} {body:.80}: {verdict:?}"
        );
    }
    // A long text is fine: it is the post's.
    assert!(matches!(
        appview::parse_thread(did, rkey, &answer("u", 200, huge.as_bytes()), false),
        Resolution::Live(_)
    ));
}

#[test]
fn get_posts_omitting_the_post_is_gone() {
    let did = CHAD_DID;
    let rkey = "3k7rmyigapw2y";
    match appview::parse_posts(did, rkey, &answer("u", 200, br#"{"posts":[]}"#), false) {
        Resolution::Gone { source, evidence } => {
            assert_eq!(source, POSTS);
            assert!(evidence.contains("omitted"), "{evidence}");
        }
        other => panic!("expected gone, got {other:?}"),
    }
    // A list holding items it cannot read, or another post, says nothing of this post: only
    // an empty list omits it.
    let live =
        String::from_utf8(sample_body("getPostThread-3k7rmyigapw2y-2023.json")).expect("utf-8");
    let view: serde_json::Value = serde_json::from_str(&live).expect("json");
    let view = &view["thread"]["post"];
    let with_uri = |uri: serde_json::Value| {
        let mut v = view.clone();
        v["uri"] = uri;
        serde_json::json!({ "posts": [v] }).to_string()
    };
    let uri = appview::at_uri(did, rkey);
    let unread = [
        r#"{"posts":[null]}"#.to_owned(),
        r#"{"posts":["a post"]}"#.to_owned(),
        with_uri(serde_json::Value::Null),
        with_uri(7.into()),
        with_uri(format!("{uri}/").into()),
        with_uri(uri.to_uppercase().into()),
        with_uri(appview::at_uri(did, "3k7rmyigapw2z").into()),
    ];
    for body in &unread {
        match appview::parse_posts(did, rkey, &answer("u", 200, body.as_bytes()), false) {
            Resolution::Transient { evidence, .. } => {
                assert!(evidence.contains("none of them"), "{evidence}")
            }
            other => panic!("{body}: expected transient, got {other:?}"),
        }
    }
    assert!(matches!(
        appview::parse_posts(
            did,
            rkey,
            &answer("u", 200, with_uri(uri.into()).as_bytes()),
            false
        ),
        Resolution::Live(_)
    ));
    for (status, body) in [
        (200, &b"{}"[..]),
        (200, b"<html></html>"),
        (400, br#"{"error":"InvalidRequest","message":"bad uris"}"#),
        (404, b"Not Found"),
    ] {
        assert_eq!(
            appview::parse_posts(did, rkey, &answer("u", status, body), false).outcome(),
            Some(CheckOutcome::Transient),
            "{status} {}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn handles_resolve_to_dids_or_say_why_not() {
    let ok = answer("u", 200, format!(r#"{{"did":"{CHAD_DID}"}}"#).as_bytes());
    assert_eq!(
        appview::parse_handle("chadmichael.bsky.social", &ok)
            .ok()
            .as_deref(),
        Some(CHAD_DID)
    );
    // The AppView's own answer for a handle no account has.
    let none = answer(
        "u",
        400,
        br#"{"error":"InvalidRequest","message":"Unable to resolve handle"}"#,
    );
    match appview::parse_handle("nobody.example.com", &none).map_err(|e| *e) {
        Err(Resolution::Gone { source, evidence }) => {
            assert_eq!(source, HANDLE);
            assert!(
                evidence.contains("\"nobody.example.com\" resolves to no account")
                    && evidence.contains("Unable to resolve handle"),
                "{evidence}"
            );
        }
        other => panic!("expected gone, got {other:?}"),
    }
    for (status, body) in [
        (400, &b"<html>error</html>"[..]),
        (
            400,
            br#"{"error":"RateLimitExceeded","message":"slow down"}"#,
        ),
        (200, br#"{"did":"at://not-a-did/x"}"#),
        (200, br#"{"did":"did:plc:x/../../y"}"#),
        (200, b"{}"),
        (200, b"not json"),
        (404, b""),
        (429, b""),
    ] {
        match appview::parse_handle("someone.bsky.social", &answer("u", status, body))
            .map_err(|e| *e)
        {
            Err(Resolution::Transient { source, .. }) => assert_eq!(source, HANDLE),
            other => panic!(
                "{status} {}: expected transient, got {other:?}",
                String::from_utf8_lossy(body)
            ),
        }
    }
}

#[tokio::test]
async fn flows_ask_the_sources_in_order() {
    let config = Config::default();
    let rkey = "3k7rmyigapw2y";
    let thread = sample_body("getPostThread-3k7rmyigapw2y-2023.json");

    // A handle URL: the handle first, then the thread of the DID it names.
    let answers = Answers::default()
        .with(
            appview::handle_url("chadmichael.bsky.social"),
            200,
            format!(r#"{{"did":"{CHAD_DID}"}}"#),
        )
        .with(thread_url(CHAD_DID, rkey), 200, thread.clone());
    let got = resolve_with(
        &answers,
        &config,
        &embed("chadmichael.bsky.social/3k7rmyigapw2y"),
    )
    .await;
    assert_eq!(live(got).author_name.as_deref(), Some("Chad"));
    assert_eq!(
        answers.asked(),
        vec![
            appview::handle_url("chadmichael.bsky.social").to_string(),
            thread_url(CHAD_DID, rkey).to_string()
        ]
    );

    // A DID URL skips the handle; a rate-limited thread falls back to getPosts.
    let answers = Answers::default()
        .with(thread_url(CHAD_DID, rkey), 429, "{}")
        .with(posts_url(CHAD_DID, rkey), 200, {
            // The same post view, in getPosts' envelope.
            let value: serde_json::Value = serde_json::from_slice(&thread).expect("sample");
            serde_json::json!({ "posts": [value["thread"]["post"]] }).to_string()
        });
    let got = resolve_with(&answers, &config, &embed(&format!("{CHAD_DID}/{rkey}"))).await;
    assert_eq!(live(got).source, POSTS);
    assert_eq!(answers.asked().len(), 2);

    // A gone thread is not asked again elsewhere.
    let answers = Answers::default().with(
        thread_url(CHAD_DID, "3kzzzzzzzzz2a"),
        400,
        sample_body("getPostThread-404-notfound.json"),
    );
    let got = resolve_with(
        &answers,
        &config,
        &embed(&format!("{CHAD_DID}/3kzzzzzzzzz2a")),
    )
    .await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");
    assert_eq!(answers.asked().len(), 1);

    // A handle that resolves nowhere: gone on the handle, nothing else asked.
    let answers = Answers::default().with(
        appview::handle_url("gone.example.com"),
        400,
        r#"{"error":"InvalidRequest","message":"Unable to resolve handle"}"#,
    );
    let got = resolve_with(&answers, &config, &embed("gone.example.com/3k7rmyigapw2y")).await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");
    assert_eq!(answers.asked().len(), 1);

    // Nothing reachable: transient, naming both post sources.
    let answers = Answers::default();
    let got = resolve_with(&answers, &config, &embed(&format!("{CHAD_DID}/{rkey}"))).await;
    match got {
        Resolution::Transient { evidence, .. } => assert!(
            evidence.contains(THREAD) && evidence.contains(POSTS),
            "{evidence}"
        ),
        other => panic!("expected transient, got {other:?}"),
    }

    // The restricted-text switch comes from `[platforms.bluesky]`.
    let body = thread_of("postview-3lhmggpkbw22v-images-no-unauthenticated.json");
    let did = "did:plc:z7ja7uhcr5is6uqmnsjyn3k7";
    let answers = Answers::default().with(thread_url(did, "3lhmggpkbw22v"), 200, body);
    let e = embed(&format!("{did}/3lhmggpkbw22v"));
    assert_eq!(live(resolve_with(&answers, &config, &e).await).text, None);
    let mut shown = Config::default();
    shown.platforms.get_mut("bluesky").show_restricted_text = true;
    assert!(
        live(resolve_with(&answers, &shown, &e).await)
            .text
            .is_some()
    );
}

/// A recorded answer of `tests/fixtures/samples/bluesky/`, as the AppView served it.
fn recorded(file: &str) -> Answer {
    fixture_answer(
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread",
        200,
        "application/json; charset=utf-8",
        &format!("bluesky/{file}"),
    )
}

fn millis(c: &crate::model::PostContent) -> Option<String> {
    c.published_at
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

#[test]
fn recorded_quote_with_a_link_card_keeps_the_card_and_names_the_quote() {
    // atproto.dart's 2023 capture: recordWithMedia#view whose media is an external#view (link
    // card, thumbnail on the old cdn.bsky.social imgproxy) and whose quoted post has four images.
    let a = recorded("getPostThread-3jtvi2jrijx2y-recordWithMedia-external-2023.json");
    let c = live(appview::parse_thread(
        "did:plc:by3jhwdqgbtrcc7q4tkkv3cf",
        "3jtvi2jrijx2y",
        &a,
        false,
    ));
    assert_eq!(c.source, THREAD);
    assert_eq!(
        c.author_handle.as_deref(),
        Some("aliceisjustplaying.bsky.social")
    );
    assert_eq!(c.author_name.as_deref(), Some("alice"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://bsky.app/profile/aliceisjustplaying.bsky.social")
    );
    assert_eq!(c.title, None);
    assert_eq!(
        c.text.as_deref(),
        Some(
            "now available for everyone to try in your browser! you have to log in on the page but it's 100% client-side javascript so your password stays in your browser and is only sent to bluesky.\n\nhttps://bluesky-heatmap.fly.dev/"
        )
    );
    assert_eq!(millis(&c).as_deref(), Some("2023-04-21T16:54:00.468Z"));
    // The record has no `langs`.
    assert_eq!(c.lang, None);
    assert_eq!(c.reply_to, None);
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://bsky.app/profile/did:plc:by3jhwdqgbtrcc7q4tkkv3cf/post/3jtoq4zmhvz2z")
    );
    // Only the card: the quoted post's four images are the quoted post's.
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(m.url, "https://bluesky-heatmap.fly.dev/");
    assert_eq!(
        m.image_url.as_deref(),
        Some(
            "https://cdn.bsky.social/imgproxy/D9T9zniDNXAARr3W2DT--BSHn7JwNUW0CUOtPyGzBtY/rs:fit:1000:1000:1:0/plain/bafkreig4g4l6fwfl6r5z7yydzzfo2l26k5pajgdq2ue2tdu3xszbd3y6p4@jpeg"
        )
    );
    assert_eq!(m.alt.as_deref(), Some("Bluesky Posts Heatmap Generator"));
    assert_eq!((m.width, m.height), (None, None));
    assert_eq!(c.raw.len(), 1);
    assert_eq!(c.raw[0].bytes, a.body);
}

#[test]
fn recorded_quote_with_an_image_and_empty_text() {
    // MarshalX/atproto's 2023 capture: recordWithMedia#view (images#view + a quoted post whose
    // wrapper object has no `$type`), `"text": ""` and an empty alt text.
    let a = recorded("getPostThread-3kaheyt6vpc22-recordWithMedia-2023.json");
    let did = "did:plc:kvwvcn5iqfooopmyzvb4qzba";
    let c = live(appview::parse_thread(did, "3kaheyt6vpc22", &a, false));
    assert_eq!(c.author_handle.as_deref(), Some("test.marshal.dev"));
    assert_eq!(c.author_name.as_deref(), Some("Python SDK"));
    assert_eq!(millis(&c).as_deref(), Some("2023-09-28T12:49:36.735Z"));
    // Empty text is no text; the post is live on its author, date and image.
    assert_eq!(c.text, None);
    assert_eq!(c.lang.as_deref(), Some("en"));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://bsky.app/profile/did:plc:kvwvcn5iqfooopmyzvb4qzba/post/3kahesw26il2z")
    );
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(
        m.url,
        "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:kvwvcn5iqfooopmyzvb4qzba/bafkreic3cp5ky525vsukjvrzxsc2h3jka2gud74l2hgeatw2rhj2qycnmq@jpeg"
    );
    assert_eq!(m.image_url.as_deref(), Some(m.url.as_str()));
    assert_eq!(m.alt, None);
}

#[test]
fn recorded_early_answers_read_alike() {
    // atproto.dart's April 2023 capture: a createdAt with microseconds, and neither the post nor
    // its author carries a `labels` field.
    let a = recorded("getPostThread-3jsgkrvc32k2y-microseconds-2023.json");
    let did = "did:plc:iijrtk7ocored6zuziwmqq3c";
    let c = live(appview::parse_thread(did, "3jsgkrvc32k2y", &a, false));
    assert_eq!(c.text.as_deref(), Some("For testing"));
    assert_eq!(c.author_handle.as_deref(), Some("shinyakato.dev"));
    assert_eq!(c.author_name.as_deref(), Some("Shinya Kato 🤯"));
    assert_eq!(
        c.published_at
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
            .as_deref(),
        Some("2023-04-03T01:07:42.507853Z")
    );
    assert_eq!((c.lang, c.reply_to, c.quote_of), (None, None, None));
    assert!(c.media.is_empty(), "{:?}", c.media);

    // Its March 2023 capture names the thread views by their first lexicon
    // (`app.bsky.feed.getPostThread#threadViewPost`): the same live post.
    let a = recorded("getPostThread-3jr6kpgpwn22t-legacy-types-2023-03.json");
    let c = live(appview::parse_thread(did, "3jr6kpgpwn22t", &a, false));
    assert_eq!(c.text.as_deref(), Some("Thread Test"));
    assert_eq!(c.author_handle.as_deref(), Some("shinyakato.dev"));
    assert_eq!(millis(&c).as_deref(), Some("2023-03-18T03:19:52.037Z"));
    // And its notFoundPost is gone, as today's is.
    let old_not_found = format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.getPostThread#notFoundPost","uri":"{}","notFound":true}}}}"#,
        appview::at_uri(did, "3jr6kpgpwn22t")
    );
    assert_eq!(
        appview::parse_thread(
            did,
            "3jr6kpgpwn22t",
            &answer("u", 200, old_not_found.as_bytes()),
            false
        )
        .outcome(),
        Some(CheckOutcome::Gone)
    );
}

#[test]
fn recorded_get_posts_answers_read_through_the_posts_reader() {
    struct Want {
        file: &'static str,
        did: &'static str,
        rkey: &'static str,
        handle: &'static str,
        published: &'static str,
        lang: Option<&'static str>,
        quote_of: Option<&'static str>,
        reply_to: Option<&'static str>,
        media: &'static [(MediaKind, &'static str)],
    }
    let cases = [
        Want {
            file: "getPosts-quote-3lhlu3l65522g.json",
            did: "did:plc:oio4hkxaop4ao4wz2pp3f4cr",
            rkey: "3lhlu3l65522g",
            handle: "mackuba.eu",
            published: "2025-02-07T14:52:47.869Z",
            lang: Some("en"),
            quote_of: Some(
                "https://bsky.app/profile/did:plc:7exlcsle4mjfhu3wnhcgizz6/post/3lhljcua7lv2e",
            ),
            reply_to: None,
            // The quoted post's link card is the quoted post's.
            media: &[],
        },
        Want {
            file: "getPosts-video-3lhnr2o6kb22h.json",
            did: "did:plc:l7mosai5i2u562b5qbosw6c7",
            rkey: "3lhnr2o6kb22h",
            handle: "kamhoyung.bsky.social",
            published: "2025-02-08T09:03:55.725Z",
            lang: Some("en"),
            quote_of: None,
            reply_to: None,
            media: &[(
                MediaKind::Video,
                "https://video.bsky.app/watch/did%3Aplc%3Al7mosai5i2u562b5qbosw6c7/bafkreic3uqlah5pnqzq4tx2r5cg6kyj2uziq4jn4uatuwdhvl33sx2qkgm/playlist.m3u8",
            )],
        },
        Want {
            file: "getPosts-external-3lhlr5a4shz2u.json",
            did: "did:plc:a2xro4bckdu24pdxtevo7mmr",
            rkey: "3lhlr5a4shz2u",
            handle: "createwithswift.bsky.social",
            published: "2025-02-07T14:00:00.990Z",
            lang: None,
            quote_of: None,
            reply_to: None,
            media: &[(
                MediaKind::Image,
                "https://www.createwithswift.com/designing-for-application-states-creating-seamless-user-experiences/",
            )],
        },
        Want {
            file: "getPosts-recordWithMedia-3lhnv26fdxc2v-alt.json",
            did: "did:plc:64fyz6rpsagabcfqzdxykwgg",
            rkey: "3lhnv26fdxc2v",
            handle: "iamkonstantin.eu",
            published: "2025-02-08T10:15:14.135Z",
            lang: Some("en"),
            quote_of: Some(
                "https://bsky.app/profile/did:plc:ab5inzxnpw4j2zvzlxupr5ut/post/3lhnuqw5cms2h",
            ),
            reply_to: None,
            media: &[(
                MediaKind::Image,
                "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:64fyz6rpsagabcfqzdxykwgg/bafkreibkxgznhp42mnr6dgxkfylsu53nkjlzte4mhmgvspx4ib55jfes3e@jpeg",
            )],
        },
        Want {
            file: "getPosts-images-3lhmggpkbw22v-no-unauthenticated.json",
            did: "did:plc:z7ja7uhcr5is6uqmnsjyn3k7",
            rkey: "3lhmggpkbw22v",
            handle: "danoleary.bsky.social",
            published: "2025-02-07T20:21:08.906Z",
            lang: Some("en"),
            quote_of: None,
            reply_to: None,
            media: &[(
                MediaKind::Image,
                "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:z7ja7uhcr5is6uqmnsjyn3k7/bafkreicjr5ezdgwv6z4zcxv2egqjmaox6ocplsrhvubmmfqyuh6dybhfma@jpeg",
            )],
        },
        Want {
            file: "getPosts-reply-3lhmgh4f5es2q-no-unauthenticated.json",
            did: "did:plc:yf6b2cgjhxo5wevddebvklna",
            rkey: "3lhmgh4f5es2q",
            handle: "xxiainxx.bsky.social",
            published: "2025-02-07T20:21:22.374Z",
            lang: Some("en"),
            quote_of: None,
            reply_to: Some(
                "https://bsky.app/profile/did:plc:x2rfmy3ldn2k6d2diyp7ofi2/post/3lhmfcfualc2s",
            ),
            media: &[],
        },
    ];
    for w in cases {
        let a = recorded(w.file);
        let c = live(appview::parse_posts(w.did, w.rkey, &a, true));
        assert_eq!(c.source, POSTS, "{}", w.file);
        assert_eq!(c.author_handle.as_deref(), Some(w.handle), "{}", w.file);
        assert!(c.author_name.is_some(), "{}", w.file);
        assert!(
            c.text.is_some() || w.file.contains("recordWithMedia"),
            "{}",
            w.file
        );
        assert_eq!(millis(&c).as_deref(), Some(w.published), "{}", w.file);
        assert_eq!(c.lang.as_deref(), w.lang, "{}", w.file);
        assert_eq!(c.quote_of.as_deref(), w.quote_of, "{}", w.file);
        assert_eq!(c.reply_to.as_deref(), w.reply_to, "{}", w.file);
        let media: Vec<(MediaKind, &str)> =
            c.media.iter().map(|m| (m.kind, m.url.as_str())).collect();
        assert_eq!(media, w.media, "{}", w.file);
        assert_eq!(c.raw[0].bytes, a.body, "{}", w.file);
    }
}

#[test]
fn recorded_handle_answer_names_its_did() {
    let a = fixture_answer(
        appview::handle_url("bsky.app").as_str(),
        200,
        "application/json; charset=utf-8",
        "bluesky/resolveHandle-bsky.app.json",
    );
    assert_eq!(
        appview::parse_handle("bsky.app", &a).ok().as_deref(),
        Some("did:plc:z72i7hdynmk6r22z27h6tvur")
    );
}

#[test]
fn fields_of_an_unexpected_type_cost_only_that_field() {
    // The record is what the author's client wrote; a field of another type is a gap.
    let did = "did:plc:iijrtk7ocored6zuziwmqq3c";
    let rkey = "3jsgkrvc32k2y";
    let body = String::from_utf8(sample_body(
        "getPostThread-3jsgkrvc32k2y-microseconds-2023.json",
    ))
    .expect("utf-8");
    type Check = fn(&crate::model::PostContent);
    let edits: [(&str, &str, Check); 4] = [
        // langs as a string, not a list: no language, the rest kept.
        (
            r#""text": "For testing","#,
            r#""text": "For testing", "langs": "en","#,
            |c| {
                assert_eq!(c.lang, None);
                assert_eq!(c.text.as_deref(), Some("For testing"));
            },
        ),
        // A list with one bad item keeps the good ones.
        (
            r#""text": "For testing","#,
            r#""text": "For testing", "langs": [7, "ja"],"#,
            |c| assert_eq!(c.lang.as_deref(), Some("ja")),
        ),
        // A text that is not a string: no text, still live on author and date.
        (
            r#""text": "For testing","#,
            r#""text": {"en": "For testing"},"#,
            |c| {
                assert_eq!(c.text, None);
                assert!(c.published_at.is_some());
            },
        ),
        // A date that is not a string: no date.
        (
            r#""createdAt": "2023-04-03T01:07:42.507853Z""#,
            r#""createdAt": 1680484062"#,
            |c| {
                assert_eq!(c.published_at, None);
                assert_eq!(c.text.as_deref(), Some("For testing"));
            },
        ),
    ];
    for (from, to, check) in edits {
        let edited = body.replacen(from, to, 1);
        assert_ne!(edited, body, "the sample changed shape: {from}");
        let c = live(appview::parse_thread(
            did,
            rkey,
            &answer("u", 200, edited.as_bytes()),
            false,
        ));
        check(&c);
    }
}

#[test]
fn negated_labels_no_longer_apply() {
    // `neg: true` withdraws a label (com.atproto.label.defs#label): a withdrawn takedown is no
    // gone signal, a withdrawn `!no-unauthenticated` hides nothing.
    let did = CHAD_DID;
    let rkey = "3k7rmyigapw2y";
    let body =
        String::from_utf8(sample_body("getPostThread-3k7rmyigapw2y-2023.json")).expect("utf-8");
    for (label, gone) in [
        (r#"{"val":"!takedown","neg":true}"#, false),
        (r#"{"val":"!takedown","neg":false}"#, true),
        (r#"{"val":"!takedown"}"#, true),
    ] {
        let edited = body.replacen(
            r#""viewer":{},"labels":[]"#,
            &format!(r#""viewer":{{}},"labels":[{label}]"#),
            1,
        );
        assert_ne!(edited, body, "the sample changed shape");
        let verdict = appview::parse_thread(did, rkey, &answer("u", 200, edited.as_bytes()), false);
        assert_eq!(
            verdict.outcome() == Some(CheckOutcome::Gone),
            gone,
            "{label}: {verdict:?}"
        );
    }
    let restricted = String::from_utf8(sample_body(
        "postview-3lhmggpkbw22v-images-no-unauthenticated.json",
    ))
    .expect("utf-8")
    .replacen(
        r#""val":"!no-unauthenticated""#,
        r#""val":"!no-unauthenticated","neg":true"#,
        1,
    );
    assert!(
        restricted.contains(r#""neg":true"#),
        "the sample changed shape"
    );
    let body = format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{restricted},"replies":[]}}}}"#
    );
    let c = live(appview::parse_thread(
        "did:plc:z7ja7uhcr5is6uqmnsjyn3k7",
        "3lhmggpkbw22v",
        &answer("u", 200, body.as_bytes()),
        false,
    ));
    assert_eq!(c.text.as_deref(), Some("It was time to go M1 to M4"));
}
