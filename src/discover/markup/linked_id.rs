//! Click-to-play players that keep a bare post id in an attribute and stand beside a link to that
//! very post: `<a href="https://www.youtube.com/watch?v=ID"><img …></a>` (the poster, which is a
//! link where no script runs) and `<div class="video" data-video-id="ID"></div>`, which the
//! page's script makes the player (mozilla.org's feature pages). The element is named for nothing,
//! so the reader of elements named for a platform does not read it, and a bare id alone says
//! nothing: CNN's own players keep their ids in `data-video-id` too. The link beside it, to a post
//! of that id on the platform whose elements keep ids in that attribute, says whose id it is.

use std::sync::LazyLock;

use url::Url;

use super::{Candidate, absolute, named};
use crate::discover::tag::{StartTag, enclosing_start_tag, read_start_tag};
use crate::model::Recognised;
use crate::platforms::markup::OnePost;

/// How far from the element, before its start tag or after it, the link may stand: a card's
/// markup (a poster link, a heading, a caption), not the page's.
const MAX_LINK_DISTANCE: usize = 2048;

/// The most places the id is looked up at in the bytes around the element.
const MAX_OCCURRENCES: usize = 16;

/// Every attribute a platform's elements keep a bare post id in (of the platforms whose ids have
/// a shape of their own: `Naming::id_url`).
static ID_ATTRS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all: Vec<&'static str> = crate::platforms::declared()
        .namings
        .iter()
        .filter(|n| n.id_url.is_some())
        .flat_map(|n| n.id_attrs.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
});

/// The embed a start tag names by a bare id in one of a platform's id attributes, when a link
/// within [`MAX_LINK_DISTANCE`] bytes of it (in `html`) goes to that platform's post of that id.
/// The bytes around the element looked through come out of `budget`: a page of a million such
/// elements is not read a million times over.
pub(crate) fn read(
    html: &[u8],
    tag: &StartTag<'_>,
    base: &Url,
    recognise: &dyn Fn(&Url) -> Option<Recognised>,
    budget: &mut usize,
) -> Option<Candidate> {
    if named::is_card(&tag.name) || !named::is_container(&tag.name) {
        return None;
    }
    // Most tags the scan steps over hold none of these attributes: one pass over their names.
    if !tag
        .attrs
        .iter()
        .any(|(name, _)| ID_ATTRS.contains(&&**name))
    {
        return None;
    }
    for naming in &crate::platforms::declared().namings {
        let Some(id_url) = naming.id_url else {
            continue;
        };
        for attr in naming.id_attrs {
            let Some(id) = tag
                .attr(attr)
                .and_then(|v| std::str::from_utf8(v).ok())
                .map(str::trim)
            else {
                continue;
            };
            // Only an id of the platform's shape is looked for.
            if id_url(id).is_none() {
                continue;
            }
            let window = tag.end.saturating_add(MAX_LINK_DISTANCE).min(html.len())
                - tag.start.saturating_sub(MAX_LINK_DISTANCE);
            if *budget < window {
                return None;
            }
            *budget -= window;
            let Some(link) = link_beside(html, tag, id, base, &|url| {
                recognise(url).is_some_and(|r| {
                    r.platform == naming.platform
                        && r.kind.is_post()
                        && r.post_id.as_deref() == Some(id)
                })
            }) else {
                continue;
            };
            let mut candidate = Candidate::new(vec![link], format!("{}[{attr}]", tag.name))?;
            candidate.post_only = true;
            candidate.platforms = vec![naming.platform];
            candidate.one_post = OnePost::First;
            return Some(candidate);
        }
    }
    None
}

/// The address of a link (`<a href>`) within [`MAX_LINK_DISTANCE`] bytes of `tag` whose address
/// holds `id` and is `wanted`.
fn link_beside(
    html: &[u8],
    tag: &StartTag<'_>,
    id: &str,
    base: &Url,
    wanted: &dyn Fn(&Url) -> bool,
) -> Option<Url> {
    let from = tag.start.saturating_sub(MAX_LINK_DISTANCE);
    let to = tag.end.saturating_add(MAX_LINK_DISTANCE).min(html.len());
    let window = &html[from..to];
    memchr::memmem::find_iter(window, id.as_bytes())
        .map(|at| from + at)
        // The element's own attribute is not a link.
        .filter(|&at| at < tag.start || at >= tag.end)
        .take(MAX_OCCURRENCES)
        .find_map(|at| {
            let lt = enclosing_start_tag(html, at, from)?;
            // Read within the window: a tag left open there is not a link.
            let link = read_start_tag(&html[..to], lt)
                .filter(|t| t.closed && t.name == "a" && t.end > at)?;
            let href = std::str::from_utf8(link.attr("href")?).ok()?;
            let url = absolute(base, &crate::discover::entity::decode(href))?;
            wanted(&url).then_some(url)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://www.mozilla.org/en-US/firefox/developer/").expect("base")
    }

    /// The ids the scan finds on a page, with their evidence.
    fn found(html: &str) -> Vec<(String, String)> {
        crate::discover::discover(html, &base())
            .embeds
            .into_iter()
            .map(|e| (e.post_id.unwrap_or_default(), e.evidence))
            .collect()
    }

    /// mozilla.org's Firefox Developer Edition page, 2014 (readability.php's test page
    /// `mozilla-2`): each feature's poster links to its video, and the page's script plays it in
    /// the element beside it.
    #[test]
    fn an_id_beside_a_link_to_its_post_is_the_embed() {
        let html = r#"<ul class="features"><li class="feature">
            <a href="https://www.youtube.com/watch?v=1R9_WdXwUsE" rel="external" class="video-play"><img src="webide.jpg" alt="Screenshot"></a>
            <h2>WebIDE</h2>
            <div class="responsive-video-container"><div class="video" data-video-id="1R9_WdXwUsE"></div></div>
            </li></ul>"#;
        assert_eq!(
            found(html),
            [("1R9_WdXwUsE".to_owned(), "div[data-video-id]".to_owned())]
        );
    }

    /// A bare id with no link to its post beside it, or beside a link to another video, or to a
    /// page of another site holding the id, or too far away, names nothing.
    #[test]
    fn an_id_without_its_link_names_nothing() {
        let far = format!(
            r#"<a href="https://www.youtube.com/watch?v=1R9_WdXwUsE">v</a><p>{}</p><div class="video" data-video-id="1R9_WdXwUsE"></div>"#,
            "words ".repeat(500)
        );
        for html in [
            r#"<div class="video" data-video-id="1R9_WdXwUsE"></div>"#,
            r#"<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">v</a><div class="video" data-video-id="1R9_WdXwUsE"></div>"#,
            r#"<a href="https://news.example/videos/1R9_WdXwUsE">v</a><div class="video" data-video-id="1R9_WdXwUsE"></div>"#,
            r#"<p>1R9_WdXwUsE</p><div class="video" data-video-id="1R9_WdXwUsE"></div>"#,
            // CNN's players keep ids of their own.
            r#"<div class="media__video--thumbnail" data-video-id="politics/2023/01/01/a.cnn"></div>"#,
            far.as_str(),
        ] {
            assert_eq!(found(html), [], "{html}");
        }
    }
}
