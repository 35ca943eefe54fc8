//! The per-source series of `/metrics` (polls by outcome, the last good poll), written from the
//! writer's tally at each scrape rather than kept in the metrics recorder: a recorder keeps
//! every series it has seen until the process ends, so a source a reload stopped following
//! would stay listed, its last good poll ageing until a staleness alert fires for a feed
//! nobody polls. Written here, a series lives exactly as long as its source is followed.

use std::fmt::Write;

use crate::store::Tally;

pub(super) const POLLS_TOTAL: &str = "embedkeep_source_polls_total";
pub(super) const LAST_GOOD_POLL: &str = "embedkeep_source_last_success_timestamp_seconds";

/// The two families in the Prometheus text format, with their HELP and TYPE lines (none when
/// no source has been polled yet).
pub(super) fn render(tally: &Tally) -> String {
    let polls = tally.polls();
    let mut out = String::new();
    if polls.is_empty() {
        return out;
    }
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "# HELP {POLLS_TOTAL} Polls of each feed, sitemap and URL list since the process started (or since a reload began following it), by outcome (ok, failed)"
    );
    let _ = writeln!(out, "# TYPE {POLLS_TOTAL} counter");
    for (source, p) in &polls {
        let source = escape(source);
        for (outcome, n) in [("ok", p.ok), ("failed", p.failed)] {
            let _ = writeln!(
                out,
                "{POLLS_TOTAL}{{source=\"{source}\",outcome=\"{outcome}\"}} {n}"
            );
        }
    }
    let good: Vec<_> = polls
        .iter()
        .filter_map(|(s, p)| p.last_ok.map(|at| (s, at)))
        .collect();
    if !good.is_empty() {
        let _ = writeln!(
            out,
            "# HELP {LAST_GOOD_POLL} Unix time of each source's last poll that did not fail, since the process started"
        );
        let _ = writeln!(out, "# TYPE {LAST_GOOD_POLL} gauge");
        for (source, at) in good {
            let _ = writeln!(
                out,
                "{LAST_GOOD_POLL}{{source=\"{}\"}} {}",
                escape(source),
                at.timestamp()
            );
        }
    }
    out
}

/// A label value as the text format writes it: backslash, double quote and line feed escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_no_longer_followed_leaves_the_scrape() {
        let tally = Tally::default();
        assert_eq!(render(&tally), "");
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0);
        tally.poll("feed https://a.example/feed", false, at);
        tally.poll("feed https://b.example/\"odd\"\\", true, None);
        let text = render(&tally);
        assert_eq!(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            [
                "embedkeep_source_polls_total{source=\"feed https://a.example/feed\",outcome=\"ok\"} 1",
                "embedkeep_source_polls_total{source=\"feed https://a.example/feed\",outcome=\"failed\"} 0",
                "embedkeep_source_polls_total{source=\"feed https://b.example/\\\"odd\\\"\\\\\",outcome=\"ok\"} 0",
                "embedkeep_source_polls_total{source=\"feed https://b.example/\\\"odd\\\"\\\\\",outcome=\"failed\"} 1",
                "embedkeep_source_last_success_timestamp_seconds{source=\"feed https://a.example/feed\"} 1700000000",
            ]
        );
        tally.keep_sources(&["feed https://b.example/\"odd\"\\".to_owned()]);
        let text = render(&tally);
        assert!(!text.contains("a.example"), "{text}");
        assert!(!text.contains(LAST_GOOD_POLL), "{text}");
    }
}
