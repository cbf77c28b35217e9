//! File writes at the edge: atomic replacement, so that no reader ever sees half a file.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// What [`write_if_changed`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Whether the file's content differs from `content` (and so was, or would be, written).
    pub changed: bool,
    /// The previous content, when the file existed and was text.
    pub before: Option<String>,
}

/// Writes `content` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, given its mode, then renamed over `path`. On any error the target is left untouched
/// and the temporary file is removed.
///
/// * The temporary file has a short name (`.hvp-XXXXXX.tmp`), so any valid target name works,
///   up to the 255-byte limit.
/// * An existing file keeps its permission bits; a new file gets `new_mode` (less the umask
///   is *not* applied: the mode is set explicitly).
/// * When `path` is a symbolic link, the file it points to is replaced and the link is kept;
///   a link to a missing file is an error.
pub fn write_atomic(path: &Path, content: &[u8], new_mode: u32) -> io::Result<()> {
    write_atomic_with(path, new_mode, |file| file.write_all(content))
}

/// [`write_atomic`] for content written by `write` (through a buffer) instead of held in
/// memory: large outputs are streamed into the temporary file. An error from `write` leaves
/// the target untouched, as any other.
pub fn write_atomic_with(
    path: &Path,
    new_mode: u32,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_target(path)?;
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if target.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    }
    let mode = match fs::metadata(&target) {
        Ok(metadata) if metadata.is_file() => metadata.permissions().mode() & 0o7777,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path is not a regular file",
            ))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => new_mode,
        Err(error) => return Err(error),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".hvp-")
        .suffix(".tmp")
        .rand_bytes(6)
        .tempfile_in(directory)?;
    temporary
        .as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    {
        let mut buffered = io::BufWriter::with_capacity(1 << 16, temporary.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(&target).map_err(|error| error.error)?;
    Ok(())
}

/// The file to replace: `path` itself, or the file a symbolic link at `path` points to.
fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("it is a symbolic link to a missing or unreachable file ({error})"),
                )
            })
        }
        _ => Ok(path.to_path_buf()),
    }
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
    fn long_names_keep_modes_and_follow_symlinks() {
        let directory = tempfile::tempdir().unwrap();
        let long = directory.path().join("g".repeat(245));
        write_atomic(&long, b"a", 0o644).unwrap();
        assert_eq!(fs::read(&long).unwrap(), b"a");
        let kept = directory.path().join("kept.conf");
        fs::write(&kept, b"old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&kept, b"new", 0o644).unwrap();
        assert_eq!(
            fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let link = directory.path().join("link.conf");
        std::os::unix::fs::symlink(&kept, &link).unwrap();
        write_atomic(&link, b"via link", 0o644).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&kept).unwrap(), b"via link");
        let dangling = directory.path().join("dangling.conf");
        std::os::unix::fs::symlink(directory.path().join("missing"), &dangling).unwrap();
        assert!(write_atomic(&dangling, b"x", 0o644).is_err());
        assert!(write_atomic(directory.path(), b"x", 0o644).is_err());
    }

    #[test]
    fn failed_write_leaves_no_file_behind() {
        let directory = tempfile::tempdir().unwrap();
        let missing_parent = directory.path().join("no/such/dir/out.ini");
        assert!(write_atomic(&missing_parent, b"x", 0o644).is_err());
        assert_eq!(fs::read_dir(directory.path()).unwrap().count(), 0);
    }
}
