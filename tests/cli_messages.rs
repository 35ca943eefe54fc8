//! The first hour with the command line: what each mistake prints, once, naming the input and
//! saying what to do instead, and with which exit code (0 success, 1 some articles or posts
//! failed, 2 usage or config error). The checks look for the input and the hint, not for exact
//! wording.

mod support;

use std::process::Output;

use support::{Reply, Routes, TestEnv, fixture};
use unicode_width::UnicodeWidthStr;

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";

fn env() -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    TestEnv::new(routes, "")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(env: &TestEnv, args: &[&str]) -> Run {
    finish(env.cmd().args(args).output().expect("run"))
}

#[test]
fn no_colour_through_a_pipe_or_with_no_color() {
    let env = env();
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    // Through a pipe: no escape codes.
    let r = run(&env, &["list"]);
    assert!(r.stdout.contains("live"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    // Forced on, the status column is coloured; NO_COLOR wins over that.
    let forced = finish(
        env.cmd()
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env("CLICOLOR_FORCE", "1")
            .arg("list")
            .output()
            .expect("run"),
    );
    assert!(
        forced.stdout.contains("\u{1b}[32mlive"),
        "{:?}",
        forced.stdout
    );
    let off = finish(
        env.cmd()
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .arg("list")
            .output()
            .expect("run"),
    );
    assert!(!off.stdout.contains('\u{1b}'), "{:?}", off.stdout);
}

#[test]
fn table_columns_line_up_with_wide_characters() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("wide.html");
    let embed = |handle: &str, id: &str| {
        format!(
            "<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@{handle}/video/{id}\" \
             data-video-id=\"{id}\"><section><a title=\"@{handle}\" \
             href=\"https://www.tiktok.com/@{handle}\">@{handle}</a></section></blockquote>"
        )
    };
    std::fs::write(
        &page,
        format!(
            "<html><body>{}{}{}</body></html>",
            embed("李小龍", "6806030056956251397"),
            embed("👍🏽fan", "6806030056956251398"),
            embed("ann", "6806030056956251399"),
        ),
    )
    .expect("write");
    let r = run(&env, &["scan", page.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("李小龍") && r.stdout.contains("👍🏽"),
        "{}",
        r.stdout
    );
    // The last column starts at the same display column on every line of the table.
    let starts: Vec<usize> = r
        .stdout
        .lines()
        .filter_map(|line| {
            let at = line.find("blockquote.").or_else(|| line.find("FOUND AS"))?;
            Some(line[..at].width())
        })
        .collect();
    assert_eq!(starts.len(), 4, "{}", r.stdout);
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{}",
        r.stdout
    );
}
