//! A new key's files around its registration (`docs/integrity.md`, "Key files"): the
//! directory is locked, the staged files of killed runs for this store settled, the private
//! key staged, the key registered, and only then its files published under their final
//! names (`saylau_store::keyfile`).

use std::collections::BTreeSet;
use std::future::Future;
use std::path::Path;

use saylau_store::key::{CommissionKey, KeyError, KeyId};
use saylau_store::keyfile::{KeyDir, Published, StoreTag};
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;

/// Runs `register` (which registers `key` in `store`) between staging `key`'s private file
/// as `dir/stem.pem` and publishing both files; a refused registration removes the staged
/// file and writes nothing.
pub(crate) async fn registered_with_files<T, E>(
    store: &Store,
    dir: &Path,
    stem: &str,
    key: &CommissionKey,
    register: impl Future<Output = Result<T, E>>,
) -> Result<(T, Published), E>
where
    E: From<KeyError> + From<RegistryError>,
{
    let locked = KeyDir::lock(dir, StoreTag::of(store.location()))?;
    let known: BTreeSet<KeyId> =
        registry::registered_keys(store).await?.into_iter().map(|it| it.id).collect();
    locked.sweep(|id| known.contains(id))?;
    let staged = locked.stage(stem, key)?;
    match register.await {
        Ok(done) => Ok((done, staged.publish(key)?)),
        Err(err) => {
            staged.discard()?;
            Err(err)
        }
    }
}
