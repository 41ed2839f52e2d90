//! Reading vendor JSON without trusting it: the private plumbing of the decoders.
//!
//! Bodies are read as [`RawValue`]s first. serde_json skips over a raw value without recursing
//! (its `ignore_value` keeps its own stack), so a deeply nested unknown member cannot sink the
//! body; each member that is used is then deserialized on its own, under serde_json's recursion
//! limit (128 levels), and every error is prefixed with the path of the member that caused it
//! (`workitem.state: invalid type: integer `5`, expected a string`).
//!
//! The same plumbing as the VCC adapter's (`interaction-vcc/src/json.rs`), kept private to each
//! adapter so that neither depends on the other.

use std::fmt::Write as _;

use interaction_core::{Error, UserData, Value};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// The members of a JSON object in the order they came, each kept as raw JSON text.
/// Duplicate names are all kept; lookups take the last one, as `serde_json::Value` does.
#[derive(Debug)]
pub(crate) struct Object<'a> {
    path: String,
    members: Vec<(String, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// Reads `raw` as an object whose members are named `{path}.{name}` in messages.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `path` when `raw` is not a JSON object.
    pub(crate) fn parse(raw: &'a RawValue, path: String) -> Result<Self, Error> {
        let members = members(raw, &path)?;
        Ok(Object { path, members })
    }

    /// Reads a whole body as an object: its own errors name `what` (`operation body`), its
    /// members are named bare (`operationName`).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `what` when `raw` is not a JSON object.
    pub(crate) fn top(raw: &'a RawValue, what: &str) -> Result<Self, Error> {
        let members = members(raw, what)?;
        Ok(Object {
            path: String::new(),
            members,
        })
    }

    /// The path of member `name` (`data.workitem.state`).
    pub(crate) fn path_of(&self, name: &str) -> String {
        join(&self.path, name)
    }

    /// The members, in the order they came.
    pub(crate) fn members(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.members.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Member `name` as raw JSON, `None` when absent or `null`.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a RawValue> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
            .filter(|v| v.get() != "null")
    }

    /// Member `name` deserialized as `T`; `None` when absent or `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path when it has the wrong type.
    pub(crate) fn get<T: Deserialize<'a>>(&self, name: &str) -> Result<Option<T>, Error> {
        self.raw(name)
            .map(|raw| parse_raw(raw, &self.path_of(name)))
            .transpose()
    }

    /// Member `name` as user data: a JSON object whose members are read one by one, values kept
    /// as JSON; `None` when absent or `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path when it is not an object
    /// (`userData: expected a JSON object, got an array`), or naming `{path}.{key}` when a value
    /// nests deeper than serde_json's recursion limit.
    pub(crate) fn user_data(&self, name: &str) -> Result<Option<UserData>, Error> {
        let Some(data) = self.object(name)? else {
            return Ok(None);
        };
        let mut out = UserData::new();
        for (key, raw) in data.members() {
            let value: Value = parse_raw(raw, &data.path_of(key))?;
            out.insert(key.to_owned(), value);
        }
        Ok(Some(out))
    }

    /// Member `name` as an object; `None` when absent or `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path when it is not an object.
    pub(crate) fn object(&self, name: &str) -> Result<Option<Object<'a>>, Error> {
        self.raw(name)
            .map(|raw| Object::parse(raw, self.path_of(name)))
            .transpose()
    }
}

/// The members of `raw`, which must be an object; errors name `label`.
fn members<'a>(raw: &'a RawValue, label: &str) -> Result<Vec<(String, &'a RawValue)>, Error> {
    let kind = Kind::of(raw);
    if kind != Kind::Object {
        return Err(Error::malformed(format!(
            "{label}: expected a JSON object, got {kind}"
        )));
    }
    let members: Entries<&'a RawValue> = parse_raw(raw, label)?;
    Ok(members.0)
}

/// Deserializes one raw member, naming `path` in the error.
///
/// # Errors
/// [`Error::Malformed`] naming `path`.
pub(crate) fn parse_raw<'a, T: Deserialize<'a>>(raw: &'a RawValue, path: &str) -> Result<T, Error> {
    serde_json::from_str(raw.get()).map_err(|e| de_error(path, &e))
}

