//! Remnants: the text an embed leaves behind once its script no longer renders it. A publisher's
//! page keeps the embed's fallback text ("View this post on Instagram … A post shared by NAME
//! (@handle) on DATE", a tweet's "— NAME (@handle) DATE" line, TikTok's "@handle … ♬ sound"),
//! and that text is all that is left to tell which post was there.
//!
//! The phrasing of each platform is that platform's declaration (`platforms::markup::remnant`);
//! this module runs the declared finders over the text in registry order.
//!
//! This module only reads text: it never sees markup, so an intact embed's blockquote (which
//! carries the same phrases) must be removed by the caller before calling it. It reports a
//! remnant only where a platform's own phrasing is present: a bare "(@handle)" in prose is not a
//! remnant.

use std::ops::Range;

use crate::model::Remnant;
use crate::platforms::markup::remnant::Found;
pub use crate::platforms::markup::remnant::MAX_REMNANTS;
use crate::platforms::readers::collapse_whitespace;

/// Find the remnants of decayed embeds in plain text, in text order. Whitespace is collapsed
/// first; each remnant's `text` is the stretch that matched. At most [`MAX_REMNANTS`].
pub fn find_remnants(text: &str) -> Vec<Remnant> {
    find_remnants_capped(text).0
}

/// [`find_remnants`], and whether some were left out for [`MAX_REMNANTS`].
pub(crate) fn find_remnants_capped(text: &str) -> (Vec<Remnant>, bool) {
    let finders = &crate::platforms::declared().remnants;
    // Collapsing costs a copy of the text: skip it when no finder can match.
    if !finders.iter().any(|f| (f.may_match)(text)) {
        return (Vec::new(), false);
    }
    find_in_collapsed(&collapse_whitespace(text))
}

/// [`find_remnants_capped`] of text whose whitespace is collapsed already.
pub(crate) fn find_in_collapsed(text: &str) -> (Vec<Remnant>, bool) {
    let (items, left_out) = find_with_context(text);
    (items.into_iter().map(|(_, r, _)| r).collect(), left_out)
}

