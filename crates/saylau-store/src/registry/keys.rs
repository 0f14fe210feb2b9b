//! Keys in the registry (`docs/integrity.md`): registered, bootstrapped, rotated and
//! revoked by signed registration entries, and read back.

use sqlx::Row as _;

use super::{RegisteredKey, RegistryError, Row, add_rows};
use crate::entry::now_rfc3339;
use crate::error::DatabaseError;
use crate::id::CommissionId;
use crate::key::{CommissionKey, KeyId, PublicKey};
use crate::store::{Db, Store};

/// Registers a commission's public key (its id is the hash of its bytes), signed with `by`:
/// a key of the same commission or of one above it, or a CEC key
/// (`docs/integrity.md`). The first key of a store is registered by [`bootstrap`].
pub async fn register_key(
    store: &Store,
    commission: &CommissionId,
    public_key: &PublicKey,
    by: &CommissionKey,
) -> Result<RegisteredKey, RegistryError> {
    let key = RegisteredKey {
        id: public_key.key_id(),
        commission: commission.clone(),
        public_key: *public_key,
        registered_at: now_rfc3339(),
    };
    add_rows(store, vec![Row::Key(key.clone())], by).await?;
    Ok(key)
}

/// Registers the first key of an empty store, signed by itself: the log's genesis entry,
/// whose commission is the root of trust (the CEC). Refused once the log has entries.
pub async fn bootstrap(
    store: &Store,
    commission: &CommissionId,
    key: &CommissionKey,
) -> Result<RegisteredKey, RegistryError> {
    register_key(store, commission, &key.public_key(), key).await
}

/// Replaces `old` by `new`: one entry, signed with `old`, registers `new` for `old`'s
/// commission and revokes `old`.
pub async fn rotate_key(
    store: &Store,
    new: &PublicKey,
    old: &CommissionKey,
) -> Result<RegisteredKey, RegistryError> {
    let old_id = old.public_key().key_id();
    let keys = registered_keys(store).await?;
    let Some(registered) = keys.iter().find(|it| it.id == old_id) else {
        let detail = format!("key {old_id} is not registered in this store");
        return Err(RegistryError::NotAuthorised { commission: String::new(), detail });
    };
    let at = now_rfc3339();
    let key = RegisteredKey {
        id: new.key_id(),
        commission: registered.commission.clone(),
        public_key: *new,
        registered_at: at.clone(),
    };
    add_rows(store, vec![Row::Key(key.clone()), Row::Revocation(old_id, at)], old).await?;
    Ok(key)
}

/// Revokes a registered key, signed with `by` (the key itself, a key at or above its
/// commission, or a CEC key): from the revoking entry on, its entries are not authorised.
pub async fn revoke_key(
    store: &Store,
    key: &KeyId,
    by: &CommissionKey,
) -> Result<(), RegistryError> {
    add_rows(store, vec![Row::Revocation(*key, now_rfc3339())], by).await
}

const ALL_KEYS: &str =
    "SELECT id, commission_id, public_key, registered_at FROM commission_keys ORDER BY id";

/// A stored key row: `(id, commission_id, public_key, registered_at)`.
pub(crate) type KeyRow = (String, String, Vec<u8>, String);

/// Every registered key whose stored id is the hash of its bytes, by id.
pub async fn registered_keys(store: &Store) -> Result<Vec<RegisteredKey>, RegistryError> {
    let rows: Vec<KeyRow> = match store.db() {
        Db::Sqlite(sqlite) => sqlite.read(|tx| crate::sqlite::read::keys_registered(tx)).await?,
        Db::Postgres(pool) => {
            let rows = sqlx::query(ALL_KEYS).fetch_all(pool).await.map_err(DatabaseError::from)?;
            let row = |row: &sqlx::postgres::PgRow| -> Result<KeyRow, sqlx::Error> {
                let id = row.try_get("id")?;
                let commission = row.try_get("commission_id")?;
                Ok((id, commission, row.try_get("public_key")?, row.try_get("registered_at")?))
            };
            rows.iter().map(row).collect::<Result<_, _>>().map_err(DatabaseError::from)?
        }
    };
    let mut keys = Vec::with_capacity(rows.len());
    for (id, commission, public_key, registered_at) in rows {
        let public_key = PublicKey::from_bytes(&public_key)
            .map_err(|err| RegistryError::Invalid { what: "key", detail: err.to_string() })?;
        if public_key.key_id().to_string() != id {
            continue;
        }
        keys.push(RegisteredKey {
            id: public_key.key_id(),
            commission: CommissionId::new(&commission)?,
            public_key,
            registered_at,
        });
    }
    Ok(keys)
}
