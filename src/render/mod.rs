//! `render` turns the archive into what readers see once a post is gone: the fallback card (an
//! HTML fragment that shows an archived post the way its platform did, labelled as an archived
//! copy), the article rewrite (a publisher's page with its embeds swapped for cards, every
//! other byte untouched), and the exports' formats (a static site of cards, a WARC file).
//!
//! It works on `model` types only: it never fetches and never opens the database. Which URL is
//! which platform's post is decided by the recognisers the caller passes in (the ones discovery
//! uses), so the rewrite and the archive agree on every post's key. Every string that came from a
//! platform reaches the HTML through maud's escaping, and only `http`/`https` URLs ever become an
//! `href` or `src`.
//!
//! Cards are built ahead of time (from the store, by the caller) and the rewrite only swaps them
//! in: [`PageEmbeds::scan`] names the posts a page embeds, the caller picks which get a card, and
//! [`PageEmbeds::rewrite`] (or [`rewrite`] in one call) writes the page. Both are CPU-bound and
//! synchronous: async callers run them on the blocking pool.

mod card;
mod card_text;
mod forms;
mod links;
mod report_page;
mod rewrite;
mod static_site;
mod style;
mod warc;

pub use card::{CardInput, author_link, card, card_in_box, card_page, markup_of};
pub use links::web_url;
pub use report_page::{ReportForm, ReportPageInput, report_page};
pub use rewrite::{
    CardSet, MAX_REPLACED, PARSER_MEMORY_LIMIT, PageEmbeds, Recognise, RewriteError,
    parser_memory_limit, rewrite,
};
pub use static_site::{
    CARDS_DIR, INDEX_FILE, IndexEntry, MEDIA_DIR, StaticIndex, card_file, card_path, media_of,
    media_path,
};
pub use warc::{RecordId, WarcWriter, sha256_label};
