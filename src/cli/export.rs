//! `embedkeep export --static DIR | --warc FILE|-`: the archive as files that outlive the program.
//!
//! `--static` writes a folder ready for a CDN: per post its card page and its media, and an
//! `index.json` of every post (the layout is `render::static_site`'s). `--warc` writes one
//! WARC/1.1 file, a gzip member per record: a `warcinfo` record, then per snapshot the recorded
//! upstream answers as `response` records and the snapshot itself as a `metadata` record (the
//! JSON of `show --json`'s snapshot), linked by `WARC-Refers-To` / `WARC-Concurrent-To`.
//! `--warc -` streams the WARC to standard output, as `scan -` and `rewrite -` read standard
//! input; its summary line then goes to stderr, and `--json` (which would share stdout) is
//! refused, as is a terminal for stdout.
//!
//! It reads the archive only (a missing archive is an error, never created), one post at a time.
//! Every file is written under a temporary name and renamed into place, so a reader never sees
//! half a file: the WARC file appears whole or not at all, and in a static export `index.json`
//! is written last. An existing FILE is replaced only with `--force`; DIR may exist if it is
//! empty (or with `--force`, whose files of the same name are then replaced).
//!
//! Every blob is checked against its sha256 as it is exported: a media file's name is its
//! digest (a CDN serves it as immutable) and a `response` record carries its payload's digest,
//! so bytes damaged in the archive are never written under that name. Such a blob is left out
//! (the card shows no image, as for a post without a thumbnail; the WARC has no record of that
//! answer), a warning names its digest and its posts, and the export ends partial (exit 1).

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, IsTerminal, Write};
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
use crate::store::{Store, StoreError, StoreReader};

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
    /// Static: media files, WARC: `response` records, left out because the archive's copy of
    /// their bytes is damaged (see `damaged_blobs`).
    left_out: u64,
    /// The blobs left out, each once, in digest order.
    damaged_blobs: Vec<DamagedBlob>,
}

/// A blob whose stored bytes no longer match the sha256 it is stored under.
#[derive(Debug, Clone, Serialize)]
struct DamagedBlob {
    sha256: String,
    /// What is wrong: `content hashes to …`, `cannot be decompressed: …`, `missing`.
    problem: String,
    /// The URLs of the posts whose export needed it, in the order met.
    posts: Vec<String>,
}

/// The damaged blobs met so far, by digest.
#[derive(Debug, Default)]
struct Damage(BTreeMap<String, DamagedBlob>);

impl Damage {
    fn is_damaged(&self, sha256: &str) -> bool {
        self.0.contains_key(sha256)
    }

    /// `post_url` needed the damaged blob `sha256` (`problem` is kept from the first time).
    fn note(&mut self, sha256: &str, problem: impl FnOnce() -> String, post_url: &str) {
        let blob = self
            .0
            .entry(sha256.to_owned())
            .or_insert_with(|| DamagedBlob {
                sha256: sha256.to_owned(),
                problem: problem(),
                posts: Vec::new(),
            });
        if !blob.posts.iter().any(|p| p == post_url) {
            blob.posts.push(post_url.to_owned());
        }
    }

    /// The blob `sha256`, checked ([`checked_blob`]) unless it is known damaged already: it is
    /// read once more for each post that needs it, never when it cannot be used.
    fn checked(&self, store: &Store, sha256: &str) -> Result<Checked, Failure> {
        if self.is_damaged(sha256) {
            // `note` keeps the problem found the first time.
            return Ok(Checked::Damaged(String::new()));
        }
        checked_blob(store, sha256)
    }

    fn into_list(self) -> Vec<DamagedBlob> {
        self.0.into_values().collect()
    }
}

/// A blob as read for the export.
enum Checked {
    /// Its bytes hash to its name.
    Intact(Vec<u8>),
    /// Damaged, and why.
    Damaged(String),
}

/// A blob's bytes, checked against the sha256 (lowercase hex) they are stored under.
fn checked_blob(store: &Store, sha256: &str) -> Result<Checked, Failure> {
    match store.blob(sha256) {
        Ok(bytes) => {
            let actual = crate::store::sha256_hex(&bytes);
            Ok(if actual == sha256 {
                Checked::Intact(bytes)
            } else {
                Checked::Damaged(format!("content hashes to {actual}"))
            })
        }
        Err(StoreError::CorruptBlob { source, .. }) => Ok(Checked::Damaged(format!(
            "cannot be decompressed: {source}"
        ))),
        Err(StoreError::NotFound(_)) => Ok(Checked::Damaged("missing".to_owned())),
        Err(e) => Err(read_failure(store.path(), "read", e)),
    }
}

