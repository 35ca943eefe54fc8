//! The cost of one claim of the daemon's job queue (`Store::claim_jobs`: four jobs, two a
//! host at most) as the queue grows: with the jobs of 50 hosts all due, and with one busy
//! host's backlog due ahead of them. Each iteration claims four jobs and puts them back due,
//! so the queue keeps its size. Run: `cargo bench --bench queue`.

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use embedkeep::store::{ErrorClass, JobKind, Store};

fn bench_claims(c: &mut Criterion) {
    let mut group = c.benchmark_group("claim_jobs");
    group.sample_size(20);
    for queued in [1_000u32, 100_000] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let mut store =
            Store::open(&dir.path().join("a.db")).unwrap_or_else(|e| panic!("open: {e}"));
        let now = Utc::now();
        let keys: Vec<String> = (0..queued)
            .map(|i| format!("https://h{}.example/{i}", i % 50))
            .collect();
        store
            .enqueue_many(JobKind::Archive, &keys, now - Duration::hours(1))
            .unwrap_or_else(|e| panic!("queue: {e}"));
        let lease = now + Duration::minutes(5);
        group.bench_function(BenchmarkId::from_parameter(queued), |b| {
            b.iter(|| {
                let jobs = store
                    .claim_jobs("w", now, lease, 4, 2)
                    .unwrap_or_else(|e| panic!("claim: {e}"));
                assert_eq!(jobs.len(), 4);
                for job in black_box(jobs) {
                    store
                        .fail_job(
                            job.id,
                            "w",
                            ErrorClass::Transient,
                            "again",
                            Some(now - Duration::hours(1)),
                        )
                        .unwrap_or_else(|e| panic!("requeue: {e}"));
                }
            });
        });
    }
    group.finish();
}

/// A publisher's own site, slow, with its sitemap's backlog queued: `queued` jobs of one host
/// that already has its two jobs running, due ahead of 1,000 jobs of 50 other hosts. Each
/// iteration claims four of the others' jobs and puts them back due.
fn bench_claims_past_a_busy_host(c: &mut Criterion) {
    let mut group = c.benchmark_group("claim_jobs_past_a_busy_host");
    group.sample_size(20);
    for queued in [1_000u32, 100_000] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let mut store =
            Store::open(&dir.path().join("a.db")).unwrap_or_else(|e| panic!("open: {e}"));
        let now = Utc::now();
        let backlog: Vec<String> = (0..queued)
            .map(|i| format!("https://slow.example/{i}"))
            .collect();
        let others: Vec<String> = (0..1_000)
            .map(|i| format!("https://h{}.example/{i}", i % 50))
            .collect();
        store
            .enqueue_many(JobKind::Archive, &backlog, now - Duration::hours(2))
            .unwrap_or_else(|e| panic!("queue: {e}"));
        store
            .enqueue_many(JobKind::Archive, &others, now - Duration::hours(1))
            .unwrap_or_else(|e| panic!("queue: {e}"));
        let lease = now + Duration::minutes(5);
        let running = store
            .claim_jobs("slow", now, lease, 2, 2)
            .unwrap_or_else(|e| panic!("claim: {e}"));
        assert_eq!(running.len(), 2);
        group.bench_function(BenchmarkId::from_parameter(queued), |b| {
            b.iter(|| {
                let jobs = store
                    .claim_jobs("w", now, lease, 4, 2)
                    .unwrap_or_else(|e| panic!("claim: {e}"));
                assert_eq!(jobs.len(), 4);
                for job in black_box(jobs) {
                    store
                        .fail_job(
                            job.id,
                            "w",
                            ErrorClass::Transient,
                            "again",
                            Some(now - Duration::hours(1)),
                        )
                        .unwrap_or_else(|e| panic!("requeue: {e}"));
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_claims, bench_claims_past_a_busy_host);
criterion_main!(benches);
