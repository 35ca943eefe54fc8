//! Blackbird Pie, Twitter's embed code of 2010 and 2011 (before the `twitter-tweet` blockquote):
//! a static copy of the post, styled by a class numbered with its id, that no script fills.
//!
//! ```text
//! <div class='bbpBox20598658316'><p class='bbpTweet'>TEXT<span class='timestamp'>
//!   <a title='Mon Aug 09 01:58:03 +0000 2010' href='http://twitter.com/USER/status/ID'>…</a> via …</span>
//!   <span class='metadata'><span class='author'><a href='http://twitter.com/USER'><img …></a>
//!   <strong><a href='http://twitter.com/USER'>NAME</a></strong><br/>USER</span></span></p></div>
//! ```
//!
//! The page keeps showing the copy whatever became of the post; the post's address is in the
//! timestamp link, the text before it, the author's name in `span.author strong`.

use scraper::ElementRef;
use url::Url;

use crate::model::markup::absolute;
use crate::platforms::markup::reading::{collapse, descendants, element_text};
use crate::platforms::markup::{Candidate, ElementForm, Marker, has_class};

/// The box, by its numbered class.
pub(super) const FORM: ElementForm = ElementForm {
    marker: Marker::ClassPrefix("bbpBox"),
    read,
};

fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let post = el
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| absolute(base, href))
        .find(super::markup::is_status_link)?;
    let mut c = Candidate::new(vec![post], "div.bbpBox")?;
    if let Some(tweet) = descendants(el, "p").find(|p| has_class(*p, "bbpTweet")) {
        // The text is what comes before the timestamp and the author's block.
        let text: String = tweet
            .children()
            .take_while(|n| {
                ElementRef::wrap(*n)
                    .is_none_or(|e| !(has_class(e, "timestamp") || has_class(e, "metadata")))
            })
            .map(|n| match ElementRef::wrap(n) {
                Some(e) => element_text(e),
                None => n
                    .value()
                    .as_text()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            })
            .collect();
        c.reading.text = collapse(&text);
    }
    c.reading.author_name = descendants(el, "span")
        .find(|s| has_class(*s, "author"))
        .and_then(|author| descendants(author, "strong").next())
        .and_then(|strong| collapse(&element_text(strong)));
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    /// Jeff Atwood's post of 9 August 2010 as Blackbird Pie wrote it (its style sheet left out).
    const BOX: &str = "<div class='bbpBox20598658316'><p class='bbpTweet'>Coding Horror: The Vast and Endless Sea <a href=\"http://bit.ly/aLVvB4\" rel=\"nofollow\">http://bit.ly/aLVvB4</a><span class='timestamp'><a title='Mon Aug 09 01:58:03 +0000 2010' href='http://twitter.com/codinghorror/status/20598658316'>less than a minute ago</a> via <a href=\"http://www.hootsuite.com\" rel=\"nofollow\">HootSuite</a></span><span class='metadata'><span class='author'><a href='http://twitter.com/codinghorror'><img src='http://a1.twimg.com/profile_images/102267009/jeff-atwood_normal.jpg' /></a><strong><a href='http://twitter.com/codinghorror'>Jeff Atwood</a></strong><br/>codinghorror</span></span></p></div>";

    fn read_html(html: &str) -> Option<Candidate> {
        let doc = Html::parse_fragment(html);
        let base = Url::parse("https://news.example/a").unwrap_or_else(|e| panic!("{e}"));
        let el = doc
            .root_element()
            .descendent_elements()
            .find(|e| FORM.marker.marks(*e))?;
        read(el, &base)
    }

    #[test]
    fn a_box_names_its_post_text_and_author() {
        let c = read_html(BOX).unwrap_or_else(|| panic!("no candidate"));
        assert_eq!(
            c.urls[0].as_str(),
            "http://twitter.com/codinghorror/status/20598658316"
        );
        assert_eq!(
            c.reading.text.as_deref(),
            Some("Coding Horror: The Vast and Endless Sea http://bit.ly/aLVvB4")
        );
        assert_eq!(c.reading.author_name.as_deref(), Some("Jeff Atwood"));
    }

    #[test]
    fn a_box_without_a_status_link_or_a_class_not_numbered_so_is_nothing() {
        let no_status = BOX.replace("/status/20598658316", "");
        assert!(read_html(&no_status).is_none());
        assert!(read_html(&BOX.replace("bbpBox", "box")).is_none());
    }
}
