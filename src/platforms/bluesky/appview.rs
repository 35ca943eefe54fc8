//! Bluesky's public AppView (`public.api.bsky.app`, no account needed): the three requests the
//! resolver makes and the classifier of each answer.
//!
//! - `com.atproto.identity.resolveHandle`: a handle's DID. Its own `InvalidRequest` error ("Unable
//!   to resolve handle") says no account answers to the handle any more (deleted, deactivated or
//!   renamed): gone, with that evidence. Anything else is transient.
//! - `app.bsky.feed.getPostThread`: the post. `#threadViewPost` is live (when it names the post
//!   asked for and one of its fields); `#notFoundPost`, `#blockedPost`, the AppView's own HTTP 400
//!   `NotFound` error and a `!takedown` label are gone. Every other answer is transient.
//! - `app.bsky.feed.getPosts`: the same post view in a list that silently omits posts it cannot
//!   show; asked only when the thread gave no verdict. An answer without the post is gone.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::post_view::PostView;
use crate::model::Resolution;
use crate::platforms::lenient_json::{
    NotAnObject, object, object_from_slice, object_items, scalar,
};
use crate::platforms::readers::constant_url;
use crate::platforms::source::{Answer, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of `getPostThread`.
pub const THREAD: &str = "bluesky-thread";
/// Source name of `getPosts`.
pub const POSTS: &str = "bluesky-posts";
/// Source name of `resolveHandle`.
pub const HANDLE: &str = "bluesky-handle";

/// What makes a post view a live post: a real one names its author and date, and its text or
/// media.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// The XRPC error object every AppView error answer carries.
const OWN_ERROR: &[OwnBody] = &[OwnBody::JsonWith(&["error", "message"])];

/// The AT-URI of post `rkey` of `did`.
pub fn at_uri(did: &str, rkey: &str) -> String {
    format!("at://{did}/app.bsky.feed.post/{rkey}")
}

/// `getPostThread` for one post, without parents or replies.
pub fn thread_url(at_uri: &str) -> Url {
    let mut url = constant_url("https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread");
    url.query_pairs_mut()
        .append_pair("uri", at_uri)
        .append_pair("depth", "0")
        .append_pair("parentHeight", "0");
    url
}

/// `getPosts` for one post.
pub fn posts_url(at_uri: &str) -> Url {
    let mut url = constant_url("https://public.api.bsky.app/xrpc/app.bsky.feed.getPosts");
    url.query_pairs_mut().append_pair("uris", at_uri);
    url
}

/// `resolveHandle` for one handle.
pub fn handle_url(handle: &str) -> Url {
    let mut url =
        constant_url("https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle");
    url.query_pairs_mut().append_pair("handle", handle);
    url
}

/// The AT-URI an error message names (`Post not found: at://did:plc:…/app.bsky.feed.post/RKEY`),
/// if it names one.
fn named_at_uri(message: &str) -> Option<&str> {
    let start = message.find("at://")?;
    let rest = &message[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')'))
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.'))
}

/// The `error` and `message` of an XRPC error body (read in place, as every answer here).
fn xrpc_error(body: &[u8]) -> (String, String) {
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct XrpcError {
        #[serde(deserialize_with = "scalar")]
        error: Option<String>,
        #[serde(deserialize_with = "scalar")]
        message: Option<String>,
    }
    let read: XrpcError = object_from_slice(body).unwrap_or_default();
    (
        read.error.unwrap_or_default(),
        read.message.unwrap_or_default(),
    )
}

/// The JSON object of a 200 answer read as `T`, or the evidence of why there is none. Read in
/// place, field by field (`lenient_json`): a generic JSON value of an answer of many facets
/// would take many times its size.
fn json_object<T: DeserializeOwned>(source: &str, answer: &Answer) -> Result<T, String> {
    object_from_slice(&answer.body).map_err(|e| match e {
        NotAnObject::OtherJson => format!("{source} answered JSON that is not an object"),
        NotAnObject::NotJson(e) => format!(
            "non-JSON answer from {source} (content-type {}): {e}",
            answer.content_type.as_deref().unwrap_or("none")
        ),
    })
}

/// The fields of a `getPostThread` answer the classifier reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThreadAnswer {
    #[serde(deserialize_with = "object")]
    thread: Option<ThreadView>,
}

