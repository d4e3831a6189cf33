//! The layers of `src/` point one way: every import names a layer at or below its own, in the
//! order of `docs/architecture.md`. Reads the sources; an import through a re-export of the crate
//! root (`crate::Plan`) counts as an import of the layer that defines it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bottom to top. `error` holds one enum per layer and sits under all of them.
const ORDER: [&str; 16] = [
    "numerics",
    "error",
    "curves",
    "optimize",
    "model",
    "budget",
    "report",
    "time",
    "uncertainty",
    "actuals",
    "plan",
    "schema",
    "page",
    "sample",
    "testing",
    // The `offergraph` binary (feature `cli`): a crate of its own on top, using the library's
    // public API (`offergraph::…`); its `crate::` paths name its own modules.
    "bin",
];

fn rank(layer: &str) -> Option<usize> {
    ORDER.iter().position(|l| *l == layer)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its unit tests (which follow `#[cfg(test)]`).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Names a `use crate::…;` statement or path brings in, as `(first segment, name)` pairs:
/// `crate::{Plan, model::parts::Segment}` gives `("Plan", "Plan")` and `("model", "Segment")`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut firsts = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A grouped import: the first segment of every top-level item.
            let (mut depth, mut item, mut end) = (0, String::new(), group.len());
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = i;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        firsts.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            firsts.push(item);
            rest = &group[end..];
        } else {
            firsts.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    firsts
        .into_iter()
        .map(|item| item.trim().split("::").next().unwrap_or_default().trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Root re-exports of `lib.rs`: name → the layer it comes from.
fn root_exports(lib: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for stmt in lib.split(';') {
        let Some(at) = stmt.find("pub use ") else { continue };
        let path = &stmt[at + "pub use ".len()..];
        let layer = path.split("::").next().unwrap_or_default().trim().to_owned();
        let names =
            path.rsplit("::").next().unwrap_or_default().trim_matches(|c| c == '{' || c == '}' || c == ' ');
        for name in names.split(',') {
            let name = name.trim().trim_start_matches('{').trim_end_matches('}').trim();
            if !name.is_empty() {
                map.insert(name.to_owned(), layer.clone());
            }
        }
    }
    map
}

#[test]
fn imports_point_down_the_layer_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let exports = root_exports(&code(&lib));
    assert!(exports.get("Plan").is_some_and(|l| l == "model"), "{exports:?}");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut up = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
        let here = first.trim_end_matches(".rs");
        let Some(here_rank) = rank(here) else {
            assert_eq!(here, "lib", "{} is in no layer; add its folder to ORDER", rel.display());
            continue;
        };
        let text = std::fs::read_to_string(path).expect("readable");
        for first in crate_paths(&code(&text)) {
            let target = if rank(&first).is_some() {
                first.clone()
            } else {
                exports.get(&first).cloned().unwrap_or_default()
            };
            if let Some(r) = rank(&target)
                && r > here_rank
            {
                up.push(format!("{}: {here} imports {target} (crate::{first})", rel.display()));
            }
        }
    }
    assert!(up.is_empty(), "imports that point up the layers:\n{}", up.join("\n"));
}

#[test]
fn the_reader_sees_grouped_and_root_imports() {
    let paths =
        crate_paths("use crate::{Plan, model::parts::{Segment, Offer}, time};\nlet x = crate::tol::GAP_REL;");
    assert_eq!(paths, ["Plan", "model", "time", "tol"]);
    let exports = root_exports("pub use model::plan::{Part, Plan};\npub use numerics::{ranges, tol};");
    assert_eq!(exports["Plan"], "model");
    assert_eq!(exports["tol"], "numerics");
}
