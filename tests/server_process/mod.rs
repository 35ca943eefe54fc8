//! `embedkeep serve` as a subprocess on free loopback ports, and plain HTTP/1.1 requests to it
//! written by hand on a `TcpStream` (large bodies are sent while the answer is read, so a server
//! that answers early, e.g. 413, is seen answering).
#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::support::TestEnv;

/// Config lines that make the server listen on free loopback ports.
pub const LISTEN: &str = "[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n";

/// `embedkeep serve` (or `daemon`), running, with the addresses it said it listens on.
pub struct Running {
    child: Child,
    /// `HOST:PORT` of the API.
    pub api: String,
    /// `HOST:PORT` of the metrics listener, empty when the config has none.
    pub metrics: String,
    log: Arc<Mutex<String>>,
}

impl Running {
    /// `embedkeep serve` on the environment's config and database.
    pub fn start(env: &TestEnv) -> Running {
        Running::start_command(env, "serve")
    }

    /// `embedkeep COMMAND` (`serve` or `daemon`). Waits for the API's listening line, and for
    /// the metrics line too when the config names a metrics listener.
    pub fn start_command(env: &TestEnv, command: &str) -> Running {
        let wants_metrics =
            std::fs::read_to_string(&env.config_path).is_ok_and(|c| c.contains("metrics_listen"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_embedkeep"))
            .env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("JOURNAL_STREAM")
            .env_remove("NOTIFY_SOCKET")
            .env("RUST_LOG", "embedkeep=info")
            .env("HOME", env.dir.path())
            .arg("--config")
            .arg(&env.config_path)
            .arg("--db")
            .arg(&env.db_path)
            .arg(command)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start embedkeep {command}: {e}"));
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (lines_tx, lines_rx) = mpsc::channel();
        let kept = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut log) = kept.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
                let _ = lines_tx.send(line);
            }
        });
        let (mut api, mut metrics) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(60);
        while api.is_none() || (wants_metrics && metrics.is_none()) {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines_rx.recv_timeout(left) else {
                let _ = child.kill();
                panic!("no listening lines:\n{}", log.lock().expect("log"));
            };
            let after = |marker: &str| {
                line.split_once(marker)
                    .map(|(_, rest)| rest.trim_end_matches("/metrics").trim().to_owned())
            };
            api = api.or_else(|| after("listening on http://"));
            metrics = metrics.or_else(|| after("metrics on http://"));
        }
        Running {
            child,
            api: api.unwrap_or_default(),
            metrics: metrics.unwrap_or_default(),
            log,
        }
    }

    /// `http://HOST:PORT` of the API.
    pub fn base(&self) -> String {
        format!("http://{}", self.api)
    }

    /// What the process wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// SIGTERM, then the exit code within `within`.
    pub fn stop(mut self, within: Duration) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "no exit within {within:?} of SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }

    /// The body is the JSON error document of this status and kind.
    pub fn is_error(&self, status: u16, kind: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        let doc = self.json();
        assert_eq!(doc["error"]["kind"], kind, "{doc}");
        assert!(
            doc["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{doc}"
        );
        assert!(doc["error"]["input"].is_string(), "{doc}");
        doc
    }
}

/// Send one request as written and read the answer. The body is written on another thread
/// while the answer is read; a server that answers before reading it all may cut the upload.
pub fn request(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: impl Into<Vec<u8>>,
) -> Answer {
    let body: Vec<u8> = body.into();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    let mut writer = stream.try_clone().expect("clone stream");
    let upload = std::thread::spawn(move || {
        // The server may close early (413); what it answered is read below.
        // The write side stays open: the server reads a half-closed connection as a gone client.
        if writer.write_all(&body).is_ok() {
            let _ = writer.flush();
        }
    });
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A reset after the answer was read (the server closed with the upload unread).
            Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("read answer: {e}"),
        }
    }
    let _ = upload.join();
    parse_answer(&raw)
}

fn parse_answer(raw: &[u8]) -> Answer {
    // No answer at all (the connection was closed): status 0, for the caller to report.
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Answer {
            status: 0,
            headers: Vec::new(),
            body: raw.to_vec(),
        };
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..end]).trim(), 16)
            .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

/// `GET target` with no body.
pub fn get(addr: &str, target: &str) -> Answer {
    request(addr, "GET", target, &[], Vec::new())
}

/// A query value, percent-encoded.
pub fn q(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
