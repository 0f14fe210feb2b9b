//! Limits of resources on every input that scales saylau's work (rule `E-48`).
//!
//! They are not limits of the law: no house has 100,000 seats. They keep a mistyped or
//! hostile number (`seats = 1000000000`: an allocation of 80 GB) from taking a machine or a
//! web server down, and each error names the limit it passed. The readers check them as
//! they read, before any work, so a file past a limit fails at once.
//!
//! A TOML file (an election, its rules, a result file, a plan, a codebook, a column
//! mapping) is parsed whole, into a document several times its size (a 50 MB file took
//! about 700 MB), so it is read at most [`MAX_TOML_BYTES`] long ([`read_capped`]): its size
//! is checked before it is read, and the read stops one byte past the cap when the size was
//! not known (a pipe) or grew.

use std::io::Read as _;
use std::path::Path;

use crate::diagnostic::Sink;
use crate::document::Origin;
use crate::rule::FileRule;

/// The most seats of a house, a district, or the single-member or vacant seats.
pub const MAX_SEATS: u32 = 100_000;
/// The most lists (parties) of one election.
pub const MAX_LISTS: usize = 10_000;
/// The most districts of one election.
pub const MAX_DISTRICTS: usize = 10_000;
/// The most people a cube-root house is sized for: the cube root of 10^15 is 100,000.
pub const MAX_CUBE_ROOT_POPULATION: u64 = 1_000_000_000_000_000;
/// The most races of a round of plurality races.
pub const MAX_RACES: usize = 100_000;
/// The most candidates of one plurality round, or names of a lot or a commission draw.
pub const MAX_ITEMS: usize = 1_000_000;

/// The most bytes of a TOML file saylau reads: 16 MiB, eight hundred times the largest
/// bundled file (a codebook of 20 KB), and more than an election of 10,000 districts needs.
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// The text of the file at `path`, when it is at most `cap` bytes long; a longer file is
/// an error of kind [`std::io::ErrorKind::FileTooLarge`] whose message gives its size and
/// the cap (the caller names the file), and is not read.
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > cap {
        return Err(too_large(&format!("{size} bytes"), cap));
    }
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_string(&mut text)?;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) > cap {
        return Err(too_large(&format!("more than {cap} bytes"), cap));
    }
    Ok(text)
}

/// The error of a file of `size` past `cap` bytes.
fn too_large(size: &str, cap: u64) -> std::io::Error {
    let message = format!(
        "the file is {size}, more than the limit of {cap} bytes ({} MiB) of a file saylau \
         reads whole (a limit of resources, not of the law)",
        cap >> 20
    );
    std::io::Error::new(std::io::ErrorKind::FileTooLarge, message)
}

/// Reports `found` `what` at `field` when it is more than `limit`; true when within it.
pub(crate) fn within(
    sink: &mut Sink<'_>,
    origin: &Origin,
    field: &str,
    (found, limit): (u64, u64),
    what: &str,
) -> bool {
    if found <= limit {
        return true;
    }
    let message = format!(
        "{found} {what} is more than the limit of {limit} {what} saylau computes \
         (a limit of resources, not of the law)"
    );
    sink.error(origin, field, FileRule::Limit, message);
    false
}

/// [`within`] for a number of entries.
pub(crate) fn entries_within(
    sink: &mut Sink<'_>,
    origin: &Origin,
    field: &str,
    (found, limit): (usize, usize),
    what: &str,
) -> bool {
    let widen = |count: usize| u64::try_from(count).unwrap_or(u64::MAX);
    within(sink, origin, field, (widen(found), widen(limit)), what)
}

/// [`entries_within`] for the districts of an election, as an `Option` for `?`.
pub(crate) fn districts_within(sink: &mut Sink<'_>, origin: &Origin, found: usize) -> Option<()> {
    entries_within(sink, origin, "districts", (found, MAX_DISTRICTS), "districts").then_some(())
}

/// Whether the people of a cube-root house are within [`MAX_CUBE_ROOT_POPULATION`].
pub(crate) fn cube_root_people(
    sink: &mut Sink<'_>,
    origin: &Origin,
    populations: impl Iterator<Item = u64>,
) -> bool {
    let people = populations.fold(0u64, u64::saturating_add);
    within(sink, origin, "election.seats", (people, MAX_CUBE_ROOT_POPULATION), "people")
}
