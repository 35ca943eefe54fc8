//! Where in a config file a key is written, so that an error found after parsing (a value of
//! the right type that makes no sense: a cron expression with two fields, a lease too short)
//! names its line as the parser's own errors do, and an operator goes straight to it.

use toml::de::{DeTable, DeValue};

/// One step of a key path: a table key, or an index into an array of tables (`sources[2]`).
#[derive(Debug, PartialEq)]
enum Step<'m> {
    Key(&'m str),
    Index(usize),
}

/// The 1-based line on which `text` writes the key that `message` opens by naming
/// (`schedule.recheck: …`, `[platforms.instagrm]: …`, `sources[1].feed: …`,
/// `http.host_overrides."h": …`), if the message opens with a dotted key path and the file
/// writes that key. A key left to its default is written nowhere: `None`.
pub(super) fn line_of_key(text: &str, message: &str) -> Option<usize> {
    let path = key_path(message)?;
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut at = None;
    let mut steps = path.iter().peekable();
    while let Some(step) = steps.next() {
        let Step::Key(name) = step else {
            return None;
        };
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *name)?;
        at = Some(key.span().start);
        let mut value: &DeValue<'_> = value.get_ref();
        if let Some(Step::Index(i)) = steps.peek() {
            let item = value.as_array()?.get(*i)?;
            at = Some(item.span().start);
            value = item.get_ref();
            steps.next();
        }
        if steps.peek().is_some() {
            table = value.as_table()?;
        }
    }
    let at = at?;
    Some(text.get(..at)?.bytes().filter(|&b| b == b'\n').count() + 1)
}

/// The key path a message opens with: segments of letters, digits, `_` and `-` (or a quoted
/// key) joined by dots, each optionally followed by `[N]`, inside `[…]` or not; at least two
/// steps (`a.b`, `a[0]`), so that a message opening with a plain word names no key.
fn key_path(message: &str) -> Option<Vec<Step<'_>>> {
    let rest = message.strip_prefix('[').unwrap_or(message);
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut steps = Vec::new();
    loop {
        let segment = if bytes.get(i) == Some(&b'"') {
            let len = rest.get(i + 1..)?.find('"')?;
            let key = &rest[i + 1..i + 1 + len];
            i += len + 2;
            key
        } else {
            let len = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                .count();
            if len == 0 {
                return None;
            }
            let key = &rest[i..i + len];
            i += len;
            key
        };
        steps.push(Step::Key(segment));
        if bytes.get(i) == Some(&b'[') {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 || bytes.get(i + 1 + digits) != Some(&b']') {
                return None;
            }
            steps.push(Step::Index(rest[i + 1..i + 1 + digits].parse().ok()?));
            i += digits + 2;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
        } else {
            break;
        }
    }
    (steps.len() >= 2).then_some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "[store]\nkeep_originals = false\n\n[schedule]\ndiscover = \"*/15 * * * *\"\nrecheck = \"every hour\"\n\n[http.host_overrides]\n\"a.example\" = \"ftp://x\"\n\n[platforms.instagrm]\nenabled = true\n\n[[sources]]\nfeed = \"https://a.example/feed\"\n\n[[sources]]\nsitemap = \"nope\"\n";

    #[test]
    fn keys_named_by_messages_are_found_on_their_lines() {
        for (message, line) in [
            ("schedule.recheck: \"every hour\" has 2 fields", Some(6)),
            ("schedule.discover must be …", Some(5)),
            (
                "http.host_overrides.\"a.example\": \"ftp://x\" must be an http URL",
                Some(9),
            ),
            ("[platforms.instagrm]: unknown platform", Some(11)),
            ("sources[1].sitemap: not a URL", Some(18)),
            (
                "sources[0] must have exactly one of feed, sitemap or urls_file",
                Some(14),
            ),
            // Left to its default: written nowhere.
            ("schedule.lease must be at least 1s", None),
            ("sources[5].feed: not a URL", None),
            // No key path at the start.
            ("cannot read the file", None),
            ("store: oops", None),
        ] {
            assert_eq!(line_of_key(FILE, message), line, "{message}");
        }
    }

    #[test]
    fn key_paths_are_read_from_the_start_of_a_message() {
        assert_eq!(
            key_path("sources[2].urls_file: x"),
            Some(vec![
                Step::Key("sources"),
                Step::Index(2),
                Step::Key("urls_file")
            ])
        );
        assert_eq!(
            key_path("serve.listen = \"x\""),
            Some(vec![Step::Key("serve"), Step::Key("listen")])
        );
        for message in ["", "[", "a.", "a[x].b", "\"open.b", "x", ".a.b"] {
            assert_eq!(key_path(message), None, "{message:?}");
        }
    }
}
