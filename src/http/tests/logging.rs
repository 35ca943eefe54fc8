//! The per-request debug log.

use super::*;

/// Collects formatted log output in memory.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_logged_at_debug_with_method_url_status_bytes_and_time() {
    let (addr, _) = serve(|head, mut s| async move {
        if target_of(&head).ends_with("/start") {
            respond(&mut s, "302 Found", &[("location", "/end")], b"").await;
        } else {
            respond(&mut s, "200 OK", &[], b"12345").await;
        }
    })
    .await;
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // A current-thread runtime: the whole request runs on this thread, under this subscriber.
    // tracing caches each callsite's interest process-wide. With a single dispatcher in the
    // process, a sibling test thread (no subscriber) registering a callsite first caches
    // "never" for everyone. A second live dispatcher makes registration ask every live
    // dispatcher, this capturing one included.
    let _anchor = tracing::Dispatch::new(tracing_subscriber::registry());
    let _default = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    client_for("log.test", addr)
        .get(&url("https://log.test/start"))
        .await
        .unwrap();
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("embedkeep::http"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, status, bytes, path) in [(lines[0], 302, 0, "/start"), (lines[1], 200, 5, "/end")] {
        assert!(line.contains("DEBUG"), "{line}");
        assert!(line.contains("method=\"GET\""), "{line}");
        assert!(
            line.contains(&format!("url=https://log.test{path}")),
            "{line}"
        );
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains(&format!("bytes={bytes}")), "{line}");
        assert!(line.contains(" ms="), "{line}");
    }
}