/// [`find_in_collapsed`], with the stretch of `text` each remnant was read from and the context
/// its finder reads around it ([`Finder::context`](crate::platforms::markup::remnant::Finder)).
pub(crate) fn find_with_context(text: &str) -> (Vec<(Range<usize>, Remnant, usize)>, bool) {
    let mut found = Found::default();
    let mut contexts = Vec::new();
    // Each finder tests its own text first (`may_match` or a stricter test): asking here too
    // would search the page text twice.
    for finder in &crate::platforms::declared().remnants {
        (finder.find)(text, &mut found);
        contexts.resize(found.items.len(), finder.context);
    }
    let Found { items, left_out } = found;
    let mut items: Vec<(Range<usize>, Remnant, usize)> = items
        .into_iter()
        .zip(contexts)
        .map(|((range, r), context)| (range, r, context))
        .collect();
    items.sort_by_key(|(range, _, _)| range.start);
    (items, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::Platform;
    use regex::Regex;

    fn one(text: &str) -> Remnant {
        let mut all = find_remnants(text);
        assert_eq!(
            all.len(),
            1,
            "expected one remnant in {text:?}, got {all:?}"
        );
        all.remove(0)
    }

    #[test]
    fn the_seed_case_instagram_embed_decayed_into_text() {
        let text = "Read more below.\n\n  View this post on Instagram\n\nHappy birthday, mate! \
                    A post shared by Chris Hemsworth (@chrishemsworth) on May 1, 2019 at 10:03am PDT\n\
                    The actor later said ...";
        let r = one(text);
        assert_eq!(r.platform, Platform::Instagram);
        assert_eq!(r.author_name.as_deref(), Some("Chris Hemsworth"));
        assert_eq!(r.author_handle.as_deref(), Some("chrishemsworth"));
        assert_eq!(
            r.text,
            "View this post on Instagram Happy birthday, mate! A post shared by Chris Hemsworth \
             (@chrishemsworth) on May 1, 2019 at 10:03am PDT"
        );
    }

    #[test]
    fn instagram_footers_in_every_language() {
        // (text, name, handle, text must end with)
        let cases = [
            (
                "A post shared by Chris Hemsworth (@chrishemsworth)",
                Some("Chris Hemsworth"),
                "chrishemsworth",
                "(@chrishemsworth)",
            ),
            (
                "What working at SKEP feels like... #skep #ikigai Ein Beitrag geteilt von SKEP (@skep.association) am 23. Okt 2017 um 0:31 Uhr",
                Some("SKEP"),
                "skep.association",
                "am 23. Okt 2017 um 0:31 Uhr",
            ),
            (
                "Ein Beitrag geteilt von Esmeralda Merlot (@esmeralda_merlot) am Apr 21, 2019 um 4:47 PDT",
                Some("Esmeralda Merlot"),
                "esmeralda_merlot",
                "um 4:47 PDT",
            ),
            (
                "Ein Beitrag geteilt von Benjamin Näßler (he/him) (@3ensta)",
                Some("Benjamin Näßler (he/him)"),
                "3ensta",
                "(@3ensta)",
            ),
            (
                "Ein Beitrag geteilt von Vibes of a Black Girl ™ (@vibesofablackgirl)",
                Some("Vibes of a Black Girl ™"),
                "vibesofablackgirl",
                "(@vibesofablackgirl)",
            ),
            (
                "Una publicación compartida de Lionel Messi (@leomessi) el 5 de May de 2019 a la(s) 10:03 PDT",
                Some("Lionel Messi"),
                "leomessi",
                "10:03 PDT",
            ),
            (
                "Une publication partagée par Le Monde (@lemondefr) le 1 mai 2019 à 10h03 PDT",
                Some("Le Monde"),
                "lemondefr",
                "10h03 PDT",
            ),
            (
                "Uma publicação compartilhada por Neymar Jr (@neymarjr) em 1 de Mai, 2019 às 10:03 PDT",
                Some("Neymar Jr"),
                "neymarjr",
                "10:03 PDT",
            ),
            (
                "Un post condiviso da Chiara Ferragni (@chiaraferragni) in data: 1 Mag 2019 alle ore 10:03 PDT",
                Some("Chiara Ferragni"),
                "chiaraferragni",
                "10:03 PDT",
            ),
            (
                "A post shared by @nameless.account on Jan 2, 2020 at 1:00pm PST",
                None,
                "nameless.account",
                "1:00pm PST",
            ),
        ];
        for (text, name, handle, tail) in cases {
            let r = one(text);
            assert_eq!(r.platform, Platform::Instagram, "{text}");
            assert_eq!(r.author_name.as_deref(), name, "{text}");
            assert_eq!(r.author_handle.as_deref(), Some(handle), "{text}");
            assert!(r.text.ends_with(tail), "{text}: got {:?}", r.text);
        }
    }

    #[test]
    fn instagram_header_alone_is_a_remnant_without_author() {
        for text in [
            "Some prose. View this post on Instagram More prose.",
            "Diesen Beitrag auf Instagram ansehen",
            "Ver esta publicación en Instagram",
            "Voir cette publication sur Instagram",
            "Visualizza questo post su Instagram",
        ] {
            let r = one(text);
            assert_eq!(r.platform, Platform::Instagram, "{text}");
            assert_eq!(r.author_handle, None, "{text}");
            assert!(r.text.to_lowercase().contains("instagram"), "{text}");
        }
    }

    #[test]
    fn two_instagram_remnants_each_take_their_own_header() {
        let text = "View this post on Instagram First A post shared by One (@one) \
                    Prose between. View this post on Instagram Second A post shared by Two (@two)";
        let all = find_remnants(text);
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].author_handle.as_deref(), Some("one"));
        assert_eq!(
            all[0].text,
            "View this post on Instagram First A post shared by One (@one)"
        );
        assert_eq!(all[1].author_handle.as_deref(), Some("two"));
        assert!(
            all[1]
                .text
                .starts_with("View this post on Instagram Second")
        );
    }

    #[test]
    fn x_blockquote_decay() {
        let cases = [
            (
                "Maybe worth considering chloroquine for C19 https://t.co/LEYob7Jofr — Elon Musk (@elonmusk) March 16, 2020",
                Platform::X,
                "Elon Musk",
                "elonmusk",
                "— Elon Musk (@elonmusk) March 16, 2020",
            ),
            (
                "TEXT &mdash; Pepephone (@pepephone) <a>February 20, 2014</a>",
                Platform::X,
                "Pepephone",
                "pepephone",
                "&mdash; Pepephone (@pepephone)",
            ),
            (
                "El IV Pleno aprobó nuevos movimientos de cuadros: — Presidencia Cuba (@PresidenciaCuba) 26 de abril de 2022",
                Platform::X,
                "Presidencia Cuba",
                "PresidenciaCuba",
                "— Presidencia Cuba (@PresidenciaCuba) 26 de abril de 2022",
            ),
            (
                "Post text [image or embed] — Stephen King (@stephenking.bsky.social) January 28, 2026 at 3:12 PM",
                Platform::Bluesky,
                "Stephen King",
                "stephenking.bsky.social",
                "— Stephen King (@stephenking.bsky.social) January 28, 2026 at 3:12 PM",
            ),
        ];
        for (text, platform, name, handle, want_text) in cases {
            let r = one(text);
            assert_eq!(r.platform, platform, "{text}");
            assert_eq!(r.author_name.as_deref(), Some(name), "{text}");
            assert_eq!(r.author_handle.as_deref(), Some(handle), "{text}");
            assert_eq!(r.text, want_text, "{text}");
        }
    }

    #[test]
    fn escaped_names_are_decoded() {
        let cases = [
            (
                "&#x2014; Olivier V&#xE9;ran (@olivierveran) March 14, 2020",
                "Olivier Véran",
            ),
            (
                "&mdash; &#12510;&#12484;&#12514;&#12488; (@keizi666) January 24, 2020",
                "マツモト",
            ),
            ("&mdash; Tom &amp; Jerry (@tomandjerry)", "Tom & Jerry"),
            ("&mdash; Odd &#xZZ; name (@odd)", "Odd &#xZZ; name"),
        ];
        for (text, name) in cases {
            assert_eq!(one(text).author_name.as_deref(), Some(name), "{text}");
        }
    }

    #[test]
    fn tiktok_decay() {
        let text = "The clip went viral. @a3noticias El presidente comparece #coronavirus #noticias ♬ sonido original - Antena 3 Noticias. Later that day";
        let r = one(text);
        assert_eq!(r.platform, Platform::Tiktok);
        assert_eq!(r.author_handle.as_deref(), Some("a3noticias"));
        assert_eq!(
            r.text,
            "@a3noticias El presidente comparece #coronavirus #noticias ♬ sonido original - Antena 3 Noticias"
        );
    }

    #[test]
    fn tiktok_author_is_the_handle_that_opens_the_embed_text() {
        let cases = [
            (
                "Follow @paper for more news. @a3noticias Nuestro #AplausoSanitario ♬ Resistiré - Duo Dinamico",
                "a3noticias",
                "@a3noticias Nuestro #AplausoSanitario ♬ Resistiré - Duo Dinamico",
            ),
            (
                "@a3noticias Gracias a @sanidadgob por todo ♬ sonido original - a3noticias",
                "a3noticias",
                "@a3noticias Gracias a @sanidadgob por todo ♬ sonido original - a3noticias",
            ),
        ];
        for (text, handle, want) in cases {
            let r = one(text);
            assert_eq!(r.author_handle.as_deref(), Some(handle), "{text}");
            assert_eq!(r.text, want, "{text}");
        }
    }

    #[test]
    fn ordinary_prose_is_not_a_remnant() {
        for text in [
            "She shared a post on Instagram last week, and it went viral.",
            "Follow us on Instagram (@paper) and Twitter (@paper).",
            "The mayor — Jane Doe (@janedoe) — said the budget was fine.",
            "Write to news@example.com (@ is not a handle) for tips.",
            "View this post on our website.",
            "Music ♬ plays in the background.",
            "A post shared by many readers was deleted.",
            "A post shared by the mayor on Facebook drew criticism from residents who asked him about it again (@cityhall)",
        ] {
            assert_eq!(find_remnants(text), vec![], "{text}");
        }
    }

    /// The visible text of recorded oEmbed `html`: tags dropped, the way a page reads once the
    /// embed script is gone. Entities are left as written unless `unescape` is set.
    fn visible_text(sample: &str, unescape: bool) -> String {
        let path = format!(
            "{}/tests/fixtures/samples/{sample}",
            env!("CARGO_MANIFEST_DIR")
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let html = json["html"].as_str().unwrap();
        let tags = Regex::new(r"<[^>]*>").unwrap();
        let text = tags.replace_all(html, " ").into_owned();
        if unescape {
            text.replace("&mdash;", "—").replace("&amp;", "&")
        } else {
            text
        }
    }

    #[test]
    fn recorded_embed_code_decays_into_recognised_remnants() {
        let cases = [
            (
                "instagram/graph-oembed-B9bOM-6Ax_d-2020.json",
                Platform::Instagram,
                "ruby_eloquent",
            ),
            (
                "x/oembed-436461658601713664-2021.json",
                Platform::X,
                "pepephone",
            ),
            (
                "x/oembed-RailsGirlsSoC-702136612822634496.json",
                Platform::X,
                "RailsGirlsSoC",
            ),
            (
                "tiktok/oembed-6806030056956251397.json",
                Platform::Tiktok,
                "a3noticias",
            ),
        ];
        for (sample, platform, handle) in cases {
            for unescape in [false, true] {
                let text = visible_text(sample, unescape);
                let r = one(&text);
                assert_eq!(r.platform, platform, "{sample}");
                assert_eq!(r.author_handle.as_deref(), Some(handle), "{sample}");
            }
        }
        let tiktok = one(&visible_text(
            "tiktok/oembed-6806030056956251397.json",
            true,
        ));
        assert!(
            tiktok.text.ends_with("♬ Resistiré - Duo Dinamico"),
            "{tiktok:?}"
        );
        let x = one(&visible_text("x/oembed-436461658601713664-2021.json", true));
        assert_eq!(x.text, "— Pepephone (@pepephone) February 20, 2014");
    }

    /// Every finder's `may_match` holds on the text before it is collapsed: widening the
    /// whitespace of texts that hold remnants (line breaks, tabs, no-break spaces) changes
    /// nothing found.
    #[test]
    fn remnants_survive_uncollapsed_whitespace() {
        let texts = [
            "View this post on Instagram Happy birthday! A post shared by Chris Hemsworth (@chrishemsworth) on May 1, 2019 at 10:03am PDT",
            "Ein Beitrag geteilt von SKEP (@skep.association) am 23. Okt 2017 um 0:31 Uhr",
            "Une publication partagée par Le Monde (@lemondefr) le 1 mai 2019 à 10h03 PDT",
            "Diesen Beitrag auf Instagram ansehen",
            "Great news today. — Pepephone (@pepephone) February 20, 2014",
            "@a3noticias Quédate en casa #yomequedoencasa ♬ Resistiré - Duo Dinamico",
        ];
        for text in texts {
            let want = find_remnants(text);
            assert_eq!(want.len(), 1, "{text}");
            for gap in ["\n\t  ", "\u{A0}", " \r\n"] {
                let wide = text.replace(' ', gap);
                assert_eq!(find_remnants(&wide), want, "{wide:?}");
            }
        }
    }

    #[test]
    fn label_snippets_yield_the_labelled_handle() {
        #[derive(serde::Deserialize)]
        struct Page {
            #[serde(default)]
            embeds: Vec<Embed>,
        }
        #[derive(serde::Deserialize)]
        struct Embed {
            platform: String,
            author_handle: Option<String>,
            text_snippet: Option<String>,
        }
        let labels = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/articles/labels.json"
        ));
        let pages: Vec<Page> = serde_json::from_str(labels).unwrap();
        let mut checked = 0;
        for e in pages.into_iter().flat_map(|p| p.embeds) {
            let (Some(snippet), Some(handle)) = (e.text_snippet, e.author_handle) else {
                continue;
            };
            if e.platform != "instagram" || !snippet.contains("(@") {
                continue;
            }
            let r = one(&snippet);
            assert_eq!(
                r.author_handle.as_deref(),
                Some(handle.as_str()),
                "{snippet}"
            );
            checked += 1;
        }
        assert!(checked >= 10, "only {checked} snippets checked");
    }
}
