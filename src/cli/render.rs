//! Pieces of human output shared by several commands.

use crate::model::PostStatus;
use crate::report::RemnantReport;

/// A status cell: `gone`, or `gone (pinned)` when an operator's pin decides it.
pub(super) fn status(status: PostStatus, pinned: bool) -> String {
    if pinned {
        format!("{status} (pinned)")
    } else {
        status.to_string()
    }
}

/// "Name (@handle)", "@handle", "Name", or `none` when neither is known.
pub(super) fn author(name: &Option<String>, handle: &Option<String>, none: &str) -> String {
    match (name, handle) {
        (Some(n), Some(h)) => format!("{n} (@{h})"),
        (None, Some(h)) => format!("@{h}"),
        (Some(n), None) => n.clone(),
        (None, None) => none.to_owned(),
    }
}

/// For a table cell: "@handle" when the handle is known, else the name, else empty.
pub(super) fn short_author(name: &Option<String>, handle: &Option<String>) -> String {
    match (handle, name) {
        (Some(h), _) => format!("@{}", h.trim_start_matches('@')),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    }
}

/// The "remnants of broken embeds" block, empty when there are none.
pub(super) fn remnants(remnants: &[RemnantReport]) -> String {
    if remnants.is_empty() {
        return String::new();
    }
    let mut out = String::from("  remnants of broken embeds:\n");
    for r in remnants {
        let who = author(&r.author_name, &r.author_handle, "");
        out.push_str(&format!("    {}  {}  {:?}\n", r.platform, who, r.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    #[test]
    fn remnant_block_names_author_and_text() {
        let r = RemnantReport {
            platform: Platform::Instagram,
            author_name: Some("Chris Hemsworth".into()),
            author_handle: Some("chrishemsworth".into()),
            text: "A post shared by Chris Hemsworth (@chrishemsworth)".into(),
        };
        let out = remnants(&[r]);
        assert!(out.contains("instagram  Chris Hemsworth (@chrishemsworth)  \"A post shared"));
        assert_eq!(remnants(&[]), "");
        assert_eq!(author(&None, &None, "(no author)"), "(no author)");
        assert_eq!(short_author(&Some("N".into()), &Some("@h".into())), "@h");
        assert_eq!(short_author(&Some("Name".into()), &None), "Name");
    }
}
