//! A new key's files, kept in step with its registration whatever kills the process
//! (`docs/integrity.md`, "Key files").
//!
//! The order: the private key is written whole, mode 0600, to a hidden *staged* file in
//! the target directory and synced ([`KeyDir::stage`]); then the key is registered (one
//! transaction); then its public key file is written and the staged file renamed to its
//! final name, and the directory synced ([`Staged::publish`]). If the registration is
//! refused, the staged file is removed ([`Staged::discard`]). A run killed before the
//! registration commits leaves a staged file of a key that is not registered; a run killed
//! after it leaves a staged file of a key that is. The next key made in that directory for
//! that store first settles both ([`KeyDir::sweep`]): it publishes the second and removes
//! the first. A final name therefore only ever holds a whole private key that is
//! registered.
//!
//! A staged file's name carries a tag of the store it was made for
//! ([`StoreTag`]): a sweep for another store leaves it alone, since its key may be
//! registered there. The directory is locked (an exclusive `flock`, released when the
//! process ends however it ends) from the sweep to the publication, so that two runs in
//! one directory do not sweep each other's staged files.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

use crate::key::{CommissionKey, KeyError, KeyId};
use crate::location::Location;

/// The suffix of a staged private key file.
const STAGED: &str = "staged";

/// Identifies a store in the name of a staged file: the first 12 hex digits of the SHA-256
/// of its location (a SQLite file's absolute path, a PostgreSQL URL without its password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreTag(String);

impl StoreTag {
    /// The tag of the store at `location`.
    pub fn of(location: &Location) -> StoreTag {
        let place = match location {
            Location::Sqlite(path) => {
                std::path::absolute(path).unwrap_or_else(|_| path.clone()).display().to_string()
            }
            Location::Postgres(_) => location.to_string(),
        };
        let digest = sha2::Sha256::digest(place.as_bytes());
        StoreTag(hex::encode(&digest[..6]))
    }
}

/// The directory of a new key's files, locked while it is made.
#[derive(Debug)]
pub struct KeyDir {
    dir: PathBuf,
    tag: StoreTag,
    /// Holds the directory's lock until it is dropped.
    _lock: File,
}

/// A private key written to its staged file, waiting for its registration.
#[derive(Debug)]
pub struct Staged {
    staged: PathBuf,
    private_key: PathBuf,
    public_key: PathBuf,
}

/// The final files of a published key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The private key (mode 0600).
    pub private_key: PathBuf,
    /// The public key.
    pub public_key: PathBuf,
}

/// What a sweep did with the staged files it found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    /// Staged keys that were registered: now under their final names.
    pub published: Vec<PathBuf>,
    /// Staged files whose key was not registered (or that were never written whole):
    /// removed.
    pub removed: Vec<PathBuf>,
}

impl KeyDir {
    /// Creates `dir` if missing and locks it for the store `tag` names.
    pub fn lock(dir: &Path, tag: StoreTag) -> Result<KeyDir, KeyError> {
        let io = |source| KeyError::Io { path: dir.to_owned(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let lock = File::open(dir).map_err(io)?;
        lock.lock().map_err(io)?;
        Ok(KeyDir { dir: dir.to_owned(), tag, _lock: lock })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Settles the staged files of this store left by killed runs: publishes those whose
    /// key `registered` says is registered, removes the others.
    pub fn sweep(&self, registered: impl Fn(&KeyId) -> bool) -> Result<Swept, KeyError> {
        let io = |source| KeyError::Io { path: self.dir.clone(), source };
        let suffix = format!(".pem.{}.{STAGED}", self.tag.0);
        let mut found: Vec<(PathBuf, String)> = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(io)? {
            let name = entry.map_err(io)?.file_name().to_string_lossy().into_owned();
            let stem = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(&suffix));
            if let Some(stem) = stem.filter(|stem| !stem.is_empty()) {
                found.push((self.dir.join(&name), stem.to_owned()));
            }
        }
        found.sort();
        let mut swept = Swept::default();
        for (staged, stem) in found {
            let staged = self.staged(&stem, staged);
            self.remove_public_temps(&stem)?;
            let key = CommissionKey::read_pem(&staged.staged).ok();
            match key {
                Some(key) if registered(&key.public_key().key_id()) => {
                    let done = staged.publish(&key)?;
                    swept.published.push(done.private_key);
                }
                _ => {
                    let path = staged.staged.clone();
                    staged.discard()?;
                    swept.removed.push(path);
                }
            }
        }
        Ok(swept)
    }

    /// Writes `key` whole to the staged file of `stem` (mode 0600) and syncs it and the
    /// directory; its final names are `stem.pem` and `stem.pub.pem`.
    pub fn stage(&self, stem: &str, key: &CommissionKey) -> Result<Staged, KeyError> {
        let staged = self.dir.join(format!(".{stem}.pem.{}.{STAGED}", self.tag.0));
        let staged = self.staged(stem, staged);
        for path in [&staged.private_key, &staged.public_key] {
            let exists = path.try_exists().map_err(|source| io(path, source))?;
            if exists {
                return Err(io(path, std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
            }
        }
        if let Err(err) = key.write_pem_synced(&staged.staged) {
            let _ = std::fs::remove_file(&staged.staged);
            return Err(err);
        }
        sync_dir(&self.dir).map_err(|source| io(&self.dir, source))?;
        Ok(staged)
    }

    /// Removes the temporary files of `stem`'s public key that a run killed while it wrote
    /// them left (`.STEM.pub.pem.PID.tmp`, [`crate::key::PublicKey::write_pem`]).
    fn remove_public_temps(&self, stem: &str) -> Result<(), KeyError> {
        let dir_io = |source| KeyError::Io { path: self.dir.clone(), source };
        let prefix = format!(".{stem}.pub.pem.");
        for entry in std::fs::read_dir(&self.dir).map_err(dir_io)? {
            let name = entry.map_err(dir_io)?.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".tmp"));
            if pid.is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())) {
                let path = self.dir.join(&name);
                std::fs::remove_file(&path).map_err(|source| io(&path, source))?;
            }
        }
        Ok(())
    }

