//! Who may write and who may only read, said by the types: one [`StoreWriter`] owns the only
//! read-write connection on a thread of its own and takes commands over a channel, so writes
//! from the archiver, the scheduler and the server never fight over SQLite's one write lock; a
//! [`StoreReader`] hands out read-only WAL connections from a small pool, so reads (the HTTP
//! server, `show`, `list`) go on while a write is in progress.
//!
//! A command is a closure over `&mut Store` (writer) or `&Store` (reader); a reader's closure
//! cannot call a write method because it never holds a `&mut Store`, and its connection is
//! opened read-only besides. Both are cheap to clone and can be shared between tasks.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::{Semaphore, oneshot};

use super::{Store, StoreError};
use crate::blocking;

/// How many read-only connections may be in use at once.
const READERS: usize = 4;

type Command = Box<dyn FnOnce(&mut Store) + Send>;

/// What the writer thread is asked to do.
enum Message {
    Run(Command),
    /// Checkpoint the WAL into the database file, close the connection and end the thread.
    Close(oneshot::Sender<Result<(), StoreError>>),
}

/// The one writer of an archive: a thread that owns the read-write connection.
/// The thread ends when every clone of the writer has been dropped.
#[derive(Clone)]
pub struct StoreWriter {
    path: Arc<PathBuf>,
    commands: mpsc::Sender<Message>,
    tally: Arc<super::Tally>,
}

