//! Fetch errors as people read them. The HTTP client's errors carry the whole cause chain
//! ("cannot connect to URL: error sending request: client error (Connect): dns error: …"), which
//! belongs in `--json` output and logs; a table shows the short form and, where the fix is a
//! setting or a typo, a hint naming it.

use url::Url;

/// The short form of an error message and what to do about it, when something can be said.
pub(super) fn explain(error: &str) -> (String, Option<&'static str>) {
    let lower = error.to_ascii_lowercase();
    if let Some(url) = error.strip_prefix("cannot connect to ").and_then(|rest| {
        let (url, _) = rest.split_once(": ")?;
        Url::parse(url).ok()
    }) {
        let host = url.host_str().unwrap_or_default().to_owned();
        if lower.contains("dns error") || lower.contains("failed to lookup address") {
            return (
                format!("could not resolve host {host}"),
                Some("check the address for typos, and that this machine can reach the network"),
            );
        }
        if lower.contains("connection refused") {
            return (
                format!("{host} refused the connection ({url})"),
                Some("the site is down or not listening on that port; try again later"),
            );
        }
    }
    let hint = if lower.contains("refused to connect to non-public address") {
        Some(
            "embedkeep does not fetch loopback or private addresses; set \
             http.allow_private_addresses = true in the config to allow them",
        )
    } else if lower.contains("timed out fetching") {
        Some("the site is slow or down; http.timeout in the config sets how long to wait")
    } else if lower.contains("byte limit") {
        Some("http.max_body_bytes in the config sets the limit")
    } else if lower.contains("not html or text") {
        Some(
            "scan and archive read article pages: an http(s) URL, a saved HTML page or a text file",
        )
    } else if lower.contains("redirects") && lower.contains("more than") {
        Some("http.max_redirects in the config sets the limit")
    } else {
        None
    };
    (error.to_owned(), hint)
}

/// "  error: MESSAGE\n" and "  hint: HINT\n" lines, with `indent` in front.
pub(super) fn error_lines(error: &str, indent: &str) -> String {
    let (message, hint) = explain(error);
    let mut out = format!("{indent}error: {message}\n");
    if let Some(hint) = hint {
        out.push_str(&format!("{indent}hint: {hint}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dns_failure_reads_like_one() {
        let (message, hint) = explain(
            "cannot connect to https://example.invalid/a: error sending request: client error \
             (Connect): dns error: failed to lookup address information: Name or service not known",
        );
        assert_eq!(message, "could not resolve host example.invalid");
        assert!(hint.is_some());
    }

    #[test]
    fn a_refused_private_address_names_the_setting() {
        let (message, hint) =
            explain("https://127.0.0.1/a: refused to connect to non-public address 127.0.0.1");
        assert!(message.contains("127.0.0.1"));
        assert!(hint.is_some_and(|h| h.contains("http.allow_private_addresses")));
    }

    #[test]
    fn other_errors_stay_as_they_are() {
        let (message, hint) = explain("https://news.example.com/a: HTTP 404");
        assert_eq!(message, "https://news.example.com/a: HTTP 404");
        assert_eq!(hint, None);
        let (message, _) = explain(
            "cannot connect to http://127.0.0.1:9/: error sending request: client error (Connect): \
             tcp connect error: Connection refused (os error 111)",
        );
        assert_eq!(
            message,
            "127.0.0.1 refused the connection (http://127.0.0.1:9/)"
        );
    }
}
