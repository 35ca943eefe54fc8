//! Instagram's embed markup: the `instagram-media` blockquote (also marked by its
//! `data-instgrm-permalink` alone, where a CMS dropped the class) and what its footer says, the
//! `amp-instagram` component, the iframe `embed.js` leaves behind, and the scripts that render
//! them.

use std::sync::LazyLock;

use regex::Regex;
use scraper::ElementRef;
use url::Url;

use crate::model::markup::{QuoteForm, QuoteParts, ScriptFamily, host_is, path_has};
use crate::model::{EmbedKind, Platform};
use crate::platforms::markup::reading::{
    Reading, collapse, descendants, element_text, parse_rfc3339,
};
use crate::platforms::markup::{
    Candidate, ElementForm, Marker, Markup, Naming, Quote, QuoteReading, Widget, amp_id_candidate,
};

/// What Instagram's embeds look like in an article.
pub static MARKUP: Markup = Markup {
    quotes: &[Quote {
        form: QuoteForm {
            class: "instagram-media",
            marker_attr: Some("data-instgrm-permalink"),
            post_attrs: &["data-instgrm-permalink"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: read_quote,
    }],
    amp: &[ElementForm {
        marker: Marker::Tag("amp-instagram"),
        read: read_amp,
    }],
    frame_classes: &["instagram-media"],
    scripts: &[],
    remnants: &[&super::remnant::FINDER],
    naming: Some(Naming {
        platform: Platform::Instagram,
        words: &["instagram"],
        // `postid`: tarteaucitron.js's consent placeholder `div.instagram_post[postId]`.
        id_attrs: &["data-embed-id", "data-shortcode", "postid"],
        word_id_attrs: &[],
        spellings: &[],
        id_url: Some(post_url),
        handle: None,
    }),
    ..Markup::NONE
};

/// The post URL of a bare shortcode. A number is none: Instagram's numbers are account and
/// media ids (a site-drawn feed's `div#sb_instagram[data-id="28910146"]` names its account),
/// which no post address is made of; shortcodes are the media id in base64's letters.
fn post_url(code: &str) -> Option<Url> {
    let ok = (8..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !code.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Url::parse(&format!("https://www.instagram.com/p/{code}/")).ok())
        .flatten()
}

/// The scripts that render Instagram's blockquotes.
static SCRIPTS: ScriptFamily = ScriptFamily {
    name: "instagram",
    scripts: &[
        ("www.instagram.com", "/embed.js"),
        ("instagram.com", "/embed.js"),
        ("platform.instagram.com", "/embeds.js"),
    ],
    on_post_host: None,
    widget_classes: &[],
};

/// `amp-instagram` names the post by its shortcode.
fn read_amp(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    amp_id_candidate(el, "data-shortcode", "https://www.instagram.com/p/{}/")
}

/// The permalink attribute, then the post links inside the blockquote, then its other
/// Instagram links.
fn quote_urls(parts: &QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    urls.extend(parts.attr_url("data-instgrm-permalink"));
    let ig: Vec<&Url> = parts
        .links
        .iter()
        .filter(|u| host_is(u, "instagram.com") || host_is(u, "instagr.am"))
        .collect();
    urls.extend(
        ig.iter()
            .filter(|u| path_has(u, &["p", "reel", "reels", "tv"]))
            .map(|u| (*u).clone()),
    );
    urls.extend(ig.into_iter().cloned());
    urls
}

/// The footer's reading; a blockquote whose permalink is an account is the profile embed.
fn read_quote(el: ElementRef<'_>, urls: &[Url]) -> QuoteReading {
    let profile = urls
        .first()
        .and_then(|u| u.path_segments())
        .is_some_and(|s| s.filter(|s| !s.is_empty()).count() == 1);
    QuoteReading {
        reading: reading(el),
        widget: profile.then_some(Widget {
            platform: Platform::Instagram,
            kind: EmbedKind::Profile,
            hosts: &["instagram.com"],
        }),
    }
}

/// "(@handle)" at the end of an author line.
static PAREN_HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*@([A-Za-z0-9._]{1,64})\s*\)").unwrap_or_else(|e| panic!("regex: {e}"))
});

/// The lead phrase of Instagram's footer in the languages publishers embed with ("A post shared
/// by", "Ein Beitrag geteilt von", "Une publication partagée par", "Una publicación compartida
/// de", older "A photo posted by" ...), up to where the author's name starts.
static IG_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^.*?\b(?:shared|posted|geteilt|partag[ée]e|compartida|condiviso|compartilhada|partilhada|gedeeld|udost[eę]pniony|sd[ií]len[ýy]|delad|delt|jaettu)\s+(?:by|von|par|de|por|da|door|przez|u[žz]ivatelem|av|af|k[äa]ytt[äa]j[äa]n)\s+",
    )
    .unwrap_or_else(|e| panic!("regex: {e}"))
});

/// The German "Ein von NAME (@handle) geteilter Beitrag" form.
static IG_LEAD_VON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*ein(?:e)?\s+von\s+").unwrap_or_else(|e| panic!("regex: {e}"))
});

