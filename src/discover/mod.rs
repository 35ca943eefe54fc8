//! `discover` finds the embeds in an article's HTML and the remnants of embeds that decayed into
//! text. It is pure: it opens no socket and touches no database. Everything platform-specific
//! comes from the platform modules in `platforms/`: their recognisers (URL shapes) and their
//! markup declarations (the forms their embeds take, what those say, the text they decay into);
//! this module holds the mechanism and names no platform's markup.
//!
//! How: a byte-level prefilter ([`prefilter`], built from the declarations) finds the few places
//! an embed can start and the scan ([`scan`]) parses only those regions; per-form readers
//! ([`markup`]) apply the declared forms to say which URL each form embeds and what its fallback
//! markup says; hidden copies (script strings, textareas, escaped
//! attributes) are decoded ([`hidden`]) and scanned again; the recognisers name platform, kind and
//! id; duplicates merge ([`dedupe`]). It must never panic on hostile input, never recurse over the
//! DOM, and stay linear in the page size, in time and in memory: it keeps at most
//! [`MAX_CANDIDATES`] embed forms and [`MAX_REMNANTS`] remnants of a page, and says so in
//! [`Discovery::truncated`].

mod ancestors;
mod collapse;
mod dedupe;
mod element_tree;
mod entity;
mod hidden;
mod light;
mod light_tree;
mod markup;
mod page_data;
mod prefilter;
pub mod remnant;
mod scan;
mod tag;
mod text;
mod windows;
mod wrappers;

use url::Url;

use crate::model::{EmbedRef, Recognised, Remnant};
use crate::platforms::markup::OnePost;
use markup::Candidate;
use scan::Found;

pub use remnant::MAX_REMNANTS;
pub use scan::MAX_CANDIDATES;

/// What discovery found in one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovery {
    /// The page's `<title>` (or og:title), whitespace collapsed.
    pub title: Option<String>,
    /// One entry per distinct embedded post or widget, in page order.
    pub embeds: Vec<EmbedRef>,
    pub remnants: Vec<Remnant>,
    /// Discovery did not read the whole page. Either the page held more than
    /// [`MAX_CANDIDATES`] embed forms (counted before duplicates merge): discovery stopped at
    /// the element where the cap was reached, `embeds` holds those before it and `remnants`
    /// come only from the text before it. Or its text held more than [`MAX_REMNANTS`]
    /// remnants: `remnants` holds the first ones found. Or an element that may be an embed
    /// was left unread because a tag in it had more attributes than any real tag
    /// ([`crate::model::start_tag::MAX_ATTRIBUTES`]), or read only in part because its
    /// elements nested deeper than a region is parsed (256 levels), or ran on past a region's
    /// bytes (512 KiB) without its end tag while the page went on. Or a script held element
    /// trees (`element_tree`) whose data could not be read whole.
    pub truncated: bool,
}

/// Why an embed form found on a page was not reported. Discovery itself never fails; these are
/// logged at debug level so an operator can see which forms were dropped.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// An embed form whose URLs no platform recogniser claims.
    #[error("{evidence} embeds {url}, which no platform recogniser claims")]
    Unrecognised { evidence: String, url: String },
    /// A bare URL paragraph (or an element named for a platform) whose URLs name no single
    /// post (only posts auto-embed).
    #[error("{url} is not a single post")]
    BareNotPost { url: String },
    /// An element named for a platform that links to several posts: it embeds none of them.
    #[error("{evidence} names more than one post, or more than a post")]
    NotOnePost { evidence: String },
}

/// Find every embed and remnant in article HTML. `base_url` resolves relative and
/// protocol-relative URLs.
pub fn discover(html: &str, base_url: &Url) -> Discovery {
    discover_with(html, base_url, &crate::platforms::recognise)
}

/// [`discover`] with the URL recogniser passed in (tests use a small fixed one).
pub(crate) fn discover_with(
    html: &str,
    base_url: &Url,
    recognise: &dyn Fn(&Url) -> Option<Recognised>,
) -> Discovery {
    // Relative addresses resolve as the browser resolves them: against the page's `<base>`.
    let base_url = &crate::model::document_base(html.as_bytes(), base_url);
    let scan = scan::scan(html, base_url, recognise);
    if let Some(cut) = scan.cut_at {
        tracing::debug!(
            cut,
            max = MAX_CANDIDATES,
            "too many embed forms; the rest of the page is not read"
        );
    }
    let mut skip = scan.invisible;
    // Text past the cut may be the fallback text of embeds that were not read, which would
    // show as remnants.
    skip.extend(scan.cut_at.map(|cut| cut..html.len()));
    let mut embeds = Vec::new();
    for found in scan.found {
        let span = found.span.clone();
        match to_embed(found, recognise) {
            Ok(embed) => {
                skip.extend(span.clone());
                embeds.push((span, embed));
            }
            Err(err) => tracing::debug!(%err, "embed form skipped"),
        }
    }
    let (remnants, remnants_left_out) = windows::remnants(html, skip);
    Discovery {
        title: text::title(html),
        embeds: dedupe::dedupe(wrappers::merge_into_players(embeds)),
        remnants,
        truncated: scan.cut_at.is_some()
            || scan.crowded.get()
            || scan.cut_deep
            || remnants_left_out,
    }
}

/// Find remnants of broken embeds in plain text (at most [`MAX_REMNANTS`]).
pub fn remnants_in_text(text: &str) -> Vec<Remnant> {
    remnant::find_remnants(text)
}

