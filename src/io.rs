//! File helpers shared by the steps: atomic writes and output-path checks.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over `path`. A crash leaves either the old file or the new one.
/// A symbolic link is written through (its target is replaced, the link stays), and a path
/// that is not a regular file (a device such as `/dev/null`, a FIFO) is written to
/// directly, never replaced; see [`AtomicFile`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut w = AtomicFile::create(path)?;
    w.write_all(bytes)?;
    w.commit()
}

/// A file being written atomically; [`AtomicFile::commit`] moves it into place, dropping it
/// without committing removes it.
///
/// Like `cp` and shell redirections, it writes *through* a symbolic link: the link's target
/// is the file replaced (the link itself stays). A target that exists and is not a regular
/// file — a character or block device, a FIFO, a socket — is opened and written directly,
/// so `/dev/null` or a named pipe is never replaced by a regular file.
#[derive(Debug)]
pub struct AtomicFile {
    inner: Target,
}

#[derive(Debug)]
enum Target {
    /// A temporary file renamed over `path` on commit.
    Atomic {
        tmp: tempfile::NamedTempFile,
        path: PathBuf,
    },
    /// A device or FIFO written in place.
    Direct(std::fs::File),
}

/// Follows symbolic links from `path` (at most 40, as Linux does) to the path they end at,
/// which need not exist yet.
pub fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = if target.is_absolute() {
                    target
                } else {
                    parent_dir(&p).join(target)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(format!(
        "too many levels of symbolic links at {}",
        path.display()
    )))
}

impl AtomicFile {
    /// Starts a temporary file beside `path` (beside the target of a link), or opens `path`
    /// for writing when it is a device or a FIFO.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        // Asked of the kernel first, which also follows links that are not paths, such as
        // /dev/stdout -> /proc/self/fd/1 -> pipe:[…].
        if let Ok(m) = std::fs::metadata(path) {
            if !m.is_file() && !m.is_dir() {
                let f = std::fs::OpenOptions::new().write(true).open(path)?;
                return Ok(AtomicFile {
                    inner: Target::Direct(f),
                });
            }
        }
        let path = resolve_links(path)?;
        let dir = parent_dir(&path);
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .tempfile_in(dir)?;
        Ok(AtomicFile {
            inner: Target::Atomic { tmp, path },
        })
    }

    /// Flushes, syncs and renames the file into place. The file gets the permissions of the
    /// file it replaces, or `rw-r--r--` for a new file. A device or FIFO is only flushed.
    pub fn commit(self) -> std::io::Result<()> {
        match self.inner {
            Target::Direct(mut f) => f.flush(),
            Target::Atomic { mut tmp, path } => {
                tmp.as_file_mut().flush()?;
                let perms = match std::fs::metadata(&path) {
                    Ok(m) => m.permissions(),
                    Err(_) => default_permissions(tmp.as_file().metadata()?.permissions()),
                };
                tmp.as_file().set_permissions(perms)?;
                tmp.as_file().sync_all()?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

/// Temporary output files are named `.framelens-XXXXXX.tmp` beside the output.
pub const TEMP_PREFIX: &str = ".framelens-";

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.inner {
            Target::Atomic { tmp, .. } => tmp.write(buf),
            Target::Direct(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.inner {
            Target::Atomic { tmp, .. } => tmp.flush(),
            Target::Direct(f) => f.flush(),
        }
    }
}

#[cfg(unix)]
fn default_permissions(mut p: std::fs::Permissions) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    p.set_mode(0o644);
    p
}

#[cfg(not(unix))]
fn default_permissions(p: std::fs::Permissions) -> std::fs::Permissions {
    p
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks, before any work, that `out` can be written: its directory exists and is a
/// directory, `out` is not a directory, and `out` is none of `inputs`.
pub fn check_output(out: &Path, inputs: &[&Path]) -> Result<(), String> {
    let dir = parent_dir(out);
    if !dir.is_dir() {
        return Err(format!(
            "cannot write {}: directory {} does not exist",
            out.display(),
            dir.display()
        ));
    }
    if out.is_dir() {
        return Err(format!("cannot write {}: it is a directory", out.display()));
    }
    // A path the kernel resolves but that has no canonical form (/dev/stdout when it is a
    // pipe) cannot be one of the inputs.
    if let Ok(o) = out.canonicalize() {
        for i in inputs {
            if let Ok(c) = i.canonicalize() {
                if c == o {
                    return Err(format!(
                        "refusing to write {}: it is also an input (framelens never overwrites its input)",
                        out.display()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Runs `write` on `out` — a temporary file renamed into place only when `write` succeeds —
/// or, without `out`, on standard output (buffered). Errors of `write` pass through; failing
/// to create or commit the file is an [`crate::Error::Io`] naming it.
pub fn with_output<T, E: From<crate::Error>>(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<T, E>,
) -> Result<T, E> {
    use std::io::Write as _;
    match out {
        Some(out) => {
            let io = |e| crate::Error::io(out, e);
            let mut file = AtomicFile::create(out).map_err(io)?;
            let t = {
                let mut w = std::io::BufWriter::new(&mut file);
                let t = write(&mut w)?;
                w.flush().map_err(io)?;
                t
            };
            file.commit().map_err(io)?;
            Ok(t)
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let t = write(&mut w)?;
            w.flush().map_err(|source| crate::Error::Write { source })?;
            Ok(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_and_output_checks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
        assert!(check_output(&p, &[&p])
            .unwrap_err()
            .contains("also an input"));
        assert!(check_output(&dir.path().join("nope/x.csv"), &[])
            .unwrap_err()
            .contains("does not exist"));
        assert!(check_output(dir.path(), &[])
            .unwrap_err()
            .contains("is a directory"));
        assert!(check_output(&dir.path().join("new.csv"), &[&p]).is_ok());
    }

    /// Issue 11 (SIGKILL leaves temporary files): they are named `.framelens-XXXXXX.tmp`
    /// beside the output, as the README documents, so a user can tell and delete them; a
    /// dropped (failed) write removes its own.
    #[test]
    fn r11_temporary_files_are_named_as_documented() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("scores.csv");
        let mut w = AtomicFile::create(&out).unwrap();
        w.write_all(b"partial").unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(
            names[0].starts_with(".framelens-") && names[0].ends_with(".tmp"),
            "{names:?}"
        );
        assert!(!out.exists(), "nothing at the output path until commit");
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// Issue 11, item 3: a link is written through (the link stays, its target changes);
    /// a device or a FIFO is written in place, never replaced by a regular file.
    #[cfg(unix)]
    #[test]
    fn r11_3_links_devices_and_fifos_are_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("target.csv", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        // A link to a file that does not exist yet creates the target.
        let dangling = dir.path().join("later.csv");
        std::os::unix::fs::symlink("sub/made.csv", &dangling).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("sub/made.csv")).unwrap(),
            b"made"
        );
        // A character device.
        write_atomic(Path::new("/dev/null"), b"gone").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        // A FIFO, read by another thread.
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        // A link loop is an error, not a hang.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write_atomic(&a, b"x").is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