/// A thread view: `#threadViewPost`, `#notFoundPost` or `#blockedPost`, of the post `uri`.
/// Its parents and replies are skipped unread.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThreadView {
    #[serde(rename = "$type", deserialize_with = "scalar")]
    kind: Option<String>,
    #[serde(deserialize_with = "scalar")]
    uri: Option<String>,
    #[serde(deserialize_with = "object")]
    post: Option<PostView>,
}

/// The fields of a `getPosts` answer the classifier reads: its list, with the items that are
/// no post view kept as `None` (counted in the evidence).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostsAnswer {
    #[serde(deserialize_with = "object_items")]
    posts: Option<Vec<Option<PostView>>>,
}

/// The DID a handle resolves to, or the verdict when it resolves to none (boxed: a verdict is
/// large next to a DID).
pub fn parse_handle(handle: &str, answer: &Answer) -> Result<String, Box<Resolution>> {
    check_status(HANDLE, answer).map_err(|e| Box::new(e.into_transient()))?;
    match answer.status {
        200 => {}
        400 => {
            let (error, message) = xrpc_error(&answer.body);
            let verdict = if error == "InvalidRequest" {
                verdict::gone_if_own_answer(HANDLE, answer, OWN_ERROR, || {
                    format!(
                        "handle {handle:?} resolves to no account (deleted, deactivated or \
                         renamed): {HANDLE} said {error}: {message}"
                    )
                })
            } else {
                Resolution::transient(HANDLE, verdict::not_own_answer(HANDLE, answer))
            };
            return Err(Box::new(verdict));
        }
        other => {
            return Err(Box::new(Resolution::transient(
                HANDLE,
                format!("HTTP {other} from {HANDLE} for handle {handle:?}"),
            )));
        }
    }
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Resolved {
        #[serde(deserialize_with = "scalar")]
        did: Option<String>,
    }
    let read: Resolved =
        json_object(HANDLE, answer).map_err(|e| Box::new(Resolution::transient(HANDLE, e)))?;
    match read.did {
        Some(did) if is_did(&did) => Ok(did),
        _ => Err(Box::new(Resolution::transient(
            HANDLE,
            format!("answer from {HANDLE} for handle {handle:?} names no DID"),
        ))),
    }
}

/// `did:METHOD:ID` with the characters a DID may have (it goes into an AT-URI).
pub fn is_did(s: &str) -> bool {
    s.strip_prefix("did:").is_some_and(|rest| {
        rest.contains(':')
            && rest.len() <= 2048
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'_' | b'-' | b'%'))
    })
}

/// Classify one `getPostThread` answer for post `rkey` of `did`.
pub fn parse_thread(
    did: &str,
    rkey: &str,
    answer: &Answer,
    show_restricted_text: bool,
) -> Resolution {
    if let Err(e) = check_status(THREAD, answer) {
        return e.into_transient();
    }
    match answer.status {
        200 => {}
        400 => {
            let (error, message) = xrpc_error(&answer.body);
            if error != "NotFound" {
                return Resolution::transient(THREAD, verdict::not_own_answer(THREAD, answer));
            }
            // The AppView names the post it did not find ("Post not found: at://…"): a
            // NotFound of another post says nothing of this one.
            let asked = at_uri(did, rkey);
            if let Some(named) = named_at_uri(&message)
                && named != asked
            {
                return Resolution::transient(
                    THREAD,
                    format!("{THREAD} said NotFound about {named}, not {asked}"),
                );
            }
            return verdict::gone_if_own_answer(THREAD, answer, OWN_ERROR, || {
                format!("{THREAD} said NotFound: {message}")
            });
        }
        other => return Resolution::transient(THREAD, format!("HTTP {other} from {THREAD}")),
    }
    let answer_read: ThreadAnswer = match json_object(THREAD, answer) {
        Ok(v) => v,
        Err(evidence) => return Resolution::transient(THREAD, evidence),
    };
    let Some(thread) = answer_read.thread else {
        return Resolution::transient(THREAD, format!("answer from {THREAD} has no thread"));
    };
    // A thread view names the post it is about (`uri`): a not-found or blocked view of another
    // post says nothing of this one.
    let asked = at_uri(did, rkey);
    let about_asked = thread.uri.as_deref() == Some(asked.as_str());
    // Until April 2023 the thread views were defined in `app.bsky.feed.getPostThread` itself
    // (`app.bsky.feed.getPostThread#threadViewPost`); recordings of that time still name them so.
    match thread.kind.as_deref() {
        Some(
            "app.bsky.feed.defs#threadViewPost" | "app.bsky.feed.getPostThread#threadViewPost",
        ) => {}
        Some(
            kind @ ("app.bsky.feed.defs#notFoundPost"
            | "app.bsky.feed.getPostThread#notFoundPost"
            | "app.bsky.feed.defs#blockedPost"),
        ) if !about_asked => {
            return Resolution::transient(
                THREAD,
                format!(
                    "{THREAD} answered {kind} about {}, not {asked}",
                    thread.uri.as_deref().unwrap_or("(no uri)")
                ),
            );
        }
        Some("app.bsky.feed.defs#notFoundPost" | "app.bsky.feed.getPostThread#notFoundPost") => {
            return Resolution::gone(
                THREAD,
                format!("{THREAD} answered notFoundPost for at://{did}/app.bsky.feed.post/{rkey}"),
            );
        }
        Some("app.bsky.feed.defs#blockedPost") => {
            return Resolution::gone(
                THREAD,
                format!(
                    "{THREAD} answered blockedPost for at://{did}/app.bsky.feed.post/{rkey}: \
                     not shown to logged-out readers"
                ),
            );
        }
        other => {
            return Resolution::transient(
                THREAD,
                format!("unknown thread type {other:?} from {THREAD}"),
            );
        }
    }
    let Some(post) = thread.post else {
        return Resolution::transient(THREAD, format!("answer from {THREAD} has no readable post"));
    };
    classify_view(THREAD, did, rkey, &post, answer, show_restricted_text)
}

