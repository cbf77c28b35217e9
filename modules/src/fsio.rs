//! File writes at the edge: atomic replacement, so that no reader ever sees half a file.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What [`write_if_changed`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Whether the file's content differs from `content` (and so was, or would be, written).
    pub changed: bool,
    /// The previous content, when the file existed and was text.
    pub before: Option<String>,
}

/// Writes `content` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, given `mode`, then renamed over `path`. On any error the target is left untouched and
/// the temporary file is removed.
pub fn write_atomic(path: &Path, content: &[u8], mode: u32) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{}.", file_name.to_string_lossy()))
        .suffix(".tmp")
        .tempfile_in(directory)?;
    temporary
        .as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    temporary.write_all(content)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Compares `content` with the file at `path` and, unless `check_mode`, writes it atomically
/// when it differs. A missing file counts as different.
pub fn write_if_changed(
    path: &Path,
    content: &[u8],
    mode: u32,
    check_mode: bool,
) -> io::Result<WriteOutcome> {
    let existing = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let changed = existing.as_deref() != Some(content);
    if changed && !check_mode {
        write_atomic(path, content, mode)?;
    }
    Ok(WriteOutcome {
        changed,
        before: existing.and_then(|bytes| String::from_utf8(bytes).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_reports_unchanged() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("gdeploy.conf");
        let first = write_if_changed(&path, b"[hosts]\n", 0o600, false).unwrap();
        assert!(first.changed);
        assert_eq!(first.before, None);
        assert_eq!(fs::read(&path).unwrap(), b"[hosts]\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let second = write_if_changed(&path, b"[hosts]\n", 0o600, false).unwrap();
        assert!(!second.changed);
        assert_eq!(second.before.as_deref(), Some("[hosts]\n"));
    }

    #[test]
    fn check_mode_writes_nothing() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("out.ini");
        let outcome = write_if_changed(&path, b"x", 0o644, true).unwrap();
        assert!(outcome.changed);
        assert!(!path.exists());
    }

    #[test]
    fn failed_write_leaves_no_file_behind() {
        let directory = tempfile::tempdir().unwrap();
        let missing_parent = directory.path().join("no/such/dir/out.ini");
        assert!(write_atomic(&missing_parent, b"x", 0o644).is_err());
        assert_eq!(fs::read_dir(directory.path()).unwrap().count(), 0);
    }
}
