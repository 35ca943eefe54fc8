//! Timeouts and connection failures.

use super::*;

fn short_timeout_client(host: &str, addr: SocketAddr) -> HttpClient {
    let mut config = http_config(&[(host, format!("http://{addr}/{host}"))]);
    config.timeout = Duration::from_millis(300);
    client(&config)
}

fn assert_timeout(result: Result<Response, HttpError>, expected_url: &str) {
    match result {
        Err(HttpError::Timeout { url }) => assert_eq!(url, expected_url),
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_body_times_out() {
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b";
        let _ = s.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = short_timeout_client("slow.test", addr)
        .get(&url("https://slow.test/body"))
        .await;
    assert_timeout(result, "https://slow.test/body");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (addr, _) = serve(|_, s| async move {
        let _held_open = s;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = short_timeout_client("mute.test", addr)
        .get(&url("https://mute.test/"))
        .await;
    assert_timeout(result, "https://mute.test/");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_slow_trickle_is_cut_off_by_the_total_timeout() {
    // Each byte arrives well within any read timeout; only a total timeout stops this.
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n";
        let _ = s.write_all(head.as_bytes()).await;
        for _ in 0..1000 {
            if s.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let result = short_timeout_client("trickle.test", addr)
        .get(&url("https://trickle.test/"))
        .await;
    assert_timeout(result, "https://trickle.test/");
}

#[tokio::test]
async fn a_refused_connection_is_typed_and_names_the_logical_url() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    match client_for("down.test", addr)
        .get(&url("https://down.test/p"))
        .await
    {
        Err(e @ HttpError::Refused { .. }) => {
            let text = e.to_string();
            assert!(
                text.starts_with("down.test refused the connection (https://down.test/p)"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_connect_that_never_completes_times_out() {
    // A listener that never accepts, its backlog filled: further SYNs go unanswered.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(Duration::from_millis(100), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    assert!(
        fillers.len() < 8,
        "the backlog never filled: every connect was answered"
    );
    let started = Instant::now();
    let result = short_timeout_client("syn.test", addr)
        .get(&url("https://syn.test/"))
        .await;
    assert_timeout(result, "https://syn.test/");
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(listener);
}

/// A server that answers with headers larger than the client reads, or with no HTTP at all, did
/// answer: the error says so, not that the connection failed.
#[tokio::test]
async fn an_answer_that_is_not_http_is_told_from_a_failed_connection() {
    for (host, answer) in [
        ("bighead.test", {
            let mut head = "HTTP/1.1 200 OK\r\n".to_owned();
            head.push_str(&format!("x-big: {}\r\n", "a".repeat(1024 * 1024)));
            head.push_str("content-length: 2\r\n\r\nok");
            head
        }),
        ("nothttp.test", "SSH-2.0-OpenSSH_9.6\r\n\r\n".to_owned()),
    ] {
        let (addr, _) = serve(move |_, mut s| {
            let answer = answer.clone();
            async move {
                let _ = s.write_all(answer.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        })
        .await;
        let target = format!("https://{host}/p");
        match short_timeout_client(host, addr).get(&url(&target)).await {
            Err(e @ HttpError::Malformed { .. }) => {
                let text = e.to_string();
                assert!(text.starts_with(&target), "{text}");
                assert!(text.contains("not valid HTTP"), "{text}");
                // A proxy in the way or a server being reconfigured answers so for a while:
                // nothing is concluded about the post from it.
                assert!(e.may_pass());
            }
            other => panic!("{host}: expected Malformed, got {other:?}"),
        }
    }
}