/// Classify one `getPosts` answer for post `rkey` of `did`.
pub fn parse_posts(
    did: &str,
    rkey: &str,
    answer: &Answer,
    show_restricted_text: bool,
) -> Resolution {
    if let Err(e) = check_status(POSTS, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        let (error, message) = xrpc_error(&answer.body);
        return Resolution::transient(
            POSTS,
            if error.is_empty() {
                verdict::not_own_answer(POSTS, answer)
            } else {
                format!("HTTP {} from {POSTS}: {error}: {message}", answer.status)
            },
        );
    }
    let answer_read: PostsAnswer = match json_object(POSTS, answer) {
        Ok(v) => v,
        Err(evidence) => return Resolution::transient(POSTS, evidence),
    };
    let Some(posts) = answer_read.posts else {
        return Resolution::transient(POSTS, format!("answer from {POSTS} has no posts list"));
    };
    // Only the post asked for is asked for: the list holds it, or is empty when the post is
    // not there to show. A list of anything else (an item it cannot read, another post) says
    // nothing of this post.
    if posts.is_empty() {
        return Resolution::gone(
            POSTS,
            format!(
                "{POSTS} omitted {}: deleted, taken down or not public",
                at_uri(did, rkey)
            ),
        );
    }
    let count = posts.len();
    let found = posts.into_iter().flatten().find(|p| p.is_post(did, rkey));
    match found {
        Some(post) => classify_view(POSTS, did, rkey, &post, answer, show_restricted_text),
        None => Resolution::transient(
            POSTS,
            format!(
                "{POSTS} answered {} item(s), none of them a readable view of {}",
                count,
                at_uri(did, rkey)
            ),
        ),
    }
}

fn classify_view(
    source: &str,
    did: &str,
    rkey: &str,
    post: &PostView,
    answer: &Answer,
    show_restricted_text: bool,
) -> Resolution {
    if !post.is_post(did, rkey) {
        return Resolution::transient(
            source,
            format!(
                "{source} answered about {:?}, not {}",
                post.uri.as_deref().unwrap_or("no uri"),
                at_uri(did, rkey)
            ),
        );
    }
    if post.taken_down() {
        return Resolution::gone(
            source,
            format!("{source}: the post carries a !takedown label"),
        );
    }
    if post.restricted() && !show_restricted_text {
        tracing::info!(
            uri = %at_uri(did, rkey),
            "bluesky post labelled !no-unauthenticated or !hide: archived without its text"
        );
    }
    let mut content = post.content(source, show_restricted_text);
    content.raw = vec![answer.raw()];
    verdict::live(content, IDENTIFYING)
}