/// Reads a whole request body as one raw JSON value (syntax only; no recursion).
///
/// # Errors
/// [`Error::Malformed`] naming `what` when the body is not JSON (or not UTF-8).
pub(crate) fn parse_body<'a>(body: &'a [u8], what: &str) -> Result<&'a RawValue, Error> {
    serde_json::from_slice(body).map_err(|e| Error::malformed(format!("{what}: {e}")))
}

/// The JSON type of a raw value, read from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Boolean,
    Null,
    Number,
}

impl Kind {
    /// The kind of `raw` (serde_json has already checked that it is valid JSON).
    pub(crate) fn of(raw: &RawValue) -> Kind {
        match raw.get().as_bytes().first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Boolean,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        }
    }
}

impl core::fmt::Display for Kind {
    /// In words, for messages: `an object`, `an array`, `a string`, ...
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Boolean => "a boolean",
            Kind::Null => "null",
            Kind::Number => "a number",
        })
    }
}

/// A member path: `{path}.{name}`, or just `name` at the top level. Odd names are escaped and
/// shortened so that a message never carries control characters or a megabyte of key.
pub(crate) fn join(path: &str, name: &str) -> String {
    let name = printable(name);
    if path.is_empty() {
        name
    } else {
        format!("{path}.{name}")
    }
}

/// `value` made safe to quote in a message: control characters escaped, at most 64 characters.
pub(crate) fn printable(value: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A serde_json error as [`Error::Malformed`] naming `path`. The position serde_json adds is
/// dropped: it counts from the start of the member, not of the body, and would mislead.
fn de_error(path: &str, e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let text = text.strip_suffix(&suffix).unwrap_or(&text);
    Error::malformed(format!("{path}: {text}"))
}

/// A JSON object read as its members in order (duplicates kept).
pub(crate) struct Entries<V>(pub(crate) Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(core::marker::PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }

        d.deserialize_map(EntriesVisitor(core::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn member_type_errors_name_the_path_without_a_misleading_position() {
        let obj = Object::parse(raw(r#"{"state": 5}"#), "data.workitem".into()).unwrap();
        let err = obj.get::<String>("state").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed input: data.workitem.state: invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn null_reads_as_absent_and_the_last_duplicate_wins() {
        let obj = Object::parse(raw(r#"{"a": 1, "a": 2, "b": null}"#), String::new()).unwrap();
        assert_eq!(obj.get::<u8>("a").unwrap(), Some(2));
        assert_eq!(obj.get::<String>("b").unwrap(), None);
        assert_eq!(obj.path_of("b"), "b");
    }

    #[test]
    fn user_data_keeps_nested_values_and_refuses_what_is_not_an_object() {
        let obj = Object::top(
            raw(r#"{"userData": {"a": 1, "b": {"c": [true]}}, "bad": [1]}"#),
            "body",
        )
        .unwrap();
        let data = obj.user_data("userData").unwrap().unwrap();
        assert_eq!(data.get("a"), Some(&Value::Number("1".into())));
        assert!(matches!(data.get("b"), Some(Value::Object(_))));
        let err = obj.user_data("bad").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed input: bad: expected a JSON object, got an array"
        );
        assert_eq!(obj.user_data("absent").unwrap(), None);
    }

    #[test]
    fn printable_escapes_and_shortens() {
        assert_eq!(printable("a\r\nb"), "a\\r\\nb");
        assert_eq!(printable(&"x".repeat(100)).chars().count(), 65);
    }

    #[test]
    fn kinds_in_words() {
        assert_eq!(Kind::of(raw("[1]")).to_string(), "an array");
        assert_eq!(Kind::of(raw("\"s\"")).to_string(), "a string");
        assert_eq!(Kind::of(raw("-1")).to_string(), "a number");
        assert_eq!(Kind::of(raw("true")).to_string(), "a boolean");
        assert_eq!(Kind::of(raw("null")).to_string(), "null");
    }
}
