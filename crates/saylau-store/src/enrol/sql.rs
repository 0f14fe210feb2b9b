//! The registry's queries, one copy for both backends (`$N` placeholders, which SQLite
//! reads too).

pub(crate) const ELECTIONS: &str = "SELECT id, name FROM elections";
pub(crate) const COMMISSIONS: &str =
    "SELECT election_id, id, parent_id, level, name FROM commissions";
pub(crate) const COMMISSIONS_OF: &str =
    "SELECT election_id, id, parent_id, level, name FROM commissions WHERE election_id = $1";
pub(crate) const LISTS: &str = "SELECT election_id, id, name, registration FROM lists";
pub(crate) const LISTS_OF: &str =
    "SELECT election_id, id, name, registration FROM lists WHERE election_id = $1";
pub(crate) const KEYS: &str =
    "SELECT id, commission_id, public_key, registered_at FROM commission_keys";
pub(crate) const REVOCATIONS: &str = "SELECT key_id, seq FROM key_revocations";
/// One commission of an election ([`super::slice`]).
pub(crate) const COMMISSION: &str = "SELECT election_id, id, parent_id, level, name \
     FROM commissions WHERE election_id = $1 AND id = $2";
/// One key ([`super::slice`]).
pub(crate) const KEY: &str =
    "SELECT id, commission_id, public_key, registered_at FROM commission_keys WHERE id = $1";
/// The revocation of one key ([`super::slice`]).
pub(crate) const REVOCATION: &str = "SELECT key_id, seq FROM key_revocations WHERE key_id = $1";
/// The commission of the genesis key: the key that signed entry 1.
pub(crate) const ROOT: &str = "SELECT k.commission_id FROM log_entries e \
     JOIN commission_keys k ON k.id = e.key_id WHERE e.seq = 1";
pub(crate) const MEMBERS: &str = "SELECT election_id, commission_id, person_id, name, role, \
     nominated_by, party_member, term_from, term_to FROM commission_members";
pub(crate) const MEMBERS_OF: &str = "SELECT election_id, commission_id, person_id, name, role, \
     nominated_by, party_member, term_from, term_to FROM commission_members \
     WHERE election_id = $1";
/// The members of one commission ([`super::slice`]).
pub(crate) const MEMBERS_OF_COMMISSION: &str = "SELECT election_id, commission_id, person_id, \
     name, role, nominated_by, party_member, term_from, term_to FROM commission_members \
     WHERE election_id = $1 AND commission_id = $2";
pub(crate) const INSERT_MEMBER: &str = "INSERT INTO commission_members (election_id, \
     commission_id, person_id, name, role, nominated_by, party_member, term_from, term_to) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const INSERT_REVOCATION: &str =
    "INSERT INTO key_revocations (key_id, seq, revoked_at) VALUES ($1, $2, $3)";
