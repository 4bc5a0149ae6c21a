//! File helpers shared by the steps: atomic writes and output-path checks.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over `path`. A crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut w = AtomicFile::create(path)?;
    w.write_all(bytes)?;
    w.commit()
}

/// A file being written atomically; [`AtomicFile::commit`] moves it into place, dropping it
/// without committing removes it.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts a temporary file beside `path`.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let dir = parent_dir(path);
        let tmp = tempfile::Builder::new()
            .prefix(".framelens-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Flushes, syncs and renames the file into place. The file gets the permissions of the
    /// file it replaces, or `rw-r--r--` for a new file.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.tmp.as_file_mut().flush()?;
        let perms = match std::fs::metadata(&self.path) {
            Ok(m) => m.permissions(),
            Err(_) => default_permissions(self.tmp.as_file().metadata()?.permissions()),
        };
        self.tmp.as_file().set_permissions(perms)?;
        self.tmp.as_file().sync_all()?;
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
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
    if out.exists() {
        let o = out
            .canonicalize()
            .map_err(|e| format!("{}: {e}", out.display()))?;
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
}
