//! The per-request debug log.

use super::*;
use crate::test_support::Logs;

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
    // A current-thread runtime: the whole request runs on this thread, where it is captured.
    let logs = Logs::capture();
    client_for("log.test", addr)
        .get(&url("https://log.test/start"))
        .await
        .unwrap();
    let text = logs.text();
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

/// Regression: a Graph API request's access token (in its query) was written in clear in the
/// debug line of the request, twice (its address and the override's), and in the line of its
/// redirect.
#[tokio::test]
async fn a_token_in_a_requests_address_is_not_logged() {
    let (addr, _) = serve(|head, mut s| async move {
        if target_of(&head).contains("/start") {
            respond(
                &mut s,
                "302 Found",
                &[("location", "/end?access_token=SECRET2")],
                b"",
            )
            .await;
        } else {
            respond(&mut s, "200 OK", &[], b"12345").await;
        }
    })
    .await;
    let logs = Logs::capture();
    client_for("graph.test", addr)
        .get(&url(
            "https://graph.test/start?access_token=SECRET1&url=https%3A%2F%2Fa%3Faccess_token%3DSECRET3",
        ))
        .await
        .unwrap();
    let text = logs.text();
    assert!(text.contains("http redirect"), "{text}");
    assert!(text.contains("access_token=REDACTED"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}