/// [`remnants_in_text`], and whether the text held more than [`MAX_REMNANTS`] (the rest were
/// left out), as [`Discovery::truncated`] says it of a page.
pub fn remnants_in_text_capped(text: &str) -> (Vec<Remnant>, bool) {
    remnant::find_remnants_capped(text)
}

/// Whether the URL's host is `domain` or a subdomain of it.
fn host_within(url: &Url, domain: &str) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.').to_ascii_lowercase();
        h == domain || h.ends_with(&format!(".{domain}"))
    })
}

/// Whether a URL's path may be a page's address as a site writes it, not a stretch of script
/// that builds one (`/'.concat(e,'/` of a template string a script holds): quotes, parentheses,
/// braces, backticks and semicolons stand in no social site's page addresses. Read only where no
/// recogniser claims the URL (a widget keyed by its address), since a recogniser checks its own
/// shapes.
fn is_address_path(url: &Url) -> bool {
    let path = url.path();
    let upper = path.to_ascii_uppercase();
    !path.contains(['\'', '(', ')', ';', '$'])
        && !["%22", "%27", "%3C", "%3E", "%5C", "%60", "%7B", "%7D"]
            .iter()
            .any(|e| upper.contains(e))
}

/// Name the platform, kind and id of a found form through the recognisers.
fn to_embed(
    found: Found,
    recognise: &dyn Fn(&Url) -> Option<Recognised>,
) -> Result<EmbedRef, DiscoverError> {
    let Found {
        candidate,
        location,
        markup,
        ..
    } = found;
    let Candidate {
        urls,
        evidence,
        mut reading,
        widget,
        post_only,
        platforms,
        one_post,
    } = candidate;
    let first_url = urls.first().map(Url::to_string).unwrap_or_default();
    // The URL the embed was recognised from, which may say more than its canonical form.
    let source: Option<&Url>;
    let recognised = if post_only {
        let accepted = |r: &Recognised| {
            r.post_id.is_some()
                && r.kind.is_post()
                && (platforms.is_empty() || platforms.contains(&r.platform))
        };
        let all: Vec<Option<Recognised>> = urls.iter().map(recognise).collect();
        let at = all.iter().position(|r| r.as_ref().is_some_and(accepted));
        source = at.and_then(|i| urls.get(i));
        let first = at.and_then(|i| all[i].clone());
        let same = |r: &Recognised, first: &Recognised| {
            r.platform == first.platform && r.post_id == first.post_id
        };
        let agree = first.as_ref().is_none_or(|first| match one_post {
            OnePost::First => true,
            OnePost::Agreed => all
                .iter()
                .flatten()
                .filter(|r| accepted(r))
                .all(|r| same(r, first)),
            OnePost::AgreedAcrossPlatforms => all
                .iter()
                .flatten()
                .filter(|r| r.post_id.is_some() && r.kind.is_post())
                .all(|r| same(r, first)),
            OnePost::Only => all
                .iter()
                .all(|r| r.as_ref().is_some_and(|r| same(r, first))),
        });
        if !agree {
            return Err(DiscoverError::NotOnePost { evidence });
        }
        Some(first.ok_or_else(|| DiscoverError::BareNotPost {
            url: first_url.clone(),
        })?)
    } else {
        let found = urls.iter().find_map(|u| recognise(u).map(|r| (r, u)));
        source = found.as_ref().map(|(_, u)| *u);
        found.map(|(r, _)| r)
    };
    let (platform, kind, post_url, post_id) = match (recognised, widget) {
        (Some(r), Some(w)) if r.post_id.is_none() => (r.platform, w.kind, r.canonical_url, None),
        (Some(r), _) => (r.platform, r.kind, r.canonical_url, r.post_id),
        (None, Some(w)) => {
            // A widget whose URL no recogniser claims: key it by the URL without its query.
            let url = urls
                .iter()
                .find(|u| w.hosts.iter().any(|h| host_within(u, h)) && is_address_path(u))
                .ok_or_else(|| DiscoverError::Unrecognised {
                    evidence: evidence.clone(),
                    url: first_url.clone(),
                })?;
            let mut url = url.clone();
            url.set_query(None);
            url.set_fragment(None);
            if url.scheme() == "http" {
                // Ignoring the error is right: http → https is always a valid scheme change.
                let _ = url.set_scheme("https");
            }
            (w.platform, w.kind, url.to_string(), None)
        }
        (None, None) => {
            return Err(DiscoverError::Unrecognised {
                evidence,
                url: first_url,
            });
        }
    };
    if reading.author_handle.is_none()
        && let Some(handle) = crate::platforms::declared()
            .naming(platform)
            .and_then(|n| n.handle)
    {
        // The form says nothing of the author, but the post's own URL may name the account.
        reading.author_handle = source
            .and_then(handle)
            .or_else(|| Url::parse(&post_url).ok().and_then(|u| handle(&u)));
    }
    Ok(EmbedRef {
        platform,
        kind,
        post_url,
        post_id,
        location,
        evidence,
        markup,
        author_name: reading.author_name,
        author_handle: reading.author_handle,
        text: reading.text,
        published_at: reading.published_at,
    })
}

/// Every page of both corpora (`tests/fixtures/articles`, `articles-unseen`) with its path: the
/// pages on which the tests hold two ways of reading to the same result.
#[cfg(test)]
pub(crate) fn corpus_pages() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages = Vec::new();
    for dir in ["articles", "articles-unseen"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                let html = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                pages.push((path, html));
            }
        }
    }
    pages
}

#[cfg(test)]
mod tests;
