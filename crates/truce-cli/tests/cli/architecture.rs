//! ARCHITECTURE.md's table of dependencies is the one the `Cargo.toml` files declare: a crate
//! that gains or loses a truce dependency fails here until the map says so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The truce crates each crate's `[dependencies]` names (dev-dependencies left out).
fn declared(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(toml) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut section = String::new();
        let mut deps = BTreeSet::new();
        for line in toml.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line.to_string();
                continue;
            }
            if section == "[dependencies]"
                && let Some(dep) = line.strip_prefix("truce-")
            {
                let dep = dep.split(['.', ' ', '=']).next().unwrap();
                deps.insert(dep.to_string());
            }
        }
        out.insert(name, deps);
    }
    out
}

/// The table in ARCHITECTURE.md: `truce-x -> a b c` lines, and the crates with none.
fn drawn(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some((name, deps)) = line.split_once("->") {
            let name = name.trim();
            if name.starts_with("truce-") && !name.contains(' ') {
                out.insert(
                    name.to_string(),
                    deps.split_whitespace().map(str::to_string).collect(),
                );
            }
        } else if let Some(names) = line.strip_suffix(": no truce crate") {
            for name in names.split(',') {
                out.insert(name.trim().to_string(), BTreeSet::new());
            }
        }
    }
    out
}

#[test]
fn the_architecture_map_draws_the_dependencies_the_crates_declare() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let declared = declared(&root);
    assert!(declared.len() >= 13, "{declared:?}");
    assert_eq!(
        drawn(&root),
        declared,
        "ARCHITECTURE.md's table (left) and the Cargo.toml files (right) disagree"
    );
}
