//! Per-host politeness seen from the server: concurrent handlers and request spacing.

use super::*;

/// A server that counts handlers running at once and remembers the highest count.
async fn counting_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let active = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let peak_out = peak.clone();
    let (addr, _) = serve(move |_, mut s| {
        let (active, peak) = (active.clone(), peak.clone());
        async move {
            let now = active.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(80)).await;
            active.fetch_sub(1, Ordering::SeqCst);
            respond(&mut s, "200 OK", &[], b"ok").await;
        }
    })
    .await;
    (addr, peak_out)
}

async fn get_all(c: &HttpClient, urls: Vec<Url>) {
    let mut set = tokio::task::JoinSet::new();
    for u in urls {
        let c = c.clone();
        set.spawn(async move { c.get(&u).await.map(|r| r.status) });
    }
    while let Some(done) = set.join_next().await {
        assert_eq!(done.unwrap().unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_concurrency_is_never_exceeded() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[("www.instagram.com", format!("http://{addr}/ig"))]);
    let c = HttpClient::new(&config, &polite(2)).unwrap();
    let urls = (0..10)
        .map(|i| url(&format!("https://www.instagram.com/p/{i}/")))
        .collect();
    get_all(&c, urls).await;
    // Never more than two, and the cap was actually reached (the requests did overlap).
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_counted_per_logical_host_not_per_target() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[
        ("a.test", format!("http://{addr}/a")),
        ("b.test", format!("http://{addr}/b")),
    ]);
    let c = HttpClient::new(&config, &polite(1)).unwrap();
    let urls = (0..4)
        .flat_map(|i| {
            [
                url(&format!("https://a.test/{i}")),
                url(&format!("https://b.test/{i}")),
            ]
        })
        .collect();
    get_all(&c, urls).await;
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_interval_spaces_requests_to_one_host() {
    let (addr, _) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"ok").await;
    })
    .await;
    let config = http_config(&[("paced.test", format!("http://{addr}/p"))]);
    let politeness = PolitenessConfig {
        per_host_concurrency: 4,
        per_host_interval: Duration::from_millis(150),
        ..PolitenessConfig::default()
    };
    let c = HttpClient::new(&config, &politeness).unwrap();
    let started = Instant::now();
    for i in 0..3 {
        c.get(&url(&format!("https://paced.test/{i}")))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

/// A host that answers 429 (`Retry-After: 1`) to its first request, after the test lets it,
/// and 200 to every later one; another host on the same server always answers 200. Returns
/// the server, the requests the limited host received, and the switch that lets the first
/// answer go.
async fn limited_server() -> (SocketAddr, Arc<AtomicUsize>, Arc<tokio::sync::Notify>) {
    let limited = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Notify::new());
    let (seen, go) = (limited.clone(), release.clone());
    let (addr, _) = serve(move |head, mut s| {
        let (seen, go) = (seen.clone(), go.clone());
        async move {
            if !target_of(&head).starts_with("/limited/") {
                respond(&mut s, "200 OK", &[], b"ok").await;
            } else if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                go.notified().await;
                let wait = [("retry-after", "1")];
                respond(&mut s, "429 Too Many Requests", &wait, b"slow down").await;
            } else {
                respond(&mut s, "200 OK", &[], b"again").await;
            }
        }
    })
    .await;
    (addr, limited, release)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_holds_its_host_the_queued_requests_are_not_sent_and_other_hosts_are_asked() {
    let (addr, limited, release) = limited_server().await;
    let config = http_config(&[
        ("limited.test", format!("http://{addr}/limited")),
        ("other.test", format!("http://{addr}/other")),
    ]);
    let c = HttpClient::new(&config, &polite(1)).unwrap();
    let get = |path: &str| {
        let (c, u) = (c.clone(), url(&format!("https://limited.test/{path}")));
        tokio::spawn(async move { c.get(&u).await })
    };
    let first = get("1");
    // The first request is at the server before the others queue behind it.
    while limited.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let queued = [get("2"), get("3")];
    tokio::time::sleep(Duration::from_millis(50)).await;
    release.notify_one();

    let answer = first.await.unwrap().unwrap();
    assert_eq!(answer.status, 429);
    let mut wait = Duration::ZERO;
    for (task, path) in queued.into_iter().zip(["2", "3"]) {
        match task.await.unwrap() {
            Err(error @ HttpError::Held { .. }) => {
                let text = error.to_string();
                assert!(
                    text.starts_with(&format!(
                        "https://limited.test/{path}: HTTP 429 (rate limited)"
                    )),
                    "{text}"
                );
                assert!(
                    text.contains("not sent while the host asks to wait"),
                    "{text}"
                );
                if let HttpError::Held {
                    host, wait: left, ..
                } = error
                {
                    assert_eq!(host, "limited.test");
                    assert!(left <= Duration::from_secs(1), "{left:?}");
                    wait = wait.max(left);
                }
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    assert_eq!(
        limited.load(Ordering::SeqCst),
        1,
        "one request reached the host"
    );

    let other = c.get(&url("https://other.test/x")).await.unwrap();
    assert_eq!(other.status, 200, "another host is asked");
    assert_eq!(limited.load(Ordering::SeqCst), 1);

    // Once the Retry-After second is over, the host is asked again.
    tokio::time::sleep(wait + Duration::from_millis(50)).await;
    let again = c.get(&url("https://limited.test/4")).await.unwrap();
    assert_eq!((again.status, &again.body[..]), (200, &b"again"[..]));
    assert_eq!(limited.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_503_holds_its_host_for_its_retry_after_and_only_with_one() {
    let (addr, hits) = serve(|head, mut s| async move {
        if target_of(&head).starts_with("/maintenance/") {
            respond(
                &mut s,
                "503 Service Unavailable",
                &[("retry-after", "1")],
                b"",
            )
            .await;
        } else {
            respond(&mut s, "503 Service Unavailable", &[], b"").await;
        }
    })
    .await;
    let config = http_config(&[
        ("down.test", format!("http://{addr}/maintenance")),
        ("flaky.test", format!("http://{addr}/flaky")),
    ]);
    let c = HttpClient::new(&config, &polite(1)).unwrap();
    assert_eq!(
        c.get(&url("https://down.test/a")).await.unwrap().status,
        503
    );
    match c.get(&url("https://down.test/b")).await {
        Err(error @ HttpError::Held { status: 503, .. }) => {
            let text = error.to_string();
            assert!(
                text.starts_with("https://down.test/b: HTTP 503 (unavailable) from down.test"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the held host was not asked"
    );
    // A 503 that names no time is a server error like any other: the next request is sent.
    for _ in 0..2 {
        let answer = c.get(&url("https://flaky.test/x")).await.unwrap();
        assert_eq!(answer.status, 503);
    }
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_eq!(c.held_for(&url("https://flaky.test/")), None);
    // Once its second is over, the host is asked again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        c.get(&url("https://down.test/c")).await.unwrap().status,
        503
    );
    assert_eq!(hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_429_without_retry_after_holds_its_host_too() {
    let (addr, hits) = serve(|_, mut s| async move {
        respond(&mut s, "429 Too Many Requests", &[], b"").await;
    })
    .await;
    let c = client_for("api.test", addr);
    assert_eq!(c.get(&url("https://api.test/a")).await.unwrap().status, 429);
    match c.get(&url("https://api.test/b")).await {
        Err(HttpError::Held { wait, .. }) => {
            assert!(wait > Duration::from_secs(20), "the default hold: {wait:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let held = c.held_for(&url("https://API.test/c")).expect("held");
    assert!(held > Duration::from_secs(20), "{held:?}");
    assert_eq!(c.held_for(&url("https://other.test/")), None);
}
