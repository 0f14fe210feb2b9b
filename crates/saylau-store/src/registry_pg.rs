//! The registration of a whole election hierarchy on PostgreSQL
//! ([`crate::registry::register_missing`]): a thousand commissions to a statement.

use sqlx::{PgConnection, Row as _};

use crate::error::OrDb as _;
use crate::registry::{
    INSERT_LIST, Level, Registered, Registration, RegistryError, check_cec, check_lists,
    outside_parents, refused, unknown_parent,
};
use crate::store::pg_begin_write;

const CEC: &str = "SELECT id FROM commissions WHERE election_id = $1 AND parent_id IS NULL";
const INSERT_MISSING_ELECTION: &str =
    "INSERT INTO elections (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
const COMMISSION_EXISTS: &str =
    "SELECT COUNT(*) FROM commissions WHERE election_id = $1 AND id = $2";
const LIST_IDS: &str = "SELECT id FROM lists WHERE election_id = $1 ORDER BY registration";
/// The head and tail of a multi-row insert of commissions, which returns the level of each
/// commission it added.
const INSERT_MISSING_COMMISSIONS: (&str, &str) = (
    "INSERT INTO commissions (election_id, id, parent_id, level, name) VALUES ",
    " ON CONFLICT (election_id, id) DO NOTHING RETURNING level",
);

/// Registers what of `registration` is not registered yet, in one transaction.
pub(crate) async fn register_missing(
    pool: &sqlx::PgPool,
    registration: &Registration<'_>,
) -> Result<Registered, RegistryError> {
    let election = registration.election;
    let mut tx = pg_begin_write(pool).await.db()?;
    sqlx::query(INSERT_MISSING_ELECTION)
        .bind(election.id.as_str())
        .bind(&election.name)
        .execute(&mut *tx)
        .await
        .db()?;
    let cec: Option<String> =
        sqlx::query_scalar(CEC).bind(election.id.as_str()).fetch_optional(&mut *tx).await.db()?;
    check_cec(registration, cec)?;
    let registered: Vec<String> =
        sqlx::query_scalar(LIST_IDS).bind(election.id.as_str()).fetch_all(&mut *tx).await.db()?;
    check_lists(registration, &registered)?;
    check_parents_any(&mut tx, registration).await?;
    let mut res = Registered::default();
    if registered.is_empty() {
        for list in registration.lists {
            sqlx::query(INSERT_LIST)
                .bind(election.id.as_str())
                .bind(list.id.as_str())
                .bind(&list.name)
                .bind(i64::from(list.registration))
                .execute(&mut *tx)
                .await
                .map_err(|err| refused(err.into(), "list", list.id.as_str()))?;
            res.lists += 1;
        }
    }
    insert_missing_commissions(&mut tx, registration, &mut res).await?;
    tx.commit().await.db()?;
    Ok(res)
}

/// Refuses `registration` when one of its [`outside_parents`] is not registered.
async fn check_parents_any(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
) -> Result<(), RegistryError> {
    for (parent, child) in outside_parents(registration) {
        let found: i64 = sqlx::query_scalar(COMMISSION_EXISTS)
            .bind(registration.election.id.as_str())
            .bind(parent)
            .fetch_one(&mut *tx)
            .await
            .db()?;
        if found == 0 {
            return Err(unknown_parent(child));
        }
    }
    Ok(())
}

/// Inserts the commissions of `registration` that are not registered yet and counts them,
/// and the PECs among them, in `res`.
async fn insert_missing_commissions(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
    res: &mut Registered,
) -> Result<(), RegistryError> {
    let election = registration.election;
    // A thousand commissions to a statement (`crate::multirow`): PostgreSQL checks the
    // foreign keys at the end of each statement, so a parent may come in the same one as
    // its children, and the rows that already exist are left as they are.
    let mut statement = crate::multirow::Statement::default();
    for chunk in registration.commissions.chunks(crate::multirow::ROWS_PER_STATEMENT) {
        let (head, tail) = INSERT_MISSING_COMMISSIONS;
        let mut query = sqlx::query(statement.get(head, chunk.len(), 5, tail));
        for commission in chunk {
            query = query
                .bind(election.id.as_str())
                .bind(commission.id.as_str())
                .bind(commission.parent.as_ref().map(|parent| parent.as_str().to_owned()))
                .bind(commission.level.as_str())
                .bind(&commission.name);
        }
        let (first, last) = (&chunk[0].id, &chunk[chunk.len() - 1].id);
        let added: Vec<String> = query
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| refused(err.into(), "commission", &format!("{first} .. {last}")))?
            .iter()
            .map(|row| row.try_get("level"))
            .collect::<Result<_, _>>()
            .db()?;
        res.commissions += added.len();
        res.stations += added.iter().filter(|level| *level == Level::Pec.as_str()).count();
    }
    Ok(())
}
