//! The newsroom page (`GET /report`): one HTML page for editors listing the articles whose
//! embeds are gone or suspect, since when, and the card each reader now sees in their place.
//! Filters are a plain GET form, so the page works without JavaScript (it carries none) and
//! every filtered view has its own address to share; the CSV and JSON downloads of the same
//! rows are linked beside the form.
//!
//! Built with maud like the cards: every string from a platform, an article or the query
//! string is escaped on the way out, and only `http`/`https` URLs become links.

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::card::{CardInput, card};
use super::links;
use crate::model::{NewsroomRow, Platform, PostStatus};

/// The filter form's fields as the request gave them (shown back in the form as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportForm {
    /// `""` (gone and suspect), `gone`, `suspect`, `live`, `unknown` or `all`.
    pub status: String,
    /// `""` (every platform) or a platform name.
    pub platform: String,
    pub section: String,
    /// `YYYY-MM-DD`, or empty.
    pub from: String,
    /// `YYYY-MM-DD`, or empty.
    pub to: String,
}

/// What the page shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportPageInput<'a> {
    pub rows: &'a [NewsroomRow],
    /// More rows matched than are shown.
    pub more: bool,
    pub form: &'a ReportForm,
    /// Where the cards' thumbnails are served (as [`CardInput::media_base`]).
    pub media_base: &'a str,
    /// The page's own path (the form's action), and its downloads with the same filters.
    pub action: &'a str,
    pub csv_href: &'a str,
    pub json_href: &'a str,
    pub generated_at: DateTime<Utc>,
}

const STATUS_CHOICES: [(&str, &str); 6] = [
    ("", "gone or suspect"),
    ("gone", "gone"),
    ("suspect", "suspect"),
    ("live", "live"),
    ("unknown", "unknown"),
    ("all", "any status"),
];