#[derive(Serialize)]
struct ExportDocument<'a> {
    export: &'a ExportSummary,
}

pub(super) async fn run(cli: &Cli, args: &ExportArgs) -> Result<Outcome, Failure> {
    let target = match (&args.warc, &args.static_dir) {
        (Some(file), None) if file.as_os_str() == STDOUT => {
            if args.json {
                return Err(Problem::new(
                    "conflicting-arguments",
                    "--warc - writes the WARC to standard output, where --json would print its summary",
                )
                .input("--json")
                .hint("leave out --json (the summary line goes to stderr), or write the WARC to a file")
                .usage());
            }
            if std::io::stdout().is_terminal() {
                return Err(Problem::new(
                    "usage",
                    "--warc - writes the WARC (gzip, binary) to standard output, which is a terminal",
                )
                .input("-")
                .hint("redirect it to a file or pipe it to a program")
                .usage());
            }
            Target::WarcStdout
        }
        (Some(file), None) => Target::Warc(file.clone()),
        (None, Some(dir)) => Target::Static(dir.clone()),
        // clap's group makes exactly one of them required.
        _ => {
            return Err(Problem::new("usage", "give --warc FILE or --static DIR").usage());
        }
    };
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    target.check(args.force, &path)?;
    let public = config
        .serve
        .public_base_url
        .as_deref()
        .map(|b| b.trim_end_matches('/').to_owned());
    let reader = StoreReader::new(&path);
    let bar = bar(cli.quiet || args.json);
    let progress = bar.clone();
    let to_stdout = matches!(target, Target::WarcStdout);
    // The WARC's temporary file, removed if the export is interrupted; those an export killed
    // before (`kill -9`) left beside it are removed now.
    let temporary = match &target {
        Target::Warc(file) => {
            remove_dead_partials(file);
            Some(temporary_beside(file))
        }
        _ => None,
    };
    let shown_target = match &target {
        Target::Warc(file) | Target::Static(file) => file.display().to_string(),
        Target::WarcStdout => "standard output".to_owned(),
    };
    let work = format!("the export of {}", path.display());
    let job = crate::blocking::run(work, move || {
        reader
            .call_blocking(|store| {
                Ok(match &target {
                    Target::Warc(file) => warc(store, file, &progress),
                    Target::WarcStdout => warc_to_stdout(store, &progress),
                    Target::Static(dir) => static_site(store, dir, public.as_deref(), &progress),
                })
            })
            .map_err(|e| read_failure(reader.path(), "read", e))?
    });
    let stop = super::stop::signals()?;
    let summary = tokio::select! {
        done = job => done.map_err(|e| Failure::Runtime(e.into()))??,
        () = stop => {
            bar.finish_and_clear();
            if let Some(temporary) = &temporary {
                let _ = fs::remove_file(temporary);
            }
            let left = if to_stdout {
                "it holds part of a WARC"
            } else if temporary.is_some() {
                "the file is as it was"
            } else {
                "the folder holds the files written before it"
            };
            return Err(Problem::new(
                "interrupted",
                format!("the export to {shown_target} was interrupted; {left}"),
            )
            .input(shown_target)
            .runtime());
        }
    };
    bar.finish_and_clear();
    for blob in &summary.damaged_blobs {
        super::output::emit_err(format_args!(
            "embedkeep: warning: blob {} is damaged in the archive ({}), left out of the export of {} (embedkeep db check lists every damaged blob)",
            blob.sha256,
            blob.problem,
            blob.posts.join(", ")
        ));
    }
    let left_out = if summary.left_out == 0 {
        String::new()
    } else if summary.format == "warc" {
        format!(
            "; {} responses left out (damaged in the archive)",
            summary.left_out
        )
    } else {
        format!(
            "; {} media files left out (damaged in the archive)",
            summary.left_out
        )
    };
    let line = if summary.format == "warc" {
        format!(
            "exported {} posts to {}: {} records ({} responses, {} snapshots), {} bytes{left_out}",
            summary.posts,
            summary.path,
            summary.records,
            summary.responses,
            summary.metadata,
            summary.bytes
        )
    } else {
        format!(
            "exported {} posts to {}: {} card pages, {} media files and {}, {} bytes{left_out}",
            summary.posts,
            summary.path,
            summary.cards,
            summary.media_files,
            render::INDEX_FILE,
            summary.bytes
        )
    };
    if args.json {
        print_json(&ExportDocument { export: &summary })?;
    } else if to_stdout {
        // Standard output holds the WARC: the summary is a message beside it.
        if !cli.quiet {
            super::output::emit_err(format_args!("embedkeep: {line}"));
        }
    } else {
        super::output::emitln(line);
    }
    Ok(if summary.left_out == 0 {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}

/// `--warc -`: the WARC goes to standard output.
const STDOUT: &str = "-";

/// How the summary names standard output.
const STDOUT_NAME: &str = "standard output";

/// Where the export goes.
enum Target {
    Warc(PathBuf),
    /// `--warc -`.
    WarcStdout,
    Static(PathBuf),
}

impl Target {
    /// Refuse to replace what exists, unless `force`; never replace the archive being
    /// exported (`db`) or one of SQLite's files beside it, whatever `force` says.
    fn check(&self, force: bool, db: &Path) -> Result<(), Failure> {
        match self {
            Target::WarcStdout => {}
            Target::Warc(file) => {
                if let Some(own) = crate::store::archive_file(db, file) {
                    return Err(Problem::new(
                        "usage",
                        format!(
                            "--warc {} is {own}: writing the export there would destroy the archive",
                            file.display()
                        ),
                    )
                    .input(file.display().to_string())
                    .hint("write the WARC to another file")
                    .usage());
                }
                if file.is_dir() {
                    return Err(Problem::new(
                        "usage",
                        format!("--warc {} is a folder, not a file", file.display()),
                    )
                    .input(file.display().to_string())
                    .usage());
                }
                // The export replaces FILE by renaming a finished file over it: a link, a
                // device or a pipe there would be replaced by a plain file, not written
                // through, whatever `--force` says.
                if fs::symlink_metadata(file).is_ok_and(|m| !m.file_type().is_file()) {
                    return Err(Problem::new(
                        "usage",
                        format!(
                            "--warc {} exists and is not a regular file (a link, a device or \
                             a pipe): the export would replace it with a file",
                            file.display()
                        ),
                    )
                    .input(file.display().to_string())
                    .hint("write the WARC to a new file, or to standard output with --warc -")
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

/// Remove the temporary files (`.NAME.PID.partial`, [`temporary_beside`]) that exports of
/// `path` by processes no longer running left beside it: an export killed (`kill -9`, a crash)
/// cannot remove its own. A file whose process runs (another export at work) is left alone.
fn remove_dead_partials(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Whether a process runs is read from /proc: without it, nothing is removed.
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".partial"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let running = pid == std::process::id() || proc.join(pid.to_string()).exists();
        if !running && entry.file_type().is_ok_and(|t| t.is_file()) {
            match fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::info!(file = %entry.path().display(), "removed the temporary file of an export that did not finish")
                }
                Err(e) => tracing::debug!(file = %entry.path().display(), "cannot remove it: {e}"),
            }
        }
    }
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
        // The export writes inside DIR alone: a `cards` or `media` in it that is a link (to a
        // folder elsewhere, which others may have put there) is not written through.
        if !sub.is_empty() && fs::symlink_metadata(&folder).is_ok_and(|m| m.is_symlink()) {
            return Err(Problem::new(
                "usage",
                format!(
                    "{} is a symbolic link: the export writes only inside {}",
                    folder.display(),
                    dir.display()
                ),
            )
            .input(folder.display().to_string())
            .hint("remove the link, or export into another folder")
            .usage());
        }
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
    let mut damage = Damage::default();
    for id in ids {
        let (post, snapshots) = read_post(store, id)?;
        bar.set_message(post.canonical_url.clone());
        let mut latest = snapshots.into_iter().next();
        let images: Vec<(String, String)> = render::media_of(latest.as_ref())
            .into_iter()
            .filter_map(|image| Some((image.sha256.clone(), render::media_path(image)?)))
            .collect();
        let mut left_out = HashSet::new();
        for (sha256, relative) in images {
            if damage.is_damaged(&sha256) {
                damage.note(&sha256, String::new, &post.canonical_url);
                left_out.insert(sha256);
                continue;
            }
            if !media_in_export.insert(relative.clone()) {
                continue;
            }
            let file = dir.join(&relative);
            let len = match intact_len(&file, &sha256) {
                // An earlier export into this folder (`--force`) wrote these very bytes.
                Some(len) => len,
                None => match checked_blob(store, &sha256)? {
                    Checked::Intact(bytes) => {
                        write_atomically(&file, &bytes)?;
                        bytes.len() as u64
                    }
                    Checked::Damaged(problem) => {
                        // Nor is a file of that name from an earlier export kept: its bytes
                        // are not the ones its name promises either (`intact_len`).
                        match fs::remove_file(&file) {
                            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                                return Err(io_failure(&file, "remove", e));
                            }
                            _ => {}
                        }
                        media_in_export.remove(&relative);
                        damage.note(&sha256, || problem, &post.canonical_url);
                        summary.left_out += 1;
                        left_out.insert(sha256);
                        continue;
                    }
                },
            };
            summary.media_files += 1;
            summary.bytes += len;
        }
        if let Some(snapshot) = latest.as_mut() {
            without_images(snapshot, &left_out);
        }
        let latest = latest.as_ref();
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
    summary.damaged_blobs = damage.into_list();
    Ok(summary)
}

/// The snapshot as the static export shows it when the images `left_out` (by sha256) are not
/// in the folder: their media items have no thumbnail or original, as when none was made, so
/// the card and `index.json` never name a file that is not there.
fn without_images(snapshot: &mut StoredSnapshot, left_out: &HashSet<String>) {
    if left_out.is_empty() {
        return;
    }
    for media in &mut snapshot.snapshot.media {
        for image in [&mut media.thumbnail, &mut media.original] {
            if image.as_ref().is_some_and(|i| left_out.contains(&i.sha256)) {
                *image = None;
            }
        }
    }
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
    let result = warc_file(store, file, &temporary, bar);
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

/// The WARC of `--warc FILE`, written to `temporary` and synced.
fn warc_file(
    store: &Store,
    file: &Path,
    temporary: &Path,
    bar: &ProgressBar,
) -> Result<ExportSummary, Failure> {
    let io = |e: std::io::Error| io_failure(file, "write", e);
    let out = File::create(temporary).map_err(io)?;
    let filename = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let (summary, out) = write_warc(
        store,
        BufWriter::new(out),
        file,
        filename.as_deref(),
        file.display().to_string(),
        bar,
    )?;
    let out = out.into_inner().map_err(|e| io(e.into_error()))?;
    out.sync_all().map_err(io)?;
    Ok(summary)
}

/// `--warc -`: the WARC streamed to standard output. A reader that closes it early ends the
/// command quietly (see `output::StdoutStream`).
fn warc_to_stdout(store: &Store, bar: &ProgressBar) -> Result<ExportSummary, Failure> {
    let out = BufWriter::new(super::output::StdoutStream::new());
    let (summary, mut out) = write_warc(
        store,
        out,
        Path::new(STDOUT_NAME),
        None,
        STDOUT_NAME.to_owned(),
        bar,
    )?;
    out.flush()
        .map_err(|e| io_failure(Path::new(STDOUT_NAME), "write", e))?;
    Ok(summary)
}

/// Counts the bytes written through it: the size of a WARC that has no file to measure.
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The WARC records to `out`, flushed; `file` names it in error messages, `filename` in the
/// `warcinfo` record, `path` in the summary.
fn write_warc<W: Write>(
    store: &Store,
    out: W,
    file: &Path,
    filename: Option<&str>,
    path: String,
    bar: &ProgressBar,
) -> Result<(ExportSummary, W), Failure> {
    let io = |e: std::io::Error| io_failure(file, "write", e);
    let mut writer = WarcWriter::new(Counted {
        inner: out,
        bytes: 0,
    });
    let software = format!("embedkeep/{}", env!("CARGO_PKG_VERSION"));
    writer
        .warcinfo(
            filename,
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
        path,
        ..ExportSummary::default()
    };
    let mut damage = Damage::default();
    for id in ids {
        let (post, snapshots) = read_post(store, id)?;
        bar.set_message(post.canonical_url.clone());
        // Oldest first, by when each content was first fetched: the file reads in the order
        // things were recorded (a post edited and changed back was last seen as its first
        // content, so the newest-seen order would put the edit first).
        let mut oldest_first: Vec<&StoredSnapshot> = snapshots.iter().collect();
        oldest_first.sort_by_key(|s| (s.first_seen_at, s.id));
        for snapshot in oldest_first {
            let answers = store
                .raw_body_refs(snapshot.id)
                .map_err(|e| read_failure(store.path(), "read", e))?;
            let mut responses = Vec::with_capacity(answers.len());
            for answer in &answers {
                let bytes = match damage.checked(store, &answer.sha256)? {
                    Checked::Intact(bytes) => bytes,
                    Checked::Damaged(problem) => {
                        damage.note(&answer.sha256, || problem, &post.canonical_url);
                        summary.left_out += 1;
                        continue;
                    }
                };
                let id = writer
                    .response(
                        &answer.url,
                        snapshot.first_seen_at,
                        answer.content_type.as_deref(),
                        &bytes,
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
    summary.damaged_blobs = damage.into_list();
    let out = writer.finish().map_err(io)?;
    summary.bytes = out.bytes;
    Ok((summary, out.inner))
}
