//! `embedkeep rewrite`: an article's HTML with the embeds of gone posts (or, with `--mode all`,
//! of every archived post) replaced by their fallback cards, written to standard output in the
//! page's own charset. It only reads the archive: a missing archive is an error, never created.
//! Which embeds get a card is decided where `POST /v1/rewrite` decides it:
//! [`serve::rewrite_article`].

use url::Url;

use super::args::{Cli, RewriteArgs};
use super::input::read_local;
use super::output::{emit_bytes, emit_err};
use super::setup::{db_path, load_config};
use super::{Failure, Outcome};
use crate::config::Config;
use crate::serve;
use crate::store::StoreReader;

pub(super) async fn run(cli: &Cli, args: &RewriteArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    // The same reading as `scan` and `archive --html` give it: an http(s) URL.
    let base_url = super::archive::base_url(&args.base_url)?;
    let media_base = media_base(args.media_base.as_deref(), &config)?;
    // A mistyped page is the argument's fault, said before the archive is looked for.
    let cap = config.http.max_body_bytes;
    let html = read_local(&args.input, cap).await?;
    super::setup::require_archive(&path)?;
    let html_len = html.len();
    let reader = StoreReader::new(&path);
    let mode = args.mode;
    let shown = if args.input.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        args.input.display().to_string()
    };
    let work = format!("rewriting {shown}");
    // A page that cannot be rewritten is named; the archive names itself.
    let unreadable = |e: serve::ArticleRewriteError| match e {
        serve::ArticleRewriteError::Page(e) => Failure::Runtime(anyhow::anyhow!("{shown}: {e}")),
        e => Failure::Runtime(e.into()),
    };
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let rewritten = crate::blocking::run(work, move || {
        serve::rewrite_article(
            &html,
            None,
            &base_url,
            &reader,
            mode.into(),
            &media_base,
            cap,
        )
    })
    .await
    .map_err(|e| Failure::Runtime(e.into()))?
    .map_err(unreadable)?;
    emit_bytes(&rewritten.html);
    if !cli.quiet {
        emit_err(format_args!(
            "embedkeep: {} of {} embedded posts replaced by cards (mode {})",
            rewritten.replaced,
            rewritten.embedded,
            mode.as_str()
        ));
    }
    if rewritten.amp && !cli.quiet {
        emit_err(format_args!(
            "embedkeep: {shown} is an AMP page, written out as it was: AMP allows no card's \
             markup in a page's body, and its components play the posts themselves"
        ));
    }
    if !rewritten.complete {
        emit_err(format_args!(
            "embedkeep: {shown} was not read whole: a tag, or the elements open at once (an \
             element left open, such as <li> without </li>, counts until its parent closes), \
             goes past the parser's {} MiB limit for this page, and the page from there on is \
             written out as it was (its embeds neither counted nor replaced)",
            crate::render::parser_memory_limit(html_len) / (1024 * 1024)
        ));
    }
    Ok(Outcome::Success)
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
