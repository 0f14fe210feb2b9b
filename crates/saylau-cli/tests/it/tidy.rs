//! Tidy checks: the architecture invariants of ARCHITECTURE.md, checked on the sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The normal (not dev or build) dependencies of every workspace package, from
/// `cargo metadata`.
fn package_dependencies() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages is an array");
    packages
        .iter()
        .map(|package| {
            let name = package["name"].as_str().expect("a package has a name").to_owned();
            let deps = package["dependencies"]
                .as_array()
                .expect("dependencies is an array")
                .iter()
                .filter(|dep| dep["kind"].is_null())
                .filter_map(|dep| dep["name"].as_str())
                .map(str::to_owned)
                .collect();
            (name, deps)
        })
        .collect()
}

/// Internal dependency edges of every workspace package.
fn internal_edges() -> BTreeMap<String, Vec<String>> {
    let all = package_dependencies();
    let names: Vec<String> = all.keys().cloned().collect();
    all.into_iter()
        .map(|(name, deps)| (name, deps.into_iter().filter(|dep| names.contains(dep)).collect()))
        .collect()
}

#[test]
fn only_the_store_knows_sql() {
    for (package, deps) in package_dependencies() {
        let sql = deps.iter().find(|dep| {
            dep.starts_with("sqlx") || dep.starts_with("libsqlite") || dep.starts_with("rusqlite")
        });
        if let Some(dep) = sql.filter(|_| package != "saylau-store") {
            panic!("{package} depends on {dep}: only saylau-store knows SQL (ARCHITECTURE.md)");
        }
    }
}

#[test]
fn dependencies_point_down_the_table() {
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("saylau-core", &[][..]),
        ("saylau-formats", &["saylau-core"][..]),
        ("saylau-stats", &["saylau-core"][..]),
        ("saylau-survey", &[][..]),
        ("saylau-charts", &["saylau-core", "saylau-stats"][..]),
        ("saylau-store", &["saylau-core", "saylau-formats"][..]),
        (
            "saylau-app",
            &[
                "saylau-core",
                "saylau-formats",
                "saylau-charts",
                "saylau-stats",
                "saylau-store",
                "saylau-survey",
            ][..],
        ),
        (
            "saylau-cli",
            &[
                "saylau-app",
                "saylau-core",
                "saylau-formats",
                "saylau-charts",
                "saylau-stats",
                "saylau-store",
                "saylau-survey",
            ][..],
        ),
        ("saylau-bench", &["saylau-core", "saylau-survey"][..]),
    ]);
    for (package, deps) in internal_edges() {
        let permitted = allowed.get(package.as_str()).unwrap_or_else(|| {
            panic!("{package} is not in the tidy table: add it with ARCHITECTURE.md")
        });
        for dep in deps {
            assert!(
                permitted.contains(&dep.as_str()),
                "{package} must not depend on {dep} (ARCHITECTURE.md)"
            );
        }
    }
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

fn sources(relative: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&workspace_root().join(relative), &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            (path, text)
        })
        .collect()
}

#[test]
fn core_stays_pure() {
    let forbidden =
        ["std::fs", "std::io", "std::net", "std::process", "tokio", "Deserialize", "f64", "f32"];
    for (path, text) in sources("crates/saylau-core/src") {
        for word in forbidden {
            assert!(!text.contains(word), "{}: the core must not use {word}", path.display());
        }
    }
}

#[test]
fn every_file_opens_with_a_module_doc() {
    let mut all = sources("crates");
    all.extend(sources("bench/src"));
    for (path, text) in all {
        assert!(
            text.starts_with("//!"),
            "{}: start the file with a //! module doc",
            path.display()
        );
    }
}

#[test]
fn no_god_modules() {
    // STYLE.md: modules of more than about 600 lines are split by responsibility.
    const MOST_LINES: usize = 600;
    let mut all = sources("crates");
    all.extend(sources("bench/src"));
    for (path, text) in all {
        let lines = text.lines().count();
        assert!(
            lines <= MOST_LINES,
            "{}: {lines} lines; split it by responsibility into modules of at most {MOST_LINES}",
            path.display()
        );
    }
}

#[test]
fn no_ignored_tests_or_placeholders() {
    // Built with concat! so that this file does not match itself.
    let forbidden = [
        concat!("#[", "ignore"),
        concat!("todo", "!("),
        concat!("#[", "allow("),
        concat!("should", "_panic"),
    ];
    let mut all = sources("crates");
    all.extend(sources("bench/src"));
    for (path, text) in all {
        for word in forbidden {
            assert!(!text.contains(word), "{}: {word} is not allowed (STYLE.md)", path.display());
        }
    }
}

#[test]
fn architecture_names_every_crate() {
    let architecture = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md exists");
    for package in internal_edges().keys() {
        assert!(architecture.contains(package.as_str()), "ARCHITECTURE.md must describe {package}");
    }
}