impl StoreWriter {
    /// Open (creating and migrating) the archive at `path` on a new writer thread.
    pub async fn open(path: &Path) -> Result<StoreWriter, StoreError> {
        let owned = path.to_owned();
        let (opened_tx, opened_rx) = oneshot::channel::<Result<Arc<super::Tally>, StoreError>>();
        let (commands, inbox) = mpsc::channel::<Message>();
        std::thread::Builder::new()
            .name("embedkeep-store-writer".into())
            .spawn(move || {
                let mut store = match Store::open(&owned) {
                    Ok(store) => {
                        let _ = opened_tx.send(Ok(Arc::clone(&store.tally)));
                        store
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                // A command that panics rolls its transaction back (the transaction is dropped
                // while unwinding) and drops its reply sender; the caller sees the failure and
                // the writer carries on with the next command.
                while let Ok(message) = inbox.recv() {
                    match message {
                        Message::Run(command) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                command(&mut store)
                            }));
                        }
                        Message::Close(done) => {
                            let _ = done.send(store.checkpoint());
                            return;
                        }
                    }
                }
            })
            .map_err(|e| StoreError::io(path, e))?;
        match opened_rx.await {
            Ok(Ok(tally)) => Ok(StoreWriter {
                path: Arc::new(path.to_owned()),
                commands,
                tally,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(StoreError::WriterStopped {
                path: path.to_owned(),
            }),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What this writer has done since it was opened: whether it can still write, its
    /// failed writes, the checks it recorded.
    pub fn tally(&self) -> Arc<super::Tally> {
        Arc::clone(&self.tally)
    }

    /// Run `command` on the writer thread and wait for its result.
    pub async fn call<R, F>(&self, command: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
    {
        let (reply_tx, reply_rx) = oneshot::channel();
        let boxed: Command = Box::new(move |store| {
            let before = store.conn.total_changes();
            let result = command(store);
            let changed = store.conn.total_changes() > before;
            store.tally.command(result.as_ref().err(), changed);
            let _ = reply_tx.send(result);
        });
        self.commands
            .send(Message::Run(boxed))
            .map_err(|_| StoreError::WriterStopped {
                path: self.path.to_path_buf(),
            })?;
        reply_rx.await.map_err(|_| StoreError::Task {
            path: self.path.to_path_buf(),
            source: blocking::BlockingError {
                what: "a database write".into(),
                message: "it panicked; its transaction was rolled back".into(),
            },
        })?
    }
}

impl StoreWriter {
    /// Checkpoint the WAL into the database file and close the connection, waiting for the
    /// writer thread to finish what it was given before. Later calls on any clone fail with
    /// [`StoreError::WriterStopped`]. A process that exits without this leaves its last writes
    /// in the `-wal` file, where the next open finds them; with it the database file stands
    /// alone (for copies and backups).
    pub async fn close(&self) -> Result<(), StoreError> {
        let (done_tx, done_rx) = oneshot::channel();
        let stopped = || StoreError::WriterStopped {
            path: self.path.to_path_buf(),
        };
        self.commands
            .send(Message::Close(done_tx))
            .map_err(|_| stopped())?;
        done_rx.await.map_err(|_| stopped())?
    }
}

/// A pool of read-only connections to an existing, migrated archive.
#[derive(Clone)]
pub struct StoreReader {
    inner: Arc<ReaderPool>,
}

struct ReaderPool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Semaphore,
}

impl StoreReader {
    /// A reader of the archive at `path`. Connections are opened on first use, so a missing or
    /// damaged file is reported by the first read, naming the file.
    pub fn new(path: &Path) -> StoreReader {
        StoreReader {
            inner: Arc::new(ReaderPool {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
                permits: Semaphore::new(READERS),
            }),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Run `query` on a read-only connection on the blocking pool and wait for its result.
    pub async fn call<R, F>(&self, query: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Store) -> Result<R, StoreError> + Send + 'static,
    {
        let path = self.inner.path.clone();
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::WriterStopped { path: path.clone() })?;
        let pool = Arc::clone(&self.inner);
        blocking::run(format!("a read of {}", path.display()), move || {
            pool.with_connection(query)
        })
        .await
        .map_err(|source| StoreError::Task { path, source })?
    }

    /// Run a point read (a few rows looked up by key: tens of microseconds) on the calling
    /// task's own thread when an open connection is idle, and as [`call`](Self::call) when none
    /// is. Handing such a read to the blocking pool costs more than the read itself: under load,
    /// a profile of the card route spent a fifth of the server's time in those hand-offs. Scans
    /// and anything that may wait on a lock go through `call`.
    pub async fn call_point<R, F>(&self, query: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Store) -> Result<R, StoreError> + Send + 'static,
    {
        // The permit keeps the number of connections in use within the pool's bound.
        let Ok(_permit) = self.inner.permits.try_acquire() else {
            return self.call(query).await;
        };
        let Some(store) = self.inner.take_idle() else {
            drop(_permit);
            return self.call(query).await;
        };
        let result = query(&store);
        self.inner.give_back(store);
        result
    }

    /// Run `query` on a read-only connection on the current thread (for callers that are
    /// already on a blocking thread).
    pub fn call_blocking<R>(
        &self,
        query: impl FnOnce(&Store) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.inner.with_connection(query)
    }
}

impl ReaderPool {
    fn with_connection<R>(
        &self,
        query: impl FnOnce(&Store) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let store = match self.take_idle() {
            Some(store) => store,
            None => Store::open_read_only(&self.path)?,
        };
        let result = query(&store);
        self.give_back(store);
        result
    }

    /// An open connection nobody is using, if there is one.
    fn take_idle(&self) -> Option<Store> {
        self.idle.lock().ok().and_then(|mut idle| idle.pop())
    }

    /// Put a connection back for the next read. One still inside a transaction (a read whose
    /// end failed) would serve that old state to every later read: it is closed instead.
    fn give_back(&self, store: Store) {
        if store.conn.is_autocommit()
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(store);
        }
    }
}

/// A writer and a reader of the same archive: what a command that archives needs.
#[derive(Clone)]
pub struct StoreHandles {
    pub writer: StoreWriter,
    pub reader: StoreReader,
}

impl StoreHandles {
    /// Open the archive for writing (creating and migrating it), then readers on it.
    pub async fn open(path: &Path) -> Result<StoreHandles, StoreError> {
        let writer = StoreWriter::open(path).await?;
        Ok(StoreHandles {
            reader: StoreReader::new(path),
            writer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn writes_go_through_the_writer_and_reads_see_them() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.db");
        let handles = StoreHandles::open(&path).await.expect("open");
        let record = crate::model::ArticleRecord {
            url: "https://news.example/a".into(),
            final_url: None,
            title: Some("A".into()),
            fetched_at: chrono::Utc::now(),
            http_status: Some(200),
            error: None,
            sha256: None,
            error_lasts: false,
        };
        let id = handles
            .writer
            .call(move |s| s.save_article(&record))
            .await
            .expect("write");
        let title = handles
            .reader
            .call(|s| s.article_by_url("https://news.example/a"))
            .await
            .expect("read")
            .article
            .title;
        assert_eq!(title.as_deref(), Some("A"));
        assert!(id > 0);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_panicking_write_is_an_error_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().expect("tmp");
        let handles = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("open");
        let failed = handles
            .writer
            .call(|_| -> Result<(), StoreError> { panic!("bad command") })
            .await;
        assert!(matches!(failed, Err(StoreError::Task { .. })), "{failed:?}");
        let stats = handles.writer.call(|s| s.stats()).await.expect("still up");
        assert_eq!(stats.articles, 0);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_reader_of_a_missing_archive_names_the_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("missing.db");
        let err = StoreReader::new(&path)
            .call(|s| s.stats())
            .await
            .expect_err("no file");
        assert!(err.to_string().contains("missing.db"), "{err}");
        assert!(!path.exists(), "a reader must not create the archive");
    }
}
