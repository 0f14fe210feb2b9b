//! A small registered election for the cases: CEC → region → district → two PECs, which
//! are the polling stations `s1` and `s2`, a key per commission, and a key that is not
//! registered.

use saylau_store::entry::Version;
use saylau_store::id::{CommissionId, ElectionId, Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::Submission;
use saylau_store::registry::{self, Commission, Election, Level};
use saylau_store::store::Store;

pub(crate) struct Fixture {
    pub(crate) election: ElectionId,
    pub(crate) kind: Kind,
    /// Keys of the CEC, the region, PEC 1 and PEC 2, all registered.
    pub(crate) cec: CommissionKey,
    pub(crate) region: CommissionKey,
    pub(crate) pec1: CommissionKey,
    pub(crate) pec2: CommissionKey,
    /// A key that no one registered.
    pub(crate) stranger: CommissionKey,
    /// The entries of the registrations (the genesis, the election, the hierarchy and the
    /// three other keys): the first entry after them is `base + 1`.
    pub(crate) base: u64,
}

pub(crate) fn id<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse().expect("a valid id")
}

fn commission(id_text: &str, parent: Option<&str>, level: Level) -> Commission {
    Commission {
        id: id(id_text),
        parent: parent.map(id),
        level,
        name: format!("commission {id_text}"),
    }
}

/// Registers the election `e1` with its hierarchy, whose PECs are the stations `s1` and
/// `s2`, and the keys.
pub(crate) async fn setup(store: &Store) -> Fixture {
    let election: ElectionId = id("e1");
    let cec = CommissionKey::generate().expect("a key");
    registry::bootstrap(store, &id("cec"), &cec).await.expect("the genesis key");
    let test = Election { id: election.clone(), name: "Test".to_owned() };
    registry::add_election(store, &test, &cec).await.expect("a new election");
    let commissions = [
        commission("cec", None, Level::Cec),
        commission("r1", Some("cec"), Level::Region),
        commission("d1", Some("r1"), Level::District),
        commission("s1", Some("d1"), Level::Pec),
        commission("s2", Some("d1"), Level::Pec),
    ];
    registry::add_commissions(store, &election, &commissions, &cec).await.expect("the hierarchy");
    let fixture = Fixture {
        election,
        kind: id("protocol"),
        cec,
        region: CommissionKey::generate().expect("a key"),
        pec1: CommissionKey::generate().expect("a key"),
        pec2: CommissionKey::generate().expect("a key"),
        stranger: CommissionKey::generate().expect("a key"),
        base: 6,
    };
    for (commission, key) in [("r1", &fixture.region), ("s1", &fixture.pec1), ("s2", &fixture.pec2)]
    {
        let commission: CommissionId = id(commission);
        registry::register_key(store, &commission, &key.public_key(), &fixture.cec)
            .await
            .expect("a new key");
    }
    let head = saylau_store::ledger::checkpoint(store).await.expect("a checkpoint");
    assert_eq!(head.seq.0, fixture.base, "the registrations' entries");
    fixture
}

impl Fixture {
    /// A submission for `subject` of `payload` based on `base`.
    pub(crate) fn submit<'a>(
        &'a self,
        subject: &'a Subject,
        payload: &'a [u8],
        base: Option<u64>,
        reason: Option<&'a str>,
    ) -> Submission<'a> {
        Submission {
            election: &self.election,
            kind: &self.kind,
            subject,
            payload,
            base: base.map(Version),
            reason,
            author: "secretary",
        }
    }
}
