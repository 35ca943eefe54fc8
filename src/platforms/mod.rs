//! `platforms` holds one module per platform, each behind the one trait [`PlatformModule`]:
//! which URLs it claims (recognise + canonicalise + post id), the forms its embeds take in an
//! article's markup and the text they decay into ([`markup`]), and, for platforms with a
//! resolver, how to read a post from its ordered public sources and classify each answer as
//! live, gone or transient. [`REGISTRY`] lists the modules in the order they are tried; adding
//! a platform is one new module and one line there.
//!
//! Recognisers are pure functions of URLs; resolvers fetch only through `http` and never touch
//! the database. Every resolver's classifiers say live and gone only through [`verdict`]: a live
//! answer must name the post, and an error status is a gone signal only in the source's own body.

use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;

use url::Url;

use crate::config::Config;
use crate::http::HttpClient;
use crate::model::markup::EmbedForms;
use crate::model::{EmbedRef, Platform, PostContent, Recognised, Resolution};
use markup::{Declared, Markup};

pub mod apple_podcasts;
pub mod bandcamp;
pub mod bluesky;
pub mod dailymotion;
pub mod facebook;
pub mod giphy;
pub mod imgur;
pub mod instagram;
pub mod lenient_json;
pub mod linkedin;
pub mod markup;
pub mod mastodon;
pub mod meta_graph;
pub mod oembed;
pub mod oembed_answer;
pub mod oembed_endpoint;
pub mod oembed_registry;
pub mod oembed_registry_source;
mod pacing;
pub mod page;
pub mod page_fallback;
pub mod pinterest;
pub mod readers;
#[cfg(test)]
mod recorded_verdicts;
pub mod reddit;
#[cfg(test)]
pub(crate) mod replay;
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

/// Everything embedkeep knows about one platform. Every method but [`platform`] and
/// [`recognise`] has a default for platforms that declare nothing of that kind.
///
/// [`platform`]: PlatformModule::platform
/// [`recognise`]: PlatformModule::recognise
pub trait PlatformModule: Sync {
    /// The platform this module knows.
    fn platform(&self) -> Platform;

    /// Which URLs it claims, their canonical form and the post id (pure).
    fn recognise(&self, url: &Url) -> Option<Recognised>;

    /// The forms its embeds take in an article's markup, and the text they decay into.
    fn markup(&self) -> &'static Markup {
        &Markup::NONE
    }

    /// The `source` names of its public sources, in the order they are asked.
    fn sources(&self) -> &'static [&'static str] {
        &[]
    }

    /// Resolve an embedded post from its sources, in order; [`Resolution::Unsupported`] for a
    /// platform without a resolver.
    fn resolve<'a>(
        &'a self,
        _ctx: &'a ResolveContext<'a>,
        _embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(std::future::ready(Resolution::Unsupported))
    }

    /// The post's own web page, when it carries OpenGraph, JSON-LD or Twitter-card metadata:
    /// the `page` source is asked there when the module's own sources could not decide. `None`
    /// (the default) for platforms whose pages carry nothing of the post, or whose sources
    /// already read the page.
    fn post_page(&self, _embed: &EmbedRef) -> Option<Url> {
        None
    }

    /// Whether the post page's own 404 or 410 says the post is gone, as the shared page reader
    /// reads it (the default). A platform whose page answers the same for a post only some may
    /// see (a private track, a post for friends), where its own sources never say gone for
    /// that, says no: its page can then make the post live, never gone.
    fn page_missing_is_gone(&self) -> bool {
        true
    }

    /// What the module makes of its post as the shared page reader read it from
    /// [`post_page`](Self::post_page): fields a platform writes into its page in its own way.
    /// The default keeps the post as read.
    fn refine_page_post(&self, content: PostContent, _embed: &EmbedRef) -> PostContent {
        content
    }

    /// A post id that names its post by one of its author's several names (Bluesky's
    /// `HANDLE/RKEY`, where embed codes write `DID/RKEY`), split into that name and the part
    /// that is the post's own (`RKEY`): the post may be archived under another name of the same
    /// author, whose snapshots then give `author_handle` as this name. `None` (the default):
    /// the id names its post one way only.
    fn id_by_account_name<'k>(&self, _post_id: &'k str) -> Option<(&'k str, &'k str)> {
        None
    }
}

