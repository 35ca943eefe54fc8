//! `platforms` holds one module per platform: which URLs it claims (recognise + canonicalise +
//! post id) and, for platforms with a resolver, how to read a post from its public sources and
//! classify each answer as live, gone or transient. Adding a platform is one new module and one
//! line in [`RECOGNISERS`] (and one arm in [`resolve`] if it has a resolver).
//!
//! Recognisers are pure functions of URLs; resolvers fetch only through `http` and never touch
//! the database. Every resolver's classifiers say live and gone only through [`verdict`]: a live
//! answer must name the post, and an error status is a gone signal only in the source's own body.

use url::Url;

use crate::config::Config;
use crate::http::HttpClient;
use crate::model::{EmbedRef, Platform, Recognised, Resolution};

pub mod bluesky;
pub mod facebook;
pub mod giphy;
pub mod imgur;
pub mod instagram;
pub mod linkedin;
pub mod mastodon;
pub mod oembed;
pub mod page_fallback;
pub mod pinterest;
pub mod readers;
pub mod reddit;
pub mod soundcloud;
pub mod source;
pub mod spotify;
pub mod threads;
pub mod tiktok;
pub mod tumblr;
pub mod twitch;
pub mod url_util;
pub mod verdict;
#[cfg(test)]
mod verdict_tests;
pub mod vimeo;
pub mod x;
pub mod youtube;

/// A platform's URL recogniser.
pub type Recogniser = fn(&Url) -> Option<Recognised>;

/// Every recogniser, tried in order.
pub const RECOGNISERS: &[Recogniser] = &[
    instagram::recognise,
    x::recognise,
    tiktok::recognise,
    youtube::recognise,
    facebook::recognise,
    threads::recognise,
    bluesky::recognise,
    reddit::recognise,
    vimeo::recognise,
    spotify::recognise,
    soundcloud::recognise,
    pinterest::recognise,
    tumblr::recognise,
    imgur::recognise,
    giphy::recognise,
    twitch::recognise,
    linkedin::recognise,
    mastodon::recognise,
    oembed::recognise,
];

/// The first recogniser that claims the URL.
pub fn recognise(url: &Url) -> Option<Recognised> {
    RECOGNISERS.iter().find_map(|r| r(url))
}

/// What a resolver may use.
#[derive(Debug, Clone, Copy)]
pub struct ResolveContext<'a> {
    pub http: &'a HttpClient,
    pub config: &'a Config,
}

/// Resolve an embedded post from its platform's sources.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    match embed.platform {
        Platform::Instagram => instagram::resolve::resolve(ctx, embed).await,
        Platform::X => x::resolve::resolve(ctx, embed).await,
        Platform::Youtube => youtube::resolve::resolve(ctx, embed).await,
        Platform::Tiktok => tiktok::resolve::resolve(ctx, embed).await,
        _ => Resolution::Unsupported,
    }
}
