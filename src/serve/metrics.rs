//! What `/metrics` reports, in the Prometheus text format: every API request counted by route
//! (the route's pattern, never the raw path, so the label set stays small; parameters written
//! `:id`, as braces in label values trip up some text parsers), method and status,
//! with a latency histogram by route; read from the archive at scrape time, posts by the
//! status readers see, checks by outcome and jobs by state; and, where this process writes the
//! archive, what its writer did since the process started (`store::Tally`): whether it can
//! write, its failed writes, the checks it recorded by platform and outcome, the job runs that
//! ended by how, and the polls of each source by outcome, as counters that retention does not
//! lower, and when each source was last polled without failing.
//!
//! The recorder belongs to the server (no process-wide recorder is installed), so two servers
//! in one process, as in tests, count apart.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{
    SharedString, Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge,
    histogram,
};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use super::{ServeError, ServeState};
use crate::store::{ServingCounts, Tally};

const REQUESTS: &str = "embedkeep_http_requests_total";
const LATENCY: &str = "embedkeep_http_request_duration_seconds";
const POSTS: &str = "embedkeep_posts";
const CHECKS: &str = "embedkeep_checks";
const JOBS: &str = "embedkeep_jobs";
const READABLE: &str = "embedkeep_archive_readable";
const WRITABLE: &str = "embedkeep_archive_writable";
const WRITE_ERRORS: &str = "embedkeep_archive_write_errors_total";
const CHECKS_TOTAL: &str = "embedkeep_checks_total";
const JOBS_TOTAL: &str = "embedkeep_jobs_total";

/// Upper bounds of the latency histogram's buckets, in seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The Prometheus text format's content type.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The server's metrics.
pub(super) struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// Each route pattern's label, made once: a request then shares it instead of building
    /// a string.
    route_labels: RwLock<HashMap<String, SharedString>>,
}

impl Metrics {
    pub(super) fn new() -> Result<Metrics, ServeError> {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), &LATENCY_BUCKETS)
            .map_err(|e| ServeError::Metrics(e.to_string()))?
            .build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            describe_counter!(
                REQUESTS,
                "HTTP requests answered, by route, method and status"
            );
            describe_histogram!(
                LATENCY,
                Unit::Seconds,
                "Time from a request's arrival to its answer's headers, by route"
            );
            describe_gauge!(
                POSTS,
                "Archived posts by the status readers see (a pin counts)"
            );
            describe_gauge!(CHECKS, "Liveness checks in the history, by outcome");
            describe_gauge!(JOBS, "Jobs in the work queue, by state");
            describe_gauge!(
                READABLE,
                "1 when the last scrape could read the archive, else 0"
            );
            describe_gauge!(
                WRITABLE,
                "0 from a write that failed on the archive's file (disk full, read-only, I/O) until a later write commits, else 1"
            );
            describe_counter!(
                WRITE_ERRORS,
                "Writes that failed on the archive's file since the process started"
            );
            describe_counter!(
                CHECKS_TOTAL,
                "Liveness checks recorded since the process started, by platform and outcome"
            );
            describe_counter!(
                JOBS_TOTAL,
                "Job runs that ended since the process started, by how: done, retried, failed, deferred (its platform cooling down)"
            );
        });
        Ok(Metrics {
            recorder,
            handle,
            route_labels: RwLock::new(HashMap::new()),
        })
    }

    /// The label of a route pattern (`/v1/posts/{id}/card` → `/v1/posts/:id/card`).
    fn route_label(&self, pattern: &str) -> SharedString {
        if let Some(label) = self
            .route_labels
            .read()
            .ok()
            .and_then(|labels| labels.get(pattern).cloned())
        {
            return label;
        }
        let label = SharedString::from(Arc::<str>::from(route_label(pattern)));
        if let Ok(mut labels) = self.route_labels.write() {
            labels.insert(pattern.to_owned(), label.clone());
        }
        label
    }

    /// Count one answered request.
    fn request(&self, route: SharedString, method: &'static str, status: u16, seconds: f64) {
        metrics::with_local_recorder(&self.recorder, || {
            counter!(REQUESTS, "route" => route.clone(), "method" => method, "status" => status_label(status))
                .increment(1);
            histogram!(LATENCY, "route" => route).record(seconds);
        });
    }

    /// The text of a scrape, with the archive's counts (`None`: the archive could not be read;
    /// the counts of the last good scrape stay) and its writer's record, if this process
    /// writes it.
    fn render(&self, counts: Option<&ServingCounts>, tally: Option<&Tally>) -> String {
        metrics::with_local_recorder(&self.recorder, || {
            if let Some(tally) = tally {
                gauge!(WRITABLE).set(if tally.writable() { 1.0 } else { 0.0 });
                counter!(WRITE_ERRORS).absolute(tally.write_errors());
                for (platform, outcome, n) in tally.checks() {
                    counter!(CHECKS_TOTAL, "platform" => platform, "outcome" => outcome)
                        .absolute(n);
                }
                // Every way a job run ends is listed from the start, at 0 until it happens, so
                // that `increase()` sees the first failure.
                let jobs = tally.jobs();
                for how in crate::store::JOB_ENDINGS {
                    let n = jobs.iter().find(|(h, _)| h == how).map_or(0, |(_, n)| *n);
                    counter!(JOBS_TOTAL, "outcome" => *how).absolute(n);
                }
            }
            gauge!(READABLE).set(if counts.is_some() { 1.0 } else { 0.0 });
            if let Some(c) = counts {
                let set = |name: &'static str, label: &'static str, values: &[(String, u64)]| {
                    for (value, n) in values {
                        // Counts far beyond 2^53 are not a concern for an archive.
                        gauge!(name, label => value.clone()).set(*n as f64);
                    }
                };
                set(POSTS, "status", &c.posts_by_status);
                set(CHECKS, "outcome", &c.checks_by_outcome);
                set(JOBS, "state", &c.jobs_by_state);
            }
        });
        self.handle.run_upkeep();
        let mut text = self.handle.render();
        if let Some(tally) = tally {
            text.push_str(&super::source_metrics::render(tally));
        }
        text
    }
}

