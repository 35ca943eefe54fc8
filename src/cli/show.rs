//! `embedkeep show`: a post's status, snapshots and check history.

use super::args::{Cli, ShowArgs};
use super::output::emit;
use super::render;
use super::setup::{db_path, load_config};
use super::table::Table;
use super::{Failure, Outcome, print_json};
use crate::pipeline::{self, LookupError};
use crate::report::PostReport;
use crate::store::StoreReader;

pub(super) async fn run(cli: &Cli, args: &ShowArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    if !path.exists() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "no archive at {}: archive an article first",
            path.display()
        )));
    }
    let reader = StoreReader::new(&path);
    let view = pipeline::lookup(&reader, &args.post_url)
        .await
        .map_err(|e| match e {
            LookupError::NotArchived(e) => Failure::Runtime(e.into()),
            LookupError::Store(e) => Failure::Runtime(anyhow::anyhow!(
                "cannot read database {}: {e}",
                path.display()
            )),
        })?;
    let report = PostReport::from(&view);
    if args.json {
        print_json(&report)?;
    } else {
        emit(format_args!("{}", render(&report)));
    }
    Ok(Outcome::Success)
}

fn render(r: &PostReport) -> String {
    let mut out = format!(
        "{}\n  #{}  {}  {}  status: {}\n",
        r.post_url, r.id, r.platform, r.post_id, r.status
    );
    if let Some(at) = &r.last_live_at {
        out.push_str(&format!("  last seen live: {at}\n"));
    }
    out.push_str(&format!("\n  snapshots ({}):\n", r.snapshots.len()));
    for s in &r.snapshots {
        let who = render::author(&s.author_name, &s.author_handle, "(no author)");
        out.push_str(&format!(
            "  #{}  {}  from {}  seen {} .. {}\n",
            s.id, who, s.source, s.fetched_at, s.last_seen_at
        ));
        if let Some(p) = &s.published_at {
            out.push_str(&format!("      published {p}\n"));
        }
        if let Some(t) = &s.text {
            let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = flat.chars().take(200).collect();
            out.push_str(&format!("      {short}\n"));
        }
        for m in &s.media {
            match (&m.thumbnail, &m.error) {
                (Some(t), _) => out.push_str(&format!(
                    "      {} {}x{} thumbnail {} ({})\n",
                    m.kind.as_str(),
                    m.width.unwrap_or(0),
                    m.height.unwrap_or(0),
                    t.sha256,
                    t.mime
                )),
                (None, Some(e)) => {
                    out.push_str(&format!("      {} (no thumbnail: {e})\n", m.kind.as_str()))
                }
                (None, None) => out.push_str(&format!("      {}\n", m.kind.as_str())),
            }
        }
    }
    let mut checks = Table::new(&["WHEN", "OUTCOME", "SOURCE", "EVIDENCE"]);
    for c in &r.checks {
        checks.row(vec![
            c.at.clone(),
            c.outcome.as_str().to_owned(),
            c.source.clone(),
            c.evidence.clone(),
        ]);
    }
    out.push_str(&format!("\n  checks ({}):\n", r.checks.len()));
    if !checks.is_empty() {
        out.push_str(&checks.render("  "));
    }
    out
}
