//! Writing a file so that a reader sees either the old file or the whole new one, never half of
//! one: the bytes go to a temporary file beside it, which is then renamed into place.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` through a temporary file in the same folder (`.NAME.XXXXXX.partial`)
/// and a rename. On failure the temporary file is removed and `path` is as it was. The file gets
/// the mode any new file of this process gets (0666 less the umask), not a temporary file's
/// private 0600: the files written this way are read by others (a CDN, a build).
///
/// A symbolic link, a device or a pipe at `path` is refused: the rename would replace it with a
/// plain file, not write through it (`--out /dev/stdout` would turn the device into a file).
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} exists and is not a regular file (a link, a folder, a device or a pipe): \
                 writing would replace it with a file",
                path.display()
            ),
        ));
    }
    let context = |doing: String| {
        move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{doing}: {e}"))
    };
    let mut tmp = partial_beside(path)?;
    tmp.write_all(bytes)
        .map_err(context(format!("cannot write {}", tmp.path().display())))?;
    tmp.persist(path)
        .map_err(|e| context(format!("cannot rename into {}", path.display()))(e.error))?;
    Ok(())
}

/// An empty temporary file in `path`'s folder, named for it (`.NAME.XXXXXX.partial`: hidden,
/// and plainly not the file itself), to be renamed into place once written. It gets the mode
/// any new file of this process gets (0666 less the umask), as the file it becomes would.
pub(super) fn partial_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot create a temporary file in {}: {e}", dir.display()),
        )
    })
}

/// The names in `dir`, sorted (for tests of what a write leaves behind).
#[cfg(test)]
pub(super) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link or a device is not replaced by a file: the link and what it leads to stay.
    #[cfg(unix)]
    #[test]
    fn a_link_or_a_device_is_refused_not_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("target");
        std::fs::write(&target, b"kept").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).expect("link");
        for path in [link.as_path(), Path::new("/dev/null"), dir.path()] {
            let err = write_atomically(path, b"new").expect_err("refused");
            assert!(err.to_string().contains("is not a regular file"), "{err}");
        }
        assert!(std::fs::symlink_metadata(&link).expect("stat").is_symlink());
        assert_eq!(std::fs::read(&target).expect("read"), b"kept");
        assert_eq!(names_in(dir.path()), ["link", "target"]);
    }

    #[test]
    fn writes_and_replaces_leaving_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index.json");
        write_atomically(&path, b"first").expect("first write");
        assert_eq!(std::fs::read(&path).expect("read"), b"first");
        write_atomically(&path, b"second, longer").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"second, longer");
        assert_eq!(names_in(dir.path()), ["index.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_has_the_mode_of_any_new_file_not_a_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").expect("write");
        let atomic = dir.path().join("atomic");
        write_atomically(&atomic, b"x").expect("write");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&atomic), mode(&plain));
    }

    #[test]
    fn a_failure_names_the_folder_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("no-such-folder");
        let err = write_atomically(&missing.join("card.html"), b"x").expect_err("no folder");
        assert!(
            err.to_string().contains(&missing.display().to_string()),
            "{err}"
        );

        // A folder in the way of the rename: the temporary file is removed again.
        let taken = dir.path().join("taken");
        std::fs::create_dir(&taken).expect("mkdir");
        std::fs::write(taken.join("inside"), b"keep").expect("write");
        let err = write_atomically(&taken, b"x").expect_err("a folder is in the way");
        assert!(err.to_string().contains("taken"), "{err}");
        assert_eq!(names_in(dir.path()), ["taken"]);
        assert_eq!(names_in(&taken), ["inside"]);
    }
}
