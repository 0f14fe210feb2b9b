//! JSON objects whose keys are unique.
//!
//! serde_json keeps the last of two equal keys of an object, so `{"valid": 10, "valid": 900}`
//! would be read as 900 votes without a word. JSON (RFC 8259) leaves duplicate names to the
//! reader; saylau refuses them: [`Unique`] checks a whole value, at every depth, and
//! [`Members`] the members of one object, whose values stay raw.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Any JSON value whose objects, at every depth, name each key once.
pub(crate) struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Unique, D::Error> {
        deserializer.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_none<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Unique, D::Error> {
        Unique::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<Unique>()?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key {key:?} is given twice")));
            }
        }
        Ok(Unique)
    }
}

/// The members of one JSON object, each key once, with their values as raw JSON.
pub(crate) struct Members<'a>(pub(crate) BTreeMap<String, &'a RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members<'a>, D::Error> {
        deserializer.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}

struct MembersVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for MembersVisitor<'a> {
    type Value = Members<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'a>, A::Error> {
        let mut res = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, &'a RawValue>()? {
            if res.contains_key(&key) {
                return Err(de::Error::custom(format!("the key {key:?} is given twice")));
            }
            res.insert(key, value);
        }
        Ok(Members(res))
    }
}

#[cfg(test)]
mod tests {
    use super::{Members, Unique};

    fn check(text: &str, expect: &str) {
        let unique = serde_json::from_str::<Unique>(text).map(|_| "unique".to_owned());
        let res = unique.unwrap_or_else(|err| err.to_string());
        assert_eq!(res, expect, "{text}");
    }

    #[test]
    fn keys_are_unique_at_every_depth() {
        check(r#"{"a": 1, "b": [{"c": null}, {"c": "x"}]}"#, "unique");
        check(
            r#"{"valid": 10, "valid": 900}"#,
            "the key \"valid\" is given twice at line 1 column 27",
        );
        check(r#"{"votes": {"a": 1, "a": 2}}"#, "the key \"a\" is given twice at line 1 column 26");
        check(
            r#"[{"x": 1}, {"y": 2, "y": 3}]"#,
            "the key \"y\" is given twice at line 1 column 27",
        );
    }

    #[test]
    fn members_keep_raw_values_and_refuse_a_key_twice() {
        let members = serde_json::from_str::<Members<'_>>(r#"{"a": {"b": 1, "b": 2}, "c": []}"#);
        let members = members.expect("the top level names each key once");
        assert_eq!(members.0["a"].get(), r#"{"b": 1, "b": 2}"#);
        let twice = serde_json::from_str::<Members<'_>>(r#"{"a": 1, "a": 2}"#).err();
        assert_eq!(
            twice.map(|err| err.to_string()),
            Some("the key \"a\" is given twice at line 1 column 16".to_owned())
        );
    }
}
