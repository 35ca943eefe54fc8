//! Twitter's profile, favourites and list widgets of 2010 to 2013 (`widgets.twimg.com/j/2/widget.js`):
//! an inline script builds each where it stands, and nothing else in the page names it:
//!
//! ```text
//! new TWTR.Widget({ version: 2, type: 'profile', rpp: 4, … }).render().setUser('nfl').start();
//! new TWTR.Widget({ type: 'faves', … }).render().setUser('NAME').start();
//! new TWTR.Widget({ type: 'list', … }).render().setList('USER', 'SLUG').start();
//! new TWTR.Widget({ type: 'search', search: 'words', … }).render().start();
//! ```
//!
//! An account's widget is its timeline, a favourites or list widget a list timeline; a search
//! widget shows no one's posts, and is not reported. Twitter retired the library in 2013, so
//! these boxes have long been empty on the pages that still carry them: the account is what
//! is left to archive.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use crate::model::EmbedKind;
use crate::platforms::markup::{Candidate, ScriptCall, script_call_texts};

/// The call that builds a widget.
pub(super) const CALL: ScriptCall = ScriptCall {
    marker: "TWTR.Widget",
    read,
};

/// The most bytes of a script read after each call for its settings and its account: a
/// widget's settings take a few hundred.
const MAX_CALL: usize = 4096;

/// The `type` setting, the `setUser` account and the `setList` owner and slug of one call.
static SETTINGS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        r#"\btype\s*:\s*['"]([a-z]+)['"]"#,
        r#"\.setUser\(\s*['"]@?([A-Za-z0-9_]{1,15})['"]\s*\)"#,
        r#"\.setList\(\s*['"]@?([A-Za-z0-9_]{1,15})['"]\s*,\s*['"]([A-Za-z0-9_-]{1,60})['"]\s*\)"#,
    ]
    .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("TWTR.Widget pattern {p}: {e}")))
});

/// The widgets `body` (a script's text) builds, in order.
fn read(body: &str, _base: &Url) -> Vec<Candidate> {
    let [kind_of, user, list] = &*SETTINGS;
    let mut out = Vec::new();
    for call in script_call_texts(body, CALL.marker, MAX_CALL) {
        let kind = kind_of.captures(call).map(|c| c[1].to_owned());
        let found = match kind.as_deref() {
            // The library's default type is `search`.
            Some("profile") => user.captures(call).map(|c| {
                (
                    format!("https://twitter.com/{}", &c[1]),
                    EmbedKind::ProfileTimeline,
                )
            }),
            Some("faves") => user.captures(call).map(|c| {
                (
                    format!("https://twitter.com/{}/likes", &c[1]),
                    EmbedKind::ListTimeline,
                )
            }),
            Some("list") => list.captures(call).map(|c| {
                (
                    format!("https://twitter.com/{}/lists/{}", &c[1], &c[2]),
                    EmbedKind::ListTimeline,
                )
            }),
            _ => None,
        };
        if let Some((url, kind)) = found
            && let Ok(url) = Url::parse(&url)
            && let Some(c) = super::markup::timeline_widget(url, "script TWTR.Widget", kind)
        {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widgets(body: &str) -> Vec<(String, EmbedKind)> {
        let base = Url::parse("https://news.example/a").unwrap_or_else(|e| panic!("{e}"));
        read(body, &base)
            .into_iter()
            .map(|c| {
                let kind = c.widget.map(|w| w.kind);
                (
                    c.urls[0].to_string(),
                    kind.unwrap_or_else(|| panic!("not a widget")),
                )
            })
            .collect()
    }

    /// The settings as a 2012 sidebar wrote them (blogs.nfl.com, in the unseen corpus).
    #[test]
    fn a_profile_widget_is_the_accounts_timeline() {
        let body = "\nnew TWTR.Widget({\n  version: 2,\n  type: 'profile',\n  rpp: 4,\n  theme: {\n    shell: {\n      background: '#ffffff'\n    }\n  },\n  features: {\n    behavior: 'all'\n  }\n}).render().setUser('nfl').start();\n";
        assert_eq!(
            widgets(body),
            [("https://twitter.com/nfl".into(), EmbedKind::ProfileTimeline)]
        );
    }

    #[test]
    fn favourites_and_list_widgets_are_list_timelines_and_a_search_is_nothing() {
        let body = r#"new TWTR.Widget({ type: "faves", rpp: 10 }).render().setUser("jack").start();
            new TWTR.Widget({ version: 2, type: 'list' }).render().setList('twitter', 'team').start();
            new TWTR.Widget({ version: 2, type: 'search', search: 'rainbow' }).render().start();
            new TWTR.Widget({ version: 2, rpp: 3 }).render().setUser('nobody').start();"#;
        assert_eq!(
            widgets(body),
            [
                (
                    "https://twitter.com/jack/likes".into(),
                    EmbedKind::ListTimeline
                ),
                (
                    "https://twitter.com/twitter/lists/team".into(),
                    EmbedKind::ListTimeline
                ),
            ]
        );
    }

    /// A call's account is its own: one without `setUser` does not take the next call's.
    #[test]
    fn each_call_reads_its_own_settings() {
        let body = "new TWTR.Widget({type: 'profile'}).render().start();\n\
                    new TWTR.Widget({type: 'profile'}).render().setUser('second').start();";
        assert_eq!(
            widgets(body),
            [(
                "https://twitter.com/second".into(),
                EmbedKind::ProfileTimeline
            )]
        );
        let far = format!(
            "new TWTR.Widget({{type: 'profile'}}){}.setUser('far')",
            " ".repeat(MAX_CALL)
        );
        assert!(widgets(&far).is_empty());
    }
}
