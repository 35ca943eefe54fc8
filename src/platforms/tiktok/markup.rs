//! TikTok's embed markup: the `tiktok-embed` blockquote (its `cite`, its `data-video-id`, its
//! caption and handle), `amp-tiktok`, and the scripts that render them.

use scraper::ElementRef;
use url::Url;

use crate::model::Platform;
use crate::model::markup::{QuoteForm, QuoteParts, ScriptFamily, path_has};
use crate::platforms::markup::reading::{Reading, collapse, descendants, element_text};
use crate::platforms::markup::{
    Candidate, ElementForm, Marker, Markup, Naming, Quote, QuoteReading, amp_id, attr_url,
    handle_in_at_path,
};

/// What TikTok's embeds look like in an article.
pub static MARKUP: Markup = Markup {
    quotes: &[Quote {
        form: QuoteForm {
            class: "tiktok-embed",
            marker_attr: None,
            // `data-embed-type` says whether `data-unique-id` names the account shown.
            post_attrs: &["cite", "data-video-id", "data-unique-id", "data-embed-type"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: read_quote,
    }],
    amp: &[ElementForm {
        marker: Marker::Tag("amp-tiktok"),
        read: read_amp,
    }],
    scripts: &[],
    remnants: &[&super::remnant::FINDER],
    naming: Some(Naming {
        platform: Platform::Tiktok,
        words: &["tiktok"],
        id_attrs: &["data-video-id", "data-embed-id"],
        word_id_attrs: &[],
        spellings: &["TikTok", "tikTok"],
        id_url: Some(video_url),
        handle: Some(handle_in_at_path),
    }),
    ..Markup::NONE
};

/// The embed page of a bare video id (a snowflake of 15 to 21 digits).
fn video_url(id: &str) -> Option<Url> {
    let ok = (15..=21).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Url::parse(&format!("https://www.tiktok.com/embed/v2/{id}")).ok())
        .flatten()
}

/// The scripts that render TikTok's blockquotes.
static SCRIPTS: ScriptFamily = ScriptFamily {
    name: "tiktok",
    scripts: &[
        ("www.tiktok.com", "/embed.js"),
        ("www.tiktok.com", "/embed_v2.js"),
    ],
    on_post_host: None,
    widget_classes: &[],
};

/// A creator embed's account first (`data-unique-id`, the account `embed.js` shows whatever
/// `cite` says), then `cite`, the video links inside, then the embed page of `data-video-id`.
fn quote_urls(parts: &QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    urls.extend(creator_url(parts));
    urls.extend(parts.attr_url("cite"));
    urls.extend(
        parts
            .links
            .iter()
            .filter(|u| path_has(u, &["video", "photo"]))
            .cloned(),
    );
    if let Some(id) = parts.attr("data-video-id").map(str::trim)
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        urls.extend(Url::parse(&format!("https://www.tiktok.com/embed/v2/{id}")).ok());
    }
    urls
}

/// The profile a creator embed (`data-embed-type="creator"`) shows: `embed.js` renders the
/// account its `data-unique-id` names (a TikTok username: letters, digits, `_` and `.`).
fn creator_url(parts: &QuoteParts<'_>) -> Option<Url> {
    if parts.attr("data-embed-type").map(str::trim) != Some("creator") {
        return None;
    }
    let id = parts.attr("data-unique-id")?.trim();
    super::is_user(id)
        .then(|| Url::parse(&format!("https://www.tiktok.com/@{id}")).ok())
        .flatten()
}

/// The caption and handle; the permalink names the account as `/@USER/…` when the markup does
/// not.
fn read_quote(el: ElementRef<'_>, urls: &[Url]) -> QuoteReading {
    let mut reading = reading(el);
    if reading.author_handle.is_none() {
        reading.author_handle = urls.first().and_then(handle_in_at_path);
    }
    QuoteReading {
        reading,
        widget: None,
    }
}

/// AMP takes either the video id or the video URL.
fn read_amp(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let url = match amp_id(el, "data-src") {
        Some(v) if v.bytes().all(|b| b.is_ascii_digit()) => {
            Url::parse(&format!("https://www.tiktok.com/embed/v2/{v}")).ok()
        }
        _ => attr_url(el, base, "data-src"),
    };
    Candidate::new(url.into_iter().collect(), "amp-tiktok")
}

/// TikTok blockquote: `a[title^=@]` handle, `<p>` caption.
pub fn reading(el: ElementRef<'_>) -> Reading {
    Reading {
        author_handle: descendants(el, "a")
            .filter_map(|a| a.value().attr("title"))
            .find_map(|t| t.trim().strip_prefix('@').map(str::to_owned))
            .filter(|h| !h.is_empty()),
        text: descendants(el, "p")
            .next()
            .and_then(|p| collapse(&element_text(p))),
        ..Reading::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first<'a>(html: &'a Html, sel: &str) -> ElementRef<'a> {
        let sel = Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    #[test]
    fn tiktok_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout/video/1"><section><a title="@scout" href="https://www.tiktok.com/@scout?refer=embed">@scout</a><p>Dance  time</p><a title="♬ song" href="x">♬ song</a></section></blockquote>"#,
        );
        let r = reading(first(&html, "blockquote"));
        assert_eq!(r.author_handle.as_deref(), Some("scout"));
        assert_eq!(r.text.as_deref(), Some("Dance time"));
    }

    /// A creator embed shows the account its `data-unique-id` names, even where the publisher's
    /// `cite` names another (sandwichtribunal.com's footer, in the unseen corpus).
    #[test]
    fn a_creator_embed_names_the_account_of_its_unique_id() {
        let base = Url::parse("https://news.example/a").unwrap();
        let urls = |attrs: &[(&str, &str)]| -> Vec<String> {
            let parts = QuoteParts {
                attrs,
                links: &[],
                base: &base,
            };
            quote_urls(&parts).iter().map(Url::to_string).collect()
        };
        let cite = ("cite", "https://www.tiktok.com/@sandwichidiot");
        assert_eq!(
            urls(&[
                cite,
                ("data-unique-id", "sandwichtribunal"),
                ("data-embed-type", "creator")
            ]),
            [
                "https://www.tiktok.com/@sandwichtribunal",
                "https://www.tiktok.com/@sandwichidiot"
            ]
        );
        // Not a creator embed, or not a username: `cite` alone.
        for attrs in [
            [
                cite,
                ("data-unique-id", "other"),
                ("data-embed-type", "video"),
            ],
            [
                cite,
                ("data-unique-id", "a/b?c"),
                ("data-embed-type", "creator"),
            ],
            [
                cite,
                ("data-unique-id", " "),
                ("data-embed-type", "creator"),
            ],
        ] {
            assert_eq!(urls(&attrs), ["https://www.tiktok.com/@sandwichidiot"]);
        }
    }
}
