//! Test helpers: a temporary work directory that writes fixture files and runs the
//! `framelens` binary inside it (after ripgrep's `Dir` and xsv's `Workdir`).

use std::path::{Path, PathBuf};

/// Path of a file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text column, stance column and frame column of `labels_small.csv`.
pub const LABELS: &str = "labels_small.csv";

/// A fresh temporary directory, removed when dropped.
#[derive(Debug)]
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// Creates an empty directory.
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("framelens-test-")
            .tempdir()
            .expect("create temp dir");
        Dir { tmp }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// `name` inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Writes `contents` to `name` (creating parent directories) and returns its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&p, contents).expect("write file");
        p
    }

    /// Creates the directory `name` (and its parents).
    pub fn create_dir(&self, name: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::create_dir_all(&p).expect("create dir");
        p
    }

    /// Copies `tests/fixtures/<fixture>` to `name`.
    pub fn copy_fixture(&self, fixture_name: &str, name: &str) -> PathBuf {
        let bytes = std::fs::read(fixture(fixture_name)).expect("read fixture");
        self.create(name, bytes)
    }

    /// The bytes of `name`.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// The text of `name`.
    pub fn read_string(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).expect("UTF-8 file")
    }

    /// Every file and directory under the directory, as sorted relative paths.
    pub fn listing(&self) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("read dir") {
                let p = e.expect("dir entry").path();
                let rel = p
                    .strip_prefix(root)
                    .expect("inside root")
                    .to_string_lossy()
                    .into_owned();
                out.push(rel);
                if p.is_dir() {
                    walk(root, &p, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }

    /// A command for the `framelens` binary, run in this directory, with `args`.
    /// `SOURCE_DATE_EPOCH` is removed from the environment so tests control it.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_framelens"));
        c.current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .args(args);
        c
    }

    /// Runs `args` and returns (exit code, stdout, stderr); checks that nothing panicked.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().expect("run framelens");
        let o = Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !o.stderr.contains("panicked"),
            "framelens {args:?} panicked:\n{}",
            o.stderr
        );
        o
    }

    /// Runs `args`, expects success, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(o.code, Some(0), "framelens {args:?} failed:\n{}", o.stderr);
        o
    }

    /// Runs `args` and expects exit code 1 (a runtime error) with a `framelens: error:` line.
    pub fn err(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(
            o.code,
            Some(1),
            "framelens {args:?}: expected exit 1\nstdout:\n{}\nstderr:\n{}",
            o.stdout,
            o.stderr
        );
        assert!(
            o.stderr.contains("framelens: error: "),
            "framelens {args:?}: stderr:\n{}",
            o.stderr
        );
        o
    }

    /// Copies the labelled fixture into the directory as `labels_small.csv`.
    pub fn labels(&self) -> PathBuf {
        self.copy_fixture(LABELS, LABELS)
    }

    /// Trains a stance model on the fixture (skipping "No agreement") into `out`.
    pub fn train_stance(&self, out: &str) {
        if !self.join(LABELS).exists() {
            self.labels();
        }
        self.ok(&[
            "train",
            "--data",
            LABELS,
            "--text",
            "text",
            "--label",
            "stance",
            "--skip-label",
            "No agreement",
            "--search",
            "none",
            "--out",
            out,
        ]);
    }

    /// Trains a frame model on the fixture into `out`.
    pub fn train_frame(&self, out: &str) {
        if !self.join(LABELS).exists() {
            self.labels();
        }
        self.ok(&[
            "train", "--data", LABELS, "--text", "text", "--label", "frame", "--search", "none",
            "--out", out,
        ]);
    }
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Output {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Asserts that stderr contains every one of `parts`.
    pub fn stderr_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stderr.contains(p),
                "stderr lacks {p:?}:\n{}",
                self.stderr
            );
        }
        self
    }

    /// Asserts that stdout contains every one of `parts`.
    pub fn stdout_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stdout.contains(p),
                "stdout lacks {p:?}:\n{}",
                self.stdout
            );
        }
        self
    }
}

/// Parses CSV text into its header and rows.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.expect("CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}
