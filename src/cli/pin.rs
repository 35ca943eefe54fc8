//! `embedkeep pin`: an operator's verdict on a post (`--gone`, `--live`) that readers see instead
//! of the checks' until it is lifted (`--auto`). Checks go on underneath and keep their own
//! bookkeeping; they never clear a pin.

use chrono::Utc;

use super::args::{Cli, PinArgs};
use super::output::{emitln, terminal_text};
use super::setup::{
    db_path, load_config, not_archived, open_handles, read_failure, require_archive,
};
use super::target;
use super::{Failure, Outcome, print_json};
use crate::model::PostError;
use crate::pipeline;
use crate::report::PostWithSnapshot;
use crate::store::StoreError;

pub(super) async fn run(cli: &Cli, args: &PinArgs) -> Result<Outcome, Failure> {
    let url = target::post_url(&args.post_url)?;
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    let store = open_handles(&path).await?;
    let pin = args.pin();
    let written = store
        .writer
        .call(move |s| {
            let post = pipeline::find_post(s, &url)?;
            let post = s.set_pin(post.id, pin, Utc::now())?;
            let kind = s.post_embeds(post.id)?.first().map(|e| e.embed.kind);
            let snapshot = s.latest_snapshot(post.id)?;
            Ok((post, kind, snapshot))
        })
        .await;
    if let Err(e) = store.writer.close().await {
        tracing::warn!("{e}");
    }
    let (post, kind, snapshot) = written.map_err(|e| match e {
        StoreError::NotFound(_) => not_archived(
            &PostError::NotArchived {
                post_url: args.post_url.clone(),
            }
            .to_string(),
            &args.post_url,
        ),
        other => read_failure(&path, &format!("pin {} in", args.post_url), other),
    })?;
    if args.json {
        print_json(&PostWithSnapshot::new(&post, kind, snapshot.as_ref()))?;
    } else {
        let why = match post.pin {
            Some(_) => format!("pinned; the checks say {}", post.liveness.status),
            None => "not pinned: the checks decide".to_owned(),
        };
        emitln(format_args!(
            "{}\n  #{}  {}  status: {} ({why})",
            terminal_text(&post.canonical_url),
            post.id,
            post.platform,
            post.status()
        ));
    }
    Ok(Outcome::Success)
}
