//! The cost of one claim of the daemon's job queue (`Store::claim_jobs`: four jobs, two a
//! host at most) as the queue grows: with the jobs of 50 hosts all due, and with one busy
//! host's backlog due ahead of them. Each iteration claims four jobs and puts them back due,
//! so the queue keeps its size. Run: `cargo bench --bench queue`.

use std::hint::black_box;

use chrono::{DateTime, Duration, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use embedkeep::store::{ErrorClass, JobKind, Store};

/// `count` article URLs spread over 50 hosts (`h0.example` …).
fn spread_keys(count: u32) -> Vec<String> {
    (0..count)
        .map(|i| format!("https://h{}.example/{i}", i % 50))
        .collect()
}

/// An archive in a temporary directory holding `queues`, each list of keys due at its time.
fn archive(queues: &[(&[String], DateTime<Utc>)]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut store = Store::open(&dir.path().join("a.db")).unwrap_or_else(|e| panic!("open: {e}"));
    for (keys, due) in queues {
        store
            .enqueue_many(JobKind::Archive, keys, *due)
            .unwrap_or_else(|e| panic!("queue: {e}"));
    }
    (dir, store)
}

/// The measured step: claim four jobs (two a host at most) and put them back due.
fn claim_four_and_put_back(store: &mut Store, now: DateTime<Utc>) {
    let jobs = store
        .claim_jobs("w", now, now + Duration::minutes(5), 4, 2)
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
}

fn bench_claims(c: &mut Criterion) {
    let mut group = c.benchmark_group("claim_jobs");
    group.sample_size(20);
    for queued in [1_000u32, 100_000] {
        let now = Utc::now();
        let keys = spread_keys(queued);
        let (_dir, mut store) = archive(&[(&keys, now - Duration::hours(1))]);
        group.bench_function(BenchmarkId::from_parameter(queued), |b| {
            b.iter(|| claim_four_and_put_back(&mut store, now));
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
        let now = Utc::now();
        let backlog: Vec<String> = (0..queued)
            .map(|i| format!("https://slow.example/{i}"))
            .collect();
        let others = spread_keys(1_000);
        let (_dir, mut store) = archive(&[
            (&backlog, now - Duration::hours(2)),
            (&others, now - Duration::hours(1)),
        ]);
        let running = store
            .claim_jobs("slow", now, now + Duration::minutes(5), 2, 2)
            .unwrap_or_else(|e| panic!("claim: {e}"));
        assert_eq!(running.len(), 2);
        group.bench_function(BenchmarkId::from_parameter(queued), |b| {
            b.iter(|| claim_four_and_put_back(&mut store, now));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_claims, bench_claims_past_a_busy_host);
criterion_main!(benches);