/// Split an author line like "A post shared by NAME (@handle) on …" into name and handle.
fn split_author_line(line: &str) -> (Option<String>, Option<String>) {
    let Some(caps) = PAREN_HANDLE.captures(line) else {
        return (None, None);
    };
    let handle = caps.get(1).map(|m| m.as_str().to_owned());
    let before = caps.get(0).map_or("", |m| &line[..m.start()]);
    let name_part = if let Some(m) = IG_LEAD.find(before) {
        &before[m.end()..]
    } else if let Some(m) = IG_LEAD_VON.find(before) {
        &before[m.end()..]
    } else {
        before
    };
    (collapse(name_part), handle)
}

/// Instagram blockquote: caption `<p>` before the footer, footer "A post shared by NAME
/// (@handle)" (localised), `<time datetime>`.
pub fn reading(el: ElementRef<'_>) -> Reading {
    let paragraphs: Vec<ElementRef<'_>> = descendants(el, "p").collect();
    let footer_at = paragraphs
        .iter()
        .rposition(|p| PAREN_HANDLE.is_match(&element_text(*p)));
    let mut reading = Reading::default();
    let Some(footer_at) = footer_at else {
        return reading;
    };
    let footer = paragraphs[footer_at];
    let footer_text = element_text(footer);
    let (mut name, handle) = split_author_line(&footer_text);
    // Older footers wrap only the name in a link: "A post shared by <a>NAME</a> (@handle)".
    if let Some(link_name) = descendants(footer, "a")
        .map(element_text)
        .find(|t| !t.contains("(@"))
        .and_then(|t| collapse(&t))
    {
        name = Some(link_name);
    }
    reading.author_name = name;
    reading.author_handle = handle;
    reading.published_at = descendants(footer, "time")
        .find_map(|t| t.value().attr("datetime"))
        .and_then(parse_rfc3339);
    if footer_at > 0 {
        reading.text = collapse(&element_text(paragraphs[footer_at - 1]))
            .filter(|t| !t.eq_ignore_ascii_case("View this post on Instagram"));
    }
    reading
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use scraper::{Html, Selector};

    fn first<'a>(html: &'a Html, sel: &str) -> ElementRef<'a> {
        let sel = Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    fn date(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_number_is_no_shortcode() {
        assert_eq!(
            post_url("B-_x7aQhYlZ").map(String::from).as_deref(),
            Some("https://www.instagram.com/p/B-_x7aQhYlZ/")
        );
        // A site-drawn feed's account id, and a media id: numbers name no post address.
        assert_eq!(post_url("28910146"), None);
        assert_eq!(post_url("2345678901234567890"), None);
    }

    #[test]
    fn instagram_footers() {
        struct Case {
            html: &'static str,
            name: Option<&'static str>,
            handle: Option<&'static str>,
            text: Option<&'static str>,
            at: Option<&'static str>,
        }
        let cases = [
            Case {
                html: r#"<blockquote class="instagram-media" data-instgrm-captioned><div><a href="x">View this post on Instagram</a><p><a href="x">Sunset   at the
                 beach 🌅</a></p><p>A post shared by <a href="https://www.instagram.com/kira/">Kira Bejaoui</a> (@kirabejaoui) on <time datetime="2019-04-21T11:40:22+00:00">Apr 21, 2019</time></p></div></blockquote>"#,
                name: Some("Kira Bejaoui"),
                handle: Some("kirabejaoui"),
                text: Some("Sunset at the beach 🌅"),
                at: Some("2019-04-21T11:40:22Z"),
            },
            Case {
                html: r#"<blockquote class="instagram-media"><div><a href="x">View this post on Instagram</a><p><a href="x">A post shared by Benjamin Näßler (he/him) (@3ensta)</a></p></div></blockquote>"#,
                name: Some("Benjamin Näßler (he/him)"),
                handle: Some("3ensta"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Ein Beitrag geteilt von SKEP (@skep.association)</a> am <time datetime="2017-10-23T07:31:37+00:00">23. Okt 2017</time></p></blockquote>"#,
                name: Some("SKEP"),
                handle: Some("skep.association"),
                text: None,
                at: Some("2017-10-23T07:31:37Z"),
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Una publicación compartida de Ana (@ana_x)</a></p></blockquote>"#,
                name: Some("Ana"),
                handle: Some("ana_x"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Ein von Max (@max) geteilter Beitrag</a></p></blockquote>"#,
                name: Some("Max"),
                handle: Some("max"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><div><a href="x">View this post on Instagram</a></div></blockquote>"#,
                name: None,
                handle: None,
                text: None,
                at: None,
            },
        ];
        for case in cases {
            let html = Html::parse_fragment(case.html);
            let r = reading(first(&html, "blockquote"));
            assert_eq!(r.author_name.as_deref(), case.name, "{}", case.html);
            assert_eq!(r.author_handle.as_deref(), case.handle, "{}", case.html);
            assert_eq!(r.text.as_deref(), case.text, "{}", case.html);
            assert_eq!(r.published_at, case.at.map(date), "{}", case.html);
        }
    }
}
