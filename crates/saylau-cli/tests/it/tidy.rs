//! Tidy checks: the architecture invariants of ARCHITECTURE.md, checked on the sources.

use std::collections::{BTreeMap, BTreeSet};
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
            "saylau-web",
            &[
                "saylau-core",
                "saylau-formats",
                "saylau-charts",
                "saylau-stats",
                "saylau-store",
                "saylau-app",
            ][..],
        ),
        ("saylau-cli", &["saylau-app", "saylau-web"][..]),
        (
            "saylau-bench",
            &["saylau-core", "saylau-formats", "saylau-stats", "saylau-survey", "saylau-app"][..],
        ),
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

/// The `pub use` statements of `text` that re-export a library crate whole (`pub use
/// saylau_core;`, `pub use saylau_core as core;`) or by a glob (`pub use saylau_core::seats::*;`):
/// a front end could reach every library path through them.
fn wholesale_reexports(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("pub use saylau_") {
        let statement = &rest[start..];
        let end = statement.find(';').map_or(statement.len(), |it| it + 1);
        let statement = &statement[..end];
        let path = statement["pub use ".len()..].split(['{', ';', ' ']).next().unwrap_or("");
        if statement.contains('*') || !path.contains("::") {
            found.push(statement.to_owned());
        }
        rest = &rest[start + end..];
    }
    found
}

#[test]
fn the_cli_reaches_the_libraries_only_through_the_app() {
    // The CLI is clap and terminal rendering: every use case is in saylau-app, and the
    // domain types it renders are the app's re-exports. The binary depends on no library
    // crate, so the compiler refuses a `saylau_core::` path in it.
    let edges = internal_edges();
    let cli = edges.get("saylau-cli").expect("saylau-cli is a workspace package");
    // saylau-web is the other front end, not a library: `saylau serve` only binds it, and
    // `saylau observe report` renders its HTML with the portal's strings and charts.
    assert_eq!(
        cli,
        &["saylau-app".to_owned(), "saylau-web".to_owned()],
        "saylau-cli must depend on saylau-app only (and saylau-web for `serve`); put the use case in saylau-app"
    );
    // And the app re-exports domain types by name, never a library whole or by a glob.
    assert_eq!(
        wholesale_reexports(
            "pub use saylau_core;\npub use saylau_stats::forensics::*;\n\
             pub use saylau_store as store;\npub use saylau_core::seats::votes::{ListId, Seats};"
        ),
        [
            "pub use saylau_core;",
            "pub use saylau_stats::forensics::*;",
            "pub use saylau_store as store;"
        ],
        "the check finds every wholesale re-export"
    );
    for (path, text) in sources("crates/saylau-app/src") {
        let found = wholesale_reexports(&text);
        assert!(
            found.is_empty(),
            "{}: {found:?} re-exports a library wholesale; re-export the types a view needs by name",
            path.display()
        );
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
fn property_tests_count_the_cases_that_reach_their_assertions() {
    // Every property test runs through a `reach` module's `properties!`, which fails when
    // fewer than 90 % of the generated cases reach the assertions.
    let forbidden = concat!("proptest", "! {");
    for (path, text) in sources("crates") {
        assert!(
            !text.contains(forbidden),
            "{}: write property tests with `properties!` (tests/it/reach.rs), not proptest's macro",
            path.display()
        );
    }
}

#[test]
fn dependency_versions_are_pinned_once_in_the_workspace() {
    let root = workspace_root();
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("the crates folder")
        .map(|entry| entry.expect("a crate").path().join("Cargo.toml"))
        .collect();
    manifests.push(root.join("bench/Cargo.toml"));
    for manifest in manifests {
        let text = std::fs::read_to_string(&manifest).expect("a manifest");
        let mut in_dependencies = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                in_dependencies = line.ends_with("dependencies]");
            } else if in_dependencies && !line.is_empty() && !line.starts_with('#') {
                assert!(
                    line.contains(".workspace = true") || line.contains("{ workspace = true"),
                    "{}: `{line}`: pin the version in the root Cargo.toml's \
                     [workspace.dependencies] and write `workspace = true` here",
                    manifest.display()
                );
            }
        }
    }
}

/// The code map of ARCHITECTURE.md: from `## Code map` to the next `## ` heading.
fn code_map() -> String {
    let text = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md exists");
    let start = text.find("\n## Code map\n").expect("ARCHITECTURE.md has a ## Code map");
    let map = &text[start + 1..];
    let end = map[1..].find("\n## ").map_or(map.len(), |end| end + 1);
    map[..end].to_owned()
}

/// The code map's section on one crate: from its `### ` heading to the next one.
fn map_section(map: &str, heading: &str) -> String {
    let start = map.find(heading).unwrap_or_else(|| panic!("the code map has no {heading}"));
    let section = &map[start..];
    let end = section[1..].find("\n### ").map_or(section.len(), |end| end + 1);
    section[..end].to_owned()
}

/// The folders at the top of the repository that hold files under version control, so
/// that build output and scratch directories (`target/`, a generated `country/`) do not
/// count.
fn top_level_folders() -> BTreeSet<String> {
    let output = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(workspace_root())
        .output()
        .expect("git runs (the tidy checks read the repository's files)");
    assert!(output.status.success(), "git ls-files failed");
    String::from_utf8(output.stdout)
        .expect("UTF-8 paths")
        .split('\0')
        .filter_map(|path| path.split_once('/'))
        .map(|(folder, _)| folder.to_owned())
        .collect()
}

/// The names of the subfolders and of the `.rs` files (without the extension) in `dir`.
fn folder_entries(dir: &Path) -> (Vec<String>, Vec<String>) {
    let (mut folders, mut modules) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(dir).expect("a readable source directory") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
        if path.is_dir() {
            folders.push(name);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            modules.push(name);
        }
    }
    folders.sort();
    modules.sort();
    (folders, modules)
}

#[test]
fn code_map_names_every_crate_and_top_level_folder() {
    let map = code_map();
    for package in package_dependencies().keys() {
        assert!(
            map.lines().any(|line| line.starts_with(&format!("| `{package}`"))),
            "ARCHITECTURE.md's code map has no row for the crate {package}"
        );
    }
    for folder in top_level_folders() {
        assert!(
            map.contains(&format!("| `{folder}/` |")),
            "ARCHITECTURE.md's code map has no row for the folder {folder}/ (### Folders)"
        );
    }
}

#[test]
fn code_map_names_every_core_family_and_its_modules() {
    let section = map_section(&code_map(), "### `crates/saylau-core`");
    let (families, root_modules) = folder_entries(&workspace_root().join("crates/saylau-core/src"));
    assert!(!families.is_empty(), "the core's modules are grouped in family folders");
    for module in root_modules.iter().filter(|module| *module != "lib") {
        assert!(
            families.contains(module),
            "crates/saylau-core/src/{module}.rs: put the module in a family folder (seats, systems, law, count)"
        );
    }
    for family in &families {
        assert!(
            section.contains(&format!("`{family}/`")),
            "ARCHITECTURE.md's saylau-core section does not name the family folder {family}/"
        );
        let dir = workspace_root().join("crates/saylau-core/src").join(family);
        for module in folder_entries(&dir).1 {
            assert!(
                section.contains(&format!("`{module}`")),
                "ARCHITECTURE.md's saylau-core section does not name {family}/{module}.rs"
            );
        }
    }
}
