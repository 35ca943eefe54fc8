//! `embedkeep rewrite`: an article's HTML with the embeds of gone posts (or, with `--mode all`,
//! of every archived post) replaced by their fallback cards, written to standard output in the
//! page's own charset. It only reads the archive: a missing archive is an error, never created.

use url::Url;

use super::args::{Cli, RewriteArgs, RewriteMode};
use super::input::read_local;
use super::output::emit_bytes;
use super::setup::{db_path, load_config};
use super::{Failure, Outcome};
use crate::config::Config;
use crate::model::{PostRecord, PostStatus, StoredSnapshot};
use crate::platforms;
use crate::render::{self, CardInput, CardSet, PageEmbeds};
use crate::store::{StoreError, StoreReader};

pub(super) async fn run(cli: &Cli, args: &RewriteArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    let base_url = Url::parse(&args.base_url).map_err(|e| {
        Failure::Usage(anyhow::anyhow!(
            "--base-url {:?} is not a URL: {e}",
            args.base_url
        ))
    })?;
    let media_base = media_base(args.media_base.as_deref(), &config)?;
    if !path.exists() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "no archive at {}: archive the article first, or pass --db FILE",
            path.display()
        )));
    }
    let cap = config.http.max_body_bytes;
    let html = read_local(&args.input, cap).await?;
    let reader = StoreReader::new(&path);
    let mode = args.mode;
    let shown = if args.input == "-" {
        "standard input".to_owned()
    } else {
        args.input.clone()
    };
    let work = format!("rewriting {shown}");
    let (page, summary) = crate::blocking::run(work, move || {
        rewrite(&html, &base_url, &reader, mode, &media_base, cap)
    })
    .await
    .map_err(|e| Failure::Runtime(e.into()))??;
    emit_bytes(&page);
    if !cli.quiet {
        eprintln!(
            "embedkeep: {} of {} embedded posts replaced by cards (mode {})",
            summary.replaced,
            summary.embedded,
            mode.as_str()
        );
    }
    Ok(Outcome::Success)
}

/// How many posts the page embeds, and how many of them got a card.
pub(super) struct Summary {
    pub(super) embedded: usize,
    pub(super) replaced: usize,
}

/// Scan the page, pick the posts that get a card, render the cards and rewrite the page.
pub(super) fn rewrite(
    html: &[u8],
    base_url: &Url,
    reader: &StoreReader,
    mode: RewriteMode,
    media_base: &str,
    cap: u64,
) -> Result<(Vec<u8>, Summary), Failure> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let page = PageEmbeds::scan(
        html,
        base_url,
        &platforms::recognise,
        platforms::embed_forms(),
        cap,
    )
    .map_err(|e| Failure::Runtime(e.into()))?;
    let keys = page.posts();
    let chosen = reader
        .call_blocking(|store| {
            let mut chosen: Vec<(PostRecord, Option<StoredSnapshot>)> = Vec::new();
            for key in &keys {
                let post = match store.post_by_key(key) {
                    Ok(post) => post,
                    Err(StoreError::NotFound(_)) => continue,
                    Err(e) => return Err(e),
                };
                let gone = post.status() == PostStatus::Gone;
                if mode == RewriteMode::Gone && !gone {
                    continue;
                }
                let snapshot = store.latest_snapshot(post.id)?;
                // Privacy mode swaps a working embed only for a card that shows the post.
                if snapshot.is_none() && !gone {
                    continue;
                }
                chosen.push((post, snapshot));
            }
            Ok(chosen)
        })
        .map_err(|e| {
            Failure::Runtime(anyhow::anyhow!(
                "cannot read database {}: {e}",
                reader.path().display()
            ))
        })?;
    let cards: CardSet = chosen
        .iter()
        .map(|(post, snapshot)| {
            let card = render::card(&CardInput {
                post,
                snapshot: snapshot.as_ref(),
                media_base,
                archived_on: None,
            });
            (post.key.clone(), card)
        })
        .collect();
    let out = page
        .rewrite(&cards)
        .map_err(|e| Failure::Runtime(e.into()))?;
    let summary = Summary {
        embedded: keys.len(),
        replaced: cards.len(),
    };
    Ok((out, summary))
}

/// Where the cards' thumbnails come from: `--media-base`, else the server's public address,
/// else nowhere (cards without images).
fn media_base(flag: Option<&str>, config: &Config) -> Result<String, Failure> {
    if let Some(base) = flag {
        let site_path = base.starts_with('/') && !base.starts_with("//");
        let web = Url::parse(base).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !(site_path || web) {
            return Err(Failure::Usage(anyhow::anyhow!(
                "--media-base {base:?} is neither an http(s) URL nor a path like /v1/media/"
            )));
        }
        return Ok(base.to_owned());
    }
    Ok(config
        .serve
        .public_base_url
        .as_deref()
        .map(|b| format!("{}/v1/media/", b.trim_end_matches('/')))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_base_from_the_flag_or_the_public_address() {
        let mut config = Config::default();
        assert_eq!(media_base(None, &config).ok().as_deref(), Some(""));
        config.serve.public_base_url = Some("https://embeds.example.com/".into());
        assert_eq!(
            media_base(None, &config).ok().as_deref(),
            Some("https://embeds.example.com/v1/media/")
        );
        assert_eq!(
            media_base(Some("/v1/media/"), &config).ok().as_deref(),
            Some("/v1/media/")
        );
        for bad in ["javascript:alert(1)", "media/", "//cdn.example/m/"] {
            let err = media_base(Some(bad), &config).expect_err(bad);
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }
}
