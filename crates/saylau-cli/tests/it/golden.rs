//! Golden records of every command's `--json` output, compared byte for byte.
//!
//! They are the safety net of refactors that must not change what scripts read: the
//! records under `crates/saylau-cli/tests/golden-json/` are the exact standard output of
//! each command, `bundled/` on the data in `data/` and `country/` on a synthetic country
//! taken through the store in a temporary directory. A changed output fails with the
//! first lines that differ; a deliberate change is recorded again with
//! `SAYLAU_UPDATE_GOLDEN=1 cargo test -p saylau-cli --test it golden`, which is refused
//! under `CI=true`, and the new records are reviewed in the diff like code.
//!
//! Only what a run cannot reproduce is masked (see [`Masks`]): a fresh key pair's id (and
//! the key files named after it), the time an entry was recorded, the hashes of entries
//! and checkpoints (they cover the time and the signature), and the demo's import time.

mod bundled;
mod country;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// The records of one folder, compared (or rewritten) one by one, and checked at the end
/// for records that no case produced.
pub(crate) struct Records {
    dir: PathBuf,
    update: bool,
    seen: BTreeSet<String>,
    failures: Vec<String>,
}

impl Records {
    /// The records under `golden-json/<folder>`.
    pub(crate) fn new(folder: &str) -> Records {
        let update = std::env::var_os("SAYLAU_UPDATE_GOLDEN").is_some_and(|value| value == "1");
        assert!(
            !(update && std::env::var("CI").is_ok_and(|value| value == "true")),
            "SAYLAU_UPDATE_GOLDEN=1 is refused under CI=true: CI never accepts new records"
        );
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden-json").join(folder);
        Records { dir, update, seen: BTreeSet::new(), failures: Vec::new() }
    }

    /// Checks the output of `saylau args`: its exit code against `code`, then its standard
    /// output, after `masks`, against the record `<name>.<ext>`.
    pub(crate) fn check(
        &mut self,
        (name, args, code): (&str, &[&str], i32),
        output: &Output,
        ext: &str,
        masks: &mut Masks,
    ) {
        if output.status.code() != Some(code) {
            self.failures.push(format!(
                "{name}: `saylau {}` exited with {:?}, expected {code}: {}",
                args.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
            return;
        }
        let stdout = String::from_utf8(output.stdout.clone()).expect("saylau prints UTF-8");
        let text = masks.apply(&stdout);
        self.compare(&format!("{name}.{ext}"), &text);
    }

    /// Compares `text` with the record `file`, or rewrites it.
    pub(crate) fn compare(&mut self, file: &str, text: &str) {
        assert!(self.seen.insert(file.to_owned()), "two cases write the record {file}");
        let path = self.dir.join(file);
        if self.update {
            std::fs::create_dir_all(&self.dir).expect("the records' folder");
            std::fs::write(&path, text).expect("writing a record");
            return;
        }
        match std::fs::read_to_string(&path) {
            Ok(record) if record == text => {}
            Ok(record) => {
                self.failures.push(format!("{file}: {}", first_difference(&record, text)))
            }
            Err(err) => self.failures.push(format!("{file}: no record ({err})")),
        }
    }

    /// Fails with every difference found; records that no case wrote are an error too
    /// (deleted when updating).
    pub(crate) fn finish(mut self) {
        let entries = std::fs::read_dir(&self.dir).expect("the records' folder");
        for entry in entries {
            let name = entry.expect("a record").file_name().to_string_lossy().into_owned();
            if !self.seen.contains(&name) {
                if self.update {
                    std::fs::remove_file(self.dir.join(&name)).expect("removing a stale record");
                } else {
                    self.failures.push(format!("{name}: a record that no case produces"));
                }
            }
        }
        assert!(
            self.failures.is_empty(),
            "{} golden record(s) differ; if the change is intended, rerun with \
             SAYLAU_UPDATE_GOLDEN=1 and review the diff:\n\n{}",
            self.failures.len(),
            self.failures.join("\n\n")
        );
    }
}

/// The first differing line of a record and a new output, with two lines of context.
fn first_difference(record: &str, output: &str) -> String {
    let old: Vec<&str> = record.lines().collect();
    let new: Vec<&str> = output.lines().collect();
    let at = old.iter().zip(&new).position(|(a, b)| a != b).unwrap_or(old.len().min(new.len()));
    let mut res =
        format!("line {} differs (record {} lines, output {})\n", at + 1, old.len(), new.len());
    for (sign, lines) in [("-", &old), ("+", &new)] {
        for line in lines.iter().skip(at.saturating_sub(2)).take(5) {
            let _ = writeln!(res, "  {sign} {line}");
        }
    }
    res
}

/// What cannot be reproduced from one run to the next, found by JSON field name and
/// replaced in the text by a placeholder numbered by first appearance, so that equal
/// values stay equal (the checkpoint `import` prints is the one `log verify` prints).
#[derive(Default)]
pub(crate) struct Masks {
    /// Each value seen, with its placeholder.
    values: BTreeMap<String, String>,
    /// Placeholders given per kind.
    counts: BTreeMap<&'static str, usize>,
}

impl Masks {
    /// Masks nothing: the bundled data give the same bytes every run.
    pub(crate) fn none() -> Masks {
        Masks::default()
    }

    /// Masks the non-reproducible values of `stdout` (JSON, or text such as CSV that has
    /// none of its own).
    fn apply(&mut self, stdout: &str) -> String {
        if let Ok(value) = serde_json::from_str::<Value>(stdout) {
            self.collect(None, &value);
        }
        let mut text = stdout.to_owned();
        // Longest first: a key id's 16-digit file-name prefix is part of the full id.
        let mut values: Vec<(&String, &String)> = self.values.iter().collect();
        values.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
        for (value, placeholder) in values {
            text = text.replace(value.as_str(), placeholder);
        }
        mask_number(&text, "import_ms")
    }

    fn collect(&mut self, field: Option<&str>, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    self.collect(Some(key), item);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.collect(field, item)),
            Value::String(text) => match field {
                Some("key_id") => {
                    let placeholder = self.add("key-id", text);
                    let prefix = placeholder.trim_end_matches('>').to_owned() + "-prefix>";
                    self.values.entry(text[..16].to_owned()).or_insert(prefix);
                }
                Some("hash" | "entry_hash") if !is_zero(text) => {
                    self.add("hash", text);
                }
                Some("checkpoint") => {
                    let hash = text.split('@').next().unwrap_or_default();
                    if !is_zero(hash) {
                        self.add("hash", hash);
                    }
                }
                Some("recorded_at") => {
                    // Two entries may or may not share a millisecond: not numbered.
                    self.values.insert(text.clone(), "<recorded-at>".to_owned());
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn add(&mut self, kind: &'static str, value: &str) -> String {
        if let Some(placeholder) = self.values.get(value) {
            return placeholder.clone();
        }
        let count = self.counts.entry(kind).or_default();
        *count += 1;
        let placeholder = format!("<{kind}-{count}>");
        self.values.insert(value.to_owned(), placeholder.clone());
        placeholder
    }
}

/// Replaces the number after every `"field": ` with `"<field>"`.
fn mask_number(text: &str, field: &str) -> String {
    let key = format!("\"{field}\": ");
    let mut res = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&key) {
        res.push_str(&rest[..at + key.len()]);
        rest = &rest[at + key.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let _ = write!(res, "\"<{field}>\"");
        rest = &rest[digits..];
    }
    res.push_str(rest);
    res
}

fn is_zero(hash: &str) -> bool {
    hash.bytes().all(|byte| byte == b'0')
}
