//! `GET /report`: the newsroom page (HTML, made by `render`), and the same filtered rows as
//! `GET /report.csv` and `GET /report.json` (or `/report?format=csv|json`).
//!
//! Filters are query parameters, as the page's GET form sends them: `status` (`gone`,
//! `suspect`, `live`, `unknown`, `all`; default gone and suspect), `platform`, `section` (the
//! first folder of the article URL's path), `from` and `to` (days, `YYYY-MM-DD`, inclusive: when
//! the post's current status began). An empty parameter is no filter. At most [`MAX_ROWS`] rows
//! are answered, newest status change first.
//!
//! The page carries no script and is answered with a Content-Security-Policy that forbids any,
//! so even a card that went wrong could not run code in an editor's browser. CSV cells that a
//! spreadsheet would read as a formula are prefixed with `'`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::blank::given;
use super::error::ApiError;
use super::{ServeState, document};
use crate::model::{NewsroomFilter, NewsroomRow, Platform, PostStatus};
use crate::render::{ReportForm, ReportPageInput, report_page};

/// Most rows one answer lists.
pub const MAX_ROWS: u32 = 500;

const ROUTE: &str = "/report";
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

/// The query of the report routes. Unknown parameters are refused, so a misspelt filter never
/// silently widens the list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    status: Option<String>,
    platform: Option<String>,
    section: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// What the answer is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Csv,
    Json,
}

impl Format {
    const ALL: [Format; 3] = [Format::Html, Format::Csv, Format::Json];

    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// A day `YYYY-MM-DD` (midnight UTC), or a full RFC 3339 time.
fn parse_day(name: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            ApiError::bad_request(
                format!("{name}={value:?} is not a day (2026-11-01) or an RFC 3339 time"),
                value,
            )
        })
}

impl ReportQuery {
    fn format(&self, route_format: Option<Format>) -> Result<Format, ApiError> {
        let asked = match given(&self.format) {
            None => None,
            Some(name) => Some(
                Format::ALL
                    .into_iter()
                    .find(|f| f.name() == name)
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            format!("format={name:?}: use html, csv or json"),
                            name,
                        )
                    })?,
            ),
        };
        match (route_format, asked) {
            (Some(route), None) => Ok(route),
            // `/report.json?format=json` says the same thing twice.
            (Some(route), Some(f)) if route == f => Ok(route),
            (Some(route), Some(f)) => Err(ApiError::bad_request(
                format!(
                    "format={:?} on /report.{}: the route names its format; use /report?format={} or /report.{}",
                    f.name(),
                    route.name(),
                    f.name(),
                    f.name()
                ),
                f.name(),
            )),
            (None, f) => Ok(f.unwrap_or(Format::Html)),
        }
    }

    fn filter(&self) -> Result<NewsroomFilter, ApiError> {
        // Any case, as `list --status` reads its names.
        let statuses = match given(&self.status) {
            None => NewsroomFilter::default().statuses,
            Some(s) if s.eq_ignore_ascii_case("all") => Vec::new(),
            Some(s) => vec![PostStatus::from_typed(s).ok_or_else(|| {
                ApiError::bad_request(
                    format!(
                        "status={s:?} is not a status: use gone, suspect, live, unknown or all"
                    ),
                    s,
                )
            })?],
        };
        let platform = given(&self.platform)
            .map(|p| {
                Platform::from_typed(p).ok_or_else(|| {
                    ApiError::bad_request(format!("platform={p:?} is not a platform"), p)
                })
            })
            .transpose()?;
        let from = given(&self.from)
            .map(|v| parse_day("from", v))
            .transpose()?;
        // `to` names the last day shown: rows up to the end of it.
        let until = given(&self.to)
            .map(|v| {
                let t = parse_day("to", v)?;
                Ok(if v.len() == 10 {
                    t + chrono::Duration::days(1)
                } else {
                    t
                })
            })
            .transpose()?;
        Ok(NewsroomFilter {
            statuses,
            platform,
            section: given(&self.section).map(str::to_owned),
            from,
            until,
            limit: MAX_ROWS,
        })
    }

    /// The form's fields as given, to show them back.
    fn form(&self) -> ReportForm {
        let echo = |v: &Option<String>| given(v).unwrap_or_default().to_owned();
        ReportForm {
            status: echo(&self.status),
            platform: echo(&self.platform),
            section: echo(&self.section),
            from: echo(&self.from),
            to: echo(&self.to),
        }
    }

    /// The filters as a query string (without `format`), for the download links.
    fn filters_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", &self.status),
            ("platform", &self.platform),
            ("section", &self.section),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = given(value) {
                q.append_pair(name, v);
            }
        }
        q.finish()
    }
}

