//! `GET /v1/posts?url=POST_URL` (one post: the `show --json` object and its latest `snapshot`), `GET /v1/posts?status=…`
//! (a page of the `list --json` document) and `GET /v1/posts/{id}/snapshots`.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::error::ApiError;
use super::{ServeState, blank, document, platform_urls};
use crate::model::{Platform, PostFilter, PostStatus, read_http_url, without_fragment};
use crate::pipeline::{self, LookupError};
use crate::report::{self, PostReport};

/// Page size of a listing when `limit` is not given (as `list`'s).
pub const DEFAULT_LIMIT: u32 = 100;
/// Largest page a listing answers.
pub const MAX_LIMIT: u32 = 1000;

/// The query of `GET /v1/posts`: `url` alone, or the listing filters. Unknown parameters are
/// refused, so a misspelt filter never silently widens the answer.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PostsQuery {
    // `url=` sent empty is kept: a post asked for by an empty address is a mistake, not a
    // request for the whole listing. A filter sent empty is read as not sent.
    url: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    status: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    platform: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    article: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    since: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    limit: Option<String>,
    #[serde(default, deserialize_with = "blank::as_unsent")]
    after: Option<String>,
}

impl PostsQuery {
    fn has_filters(&self) -> bool {
        [
            &self.status,
            &self.platform,
            &self.article,
            &self.since,
            &self.limit,
            &self.after,
        ]
        .iter()
        .any(|p| p.is_some())
    }

    /// The listing filter, or the first parameter that does not parse.
    fn filter(&self) -> Result<PostFilter, ApiError> {
        let status = self
            .status
            .as_deref()
            .map(|s| {
                // Any case, as `list --status` reads its names.
                PostStatus::from_typed(s).ok_or_else(|| {
                    ApiError::bad_request(
                        format!("status={s:?} is not a status: use live, suspect, gone or unknown"),
                        s,
                    )
                })
            })
            .transpose()?;
        let platform = self
            .platform
            .as_deref()
            .map(|p| {
                Platform::from_typed(p).ok_or_else(|| {
                    ApiError::bad_request(
                        format!(
                            "platform={p:?} is not a platform: use one of {}",
                            Platform::names()
                        ),
                        p,
                    )
                })
            })
            .transpose()?;
        let since = self
            .since
            .as_deref()
            .map(|s| parse_since(s, Utc::now()).map_err(|m| ApiError::bad_request(m, s)))
            .transpose()?;
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(l) => l
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        format!("limit={l:?} is not a number from 1 to {MAX_LIMIT}"),
                        l,
                    )
                })?,
        };
        let after = self
            .after
            .as_deref()
            .map(|a| {
                // Post ids count up from 1: `-5` names no post and no page.
                a.parse::<i64>().ok().filter(|id| *id >= 0).ok_or_else(|| {
                    ApiError::bad_request(
                        format!("after={a:?} is not a post id (the `next` of a page)"),
                        a,
                    )
                })
            })
            .transpose()?;
        let article_url = self.article.as_deref().map(article_url).transpose()?;
        Ok(PostFilter {
            status,
            platform,
            article_url,
            since,
            limit,
            after,
        })
    }
}

/// `since=`: a duration back from `now` (`7d`, `12h`, `30m`) or an RFC 3339 date, a full
/// timestamp or a day (midnight UTC): the forms `list --since` takes.
fn parse_since(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = s.trim();
    if let Ok(d) = humantime::parse_duration(text) {
        return chrono::Duration::from_std(d)
            .ok()
            .and_then(|back| now.checked_sub_signed(back))
            .ok_or_else(|| format!("since={s:?} reaches too far back"));
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
        "since={s:?} is neither a duration (7d, 12h, 30m) nor an RFC 3339 date \
         (2026-11-01 or 2026-11-01T08:00:00Z)"
    ))
}

/// `GET /v1/posts`: one post by URL, or a page of posts by filter.
pub(super) async fn find(
    State(state): State<ServeState>,
    query: Result<Query<PostsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_query(&r, "/v1/posts"))?;
    match &query.url {
        Some(url) if query.has_filters() => Err(ApiError::bad_request(
            "url= names one post; it does not combine with listing filters",
            url.as_str(),
        )),
        Some(url) => one_post(&state, url).await,
        None => listing(&state, query.filter()?).await,
    }
}

/// A post URL asked for in `url=`, read as the command line reads a post URL argument
/// ([`read_http_url`]: a host name and path is read as https). One that is no http(s) URL is
/// the client's mistake (400), not a post the archive lacks (404), so a client can tell a typo
/// from a post that went away; `input` names it as asked.
pub(super) fn post_url(asked: &str) -> Result<String, ApiError> {
    read_http_url(asked).map_err(|e| {
        ApiError::bad_request(format!("url={asked:?} is not a post's URL: {e}"), asked)
    })
}

/// An article URL asked for in `article=` or `url=`, read as [`post_url`] reads a post's (400
/// for one that is no http(s) URL; a host name and path is read as https), without its
/// `#fragment`, as the article was archived: as `list --article` reads its argument.
pub(super) fn article_url(asked: &str) -> Result<String, ApiError> {
    read_http_url(asked)
        .map(|url| without_fragment(&url))
        .map_err(|e| {
            ApiError::bad_request(format!("{asked:?} is not an article's URL: {e}"), asked)
        })
}

