//! User data: the JSON object that travels with an interaction.
//!
//! The core never sees `serde_json` (it stays small and pure), so user data is held in this
//! small JSON model of its own. Adapters deserialize vendor JSON straight into it (GWS
//! `userData` values, VCC `routingdata`). A number is kept as the text of the value read:
//! integers exactly as sent; any other number as the shortest text of its `f64` (`1.0` is kept
//! as `1`, `1e3` as `1000`), which reads back to the same text, so a snapshot restores equal.

use std::collections::BTreeMap;

/// A JSON value held in user data. Nested objects and arrays are kept as they came
/// (gws-v2-interactions.txt, `UpdateUserData`: `"field3": { "fieldA": valueA, ... }`).
///
/// With the `serde` feature it serializes as the plain JSON value it stands for, so adapters can
/// deserialize a vendor's `userData` straight into [`UserData`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number, as text (for example `"42"`, `"-1500"`, `"0.25"`): integers exactly as
    /// sent, other numbers as the shortest text of their `f64`.
    Number(String),
    /// A JSON string.
    String(String),
    /// A JSON array.
    Array(Vec<Value>),
    /// A JSON object, keys in sorted order.
    Object(UserData),
}

/// User data: a JSON object's members in key order (MODEL.md section 2: "user data (a JSON
/// object)"). Empty user data allocates nothing.
pub type UserData = BTreeMap<String, Value>;

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{UserData, Value};
    use serde::de::{self, MapAccess, SeqAccess, Visitor};
    use serde::ser::{SerializeMap, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                // Written as the number whose reading gives back `text`: an integer only when
                // its text is exactly `text` (so `-0` stays a float and reads back as `-0`).
                Value::Number(text) => match (text.parse::<u64>(), text.parse::<i64>()) {
                    (Ok(u), _) if u.to_string() == *text => s.serialize_u64(u),
                    (_, Ok(i)) if i.to_string() == *text => s.serialize_i64(i),
                    _ => match text.parse::<f64>() {
                        Ok(f) => s.serialize_f64(f),
                        Err(_) => s.serialize_str(text),
                    },
                },
                Value::String(text) => s.serialize_str(text),
                Value::Array(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Value::Object(map) => {
                    let mut m = s.serialize_map(Some(map.len()))?;
                    for (k, v) in map {
                        m.serialize_entry(k, v)?;
                    }
                    m.end()
                }
            }
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Value::deserialize(d)
        }

        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }

        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
            Ok(Value::Number(n.to_string()))
        }

        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
            Ok(Value::Number(n.to_string()))
        }

        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
            Ok(Value::Number(n.to_string()))
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }

        fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = UserData::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn user_data_round_trips_as_plain_json() {
        let text = r#"{"field1":"value1","field2":42,"field3":{"fieldA":[true,null,-1.5]}}"#;
        let data: UserData = serde_json::from_str(text).unwrap();
        assert_eq!(data.get("field2"), Some(&Value::Number("42".into())));
        assert_eq!(serde_json::to_string(&data).unwrap(), text);
    }

    #[test]
    fn numbers_read_back_to_the_same_text() {
        for text in [
            "-0",
            "0",
            "-0.0",
            "1.0",
            "1e3",
            "1e300",
            "-1.5e-7",
            "18446744073709551615",
            "-9223372036854775808",
            "0.1",
        ] {
            let first: Value = serde_json::from_str(text).unwrap();
            let again: Value =
                serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
            assert_eq!(first, again, "{text}");
        }
    }
}
