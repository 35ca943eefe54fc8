//! `embedkeep export --static DIR | --warc FILE`: the archive as files that outlive the program.
//!
//! `--static` writes a folder ready for a CDN: per post its card page and its media, and an
//! `index.json` of every post (the layout is `render::static_site`'s). `--warc` writes one
//! WARC/1.1 file, a gzip member per record: a `warcinfo` record, then per snapshot the recorded
//! upstream answers as `response` records and the snapshot itself as a `metadata` record (the
//! JSON of `show --json`'s snapshot), linked by `WARC-Refers-To` / `WARC-Concurrent-To`.
//!
//! It reads the archive only (a missing archive is an error, never created), one post at a time.
//! Every file is written under a temporary name and renamed into place, so a reader never sees
//! half a file: the WARC file appears whole or not at all, and in a static export `index.json`
//! is written last. An existing FILE is replaced only with `--force`; DIR may exist if it is
//! empty (or with `--force`, whose files of the same name are then replaced).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use chrono::Utc;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::args::{Cli, ExportArgs};
use super::atomic_file;
use super::failure::Problem;
use super::setup::{db_path, load_config, read_failure, require_archive};
use super::{Failure, Outcome, print_json};
use crate::model::{PostRecord, StoredSnapshot};
use crate::render::{self, IndexEntry, StaticIndex, WarcWriter};
use crate::report::SnapshotReport;
use crate::store::{Store, StoreReader};

/// What an export wrote, for the `--json` summary and the closing line.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct ExportSummary {
    /// `static` or `warc`.
    format: &'static str,
    /// The folder or file written.
    path: String,
    posts: u64,
    /// Static: card pages written.
    cards: u64,
    /// Static: media files in the folder for this export (each content once), whether written
    /// now or already there from an earlier export with the same bytes.
    media_files: u64,
    /// WARC: records written, and of them `response` and `metadata` records.
    records: u64,
    responses: u64,
    metadata: u64,
    /// Bytes written (the WARC file, or every file of the folder).
    bytes: u64,
}

#[derive(Serialize)]
struct ExportDocument<'a> {
    export: &'a ExportSummary,
}

pub(super) async fn run(cli: &Cli, args: &ExportArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    let target = match (&args.warc, &args.static_dir) {
        (Some(file), None) => Target::Warc(file.clone()),
        (None, Some(dir)) => Target::Static(dir.clone()),
        // clap's group makes exactly one of them required.
        _ => {
            return Err(Problem::new("usage", "give --warc FILE or --static DIR").usage());
        }
    };
    target.check(args.force)?;
    let public = config
        .serve
        .public_base_url
        .as_deref()
        .map(|b| b.trim_end_matches('/').to_owned());
    let reader = StoreReader::new(&path);
    let bar = bar(cli.quiet || args.json);
    let progress = bar.clone();
    let work = format!("the export of {}", path.display());
    let summary = crate::blocking::run(work, move || {
        reader
            .call_blocking(|store| {
                Ok(match &target {
                    Target::Warc(file) => warc(store, file, &progress),
                    Target::Static(dir) => static_site(store, dir, public.as_deref(), &progress),
                })
            })
            .map_err(|e| read_failure(reader.path(), "read", e))?
    })
    .await
    .map_err(|e| Failure::Runtime(e.into()))??;
    bar.finish_and_clear();
    if args.json {
        print_json(&ExportDocument { export: &summary })?;
    } else if summary.format == "warc" {
        super::output::emitln(format!(
            "exported {} posts to {}: {} records ({} responses, {} snapshots), {} bytes",
            summary.posts,
            summary.path,
            summary.records,
            summary.responses,
            summary.metadata,
            summary.bytes
        ));
    } else {
        super::output::emitln(format!(
            "exported {} posts to {}: {} card pages, {} media files and {}, {} bytes",
            summary.posts,
            summary.path,
            summary.cards,
            summary.media_files,
            render::INDEX_FILE,
            summary.bytes
        ));
    }
    Ok(Outcome::Success)
}

/// Where the export goes.
enum Target {
    Warc(PathBuf),
    Static(PathBuf),
}