/// Every platform module, in the order its recogniser and its markup forms are tried: specific
/// hosts first, then Mastodon (any host with its path shapes), then the generic oEmbed
/// providers, then the post page itself.
pub static REGISTRY: &[&dyn PlatformModule] = &[
    &instagram::Instagram,
    &x::X,
    &tiktok::Tiktok,
    &youtube::Youtube,
    &facebook::Facebook,
    &threads::Threads,
    &bluesky::Bluesky,
    &reddit::Reddit,
    &vimeo::Vimeo,
    &dailymotion::Dailymotion,
    &spotify::Spotify,
    &soundcloud::Soundcloud,
    &pinterest::Pinterest,
    &tumblr::Tumblr,
    &imgur::Imgur,
    &giphy::Giphy,
    &twitch::Twitch,
    &linkedin::Linkedin,
    &mastodon::Mastodon,
    &apple_podcasts::ApplePodcasts,
    &bandcamp::Bandcamp,
    &oembed::Oembed,
    &page::Page,
];

/// The module of `platform`.
pub fn module(platform: Platform) -> Option<&'static dyn PlatformModule> {
    REGISTRY.iter().find(|m| m.platform() == platform).copied()
}

/// The first module that claims the URL.
pub fn recognise(url: &Url) -> Option<Recognised> {
    REGISTRY.iter().find_map(|m| m.recognise(url))
}

/// Every module's markup, gathered in registry order.
pub fn declared() -> &'static Declared {
    static DECLARED: LazyLock<Declared> =
        LazyLock::new(|| Declared::gather(REGISTRY.iter().map(|m| m.markup())));
    &DECLARED
}

/// The markup forms `render` reads too, gathered in registry order.
pub fn embed_forms() -> &'static EmbedForms {
    static FORMS: LazyLock<EmbedForms> = LazyLock::new(|| {
        let d = declared();
        let mut families = Vec::new();
        for q in &d.quotes {
            if !families
                .iter()
                .any(|f: &&crate::model::markup::ScriptFamily| f.name == q.form.family.name)
            {
                families.push(q.form.family);
            }
        }
        EmbedForms {
            quotes: d.quotes.iter().map(|q| &q.form).collect(),
            frame_ids: d.frame_ids.clone(),
            facades: d.facades.clone(),
            addressed: d.addressed.clone(),
            families,
        }
    });
    &FORMS
}

/// What a resolver may use.
#[derive(Debug, Clone, Copy)]
pub struct ResolveContext<'a> {
    pub http: &'a HttpClient,
    pub config: &'a Config,
}

/// Resolve an embedded post from its platform's sources. A platform switched off with
/// `[platforms.NAME] enabled = false` is not asked ([`Resolution::Unsupported`]); one with a
/// `min_interval` waits its turn first.
///
/// Everything logged while resolving (a source that failed, markup that was not read) runs in a
/// `resolve` span naming the platform and the post, so each line says which post it is about.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    use tracing::Instrument;
    // At warn level, so the post is named wherever a warning is shown.
    let span = tracing::warn_span!(
        "resolve",
        platform = embed.platform.as_str(),
        post = %embed.post_url
    );
    resolve_in_span(ctx, embed).instrument(span).await
}

async fn resolve_in_span(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    let Some(m) = module(embed.platform) else {
        return Resolution::Unsupported;
    };
    let settings = ctx.config.platforms.get(embed.platform.as_str());
    if !settings.enabled {
        return Resolution::Unsupported;
    }
    pacing::wait_turn(embed.platform, settings.min_interval).await;
    let first = m.resolve(ctx, embed).await;
    match (&first, m.post_page(embed)) {
        (Resolution::Transient { .. }, Some(page_url)) => {
            let page = match page::read_as(ctx.http, &page_url, page::Whose::Platform).await {
                Resolution::Gone { source, evidence } if !m.page_missing_is_gone() => {
                    Resolution::Transient {
                        source,
                        evidence: format!(
                            "{evidence}; this platform's page answers so for private posts too"
                        ),
                    }
                }
                page => page,
            };
            match page::after(first, page) {
                Resolution::Live(content) => Resolution::Live(m.refine_page_post(content, embed)),
                other => other,
            }
        }
        _ => first,
    }
}
