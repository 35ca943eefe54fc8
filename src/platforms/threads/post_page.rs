//! The Threads post page (`https://www.threads.com/@USER/post/CODE`) as a crawler sees it: a
//! head of OpenGraph tags (the body is a script application), read with
//! [`page::meta`](crate::platforms::page::meta).
//!
//! Its answers:
//! - a public post: `og:title` is `"<Display Name> (@<handle>) on Threads"`, the only place the
//!   display name appears, with `og:image`; there is no `og:description`, so no text.
//! - a post that is not public (deleted, login-only, or never there): no `og:title` and no
//!   `og:image`, and `og:url` / the canonical link name the post with an empty handle
//!   (`https://www.threads.com/@/post/CODE`).
//! - anything else (login wall, another page, an error status): transient.

use url::Url;

use crate::model::{MediaRef, PostContent, Resolution};
use crate::platforms::page::{self, meta};
use crate::platforms::readers::snippet;
use crate::platforms::source::Answer;
use crate::platforms::verdict::{self, Field};

use super::is_user;

/// Source name of the post page: the shared `page` source, read the Threads way.
pub const SOURCE: &str = page::SOURCE;

/// The post page names the author; its picture is a rendered card, not the post's media.
const IDENTIFYING: &[Field] = &[Field::Author];

/// What one post page answer says.
#[derive(Debug, Clone, PartialEq)]
pub enum PageAnswer {
    /// A public post's page: its author's display name and handle, and its card picture.
    Named(Resolution),
    /// The page of a post that is not public: an empty handle and no title.
    Hidden { evidence: String },
    /// Nothing can be concluded from this answer.
    Transient(Resolution),
}

/// The post page URL: by user and code, or `/t/CODE` (which Threads redirects to the first).
pub fn url(user: Option<&str>, code: &str) -> Option<Url> {
    let text = match user {
        Some(u) => format!("https://www.threads.com/@{u}/post/{code}"),
        None => format!("https://www.threads.com/t/{code}"),
    };
    Url::parse(&text).ok()
}

/// `"Adam Mosseri (@mosseri) on Threads"` → (`Adam Mosseri`, `mosseri`).
pub fn name_and_handle(title: &str) -> Option<(String, String)> {
    let rest = title.trim().strip_suffix(" on Threads")?;
    let rest = rest.strip_suffix(')')?;
    let (name, handle) = rest.rsplit_once(" (@")?;
    let name = name.trim();
    (is_user(handle) && !name.is_empty()).then(|| (name.to_owned(), handle.to_owned()))
}

/// Classify one post page answer for the post `code`.
pub fn parse(answer: &Answer, requested: &Url, code: &str) -> PageAnswer {
    let transient = |evidence: String| {
        PageAnswer::Transient(Resolution::Transient {
            source: SOURCE.to_owned(),
            evidence,
        })
    };
    let final_url = Url::parse(&answer.url).unwrap_or_else(|_| requested.clone());
    let path = final_url.path().to_ascii_lowercase();
    let host = final_url.host_str().unwrap_or_default();
    if !(host.ends_with("threads.com") || host.ends_with("threads.net")) {
        return transient(format!(
            "{requested} redirected to {final_url}: not Threads"
        ));
    }
    if path.starts_with("/login") || path.starts_with("/accounts/login") {
        return transient(format!(
            "{requested} redirected to {final_url} (login wall)"
        ));
    }
    if answer.status != 200 {
        return transient(format!(
            "HTTP {} from {requested}: {}",
            answer.status,
            snippet(&answer.body)
        ));
    }
    let page = meta::read(&String::from_utf8_lossy(&answer.body), &final_url);
    let named = page.title.as_deref().and_then(name_and_handle);
    let about_code = |u: &Url| {
        let segs: Vec<&str> = u.path_segments().map(|s| s.collect()).unwrap_or_default();
        match segs.as_slice() {
            [user, "post", c, ..] if *c == code => Some(user.trim_start_matches('@').to_owned()),
            _ => None,
        }
    };
    let page_user = page.canonical.as_ref().and_then(about_code);
    match (named, page_user) {
        (Some((name, handle)), Some(user)) if user.eq_ignore_ascii_case(&handle) => {
            let content = PostContent {
                source: SOURCE.to_owned(),
                author_name: Some(name),
                author_url: Some(format!("https://www.threads.com/@{handle}")),
                author_handle: Some(handle),
                media: card_picture(page.media),
                raw: vec![answer.raw()],
                ..PostContent::default()
            };
            PageAnswer::Named(verdict::live(content, IDENTIFYING))
        }
        (None, Some(user)) if user.is_empty() => PageAnswer::Hidden {
            evidence: format!(
                "{requested}: no og:title, and the page names the post with an empty handle ({})",
                page.canonical.as_ref().map(Url::as_str).unwrap_or_default()
            ),
        },
        _ => transient(format!(
            "{requested} names neither the post's author (og:title {:?}) nor an empty handle \
             for post {code} (canonical {:?})",
            page.title,
            page.canonical.as_ref().map(Url::as_str)
        )),
    }
}

/// The page's `og:image`: a picture made for link cards, kept as the only media the page gives.
fn card_picture(media: Vec<MediaRef>) -> Vec<MediaRef> {
    media.into_iter().take(1).collect()
}
