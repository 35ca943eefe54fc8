//! `embedkeep scan`: list the embeds and remnants of one article (URL, file or stdin); store nothing.

use url::Url;

use super::args::{Cli, ScanArgs};
use super::input::read_local;
use super::output::emit;
use super::render;
use super::setup::load_config;
use super::table::Table;
use super::{Failure, Outcome, print_json};
use crate::http::HttpClient;
use crate::pipeline::{self, ScanInput};
use crate::report::{self, ArticleReport, FoundEmbed};

pub(super) async fn run(cli: &Cli, args: &ScanArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let http =
        HttpClient::new(&config.http, &config.politeness).map_err(|e| Failure::Usage(e.into()))?;
    let input = if is_url(&args.target) {
        ScanInput::Url(args.target.clone())
    } else {
        let bytes = read_local(&args.target, config.http.max_body_bytes).await?;
        let base_url = match &args.base_url {
            Some(b) => Url::parse(b).map_err(|e| {
                Failure::Usage(anyhow::anyhow!("--base-url {b:?} is not a URL: {e}"))
            })?,
            None => file_url(&args.target)?,
        };
        ScanInput::Local {
            name: args.target.clone(),
            bytes,
            base_url,
        }
    };
    let outcome = pipeline::scan(&http, input).await;
    let failed = outcome.error.is_some();
    let doc = report::scan_document(std::slice::from_ref(&outcome));
    if args.json {
        print_json(&doc)?;
    } else if let Some(report) = doc.articles.first() {
        emit(format_args!("{}", render(report)));
    }
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

fn is_url(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A `file://` URL for a local path (relative links in a saved page resolve against it).
fn file_url(target: &str) -> Result<Url, Failure> {
    let path = std::path::absolute(target)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot resolve path {target}: {e}")))?;
    Url::from_file_path(&path).map_err(|()| {
        Failure::Usage(anyhow::anyhow!(
            "cannot make a URL of {}: pass --base-url",
            path.display()
        ))
    })
}

fn render(report: &ArticleReport<FoundEmbed>) -> String {
    let mut out = format!("{}\n", report.url);
    if let Some(title) = &report.title {
        out.push_str(&format!("  {title}\n"));
    }
    if let Some(error) = &report.error {
        out.push_str(&format!("  error: {error}\n"));
        return out;
    }
    let mut table = Table::new(&["PLATFORM", "KIND", "WHERE", "POST", "AUTHOR", "FOUND AS"]);
    for e in &report.embeds {
        let author = render::short_author(&e.markup.author_name, &e.markup.author_handle);
        let location = e.location.as_str().to_owned();
        table.row(vec![
            e.platform.to_string(),
            e.kind.to_string(),
            location,
            e.post_url.clone(),
            author,
            e.evidence.clone(),
        ]);
    }
    if table.is_empty() {
        out.push_str("  no embeds found\n");
    } else {
        out.push_str(&table.render("  "));
    }
    out.push_str(&render::remnants(&report.remnants));
    out.push_str(&format!(
        "{} embed(s), {} remnant(s)\n",
        report.embeds.len(),
        report.remnants.len()
    ));
    out
}
