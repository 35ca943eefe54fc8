//! `embedkeep demo`: the whole loop offline. The bundled article is archived from recorded
//! platform answers replayed on loopback into a fresh archive (a temporary directory, or
//! `--keep DIR`), one of its posts goes away, and the archive is served by the normal serve
//! router (read-only connections) with the demo's own pages in front: the article with the page
//! script, and the article as `embedkeep rewrite` makes it. The URLs to open go to stdout,
//! progress to stderr; it serves until SIGTERM or SIGINT (exit 0).
//!
//! It reads no config file and no database of the user's: `--config` and `--db` are ignored.

use std::path::{Path, PathBuf};

use url::Url;

use super::args::{Cli, DemoArgs, RewriteMode};
use super::output::{emit_err, emitln};
use super::{Failure, Outcome};
use crate::demo::pages::{self, DemoPages};
use crate::demo::{self, ARTICLE_HTML, ARTICLE_URL, GONE_POST};
use crate::serve::{ServeState, router, serve_router};
use crate::store::StoreReader;

/// Where cards in the rewritten article load their images from: this server's media route.
const MEDIA_BASE: &str = "/v1/media/";

pub(super) async fn run(cli: &Cli, args: &DemoArgs) -> Result<Outcome, Failure> {
    let say = |text: String| {
        if !cli.quiet {
            emit_err(format_args!("embedkeep demo: {text}"));
        }
    };
    if cli.config.is_some() || cli.db.is_some() {
        say("uses its own settings and archive: --config and --db are ignored".into());
    }
    let (dir, _temporary) = archive_dir(args.keep.as_deref())?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| {
            Failure::Runtime(anyhow::anyhow!(
                "cannot listen on {} (--listen): {e}",
                args.listen
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot read the bound address: {e}")))?;

    say(format!(
        "archiving {ARTICLE_URL} from recorded answers into {}",
        dir.display()
    ));
    let made = demo::prepare(&dir)
        .await
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot set up the demo: {e}")))?;
    if let Some(error) = &made.archived.error {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "cannot archive the bundled article: {error}"
        )));
    }
    say(format!(
        "{} posts archived; {GONE_POST} then answered as gone and is now {}",
        made.archived.embeds.len(),
        made.gone.post.status().as_str()
    ));
    // The server only reads; the archive is complete, so its writer is done.
    if let Err(e) = made.store.writer.close().await {
        tracing::warn!("{e}");
    }

    let reader = StoreReader::new(&made.database);
    let base_url = Url::parse(ARTICLE_URL)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("{ARTICLE_URL}: {e}")))?;
    let cap = made.config.http.max_body_bytes;
    let rewrite_reader = reader.clone();
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let rewritten = crate::blocking::run("rewriting the demo article", move || {
        crate::serve::rewrite_article(
            ARTICLE_HTML,
            None,
            &base_url,
            &rewrite_reader,
            RewriteMode::Gone.into(),
            MEDIA_BASE,
            cap,
        )
    })
    .await
    .map_err(|e| Failure::Runtime(e.into()))?
    .map_err(|e| Failure::Runtime(e.into()))?;
    say(format!(
        "rewritten article: {} of {} embedded posts replaced by cards",
        rewritten.replaced, rewritten.embedded
    ));
    let rewritten = rewritten.html;

    let origin = format!("http://{addr}");
    let state = ServeState::new(
        reader,
        None,
        None,
        Some(origin.clone()),
        made.config.serve.media_cache_bytes(),
    )
    .map_err(|e| Failure::Runtime(e.into()))?;
    let links = pages::links(made.gone.post.id, GONE_POST);
    let app = pages::router(
        DemoPages::new(ARTICLE_HTML, rewritten, &links),
        router(state),
    );

    // Listen for the stop signals before the links are printed: whoever reads them may stop
    // the demo at once, and a signal before then would end the process without its cleanup.
    let stop = super::stop::signals()?;
    let width = links.iter().map(|l| l.label.len()).max().unwrap_or(0);
    emitln(format!("embedkeep demo on {origin}/ - open:"));
    for link in &links {
        emitln(format!(
            "  {:width$}  {origin}{}",
            link.label,
            link.path,
            width = width
        ));
    }
    say("serving; Ctrl-C to stop".into());
    serve_router(listener, app, stop).await;
    drop(made.replay);
    match &args.keep {
        Some(dir) => say(format!("stopped; the archive stays in {}", dir.display())),
        None => say("stopped; the temporary archive is removed".into()),
    }
    Ok(Outcome::Success)
}

/// The directory the demo archive goes in, and the temporary directory that removes it on
/// drop (`None` with `--keep`).
fn archive_dir(keep: Option<&Path>) -> Result<(PathBuf, Option<tempfile::TempDir>), Failure> {
    match keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::Usage(anyhow::anyhow!(
                    "--keep {}: cannot create the directory: {e}",
                    dir.display()
                ))
            })?;
            if dir.join(demo::DATABASE_FILE).exists() {
                return Err(Failure::Usage(anyhow::anyhow!(
                    "--keep {}: it already holds a demo archive ({}); remove it or pick another directory",
                    dir.display(),
                    demo::DATABASE_FILE
                )));
            }
            Ok((dir.to_owned(), None))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("embedkeep-demo-")
                .tempdir()
                .map_err(|e| {
                    Failure::Runtime(anyhow::anyhow!(
                        "cannot create a temporary directory in {}: {e}",
                        std::env::temp_dir().display()
                    ))
                })?;
            Ok((temp.path().to_owned(), Some(temp)))
        }
    }
}