pub(super) async fn page(
    state: State<ServeState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    answer(state, query, None).await
}

pub(super) async fn csv(
    state: State<ServeState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    answer(state, query, Some(Format::Csv)).await
}

pub(super) async fn json(
    state: State<ServeState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    answer(state, query, Some(Format::Json)).await
}

async fn answer(
    State(state): State<ServeState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
    route_format: Option<Format>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_query(&r, ROUTE))?;
    let format = query.format(route_format)?;
    let filter = query.filter()?;
    let (rows, more) = state
        .reader()
        .call(move |s| s.newsroom_rows(&filter))
        .await
        .map_err(|e| ApiError::store(e, ROUTE))?;
    let base = state.public_base_url().unwrap_or("").to_owned();
    match format {
        Format::Json => Ok(document(&ReportDocument::new(&rows, more, &base))),
        Format::Csv => Ok(with_headers(
            csv_text(&rows, &base),
            "text/csv; charset=utf-8",
            Some("attachment; filename=\"embedkeep-report.csv\""),
        )),
        Format::Html => {
            let filters = query.filters_query();
            let with = |path: &str| {
                if filters.is_empty() {
                    format!("{base}{path}")
                } else {
                    format!("{base}{path}?{filters}")
                }
            };
            let html = report_page(&ReportPageInput {
                rows: &rows,
                more,
                form: &query.form(),
                media_base: &format!("{base}/v1/media/"),
                action: &format!("{base}{ROUTE}"),
                csv_href: &with("/report.csv"),
                json_href: &with("/report.json"),
                generated_at: Utc::now(),
            });
            let mut response = with_headers(html, "text/html; charset=utf-8", None);
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_CSP),
            );
            Ok(response)
        }
    }
}

fn with_headers(
    body: String,
    content_type: &'static str,
    disposition: Option<&'static str>,
) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Editors expect the list as it is now.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(d) = disposition {
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(d));
    }
    response
}

/// `GET /report.json`: the rows, and whether more matched than are listed.
#[derive(Debug, Serialize)]
pub struct ReportDocument {
    pub rows: Vec<ReportRow>,
    pub more: bool,
}

/// One row of the downloads (the CSV has the same columns, in this order).
#[derive(Debug, Serialize)]
pub struct ReportRow {
    pub article_url: String,
    pub article_title: Option<String>,
    pub section: Option<String>,
    pub platform: &'static str,
    pub post_url: String,
    pub id: i64,
    pub status: &'static str,
    /// RFC 3339: when the current status began.
    pub since: Option<String>,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub card_url: String,
}

impl ReportRow {
    fn of(row: &NewsroomRow, base: &str) -> ReportRow {
        let snap = row.snapshot.as_ref().map(|s| &s.snapshot);
        ReportRow {
            article_url: row.article_url.clone(),
            article_title: row.article_title.clone(),
            section: row.section(),
            platform: row.post.platform.as_str(),
            post_url: row.post.canonical_url.clone(),
            id: row.post.id,
            status: row.post.status().as_str(),
            since: row.since.map(crate::model::rfc3339),
            author_name: snap.and_then(|s| s.author_name.clone()),
            author_handle: snap.and_then(|s| s.author_handle.clone()),
            card_url: format!("{base}/v1/posts/{}/card", row.post.id),
        }
    }
}

impl ReportDocument {
    fn new(rows: &[NewsroomRow], more: bool, base: &str) -> ReportDocument {
        ReportDocument {
            rows: rows.iter().map(|r| ReportRow::of(r, base)).collect(),
            more,
        }
    }
}

const CSV_COLUMNS: [&str; 11] = [
    "article_url",
    "article_title",
    "section",
    "platform",
    "post_url",
    "id",
    "status",
    "since",
    "author_name",
    "author_handle",
    "card_url",
];

