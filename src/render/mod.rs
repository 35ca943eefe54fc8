//! `render` turns the archive into what readers see once a post is gone: the fallback card (an
//! HTML fragment that shows an archived post the way its platform did, labelled as an archived
//! copy) and the article rewrite (a publisher's page with its embeds swapped for cards, every
//! other byte untouched).
//!
//! It works on `model` types only: it never fetches, never opens the database, and names no
//! platform's URL rules (the caller passes the recognisers in). Every string that came from a
//! platform reaches the HTML through maud's escaping, and only `http`/`https` URLs ever become
//! an `href` or `src`.

mod card;
mod forms;
mod links;
mod rewrite;
mod style;

pub use card::{CardInput, card, card_page};
pub use rewrite::{CardSet, PARSER_MEMORY_LIMIT, PageEmbeds, Recognise, RewriteError, rewrite};