const PAGE_CSS: &str = "\
body{margin:0;padding:16px 24px;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;\
color:#1d2327;background:#f6f7f7}\
h1{font-size:24px;margin:0 0 4px}\
.summary{margin:0 0 16px;color:#50575e}\
form{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;padding:12px 16px;margin:0 0 12px;\
background:#fff;border:1px solid #dcdcde;border-radius:8px}\
label{display:flex;flex-direction:column;font-size:13px;color:#50575e;gap:2px}\
input,select,button{font:inherit;padding:4px 8px}\
button{background:#2271b1;color:#fff;border:0;border-radius:4px;padding:6px 14px}\
.downloads{margin:0 0 16px}\
.downloads a{margin-right:16px}\
table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff;border:1px solid #dcdcde}\
th,td{padding:8px 10px;border-bottom:1px solid #dcdcde;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
th{background:#f0f0f1;font-size:13px}\
th:nth-child(1){width:21%}th:nth-child(2){width:8%}th:nth-child(3){width:14%}\
th:nth-child(4){width:8%}th:nth-child(5){width:10%}\
td.card .ek-card{margin:0}\
@media (max-width:760px){table,thead,tbody,tr,th,td{display:block;width:auto!important}thead{display:none}\
tr{border-bottom:2px solid #dcdcde}td{border:0;padding:4px 10px}}\
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600}\
.status-gone{background:#fcf0f1;color:#8a2424}\
.status-suspect{background:#fcf9e8;color:#6e4e00}\
.status-live{background:#edfaef;color:#00660e}\
.status-unknown{background:#f0f0f1;color:#50575e}\
.muted{color:#50575e;font-size:13px}\
.empty{padding:24px;background:#fff;border:1px solid #dcdcde;border-radius:8px}\
@media (prefers-color-scheme:dark){body{background:#1d2327;color:#f0f0f1}\
form,table,.empty{background:#2c3338;border-color:#50575e}th{background:#3c434a}\
th,td{border-color:#50575e}.summary,.muted,label{color:#c3c4c7}a{color:#72aee6}}";

/// The whole page.
pub fn report_page(input: &ReportPageInput) -> String {
    let gone = count(input.rows, PostStatus::Gone);
    let suspect = count(input.rows, PostStatus::Suspect);
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { "Embeds readers can no longer see · embedkeep" }
                style { (PreEscaped(PAGE_CSS)) }
            }
            body {
                h1 { "Embeds readers can no longer see" }
                p.summary {
                    (input.rows.len()) " embedded " (if input.rows.len() == 1 { "post" } else { "posts" })
                    " listed: " (gone) " gone, " (suspect) " suspect"
                    @if input.more { " (more match: narrow the filters; the downloads hold the same 500)" }
                    ". As of "
                    time datetime=(crate::model::rfc3339(input.generated_at)) { (input.generated_at.format("%-d %B %Y, %H:%M UTC")) }
                    "."
                }
                (filter_form(input))
                p.downloads {
                    a href=(input.csv_href) download { "Download CSV" }
                    a href=(input.json_href) download { "Download JSON" }
                }
                @if input.rows.is_empty() {
                    p.empty { "No embedded posts match these filters." }
                } @else {
                    (table(input))
                }
            }
        }
    }
    .into_string()
}

fn count(rows: &[NewsroomRow], status: PostStatus) -> usize {
    rows.iter().filter(|r| r.post.status() == status).count()
}

fn filter_form(input: &ReportPageInput) -> Markup {
    let form = input.form;
    html! {
        form method="get" action=(input.action) {
            label {
                "Status"
                select name="status" {
                    @for (value, text) in STATUS_CHOICES {
                        option value=(value) selected[form.status == value] { (text) }
                    }
                }
            }
            label {
                "Platform"
                select name="platform" {
                    option value="" selected[form.platform.is_empty()] { "any platform" }
                    @for p in Platform::ALL {
                        option value=(p.as_str()) selected[form.platform == p.as_str()] { (p.as_str()) }
                    }
                }
            }
            label {
                "Section"
                input type="text" name="section" value=(form.section) placeholder="e.g. politics" size="14";
            }
            label {
                "Status since"
                input type="date" name="from" value=(form.from);
            }
            label {
                "until"
                input type="date" name="to" value=(form.to);
            }
            button type="submit" { "Filter" }
            a href=(input.action) { "Reset" }
        }
    }
}

fn table(input: &ReportPageInput) -> Markup {
    html! {
        table {
            thead {
                tr {
                    th scope="col" { "Article" }
                    th scope="col" { "Section" }
                    th scope="col" { "Post" }
                    th scope="col" { "Status" }
                    th scope="col" { "Status since" }
                    th scope="col" { "What readers see instead" }
                }
            }
            tbody {
                @for row in input.rows {
                    (table_row(row, input.media_base))
                }
            }
        }
    }
}

fn table_row(row: &NewsroomRow, media_base: &str) -> Markup {
    let article_href = links::web_url(&row.article_url);
    let post_href = links::web_url(&row.post.canonical_url);
    let title = row
        .article_title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(row.article_url.as_str());
    let status = row.post.status();
    let card_html = card(&CardInput {
        post: &row.post,
        snapshot: row.snapshot.as_ref(),
        media_base,
        archived_on: None,
        markup: None,
    });
    html! {
        tr {
            td {
                @if let Some(href) = &article_href {
                    a href=(href.as_str()) { (title) }
                } @else {
                    (title)
                }
                br;
                span.muted { (row.article_url) }
            }
            td { (row.section().unwrap_or_default()) }
            td {
                (row.post.platform.as_str()) " "
                @if let Some(href) = &post_href {
                    a href=(href.as_str()) rel="noopener noreferrer nofollow" { (row.post.key.post_id) }
                } @else {
                    (row.post.key.post_id)
                }
                @if let Some(pin) = row.post.pin {
                    br;
                    span.muted { "pinned " (pin.as_str()) " by an operator" }
                }
            }
            td { span class=(format!("status status-{}", status.as_str())) { (status.as_str()) } }
            td {
                @if let Some(t) = row.since {
                    time datetime=(crate::model::rfc3339(t)) { (t.format("%Y-%m-%d %H:%M")) }
                } @else {
                    span.muted { "—" }
                }
            }
            // The card is rendered by `card`, which escapes every field itself.
            td.card { (PreEscaped(card_html)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmbedKind, LivenessState, PostKey, PostRecord, Snapshot, StoredSnapshot};

    fn row(article_url: &str, title: &str, author: &str, status: PostStatus) -> NewsroomRow {
        let now = Utc::now();
        let post = PostRecord {
            id: 7,
            key: PostKey {
                platform: Platform::X,
                post_id: "20".into(),
            },
            platform: Platform::X,
            canonical_url: "https://x.com/jack/status/20".into(),
            liveness: LivenessState {
                status,
                ..LivenessState::default()
            },
            created_at: now,
            last_checked_at: None,
            next_check_at: None,
            pin: None,
        };
        let snapshot = StoredSnapshot {
            id: 1,
            post_id: 7,
            content_sha256: String::new(),
            content_version: crate::model::CONTENT_VERSION,
            first_seen_at: now,
            last_seen_at: now,
            snapshot: Snapshot {
                fetched_at: now,
                source: "x-syndication".into(),
                author_name: Some(author.into()),
                author_handle: Some("jack".into()),
                author_url: None,
                text: Some("just setting up".into()),
                published_at: None,
                media: Vec::new(),
                raw: Vec::new(),
                ..Default::default()
            },
        };
        NewsroomRow {
            article_url: article_url.into(),
            article_title: Some(title.into()),
            post,
            kind: EmbedKind::Post,
            since: Some(now),
            snapshot: Some(snapshot),
        }
    }

    fn page(rows: &[NewsroomRow], form: &ReportForm) -> String {
        report_page(&ReportPageInput {
            rows,
            more: false,
            form,
            media_base: "/v1/media/",
            action: "/report",
            csv_href: "/report.csv?status=gone",
            json_href: "/report.json?status=gone",
            generated_at: Utc::now(),
        })
    }

    #[test]
    fn hostile_text_is_escaped_and_only_web_links_are_made() {
        let rows = [row(
            "javascript:alert(1)//news.example/politics/a",
            "<script>alert('title')</script>",
            "<img src=x onerror=alert(1)>",
            PostStatus::Gone,
        )];
        let form = ReportForm {
            section: "\"><script>alert('section')</script>".into(),
            ..ReportForm::default()
        };
        let html = page(&rows, &form);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert('title')&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("value=\"&quot;&gt;&lt;script&gt;alert('section')&lt;/script&gt;\""),
            "{html}"
        );
    }

    #[test]
    fn the_page_lists_rows_with_their_cards_and_keeps_the_form() {
        let rows = [
            row(
                "https://news.example/politics/2026/a.html",
                "Election night",
                "jack",
                PostStatus::Gone,
            ),
            row(
                "https://news.example/sport/b.html",
                "Cup final",
                "jill",
                PostStatus::Suspect,
            ),
        ];
        let form = ReportForm {
            platform: "x".into(),
            ..ReportForm::default()
        };
        let html = page(&rows, &form);
        assert!(
            html.contains("2 embedded posts listed: 1 gone, 1 suspect"),
            "{html}"
        );
        assert!(
            html.contains(
                "<a href=\"https://news.example/politics/2026/a.html\">Election night</a>"
            )
        );
        assert!(html.contains("<td>politics</td>") && html.contains("<td>sport</td>"));
        assert_eq!(html.matches("<figure class=\"ek-card").count(), 2);
        assert!(
            html.contains("<option value=\"x\" selected>x</option>"),
            "{html}"
        );
        assert!(html.contains("href=\"/report.csv?status=gone\""));
        let empty = page(&[], &ReportForm::default());
        assert!(empty.contains("No embedded posts match these filters."));
    }
}