/// One CSV cell (RFC 4180 quoting). A cell a spreadsheet may run as a formula gets a leading
/// `'`: one that opens with a tab or a line break, or whose first character past any spaces
/// (a spreadsheet may trim them on import, the no-break and ideographic ones too) is `=`, `+`,
/// `-`, `@`, or the full-width form of one.
fn cell(value: &str) -> String {
    let first = value.trim_start().chars().next();
    let formula = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
    );
    let guarded = if formula || value.starts_with(['\t', '\r', '\n']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn csv_text(rows: &[NewsroomRow], base: &str) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for row in rows {
        let r = ReportRow::of(row, base);
        let id = r.id.to_string();
        let cells: [&str; 11] = [
            &r.article_url,
            r.article_title.as_deref().unwrap_or_default(),
            r.section.as_deref().unwrap_or_default(),
            r.platform,
            &r.post_url,
            &id,
            r.status,
            r.since.as_deref().unwrap_or_default(),
            r.author_name.as_deref().unwrap_or_default(),
            r.author_handle.as_deref().unwrap_or_default(),
            &r.card_url,
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@jack"), "'@jack");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        // Past the spaces a spreadsheet may trim, and in full-width forms.
        assert_eq!(cell(" =1+1"), "' =1+1");
        assert_eq!(cell("\u{a0}=1+1"), "'\u{a0}=1+1");
        assert_eq!(cell("\u{3000}@x"), "'\u{3000}@x");
        assert_eq!(cell("\u{FF1D}1+1"), "'\u{FF1D}1+1");
        assert_eq!(cell("\nx"), "\"'\nx\"");
        assert_eq!(cell("a = b"), "a = b");
        assert_eq!(cell(" plain"), " plain");
    }

    /// A route named for a format takes `format` only when it agrees; `/report` takes any of
    /// the three.
    #[test]
    fn the_format_comes_from_the_route_or_the_parameter() {
        let asked = |f: &str| ReportQuery {
            format: Some(f.into()),
            ..ReportQuery::default()
        };
        let none = ReportQuery::default();
        assert_eq!(none.format(None).ok(), Some(Format::Html));
        assert_eq!(none.format(Some(Format::Json)).ok(), Some(Format::Json));
        assert_eq!(asked("csv").format(None).ok(), Some(Format::Csv));
        assert_eq!(
            asked("json").format(Some(Format::Json)).ok(),
            Some(Format::Json)
        );
        assert_eq!(asked(" ").format(Some(Format::Csv)).ok(), Some(Format::Csv));
        let err = asked("csv")
            .format(Some(Format::Json))
            .expect_err("disagrees");
        assert!(format!("{err:?}").contains("/report.csv"), "{err:?}");
        assert!(asked("xml").format(None).is_err());
        assert!(asked("xml").format(Some(Format::Json)).is_err());
    }

    #[test]
    fn filters_are_read_with_the_input_named() {
        let q = ReportQuery::default();
        assert_eq!(
            q.filter().expect("default"),
            NewsroomFilter {
                limit: MAX_ROWS,
                ..NewsroomFilter::default()
            }
        );
        let q = ReportQuery {
            status: Some("all".into()),
            platform: Some("".into()),
            from: Some("2026-11-01".into()),
            to: Some("2026-11-01".into()),
            ..ReportQuery::default()
        };
        let f = q.filter().expect("filter");
        assert!(f.statuses.is_empty() && f.platform.is_none());
        // Names in any case, as `list --status` reads them.
        for (given, statuses) in [("ALL", vec![]), ("Gone", vec![PostStatus::Gone])] {
            let q = ReportQuery {
                status: Some(given.into()),
                ..ReportQuery::default()
            };
            assert_eq!(q.filter().expect(given).statuses, statuses, "{given}");
        }
        assert_eq!(
            f.until.map(|t| t.to_rfc3339()),
            Some("2026-11-02T00:00:00+00:00".to_owned())
        );
        for bad in [
            ReportQuery {
                status: Some("dead".into()),
                ..ReportQuery::default()
            },
            ReportQuery {
                platform: Some("myspace".into()),
                ..ReportQuery::default()
            },
            ReportQuery {
                from: Some("yesterday".into()),
                ..ReportQuery::default()
            },
        ] {
            assert_eq!(
                bad.filter().map(|_| ()).map_err(|e| e.kind()),
                Err("bad-request")
            );
        }
        assert_eq!(
            ReportQuery {
                format: Some("xml".into()),
                ..ReportQuery::default()
            }
            .format(None)
            .map_err(|e| e.kind()),
            Err("bad-request")
        );
        let q = ReportQuery {
            status: Some("gone".into()),
            section: Some("a b".into()),
            format: Some("csv".into()),
            ..ReportQuery::default()
        };
        assert_eq!(q.filters_query(), "status=gone&section=a+b");
        assert_eq!(q.format(None).ok(), Some(Format::Csv));
    }
}
