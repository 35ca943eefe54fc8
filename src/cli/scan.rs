//! `embedkeep scan`: list the embeds and remnants of one article (URL, file or stdin); store nothing.

use url::Url;

use super::args::{Cli, ScanArgs};
use super::explain;
use super::input::read_local;
use super::output::emit;
use super::render;
use super::setup::load_config;
use super::table::Table;
use super::target::{self, ScanTarget};
use super::{Failure, Outcome, print_json};
use crate::http::HttpClient;
use crate::pipeline::{self, ScanInput};
use crate::report::{self, ArticleReport, FoundEmbed};

pub(super) async fn run(cli: &Cli, args: &ScanArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let http =
        HttpClient::new(&config.http, &config.politeness).map_err(|e| Failure::Usage(e.into()))?;
    let input = match target::scan_target(&args.target)? {
        ScanTarget::Url(url) => ScanInput::Url(url),
        ScanTarget::Local(name) => {
            let base_url = match &args.base_url {
                Some(b) => super::archive::base_url(b)?,
                None => file_url(&name)?,
            };
            let bytes = read_local(&name, config.http.max_body_bytes).await?;
            ScanInput::Local {
                name,
                bytes,
                base_url,
            }
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
    let name = if report.url == "-" {
        "standard input"
    } else {
        &report.url
    };
    let mut out = format!("{name}\n");
    if let Some(title) = &report.title {
        out.push_str(&format!("  {title}\n"));
    }
    if let Some(error) = &report.error {
        // The error names the input already, as the line above does.
        let error = error
            .strip_prefix(report.url.as_str())
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(error);
        out.push_str(&explain::error_lines(error, "  "));
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
