//! User data: the JSON object that travels with an interaction.
//!
//! The core never sees `serde_json` (it stays small and pure), so user data is held in this
//! small JSON model of its own. Adapters convert vendor JSON into it; numbers keep their exact
//! text so that nothing is lost in a round trip (GWS `userData` values, VCC `routingdata`).

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
    /// A JSON number, as its exact text (for example `"42"`, `"-1.5e3"`).
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
                Value::Number(text) => {
                    if let Ok(u) = text.parse::<u64>() {
                        s.serialize_u64(u)
                    } else if let Ok(i) = text.parse::<i64>() {
                        s.serialize_i64(i)
                    } else if let Ok(f) = text.parse::<f64>() {
                        s.serialize_f64(f)
                    } else {
                        s.serialize_str(text)
                    }
                }
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
}
