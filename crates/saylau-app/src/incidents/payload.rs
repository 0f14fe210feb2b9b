//! The canonical payloads of incident entries: JSON objects with their keys in sorted
//! order and no whitespace (each struct declares its fields sorted), with a `format` key
//! naming the encoding (`docs/observation.md`, "Incident payloads").

use serde::{Deserialize, Serialize};

/// `format` of an incident report.
pub const INCIDENT_FORMAT: &str = "saylau-incident-v1";
/// `format` of a change of a report's state.
pub const STATE_FORMAT: &str = "saylau-incident-state-v1";

/// An evidence file as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    /// The file's name as given in the incident file.
    pub file: String,
    /// The SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// An incident report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentPayload {
    /// Evidence files.
    pub evidence: Vec<EvidenceRef>,
    format: String,
    /// The organisation's id of the report.
    pub id: String,
    /// What the observer wrote.
    pub note: String,
    /// The organisation.
    pub observer: String,
    /// The station.
    pub station: String,
    /// When, as written.
    pub time: String,
    /// The incident type's code.
    #[serde(rename = "type")]
    pub kind: String,
}

impl IncidentPayload {
    /// A report.
    pub fn new(
        observer: &str,
        id: &str,
        station: &str,
        time: &str,
        kind: &str,
        note: &str,
        evidence: Vec<EvidenceRef>,
    ) -> IncidentPayload {
        IncidentPayload {
            evidence,
            format: INCIDENT_FORMAT.to_owned(),
            id: id.to_owned(),
            note: note.to_owned(),
            observer: observer.to_owned(),
            station: station.to_owned(),
            time: time.to_owned(),
            kind: kind.to_owned(),
        }
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a payload of strings and integers always encodes")
    }

    /// Reads a stored report.
    pub fn read(bytes: &[u8]) -> Result<IncidentPayload, String> {
        let it: IncidentPayload = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        if it.format != INCIDENT_FORMAT {
            return Err(format!("format {:?} is not {INCIDENT_FORMAT}", it.format));
        }
        Ok(it)
    }
}

/// A change of a report's follow-up state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatePayload {
    format: String,
    /// The state it leaves.
    pub from: String,
    /// The report's id.
    pub id: String,
    /// Why, or what the commission or court said.
    pub note: String,
    /// The organisation.
    pub observer: String,
    /// The state it enters.
    pub to: String,
}

impl StatePayload {
    /// A change of report `id` from `from` to `to`.
    pub fn new(observer: &str, id: &str, from: &str, to: &str, note: &str) -> StatePayload {
        StatePayload {
            format: STATE_FORMAT.to_owned(),
            from: from.to_owned(),
            id: id.to_owned(),
            note: note.to_owned(),
            observer: observer.to_owned(),
            to: to.to_owned(),
        }
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a payload of strings always encodes")
    }

    /// Reads a stored change.
    pub fn read(bytes: &[u8]) -> Result<StatePayload, String> {
        let it: StatePayload = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        if it.format != STATE_FORMAT {
            return Err(format!("format {:?} is not {STATE_FORMAT}", it.format));
        }
        Ok(it)
    }
}

#[cfg(test)]
mod tests {
    use super::{EvidenceRef, IncidentPayload, StatePayload};

    #[test]
    fn payloads_are_canonical_json_with_sorted_keys() {
        let evidence = vec![EvidenceRef { file: "p.jpg".into(), sha256: "ab".into(), size: 3 }];
        let report = IncidentPayload::new("o", "i", "s", "t", "carousel", "n", evidence);
        let text = String::from_utf8(report.bytes()).unwrap();
        assert_eq!(
            text,
            r#"{"evidence":[{"file":"p.jpg","sha256":"ab","size":3}],"format":"saylau-incident-v1","id":"i","note":"n","observer":"o","station":"s","time":"t","type":"carousel"}"#
        );
        assert_eq!(IncidentPayload::read(text.as_bytes()), Ok(report));
        let state = StatePayload::new("o", "i", "reported", "filed", "n");
        assert_eq!(
            String::from_utf8(state.bytes()).unwrap(),
            r#"{"format":"saylau-incident-state-v1","from":"reported","id":"i","note":"n","observer":"o","to":"filed"}"#
        );
        assert!(StatePayload::read(br#"{"format":"x"}"#).is_err());
    }
}
