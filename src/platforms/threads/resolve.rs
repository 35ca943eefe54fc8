//! threads resolver: the embed page first, then the post page.
//!
//! The embed page gives the handle, text, media and time; the post page gives the display name
//! (only its `og:title` carries it), and is asked on every check.
//!
//! When is a post gone? Threads answers "Thread not available" (`div.EmbedError`, HTTP 200) for
//! a deleted post, a login-only post and a code that never existed alike, and a failing embed
//! renderer could answer it too, so the notice alone is not taken as a positive signal. It is
//! gone when the post page confirms it: the page names the post with an empty handle and has no
//! `og:title`, which is what Threads serves for a post that is not public. (A login-only post
//! therefore counts as gone: it is no longer public, which is what an archive of public embeds
//! needs to know.) The notice with HTTP 404 is Threads' own answer that the post is not there,
//! and is gone by itself. A login wall, 429, 5xx, an unreadable page, and the notice without the
//! post page's confirmation are transient. There is no oEmbed source: no real answer of Threads'
//! oEmbed endpoint has been recorded to read.

use super::embed_page::{self, EmbedAnswer};
use super::post_page::{self, PageAnswer};
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError, join_evidence};

/// Resolve one Threads post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// The post's user (when its URL names one) and code.
fn user_and_code(embed: &EmbedRef) -> Option<(Option<String>, String)> {
    let url = url::Url::parse(&embed.post_url).ok()?;
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let (user, code) = match segs.as_slice() {
        [user, "post", code, ..] => (user.strip_prefix('@').map(str::to_owned), *code),
        ["t", code, ..] => (None, *code),
        _ => return None,
    };
    let code = embed.post_id.as_deref().unwrap_or(code);
    (embed_page::is_code(code) && user.as_deref().is_none_or(embed_page::is_user))
        .then(|| (user, code.to_owned()))
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some((user, code)) = user_and_code(embed) else {
        return SourceError::BadPostId {
            source_name: embed_page::SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "no Threads post code in the embed".to_owned(),
        }
        .into_transient();
    };
    let first = match embed_page::url(user.as_deref(), &code) {
        Ok(url) => match fetcher.fetch(embed_page::SOURCE, &url).await {
            Ok(answer) => embed_page::parse(&answer, &code),
            Err(e) => EmbedAnswer::Transient(e.into_transient_with_url()),
        },
        Err(e) => EmbedAnswer::Transient(e.into_transient()),
    };
    if let EmbedAnswer::NotAvailable {
        status: status @ (404 | 410),
        evidence,
    } = &first
    {
        return Resolution::Gone {
            source: embed_page::SOURCE.to_owned(),
            evidence: format!("{evidence} (HTTP {status}: Threads' own answer for no such post)"),
        };
    }
    let Some(page_url) = post_page::url(user.as_deref(), &code) else {
        return decide(first, None);
    };
    let second = match fetcher.fetch(post_page::SOURCE, &page_url).await {
        Ok(answer) => post_page::parse(&answer, &page_url, &code),
        Err(e) => PageAnswer::Transient(e.into_transient_with_url()),
    };
    decide(first, Some(second))
}

/// The verdict from both answers (see the module comment).
pub fn decide(embed: EmbedAnswer, page: Option<PageAnswer>) -> Resolution {
    // Taken by value: a verdict carries the page's whole body as evidence, not worth a copy.
    let page_verdict = |p: PageAnswer| match p {
        PageAnswer::Named(r) | PageAnswer::Transient(r) => r,
        PageAnswer::Hidden { evidence } => Resolution::Transient {
            source: post_page::SOURCE.to_owned(),
            evidence,
        },
    };
    match (embed, page) {
        (EmbedAnswer::Post(Resolution::Live(mut content)), page) => {
            if let Some(PageAnswer::Named(Resolution::Live(named))) = page
                && named.author_handle.is_some()
                && named.author_handle == content.author_handle
            {
                content.author_name = named.author_name;
                content.raw.extend(named.raw);
            }
            Resolution::Live(content)
        }
        (EmbedAnswer::NotAvailable { evidence, .. }, Some(PageAnswer::Hidden { evidence: e2 })) => {
            Resolution::Gone {
                source: embed_page::SOURCE.to_owned(),
                evidence: format!("{evidence}; confirmed by the post page: {e2}"),
            }
        }
        (_, Some(PageAnswer::Named(live @ Resolution::Live(_)))) => live,
        (EmbedAnswer::NotAvailable { evidence, .. }, page) => {
            let first = Resolution::Transient {
                source: embed_page::SOURCE.to_owned(),
                evidence: format!(
                    "{evidence}: Threads answers this for deleted, login-only and unknown posts \
                     alike, and the post page did not confirm it"
                ),
            };
            with_page(first, page.map(page_verdict))
        }
        (EmbedAnswer::Post(first) | EmbedAnswer::Transient(first), page) => {
            with_page(first, page.map(page_verdict))
        }
    }
}

/// A transient first verdict, with the post page's evidence joined to it.
fn with_page(first: Resolution, page: Option<Resolution>) -> Resolution {
    let Some(page) = page else {
        return first;
    };
    match &first {
        Resolution::Transient { source, .. } => Resolution::Transient {
            source: source.clone(),
            evidence: join_evidence(&first, &page),
        },
        _ => first,
    }
}
