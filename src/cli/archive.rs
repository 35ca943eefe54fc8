//! `embedkeep archive`: archive the embeds of articles now.

use url::Url;

use super::args::{ArchiveArgs, Cli};
use super::explain;
use super::input::read_local;
use super::output::{emit, emit_err, terminal_text};
use super::progress::Bar;
use super::render;
use super::setup::{db_path, load_config, open_handles, switched_off};
use super::style;
use super::table::Table;
use super::target;
use super::{Failure, Outcome, Problem, print_json};
use crate::model::{Platform, PostStatus};
use crate::pipeline::{ArticleInput, Pipeline, RunScope};
use crate::report::{self, ArchivedEmbed, ArticleReport};

pub(super) async fn run(cli: &Cli, args: &ArchiveArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let inputs = inputs(args, config.http.max_body_bytes).await?;
    let path = db_path(cli, &config)?;
    let switched_off = switched_off(&config);
    let store = open_handles(&path).await?;
    let pipeline = Pipeline::new(config.into(), store).map_err(|e| Failure::Usage(e.into()))?;

    let total = inputs.len();
    let urls: Vec<String> = inputs.iter().map(|input| input.url()).collect();
    let bar = Bar::for_articles(cli.quiet || args.json, total);
    let scope = RunScope::for_one_run();
    let mut outcomes = Vec::new();
    // Ctrl-C or SIGTERM stops the run: what finished is reported (and stays stored); the article in progress
    // keeps the posts already written.
    let stop = super::stop::signals()?;
    let interrupted = {
        let work = async {
            for input in inputs {
                bar.article(&input.url());
                let outcome = pipeline.archive_article(input, &scope, &bar).await;
                outcomes.push(outcome);
            }
        };
        tokio::select! {
            () = work => false,
            () = stop => true,
        }
    };
    bar.finish();
    if interrupted {
        emit_err(format_args!(
            "embedkeep: interrupted: {} of {total} article(s) finished; the report below covers \
             them. The posts of the article in progress archived before the interruption stay \
             stored: `embedkeep list --article URL` lists them",
            outcomes.len()
        ));
    }
    if let Err(e) = pipeline.store().writer.close().await {
        tracing::warn!("{e}");
    }

    let mut doc = report::archive_document(&outcomes);
    if interrupted {
        // Articles are archived one after another: the first ones finished.
        doc.interrupted = Some(report::Interrupted {
            not_done: urls.get(outcomes.len()..).unwrap_or_default().to_vec(),
        });
    }
    if args.json {
        print_json(&doc)?;
    } else {
        emit(format_args!("{}", render(&doc.articles, &switched_off)));
    }
    let failed = interrupted || outcomes.iter().any(|a| a.has_failures());
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// The articles to archive: the URLs, then the page of `--html FILE --base-url URL`. Every
/// argument is checked here, before the archive is opened: a mistyped one creates nothing.
async fn inputs(args: &ArchiveArgs, limit: u64) -> Result<Vec<ArticleInput>, Failure> {
    let mut inputs = args
        .urls
        .iter()
        .map(|u| target::article_url(u).map(ArticleInput::Url))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(file) = &args.html else {
        // `--base-url` without `--html`, beside URLs, would otherwise be ignored, leaving the
        // user believing the URLs were read against it.
        if args.base_url.is_some() {
            return Err(Problem::new(
                "missing-argument",
                "--base-url is for a saved page and needs --html FILE; \
                 an article URL is fetched from its own address",
            )
            .input("--base-url")
            .hint("archive a saved page with --html FILE --base-url URL, or leave --base-url out")
            .usage());
        }
        return Ok(inputs);
    };
    let base_url = base_url(args.base_url.as_deref().unwrap_or_default())?;
    let bytes = read_local(file, limit).await?;
    // Refused before anything is stored: a compressed or binary file read as a page would be
    // archived as an article with no embeds, and the run would say it succeeded.
    if let Some(what) = crate::pipeline::binary_kind(&bytes) {
        let name = file.display().to_string();
        let shown = if name == "-" {
            "standard input"
        } else {
            name.as_str()
        };
        return Err(Problem::new(
            "not-text",
            crate::model::ArticleError::NotText {
                url: shown.to_owned(),
                what: what.to_owned(),
            }
            .to_string(),
        )
        .input(name.as_str())
        .hint(
            "archive --html reads a saved HTML page, as the browser saved it \
                     (uncompress it first if it was saved compressed)",
        )
        .runtime());
    }
    let html = crate::http::decode_html(&bytes, None);
    inputs.push(ArticleInput::Html { html, base_url });
    Ok(inputs)
}

/// `--base-url`: an http(s) URL, `https://` in front when it starts with a host name.
pub(super) fn base_url(arg: &str) -> Result<Url, Failure> {
    let problem = |why: String| {
        Problem::new(
            "invalid-url",
            format!("--base-url {arg:?} is not a URL: {why}"),
        )
        .input(arg)
        .hint("give the address the page was published at, e.g. https://example.com/article")
        .usage()
    };
    let text = target::lookup_url(arg);
    let url = Url::parse(&text).map_err(|e| problem(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(problem("only http and https URLs".into()));
    }
    Ok(url)
}

/// Human output: per article a header line and a table of its posts, then one summary line.
/// Every post counted in the summary is live, gone or suspect, or not checked (an error, or a
/// platform switched off in `switched_off`); a post that several articles embed counts once.
fn render(articles: &[ArticleReport<ArchivedEmbed>], switched_off: &[Platform]) -> String {
    let mut out = String::new();
    let (mut posts, mut live, mut gone, mut failed) = (0, 0, 0, 0);
    let mut counted = std::collections::HashSet::new();
    let mut unstored = std::collections::HashSet::new();
    let mut left_out = 0;
    let failed_articles = articles.iter().filter(|a| a.error.is_some()).count();
    for a in articles {
        out.push_str(&terminal_text(&a.url));
        if let Some(status) = a.http_status {
            out.push_str(&format!("  (HTTP {status})"));
        }
        out.push('\n');
        if let Some(title) = &a.title {
            out.push_str(&format!("  {}\n", terminal_text(title)));
        }
        if let Some(error) = &a.error {
            out.push_str(&explain::article_error_lines(
                error,
                "  ",
                "pass --html FILE --base-url URL",
            ));
            out.push('\n');
            continue;
        }
        if a.embeds.is_empty() {
            out.push_str("  no embeds found\n");
        }
        if a.discovery_truncated {
            out.push_str(
                "  truncated: discovery did not read the whole page (more embed forms or markup \
                 than it reads, a tag of more attributes than any real one, or elements nested \
                 more than 256 deep); what it skipped \
                 was not looked at\n",
            );
        }
        if a.embeds_truncated > 0 {
            left_out += a.embeds_truncated;
            out.push_str(&format!(
                "  truncated: {} more embed(s) not archived (over limits.max_embeds_per_article)\n",
                a.embeds_truncated
            ));
        }
        let mut table = Table::new(&[
            "ID", "PLATFORM", "KIND", "STATUS", "POST", "AUTHOR", "SNAPSHOT",
        ]);
        table.paint_column(3, style::status);
        for e in &a.embeds {
            let author = match &e.snapshot {
                Some(s) => render::short_author(&s.author_name, &s.author_handle),
                None => {
                    render::short_author(&e.found.markup.author_name, &e.found.markup.author_handle)
                }
            };
            let snapshot = e
                .snapshot
                .as_ref()
                .map(|s| format!("#{} ({} media)", s.id, s.media.len()))
                .unwrap_or_else(|| "-".into());
            table.row(vec![
                e.id.map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
                e.found.platform.to_string(),
                e.found.kind.to_string(),
                render::status(e.status, e.pin.is_some()),
                e.found.post_url.clone(),
                author,
                snapshot,
            ]);
            if let Some(id) = e.id {
                if !counted.insert(id) {
                    continue;
                }
                // A post whose check failed, or whose platform is switched off, keeps its
                // earlier status, but was not checked now.
                posts += 1;
                match e.status {
                    _ if e.found.error.is_some() || switched_off.contains(&e.found.platform) => {
                        failed += 1;
                    }
                    PostStatus::Live => live += 1,
                    PostStatus::Gone | PostStatus::Suspect => gone += 1,
                    _ => failed += 1,
                }
            } else if e.found.error.is_some() {
                // A post that could not be stored (the archive could not be written) is still
                // one post, not checked, however many times the page embeds it.
                if !e.found.kind.is_post() {
                    failed += 1;
                } else if unstored.insert(e.found.post_url.clone()) {
                    posts += 1;
                    failed += 1;
                }
            }
        }
        if !table.is_empty() {
            out.push_str(&table.render("  "));
        }
        for e in a.embeds.iter() {
            if let Some(error) = &e.found.error {
                out.push_str(&explain::error_lines(error, "  "));
            }
        }
        let mut unasked: Vec<Platform> = Vec::new();
        for e in &a.embeds {
            let platform = e.found.platform;
            if e.id.is_some()
                && e.found.error.is_none()
                && switched_off.contains(&platform)
                && !unasked.contains(&platform)
            {
                unasked.push(platform);
            }
        }
        for platform in unasked {
            out.push_str(&format!(
                "  note: {platform} posts were not asked about: [platforms.{platform}] enabled = false \
                 in the config\n"
            ));
        }
        out.push_str(&render::remnants(&a.remnants));
        out.push('\n');
    }
    out.push_str(&format!(
        "{} article(s), {failed_articles} failed; {posts} post(s): {live} live, {gone} gone or suspect, {failed} not checked",
        articles.len()
    ));
    if left_out > 0 {
        out.push_str(&format!(
            "; {left_out} embed(s) left out (limits.max_embeds_per_article)"
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmbedKind, Location};
    use crate::report::{FoundEmbed, MarkupReading};

    fn embed(id: Option<i64>, post: &str, error: Option<&str>) -> ArchivedEmbed {
        ArchivedEmbed {
            id,
            found: FoundEmbed {
                platform: Platform::X,
                kind: EmbedKind::Post,
                post_url: format!("https://x.com/a/status/{post}"),
                post_id: Some(post.to_owned()),
                location: Location::Dom,
                evidence: "blockquote.twitter-tweet".to_owned(),
                markup: MarkupReading {
                    author_name: None,
                    author_handle: None,
                    text: None,
                    published_at: None,
                },
                error: error.map(str::to_owned),
            },
            status: PostStatus::Live,
            pin: None,
            snapshot: None,
        }
    }

    /// A full disk: the page's posts could not be stored, each embedded several times. The
    /// summary counts each post once, as it does stored ones.
    #[test]
    fn posts_that_could_not_be_stored_count_once() {
        let full = Some("cannot store: database or disk is full");
        let article = ArticleReport {
            url: "https://news.example/a".to_owned(),
            final_url: None,
            title: None,
            fetched_at: None,
            http_status: Some(200),
            error: None,
            embeds: vec![
                embed(Some(7), "1", None),
                embed(None, "2", full),
                embed(None, "2", full),
                embed(None, "3", full),
            ],
            remnants: Vec::new(),
            embeds_truncated: 0,
            discovery_truncated: false,
        };
        let text = render(&[article], &[]);
        assert!(
            text.contains(
                "1 article(s), 0 failed; 3 post(s): 1 live, 0 gone or suspect, 2 not checked"
            ),
            "{text}"
        );
    }
}