    fn staged(&self, stem: &str, staged: PathBuf) -> Staged {
        Staged {
            staged,
            private_key: self.dir.join(format!("{stem}.pem")),
            public_key: self.dir.join(format!("{stem}.pub.pem")),
        }
    }
}

impl Staged {
    /// After the registration committed: writes the public key file (if a killed run did
    /// not), renames the staged file to the private key's final name and syncs the
    /// directory.
    pub fn publish(self, key: &CommissionKey) -> Result<Published, KeyError> {
        let public = &self.public_key;
        if !public.try_exists().map_err(|source| io(public, source))? {
            key.public_key().write_pem(public)?;
        }
        std::fs::rename(&self.staged, &self.private_key)
            .map_err(|source| io(&self.private_key, source))?;
        let dir = self.private_key.parent().unwrap_or(Path::new("."));
        sync_dir(dir).map_err(|source| io(dir, source))?;
        Ok(Published { private_key: self.private_key, public_key: self.public_key })
    }

    /// After a refused registration: removes the staged file.
    pub fn discard(self) -> Result<(), KeyError> {
        match std::fs::remove_file(&self.staged) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io(&self.staged, err)),
            _ => Ok(()),
        }
    }
}

fn io(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Io { path: path.to_owned(), source }
}

/// Creates `path` (failing if it exists) with `mode`, writes `bytes` and syncs it.
pub(crate) fn write_synced(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Syncs a directory, so that the names created or renamed in it survive a crash.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::{KeyDir, StoreTag};
    use crate::key::CommissionKey;
    use crate::location::Location;

    fn names(dir: &std::path::Path) -> Vec<String> {
        let entries = std::fs::read_dir(dir).expect("the directory");
        let mut names: Vec<String> = entries
            .map(|it| it.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A staged key is under a hidden name until published; a sweep publishes the staged
    /// keys that are registered, removes the others, and leaves another store's alone.
    #[test]
    fn staged_keys_are_published_or_removed_by_the_next_sweep() {
        let dir = tempfile::tempdir().expect("a directory");
        let here = StoreTag::of(&Location::sqlite(&dir.path().join("a.sqlite")));
        let there = StoreTag::of(&Location::sqlite(&dir.path().join("b.sqlite")));
        assert_ne!(here, there);
        let keys = dir.path().join("keys");
        let (one, two, other) = (
            CommissionKey::from_secret(&[1; 32]),
            CommissionKey::from_secret(&[2; 32]),
            CommissionKey::from_secret(&[3; 32]),
        );
        {
            let locked = KeyDir::lock(&keys, here.clone()).expect("locked");
            locked.stage("one", &one).expect("staged");
            locked.stage("two", &two).expect("staged");
            std::fs::write(keys.join(".torn.pem.".to_owned() + &here.0 + ".staged"), "-----")
                .expect("a torn staged file");
        }
        {
            let locked = KeyDir::lock(&keys, there.clone()).expect("locked");
            locked.stage("other", &other).expect("staged");
        }
        assert_eq!(names(&keys).len(), 4, "{:?}", names(&keys));
        let mode = std::fs::metadata(keys.join(format!(".one.pem.{}.staged", here.0)))
            .expect("the staged file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);

        let locked = KeyDir::lock(&keys, here.clone()).expect("locked");
        let one_id = one.public_key().key_id();
        let swept = locked.sweep(|id| *id == one_id).expect("swept");
        assert_eq!(swept.published, vec![keys.join("one.pem")]);
        assert_eq!(swept.removed.len(), 2, "{swept:?}");
        let left = names(&keys);
        let other_staged = format!(".other.pem.{}.staged", there.0);
        assert_eq!(left, vec![other_staged, "one.pem".to_owned(), "one.pub.pem".to_owned()]);
        let read = CommissionKey::read_pem(&keys.join("one.pem")).expect("a whole key");
        assert_eq!(read.public_key(), one.public_key());
        assert_eq!(locked.sweep(|_| true).expect("nothing left"), super::Swept::default());
    }
}
