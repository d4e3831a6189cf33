//! The `offergraph` binary, run as a user runs it: every command on the example plan files and
//! on broken ones, with exit codes, stderr messages and `--json` values checked against what the
//! library computes for the same files; the JSON Schemas against the code and the files.
#![cfg(feature = "cli")]

mod commands;
mod errors;
mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary in the crate's root with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_offergraph"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// The crate's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command line written as one string, its words split at whitespace (no path the tests use
/// has a space): `ok(&line(&format!("toggle {PLAN} --off {KEY} -o {}", out.display())))`.
pub fn line(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// A run that must succeed; its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?} failed: {stderr}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A `--json` run that must succeed; its one JSON document.
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&all)).expect("one JSON document on stdout")
}

/// A run that must fail with `code`; its stderr.
pub fn fails(code: i32, args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty() || code == 2, "{args:?} printed on stdout");
    stderr
}

/// A scratch directory for one test, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Two floats equal to a relative 1e-9.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
