//! Fetch errors as people read them. The HTTP client's errors carry the detail of their cause
//! ("could not resolve host H (URL): failed to lookup address information: …"), which belongs
//! in `--json` output and logs; a table shows the short form and, where the fix is a setting or
//! a typo, a hint naming it.

use super::output::terminal_text;

/// The short form of an error message and what to do about it, when something can be said.
pub(super) fn explain(error: &str) -> (String, Option<&'static str>) {
    let lower = error.to_ascii_lowercase();
    // The HTTP client types these two from its error chain and words them itself
    // ("could not resolve host H (URL): …", "H refused the connection (URL): …"): the detail
    // after the URL is for logs and --json.
    if let Some(rest) = error.strip_prefix("could not resolve host ") {
        let host = rest.split(' ').next().unwrap_or_default();
        return (
            format!("could not resolve host {host}"),
            Some("check the address for typos, and that this machine can reach the network"),
        );
    }
    if error.contains(" refused the connection (")
        && let Some((short, _detail)) = error.split_once("): ")
    {
        return (
            format!("{short})"),
            Some("the site is down or not listening on that port; try again later"),
        );
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

/// "  error: MESSAGE\n" and "  hint: HINT\n" lines, with `indent` in front. The message may
/// quote a server or a page, so it is made safe for a terminal.
pub(super) fn error_lines(error: &str, indent: &str) -> String {
    let (message, hint) = explain(error);
    lines(&message, hint, indent)
}

/// [`error_lines`] of an article's failure: a page the site refused (401, 403: a login, a
/// paywall, a bot wall) or withholds (451) is read from a copy saved in a browser, which
/// `saved` says how to pass to this command.
pub(super) fn article_error_lines(error: &str, indent: &str, saved: &str) -> String {
    let (message, hint) = explain(error);
    let refused = ["HTTP 401", "HTTP 403", "HTTP 451"]
        .iter()
        .any(|status| error.ends_with(status));
    let wall = format!(
        "the site would not give the page to embedkeep (a login, a paywall, a bot wall, or a \
         block where this machine is); save it from a browser and {saved}"
    );
    match hint {
        None if refused => lines(&message, Some(&wall), indent),
        hint => lines(&message, hint, indent),
    }
}

fn lines(message: &str, hint: Option<&str>, indent: &str) -> String {
    let mut out = format!("{indent}error: {}\n", terminal_text(message));
    if let Some(hint) = hint {
        out.push_str(&format!("{indent}hint: {hint}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_the_site_refused_is_read_from_a_saved_copy() {
        let saved = "pass --html FILE --base-url URL";
        for status in [401, 403, 451] {
            let lines = article_error_lines(
                &format!("https://news.example/a: HTTP {status}"),
                "  ",
                saved,
            );
            assert!(
                lines.contains("  hint: the site would not give the page"),
                "{lines}"
            );
            assert!(lines.contains(saved), "{lines}");
        }
        let lines = article_error_lines("https://news.example/a: HTTP 404", "  ", saved);
        assert!(!lines.contains("hint:"), "{lines}");
    }

    #[test]
    fn a_dns_failure_reads_like_one() {
        let (message, hint) = explain(
            "could not resolve host example.invalid (https://example.invalid/a): failed to lookup \
             address information: Name or service not known",
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
            "127.0.0.1 refused the connection (http://127.0.0.1:9/): Connection refused (os error \
             111)",
        );
        assert_eq!(
            message,
            "127.0.0.1 refused the connection (http://127.0.0.1:9/)"
        );
    }
}
