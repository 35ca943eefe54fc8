//! Embed forms that are a plain element plus a platform script: anchors and containers each
//! platform declares by class or attribute, or by a tag name of its own (timelines, pins,
//! SDK-filled posts), and WordPress embed blocks holding a bare URL. Timelines and profile
//! widgets are reported with their widget kind and no post id; share/follow/like buttons are not
//! embeds and are never read here.

use scraper::{ElementRef, Node};
use url::Url;

use super::{Candidate, absolute, has_class};

/// The class of WordPress's embed blocks (and, as a prefix, of their inner wrapper).
pub(crate) const WP_EMBED: &str = "wp-block-embed";

pub(super) fn read_anchor(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let form = crate::platforms::declared()
        .anchors
        .iter()
        .find(|f| f.marker.marks(el))?;
    (form.read)(el, base)
}

/// A `<script>` that loads a player where it stands, by the forms the platforms declare.
pub(super) fn read_script(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    crate::platforms::declared()
        .scripts
        .iter()
        .filter(|f| f.marker.marks(el))
        .find_map(|f| (f.read)(el, base))
}

/// The single URL an element holds as its only content (WordPress embed blocks), if any.
fn sole_url(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    let mut text = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => text.push_str(t),
            Node::Comment(_) => {}
            _ => return None,
        }
    }
    let text = text.trim();
    if text.is_empty() || text.contains(char::is_whitespace) {
        return None;
    }
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    absolute(base, text)
}

/// Whether `name` (lowercase) is the tag name of a container a platform declares by its own
/// element rather than by a class.
pub(crate) fn is_tag_container(name: &str) -> bool {
    crate::platforms::declared()
        .container_tags()
        .any(|t| t == name)
}

pub(super) fn read_container(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    if let Some(form) = crate::platforms::declared()
        .containers
        .iter()
        .find(|f| f.marker.marks(el))
    {
        return (form.read)(el, base);
    }
    if has_class(el, "wp-block-embed__wrapper") || has_class(el, WP_EMBED) {
        let url = sole_url(el, base)?;
        return Candidate::new(vec![url], "figure.wp-block-embed");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EmbedKind;
    use scraper::Html;

    fn read_first(html: &str) -> Option<Candidate> {
        let doc = Html::parse_fragment(html);
        let base = Url::parse("https://news.example/a").unwrap();
        doc.root_element()
            .descendent_elements()
            .find_map(|el| match el.value().name() {
                "a" => read_anchor(el, &base),
                "div" | "figure" => read_container(el, &base),
                _ => None,
            })
    }

    #[test]
    fn widget_forms() {
        type Case = (&'static str, &'static str, &'static str, Option<EmbedKind>);
        let cases: &[Case] = &[
            (
                r#"<a class="twitter-timeline" data-widget-id="1" href="https://twitter.com/Regards_fr">Tweets</a>"#,
                "a.twitter-timeline",
                "https://twitter.com/Regards_fr",
                Some(EmbedKind::ProfileTimeline),
            ),
            (
                r#"<a class="twitter-timeline" href="https://twitter.com/CBS/lists/newsroom">List</a>"#,
                "a.twitter-timeline",
                "https://twitter.com/CBS/lists/newsroom",
                Some(EmbedKind::ListTimeline),
            ),
            (
                r#"<a data-pin-do="embedUser" href="http://www.pinterest.com/selfmagazine/"></a>"#,
                "a[data-pin-do=embedUser]",
                "http://www.pinterest.com/selfmagazine/",
                Some(EmbedKind::Profile),
            ),
            (
                r#"<a data-pin-do="embedPin" href="https://www.pinterest.com/pin/99/"></a>"#,
                "a[data-pin-do=embedPin]",
                "https://www.pinterest.com/pin/99/",
                None,
            ),
            (
                r#"<div class="fb-post" data-href="https://www.facebook.com/u/posts/123" data-width="500"><blockquote cite="x" class="fb-xfbml-parse-ignore">t</blockquote></div>"#,
                "div.fb-post",
                "https://www.facebook.com/u/posts/123",
                None,
            ),
            (
                r#"<div class="fb-video" data-href="https://www.facebook.com/u/videos/9/"></div>"#,
                "div.fb-video",
                "https://www.facebook.com/u/videos/9/",
                None,
            ),
            (
                r#"<div class="tumblr-post" data-href="https://embed.tumblr.com/embed/post/t:k/1/v2"><a href="https://www.tumblr.com/blog/123">x</a></div>"#,
                "div.tumblr-post",
                "https://www.tumblr.com/blog/123",
                None,
            ),
            (
                "<figure class=\"wp-block-embed is-provider-twitter\"><div class=\"wp-block-embed__wrapper\">\nhttps://twitter.com/a/status/5\n</div></figure>",
                "figure.wp-block-embed",
                "https://twitter.com/a/status/5",
                None,
            ),
        ];
        for (html, evidence, url, kind) in cases {
            let c = read_first(html).unwrap_or_else(|| panic!("no candidate: {html}"));
            assert_eq!(c.evidence, *evidence, "{html}");
            assert_eq!(c.urls[0].as_str(), *url, "{html}");
            assert_eq!(c.widget.map(|w| w.kind), *kind, "{html}");
        }
    }

    #[test]
    fn buttons_and_pages_are_not_embeds() {
        for html in [
            r#"<a data-pin-do="buttonPin" href="https://www.pinterest.com/pin/create/button/"></a>"#,
            r#"<a class="twitter-share-button" href="https://twitter.com/share">Tweet</a>"#,
            r#"<a class="twitter-follow-button" href="https://twitter.com/u">Follow</a>"#,
            r#"<div class="fb-like" data-href="https://www.facebook.com/u"></div>"#,
            r#"<div class="fb-page" data-href="https://www.facebook.com/u"></div>"#,
            r#"<figure class="wp-block-embed"><div class="wp-block-embed__wrapper"><iframe src="x"></iframe></div></figure>"#,
            r#"<a href="https://twitter.com/u/status/1">a plain link</a>"#,
        ] {
            assert!(read_first(html).is_none(), "{html}");
        }
    }
}