impl Target {
    /// Refuse to replace what exists, unless `force`.
    fn check(&self, force: bool) -> Result<(), Failure> {
        match self {
            Target::Warc(file) => {
                if file.is_dir() {
                    return Err(Problem::new(
                        "usage",
                        format!("--warc {} is a folder, not a file", file.display()),
                    )
                    .input(file.display().to_string())
                    .usage());
                }
                if file.exists() && !force {
                    return Err(Problem::new("usage", format!("{} exists", file.display()))
                        .input(file.display().to_string())
                        .hint("pass --force to replace it")
                        .usage());
                }
            }
            Target::Static(dir) => {
                if dir.exists() && !dir.is_dir() {
                    return Err(Problem::new(
                        "usage",
                        format!("--static {} exists and is not a folder", dir.display()),
                    )
                    .input(dir.display().to_string())
                    .usage());
                }
                let empty = fs::read_dir(dir)
                    .map(|mut entries| entries.next().is_none())
                    .unwrap_or(true);
                if !empty && !force {
                    return Err(Problem::new(
                        "usage",
                        format!("{} is not empty", dir.display()),
                    )
                    .input(dir.display().to_string())
                    .hint("export into a new or empty folder, or pass --force to write into it")
                    .usage());
                }
            }
        }
        Ok(())
    }
}

/// A bar counting posts on stderr (hidden with `--quiet`, `--json` or no terminal).
fn bar(hidden: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if hidden {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed}] {bar:30} {pos}/{len} posts  {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

fn io_failure(what: &Path, doing: &str, e: std::io::Error) -> Failure {
    Problem::new("io", format!("cannot {doing} {}: {e}", what.display()))
        .input(what.display().to_string())
        .runtime()
}

/// A post with its snapshots (newest first), read in one go.
fn read_post(store: &Store, id: i64) -> Result<(PostRecord, Vec<StoredSnapshot>), Failure> {
    let post = store
        .post(id)
        .map_err(|e| read_failure(store.path(), "read", e))?;
    let snapshots = store
        .snapshots(id)
        .map_err(|e| read_failure(store.path(), "read", e))?;
    Ok((post, snapshots))
}

/// A name beside `path` to write under before renaming into place.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Write `bytes` to `path` under a temporary name and rename it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    atomic_file::write_atomically(path, bytes).map_err(|e| io_failure(path, "write", e))
}

/// `--static DIR`.
fn static_site(
    store: &Store,
    dir: &Path,
    public: Option<&str>,
    bar: &ProgressBar,
) -> Result<ExportSummary, Failure> {
    for sub in ["", render::CARDS_DIR, render::MEDIA_DIR] {
        let folder = dir.join(sub);
        fs::create_dir_all(&folder).map_err(|e| io_failure(&folder, "create the folder", e))?;
    }
    let ids = store
        .post_ids()
        .map_err(|e| read_failure(store.path(), "read", e))?;
    bar.set_length(ids.len() as u64);
    let mut summary = ExportSummary {
        format: "static",
        path: dir.display().to_string(),
        ..ExportSummary::default()
    };
    let mut entries = Vec::with_capacity(ids.len());
    // Media files are named by their content: posts that share an image share its file.
    let mut media_in_export = HashSet::new();
    for id in ids {
        let (post, snapshots) = read_post(store, id)?;
        bar.set_message(post.canonical_url.clone());
        let latest = snapshots.first();
        for image in render::media_of(latest) {
            let Some(relative) = render::media_path(image) else {
                continue;
            };
            if !media_in_export.insert(relative.clone()) {
                continue;
            }
            let file = dir.join(&relative);
            let len = match intact_len(&file, &image.sha256) {
                // An earlier export into this folder (`--force`) wrote these very bytes.
                Some(len) => len,
                None => {
                    let bytes = store
                        .blob(&image.sha256)
                        .map_err(|e| read_failure(store.path(), "read", e))?;
                    write_atomically(&file, &bytes)?;
                    bytes.len() as u64
                }
            };
            summary.media_files += 1;
            summary.bytes += len;
        }
        let oembed = public.map(|base| {
            let url: String =
                url::form_urlencoded::byte_serialize(post.canonical_url.as_bytes()).collect();
            format!("{base}/oembed?url={url}&format=json")
        });
        let page = render::card_file(&post, latest, oembed.as_deref());
        write_atomically(&dir.join(render::card_path(&post)), page.as_bytes())?;
        summary.cards += 1;
        summary.bytes += page.len() as u64;
        entries.push(IndexEntry::new(&post, latest));
        summary.posts += 1;
        bar.inc(1);
    }
    let index = StaticIndex::new(Utc::now(), entries).to_bytes();
    write_atomically(&dir.join(render::INDEX_FILE), &index)?;
    summary.bytes += index.len() as u64;
    Ok(summary)
}