/// The `show --json` object of the post at `url` (as asked).
async fn one_post(state: &ServeState, url: &str) -> Result<Response, ApiError> {
    let post = post_url(url)?;
    let view = pipeline::lookup(state.reader(), &post)
        .await
        .map_err(|e| match e {
            LookupError::NotArchived(e) => ApiError::not_found(e.to_string(), url),
            LookupError::Store(e) => ApiError::store(e, url),
        })?;
    let mut report = PostReport::from(&view);
    report
        .snapshots
        .iter_mut()
        .for_each(platform_urls::snapshot);
    Ok(document(&report::LookedUpPost::from(report)))
}

/// A page of the `list --json` document.
async fn listing(state: &ServeState, filter: PostFilter) -> Result<Response, ApiError> {
    let limit = filter.limit;
    let wanted = filter.clone();
    let posts = state
        .reader()
        .call(move |s| s.list_posts(&wanted))
        .await
        .map_err(|e| ApiError::store(e, "/v1/posts"))?;
    let mut page = report::list_document(&posts, limit);
    page.posts
        .iter_mut()
        .filter_map(|p| p.snapshot.as_mut())
        .for_each(platform_urls::snapshot);
    Ok(document(&page))
}

/// The `{id}` of `/v1/posts/{id}/…`: a post's archive id, a whole number from 1. Anything else
/// (`abc`, `-1`, `1.5`, a number past the ids SQLite gives) names no post whatever the archive
/// holds, so it is a bad request (400) like a malformed query parameter, not a post that is
/// missing (404): a client tells its own mistake from a post that went away.
pub(super) fn post_id(id: Result<Path<String>, PathRejection>, uri: &Uri) -> Result<i64, ApiError> {
    // A path segment that is not UTF-8 once percent-decoded (`%FF`) is refused by the extractor
    // before it is read: named as it was sent, percent-encoded.
    let raw = match id {
        Ok(Path(id)) => id,
        Err(_) => {
            let sent = sent_segment(uri, 3);
            return Err(ApiError::bad_request(
                format!(
                    "{sent:?} is not a post id: not a whole number from 1, nor UTF-8 once percent-decoded"
                ),
                sent,
            ));
        }
    };
    match raw.parse::<i64>() {
        Ok(id) if id > 0 && raw.bytes().all(|b| b.is_ascii_digit()) => Ok(id),
        _ => Err(ApiError::bad_request(
            format!("{raw:?} is not a post id (a whole number from 1)"),
            raw,
        )),
    }
}

/// The `index`th segment of the request's path as it was sent (still percent-encoded), for
/// naming a segment the router could not decode: `/v1/posts/%FF/card`'s 3rd is `%FF`.
pub(super) fn sent_segment(uri: &Uri, index: usize) -> String {
    uri.path()
        .split('/')
        .nth(index)
        .unwrap_or_default()
        .to_owned()
}

/// `GET /v1/posts/{id}/snapshots`: every snapshot of a post, newest first.
pub(super) async fn snapshots(
    State(state): State<ServeState>,
    id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let id = post_id(id, &uri)?;
    let (post, kind, snapshots) = state
        .reader()
        .call(move |s| {
            let post = s.post(id)?;
            let kind = s.post_embeds(id)?.first().map(|e| e.embed.kind);
            Ok((post, kind, s.snapshots(id)?))
        })
        .await
        .map_err(|e| ApiError::store(e, id.to_string()))?;
    let mut answer = report::snapshots_document(&post, kind, &snapshots);
    answer
        .snapshots
        .iter_mut()
        .for_each(platform_urls::snapshot);
    Ok(document(&answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_the_forms_of_list() {
        let now = Utc::now();
        assert_eq!(parse_since("7d", now), Ok(now - chrono::Duration::days(7)));
        assert_eq!(
            parse_since("2026-11-01", now).map(|t| t.to_rfc3339()),
            Ok("2026-11-01T00:00:00+00:00".to_owned())
        );
        assert!(parse_since("last tuesday", now).is_err());
    }

    #[test]
    fn filters_are_checked_with_the_input_named() {
        let q = PostsQuery {
            status: Some("dead".into()),
            ..PostsQuery::default()
        };
        let e = q.filter().expect_err("bad status");
        assert_eq!(e.document().error.input, "dead");
        let q = PostsQuery {
            limit: Some("0".into()),
            ..PostsQuery::default()
        };
        assert!(q.filter().is_err());
        let q = PostsQuery {
            status: Some("gone".into()),
            platform: Some("Instagram".into()),
            limit: Some("5".into()),
            after: Some("12".into()),
            ..PostsQuery::default()
        };
        let f = q.filter().expect("filter");
        assert_eq!(f.status, Some(PostStatus::Gone));
        // Names in any case, as `list --status GONE` reads them.
        let q = PostsQuery {
            status: Some("GONE".into()),
            ..PostsQuery::default()
        };
        assert_eq!(q.filter().expect("GONE").status, Some(PostStatus::Gone));
        assert_eq!(f.platform, Some(Platform::Instagram));
        assert_eq!((f.limit, f.after), (5, Some(12)));
        for after in ["-5", "x", "1.5", "99999999999999999999"] {
            let q = PostsQuery {
                after: Some(after.into()),
                ..PostsQuery::default()
            };
            let e = q.filter().expect_err(after);
            assert_eq!(e.document().error.input, after);
        }
    }
}
