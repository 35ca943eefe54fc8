//! `embedkeep list`: the posts in the archive, filtered by status, platform, article and time,
//! one page at a time. It only reads: a missing archive is an error, never created.

use chrono::{DateTime, NaiveDate, Utc};

use super::args::{Cli, ListArgs};
use super::output::emit;
use super::render;
use super::setup::{db_path, load_config, read_failure, require_archive};
use super::style;
use super::table::Table;
use super::target;
use super::{Failure, Outcome, print_json};
use crate::model::{PostFilter, PostStatus};
use crate::report::{self, ListDocument};
use crate::store::StoreReader;

/// Article URLs printed under a post before the rest are counted.
const ARTICLES_SHOWN: usize = 5;

pub(super) async fn run(cli: &Cli, args: &ListArgs) -> Result<Outcome, Failure> {
    let article_url = args
        .article
        .as_deref()
        .map(target::archived_article_url)
        .transpose()?;
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    let filter = PostFilter {
        status: args.status,
        platform: args.platform,
        article_url,
        since: args.since,
        limit: args.limit,
        after: args.after,
    };
    let reader = StoreReader::new(&path);
    let wanted = filter.clone();
    let posts = reader
        .call(move |s| s.list_posts(&wanted))
        .await
        .map_err(|e| read_failure(&path, "read", e))?;
    let doc = report::list_document(&posts, filter.limit);
    if args.json {
        print_json(&doc)?;
    } else {
        emit(render(&doc));
    }
    Ok(Outcome::Success)
}

/// `--since`: a duration back from now (`7d`, `12h`, `1w 2d`) or an RFC 3339 date, either a
/// full timestamp or a day (read as midnight UTC).
pub(super) fn parse_since(s: &str) -> Result<DateTime<Utc>, String> {
    let text = s.trim();
    if let Ok(d) = humantime::parse_duration(text) {
        let back = chrono::Duration::from_std(d)
            .map_err(|_| format!("--since {s:?} reaches too far back"))?;
        return Utc::now()
            .checked_sub_signed(back)
            .ok_or_else(|| format!("--since {s:?} reaches too far back"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(midnight) = day.and_hms_opt(0, 0, 0)
    {
        return Ok(midnight.and_utc());
    }
    Err(format!(
        "{s:?} is neither a duration (7d, 12h, 30m) nor an RFC 3339 date \
         (2026-11-01 or 2026-11-01T08:00:00Z)"
    ))
}

/// One row per post; under it, the articles it is embedded in (the question a listing answers
/// is which embeds died, and where to fix them).
fn render(doc: &ListDocument) -> String {
    let mut table = Table::new(&[
        "ID", "PLATFORM", "STATUS", "SINCE", "POST", "AUTHOR", "ARTICLES",
    ]);
    table.paint_column(2, style::status);
    for p in &doc.posts {
        let s = &p.post;
        let since = match s.status {
            PostStatus::Gone | PostStatus::Suspect => {
                p.status_since.as_ref().or(s.last_checked_at.as_ref())
            }
            _ => s.last_checked_at.as_ref(),
        };
        let author = p
            .snapshot
            .as_ref()
            .map(|snap| render::short_author(&snap.author_name, &snap.author_handle))
            .unwrap_or_default();
        table.row(vec![
            s.id.to_string(),
            s.platform.to_string(),
            render::status(s.status, s.pin.is_some()),
            since.cloned().unwrap_or_else(|| "-".into()),
            s.post_url.clone(),
            author,
            p.articles.len().to_string(),
        ]);
        let mut details: Vec<String> = p
            .articles
            .iter()
            .take(ARTICLES_SHOWN)
            .map(|a| format!("in {a}"))
            .collect();
        if p.articles.len() > ARTICLES_SHOWN {
            details.push(format!(
                "and {} more article(s)",
                p.articles.len() - ARTICLES_SHOWN
            ));
        }
        table.details(details);
    }
    let mut out = String::new();
    if table.is_empty() {
        out.push_str("no posts match\n");
        return out;
    }
    out.push_str(&table.render(""));
    out.push_str(&format!("{} post(s)", doc.posts.len()));
    if let Some(next) = doc.next {
        out.push_str(&format!("; more with --after {next}"));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_and_dates() {
        let before = Utc::now();
        let week = parse_since("7d").expect("7d");
        let off = (before - week) - chrono::Duration::days(7);
        assert!(off.num_seconds().abs() < 60, "{off}");
        assert_eq!(
            parse_since("2026-11-01").map(|t| t.to_rfc3339()),
            Ok("2026-11-01T00:00:00+00:00".to_owned())
        );
        assert_eq!(
            parse_since("2026-11-01T08:00:00+02:00").map(|t| t.to_rfc3339()),
            Ok("2026-11-01T06:00:00+00:00".to_owned())
        );
        let err = parse_since("last tuesday").expect_err("not a time");
        assert!(err.contains("last tuesday") && err.contains("7d"), "{err}");
    }
}
