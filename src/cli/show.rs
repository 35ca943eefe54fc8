//! `embedkeep show`: a post's status, snapshots and check history.

use url::Url;

use super::args::{Cli, ShowArgs};
use super::render;
use super::setup::{db_path, load_config};
use super::table::Table;
use super::{Failure, Outcome, print_json};
use crate::model::PostKey;
use crate::platforms;
use crate::report::PostReport;
use crate::store::{Store, StoreError};

pub(super) async fn run(cli: &Cli, args: &ShowArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    if !path.exists() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "no archive at {}: archive an article first",
            path.display()
        )));
    }
    let post_url = args.post_url.clone();
    let report = tokio::task::spawn_blocking(move || -> Result<PostReport, Failure> {
        let store = Store::open_read_only(&path).map_err(|e| {
            Failure::Runtime(anyhow::anyhow!(
                "cannot open database {}: {e}",
                path.display()
            ))
        })?;
        let post = find(&store, &post_url)?;
        let snapshots = store.snapshots(post.id).map_err(runtime)?;
        let checks = store.checks(post.id).map_err(runtime)?;
        let kind = store
            .post_embeds(post.id)
            .map_err(runtime)?
            .first()
            .map(|e| e.embed.kind);
        Ok(PostReport::new(&post, kind, &snapshots, &checks))
    })
    .await
    .map_err(|e| Failure::Runtime(anyhow::anyhow!("show task failed: {e}")))??;
    if args.json {
        print_json(&report)?;
    } else {
        print!("{}", render(&report));
    }
    Ok(Outcome::Success)
}

fn runtime(e: StoreError) -> Failure {
    Failure::Runtime(e.into())
}

/// Look a post up by its canonical key, falling back to the URL as given.
fn find(store: &Store, post_url: &str) -> Result<crate::store::PostRecord, Failure> {
    let recognised = Url::parse(post_url)
        .ok()
        .and_then(|u| platforms::recognise(&u));
    let by_key = recognised.as_ref().and_then(|r| {
        r.post_id.as_ref().map(|id| PostKey {
            platform: r.platform,
            post_id: id.clone(),
        })
    });
    let found = match by_key {
        Some(key) => store.post_by_key(&key),
        None => store.post_by_url(post_url),
    };
    match found {
        Ok(p) => Ok(p),
        Err(StoreError::NotFound(_)) => Err(Failure::Runtime(anyhow::anyhow!(
            "{post_url} is not in the archive"
        ))),
        Err(e) => Err(runtime(e)),
    }
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