/// The length of the file at `path` when it holds the content whose sha256 is `sha256` (hex),
/// so it need not be written again. A file of that name with other bytes (changed by hand, or
/// by another program) is `None`: it is replaced.
fn intact_len(path: &Path, sha256: &str) -> Option<u64> {
    let bytes = fs::read(path).ok()?;
    (crate::store::sha256_hex(&bytes) == sha256).then_some(bytes.len() as u64)
}

/// `--warc FILE`.
fn warc(store: &Store, file: &Path, bar: &ProgressBar) -> Result<ExportSummary, Failure> {
    let temporary = temporary_beside(file);
    let result = write_warc(store, file, &temporary, bar);
    match result {
        Ok(summary) => {
            fs::rename(&temporary, file).map_err(|e| {
                let _ = fs::remove_file(&temporary);
                io_failure(file, "write", e)
            })?;
            Ok(summary)
        }
        Err(e) => {
            let _ = fs::remove_file(&temporary);
            Err(e)
        }
    }
}

fn write_warc(
    store: &Store,
    file: &Path,
    temporary: &Path,
    bar: &ProgressBar,
) -> Result<ExportSummary, Failure> {
    let io = |e: std::io::Error| io_failure(file, "write", e);
    let out = File::create(temporary).map_err(io)?;
    let mut writer = WarcWriter::new(BufWriter::new(out));
    let filename = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let software = format!("embedkeep/{}", env!("CARGO_PKG_VERSION"));
    writer
        .warcinfo(
            &filename,
            Utc::now(),
            &[
                ("software", software.as_str()),
                ("format", "WARC File Format 1.1"),
                (
                    "conformsTo",
                    "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                ),
                (
                    "description",
                    "embedkeep archive: the recorded upstream answers of each snapshot as response records (HTTP/1.1 block synthesised from the stored content type and body) and each snapshot as an application/json metadata record",
                ),
            ],
        )
        .map_err(io)?;
    let ids = store
        .post_ids()
        .map_err(|e| read_failure(store.path(), "read", e))?;
    bar.set_length(ids.len() as u64);
    let mut summary = ExportSummary {
        format: "warc",
        path: file.display().to_string(),
        ..ExportSummary::default()
    };
    for id in ids {
        let (post, snapshots) = read_post(store, id)?;
        bar.set_message(post.canonical_url.clone());
        // Oldest first: the file reads in the order things were recorded.
        for snapshot in snapshots.iter().rev() {
            let answers = store
                .raw_bodies(snapshot.id)
                .map_err(|e| read_failure(store.path(), "read", e))?;
            let mut responses = Vec::with_capacity(answers.len());
            for answer in &answers {
                let id = writer
                    .response(
                        &answer.url,
                        snapshot.first_seen_at,
                        answer.content_type.as_deref(),
                        &answer.bytes,
                    )
                    .map_err(io)?;
                responses.push(id);
                summary.responses += 1;
            }
            let json = serde_json::to_vec_pretty(&SnapshotReport::from(snapshot)).map_err(|e| {
                Failure::Runtime(anyhow::anyhow!(
                    "cannot encode snapshot {} as JSON: {e}",
                    snapshot.id
                ))
            })?;
            writer
                .metadata(
                    &post.canonical_url,
                    snapshot.first_seen_at,
                    &responses,
                    &json,
                )
                .map_err(io)?;
            summary.metadata += 1;
        }
        summary.posts += 1;
        bar.inc(1);
    }
    summary.records = writer.records();
    let out = writer.finish().map_err(io)?;
    let out = out.into_inner().map_err(|e| io(e.into_error()))?;
    out.sync_all().map_err(io)?;
    summary.bytes = out.metadata().map_err(io)?.len();
    Ok(summary)
}