/// The method as a label: the standard ones by name, anything else as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A status code as a label: the statuses this server answers are static strings.
fn status_label(status: u16) -> SharedString {
    let known = match status {
        200 => "200",
        202 => "202",
        204 => "204",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        413 => "413",
        415 => "415",
        429 => "429",
        500 => "500",
        501 => "501",
        503 => "503",
        _ => return SharedString::from(status.to_string()),
    };
    SharedString::const_str(known)
}

/// A route pattern as a label: `/v1/posts/{id}/snapshots` becomes `/v1/posts/:id/snapshots`.
fn route_label(pattern: &str) -> String {
    pattern
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!(":{name}"),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Middleware: count each request and time it, by its route's pattern.
pub(super) async fn track(
    State(state): State<ServeState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || SharedString::const_str("unmatched"),
        |m| state.metrics().route_label(m.as_str()),
    );
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics().request(
        route,
        method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics` (on the metrics listener).
pub(super) async fn scrape(State(state): State<ServeState>) -> Response {
    let counts = match state.reader().call(|s| s.serving_counts()).await {
        Ok(counts) => Some(counts),
        Err(e) => {
            tracing::warn!("metrics: the archive cannot be read: {e}");
            None
        }
    };
    let text = state.metrics().render(counts.as_ref(), state.tally());
    let mut response = text.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(TEXT_FORMAT));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_labels_are_the_code() {
        for code in [200u16, 304, 404, 418, 503, 599] {
            assert_eq!(status_label(code).as_ref(), code.to_string());
        }
    }

    #[test]
    fn a_route_label_is_made_once_and_shared() {
        let metrics = Metrics::new().unwrap();
        let first = metrics.route_label("/v1/posts/{id}/card");
        assert_eq!(first.as_ref(), "/v1/posts/:id/card");
        assert_eq!(metrics.route_label("/v1/posts/{id}/card"), first);
        assert_eq!(metrics.route_labels.read().unwrap().len(), 1);
    }

    #[test]
    fn route_labels_have_no_braces() {
        assert_eq!(
            route_label("/v1/posts/{id}/snapshots"),
            "/v1/posts/:id/snapshots"
        );
        assert_eq!(route_label("/v1/posts"), "/v1/posts");
    }
}
