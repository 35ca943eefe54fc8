//! The card's stylesheet: every rule is scoped under `.ek-card` so a card can sit in any page
//! without touching it, and the page's own rules rarely reach in: the elements a news theme
//! styles by name (`blockquote` in italics on grey with a rule and a big opening quote,
//! `figcaption` in capitals, `p` in its own size) get their type, colour, background and box
//! back from the card, by rules more specific than a theme's. Colours and backgrounds are
//! `!important`: a theme's dark mode colours `p` and `a` under a class of its own
//! (`html.dark p`), more specific than any rule of the card's, and its light text on the card's
//! light background could not be read. Horizontal in a vertically written page; black on white
//! on paper, whatever the screen's scheme. System fonts only, no URLs:
//! a card makes no request of its own but its thumbnail. Plain ASCII on purpose: the rewrite may
//! write the card into a page in a legacy charset, where `<style>` text is not entity-decoded.

/// The stylesheet written before each card (one `<style>` per card keeps a card self-contained;
/// identical copies in one page cost a few hundred bytes each).
pub(super) const CARD_CSS: &str = "\
.ek-card{--ek-bg:#fff;--ek-fg:#0f1419;--ek-muted:#536471;--ek-line:#cfd9de;--ek-link:#0b57d0;\
--ek-note-bg:#fff4e5;--ek-note-fg:#5c3b00;\
box-sizing:border-box;display:block;width:100%;max-width:550px;min-width:0;margin:1em auto;\
padding:12px 16px;border:1px solid var(--ek-line);border-radius:12px;background:var(--ek-bg)!important;\
color:var(--ek-fg)!important;font:15px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;\
text-align:left;writing-mode:horizontal-tb;overflow-wrap:anywhere;overflow:hidden}\
.ek-card *{box-sizing:border-box}\
.ek-card figcaption,.ek-card blockquote,.ek-card p,.ek-card h3{font:inherit;font-style:normal;\
color:inherit!important;background:none!important;text-transform:none;letter-spacing:normal;text-indent:0;\
text-shadow:none;box-shadow:none;padding:0;border:0}\
.ek-card blockquote::before,.ek-card blockquote::after{content:none}\
.ek-card a{color:var(--ek-link)!important;text-decoration:none}\
.ek-card a:hover,.ek-card a:focus{text-decoration:underline}\
.ek-card .ek-context a,.ek-card .ek-text a,.ek-card .ek-more a,.ek-card .ek-meta a,\
.ek-card .ek-note a{text-decoration:underline}\
.ek-card .ek-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .5em;margin:0 0 8px}\
.ek-card .ek-author{color:inherit!important;min-width:0}\
.ek-card .ek-name{font-weight:700;color:var(--ek-fg)!important}\
.ek-card .ek-handle,.ek-card .ek-platform{color:var(--ek-muted)!important}\
.ek-card .ek-platform{margin-left:auto;font-size:13px}\
.ek-card .ek-quote{margin:0;padding:0;border:0;quotes:none}\
.ek-card .ek-media{position:relative;display:block;margin:0 0 8px}\
.ek-card .ek-media img{display:block;width:100%;max-width:100%;height:auto;border-radius:8px;\
border:1px solid var(--ek-line);background:var(--ek-line)!important}\
.ek-card .ek-badge{position:absolute;left:8px;bottom:8px;padding:2px 8px;border-radius:4px;\
background:rgba(0,0,0,.7)!important;color:#fff!important;font-size:13px}\
.ek-card .ek-title{margin:0 0 6px;font-size:17px;font-weight:700;line-height:1.3}\
.ek-card .ek-context{margin:0 0 8px;color:var(--ek-muted)!important;font-size:13px}\
.ek-card .ek-text{margin:0 0 8px;white-space:pre-line}\
.ek-card .ek-more{margin:0 0 8px;color:var(--ek-muted)!important;font-size:13px}\
.ek-card .ek-meta{margin:0;color:var(--ek-muted)!important;font-size:13px}\
.ek-card .ek-note{margin:8px 0 0;padding:6px 10px;border-radius:6px;background:var(--ek-note-bg)!important;\
color:var(--ek-note-fg)!important;font-size:13px}\
@media (prefers-color-scheme:dark){.ek-card{--ek-bg:#16181c;--ek-fg:#e7e9ea;--ek-muted:#8b98a5;\
--ek-line:#38444d;--ek-link:#8ab4f8;--ek-note-bg:#3a2c12;--ek-note-fg:#fbd38d}}\
@media print{.ek-card{--ek-bg:#fff;--ek-fg:#000;--ek-muted:#444;--ek-line:#999;--ek-link:#0b57d0;\
--ek-note-bg:#fff;--ek-note-fg:#000}}\
@media (max-width:360px){.ek-card{padding:10px 12px;border-radius:8px}}";

#[cfg(test)]
mod tests {
    use super::*;

    /// The `style-src` source that allows the card's stylesheet under a Content-Security-Policy
    /// without `'unsafe-inline'`: the base64 of its SHA-256 (the same in every card of a version;
    /// the README gives it to publishers).
    fn csp_style_hash() -> String {
        use base64::Engine;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(CARD_CSS.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    /// The README's Content-Security-Policy advice names this version's stylesheet.
    #[test]
    fn the_readme_gives_the_stylesheets_hash() {
        let readme = include_str!("../../README.md");
        let hash = csp_style_hash();
        assert!(
            readme.contains(&hash),
            "README.md must name the card stylesheet's hash {hash}"
        );
    }

    #[test]
    fn the_stylesheet_is_scoped_ascii_and_requests_nothing() {
        assert!(CARD_CSS.is_ascii());
        assert!(!CARD_CSS.contains("url("));
        assert!(!CARD_CSS.contains("@import"));
        assert!(!CARD_CSS.contains("</"));
        // Every rule outside the media queries starts with the card's class.
        let rules = CARD_CSS.replace("@media (prefers-color-scheme:dark){", "");
        let rules = rules.replace("@media (max-width:360px){", "");
        let rules = rules.replace("@media print{", "");
        for rule in rules.split('}').filter(|r| !r.trim().is_empty()) {
            let selectors = rule.split('{').next().unwrap_or_default();
            for s in selectors.split(',') {
                assert!(s.trim().starts_with(".ek-card"), "unscoped selector {s:?}");
            }
        }
    }
}
