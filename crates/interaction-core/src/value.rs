//! User data: the JSON object that travels with an interaction.
//!
//! The core never sees `serde_json` (it stays small and pure), so user data is held in this
//! small JSON model of its own. Adapters deserialize vendor JSON straight into it (GWS
//! `userData` values, VCC `routingdata`). A number is kept compactly, as serde_json reads it
//! ([`Number`]: an integer exactly, any other number as its `f64`, 16 bytes either way; `1e308`
//! stays 16 bytes, it is never expanded into 309 digits), and written back as the shortest text
//! that reads to the same value, so a snapshot restores equal.
//!
//! **Bounds.** The user data an input carries, and the user data an interaction holds after a
//! change, are at most [`MAX_USER_DATA_BYTES`] as JSON text ([`encoded_len`]); the engine
//! refuses an input that would go beyond (`invalid_field` `user_data`), and the adapters refuse
//! a vendor's user-data member longer than that before reading it.

use std::collections::BTreeMap;

/// The most user data an input may carry and an interaction may hold, in bytes of its JSON text
/// ([`encoded_len`]): 64 KiB. No vendor page gives a limit; GWS attached data and VCC
/// `routingdata` are a few hundred bytes in every sample, and a VCC request body is at most
/// 100 KB whole.
pub const MAX_USER_DATA_BYTES: usize = 64 * 1024;

/// A JSON number as user data keeps it: an unsigned or a negative integer exactly (as serde_json
/// reads integers that fit 64 bits), any other number as the `f64` it reads as.
///
/// Two numbers are equal when they are the same kind with the same value, bit for bit (`1` and
/// `1.0` differ, as their JSON texts do; `0.0` and `-0.0` differ too).
#[derive(Debug, Clone, Copy)]
pub struct Number(N);

#[derive(Debug, Clone, Copy)]
enum N {
    Unsigned(u64),
    Negative(i64),
    Float(f64),
}

impl Number {
    /// A non-negative integer.
    pub const fn from_u64(n: u64) -> Number {
        Number(N::Unsigned(n))
    }

    /// An integer: kept as an unsigned one when it is not negative.
    pub const fn from_i64(n: i64) -> Number {
        if n < 0 {
            Number(N::Negative(n))
        } else {
            Number(N::Unsigned(n.unsigned_abs()))
        }
    }

    /// A number that is not an integer (or was written with a fraction or an exponent); `None`
    /// for NaN and the infinities, which JSON cannot hold.
    pub fn from_f64(n: f64) -> Option<Number> {
        n.is_finite().then_some(Number(N::Float(n)))
    }

    /// The integer, when the number is one that fits `u64`.
    pub const fn as_u64(self) -> Option<u64> {
        match self.0 {
            N::Unsigned(n) => Some(n),
            _ => None,
        }
    }

    /// The integer, when the number is one that fits `i64`.
    pub fn as_i64(self) -> Option<i64> {
        match self.0 {
            N::Unsigned(n) => i64::try_from(n).ok(),
            N::Negative(n) => Some(n),
            N::Float(_) => None,
        }
    }

    /// The number as an `f64` (integers beyond 2^53 rounded).
    #[allow(clippy::cast_precision_loss)]
    pub const fn as_f64(self) -> f64 {
        match self.0 {
            N::Unsigned(n) => n as f64,
            N::Negative(n) => n as f64,
            N::Float(f) => f,
        }
    }

    /// Whether the number is kept as an `f64` (not as an integer).
    pub const fn is_f64(self) -> bool {
        matches!(self.0, N::Float(_))
    }

    /// The bits the number is compared and hashed by.
    const fn key(self) -> (u8, u64) {
        match self.0 {
            N::Unsigned(n) => (0, n),
            N::Negative(n) => (1, n.cast_unsigned()),
            N::Float(f) => (2, f.to_bits()),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Number {}

impl core::hash::Hash for Number {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

/// As JSON writes it: integers in full, other numbers as Rust's shortest text of the `f64`,
/// with an exponent when it is very large or very small (`1e308`, `2.5e-9`).
impl core::fmt::Display for Number {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            N::Unsigned(n) => write!(f, "{n}"),
            N::Negative(n) => write!(f, "{n}"),
            N::Float(x) if x != 0.0 && !(1e-5..1e16).contains(&x.abs()) => write!(f, "{x:e}"),
            N::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// A JSON value held in user data. Nested objects and arrays are kept as they came
/// (gws-v2-interactions.txt, `UpdateUserData`: `"field3": { "fieldA": valueA, ... }`).
///
/// With the `serde` feature it serializes as the plain JSON value it stands for, so adapters can
/// deserialize a vendor's `userData` straight into [`UserData`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number ([`Number`]).
    Number(Number),
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

/// About how many bytes `data` takes as JSON text: what [`MAX_USER_DATA_BYTES`] bounds. Exact
/// for keys and strings without escapes, 24 for any number (the longest an `f64` is written);
/// never below the real length by more than the escapes a string needs.
pub fn encoded_len(data: &UserData) -> usize {
    2 + data
        .iter()
        .map(|(k, v)| member_len(k, v) + 1)
        .sum::<usize>()
}

/// The JSON length of one member `"k":v` (without the comma).
pub(crate) fn member_len(key: &str, value: &Value) -> usize {
    key.len() + 3 + value_len(value)
}

fn value_len(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(_) => 24,
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 2 + items.iter().map(|v| value_len(v) + 1).sum::<usize>(),
        Value::Object(map) => encoded_len(map),
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{Number, UserData, Value};
    use serde::de::{self, MapAccess, SeqAccess, Visitor};
    use serde::ser::{SerializeMap, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => s.serialize_u64(u),
                    (None, Some(i)) if !n.is_f64() => s.serialize_i64(i),
                    _ => s.serialize_f64(n.as_f64()),
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
            Ok(Value::Number(Number::from_u64(n)))
        }

        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
            Ok(Value::Number(Number::from_i64(n)))
        }

        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
            Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| E::custom("a number that is not finite"))
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
        assert_eq!(
            data.get("field2"),
            Some(&Value::Number(Number::from_u64(42)))
        );
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

    /// A huge number stays 16 bytes, and is written back in a few characters.
    #[test]
    fn huge_numbers_stay_compact() {
        assert_eq!(core::mem::size_of::<Number>(), 16);
        let v: Value = serde_json::from_str("1e308").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "1e+308");
        let Value::Number(n) = v else { unreachable!() };
        assert_eq!(n.to_string(), "1e308");
        assert_eq!(Number::from_f64(0.25).unwrap().to_string(), "0.25");
        assert_eq!(Number::from_i64(-7).to_string(), "-7");
    }

    #[test]
    fn encoded_len_matches_json_for_plain_data() {
        let text = r#"{"a":"xyz","b":[true,null,{"c":false}],"d":{}}"#;
        let data: UserData = serde_json::from_str(text).unwrap();
        assert_eq!(
            encoded_len(&data),
            text.len() + 3,
            "a trailing comma counted per list"
        );
    }
}
