//! Reading vendor JSON without trusting it: the private plumbing of the decoders (the same
//! approach as `interaction-vcc`'s).
//!
//! A body is read as a [`RawValue`] first. serde_json skips over a raw value without recursing
//! (its `ignore_value` keeps its own stack), so a deeply nested unknown member cannot sink the
//! body; each member the adapter reads is then deserialized on its own, under serde_json's
//! recursion limit (128 levels), and every error names the member that caused it
//! (`ImAddress: invalid type: integer `5`, expected a string`).

use std::fmt::Write as _;

use interaction_core::Error;
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::wire::Code;

/// The members of a JSON object in the order they came, each kept as raw JSON text.
/// Duplicate names are all kept; lookups take the last one, as `serde_json::Value` does.
#[derive(Debug)]
pub(crate) struct Object<'a> {
    members: Vec<(String, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// Reads a whole body as an object; errors name `what` (`event body`).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `what` when `body` is not JSON or not a JSON object.
    pub(crate) fn body(body: &'a [u8], what: &str) -> Result<Self, Error> {
        let raw: &'a RawValue =
            serde_json::from_slice(body).map_err(|e| Error::malformed(format!("{what}: {e}")))?;
        let kind = Kind::of(raw);
        if kind != Kind::Object {
            return Err(Error::malformed(format!(
                "{what}: expected a JSON object, got {kind}"
            )));
        }
        let members: Entries<&'a RawValue> = parse_raw(raw, what)?;
        Ok(Object { members: members.0 })
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
    /// [`Error::Malformed`] naming the member when it has the wrong type.
    pub(crate) fn get<T: Deserialize<'a>>(&self, name: &str) -> Result<Option<T>, Error> {
        self.raw(name).map(|raw| parse_raw(raw, name)).transpose()
    }

    /// Member `name` as an enumeration value: a number or a name (the vendor's `[enum]`).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member when it is neither a number nor a string.
    pub(crate) fn code(&self, name: &str) -> Result<Option<RawCode>, Error> {
        let Some(raw) = self.raw(name) else {
            return Ok(None);
        };
        match Kind::of(raw) {
            Kind::Number => Ok(Some(match raw.get().parse::<u64>() {
                Ok(n) => RawCode::Number(n),
                Err(_) => RawCode::Other(printable(raw.get())),
            })),
            Kind::String => Ok(Some(RawCode::Name(parse_raw(raw, name)?))),
            kind => Err(Error::malformed(format!(
                "{name}: expected a number or a name, got {kind}"
            ))),
        }
    }
}

/// An enumeration value as it came: the vendor documents numbers (`eventType`: `3 = Hunting`)
/// and its own command sample sends a name (`'commandType' : 'AgentLogin'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawCode {
    /// A non-negative integer.
    Number(u64),
    /// A string.
    Name(String),
    /// Any other number (negative, fractional, too large), as its JSON text.
    Other(String),
}

impl RawCode {
    /// The value for a message or a label: the number, or the name made printable.
    pub(crate) fn text(&self) -> String {
        match self {
            RawCode::Number(n) => n.to_string(),
            RawCode::Name(name) => printable(name),
            RawCode::Other(text) => text.clone(),
        }
    }

    /// The wire form, when it is one ([`RawCode::Other`] is not).
    pub(crate) fn wire(&self) -> Option<Code> {
        match self {
            RawCode::Number(n) => Some(Code::Number(*n)),
            RawCode::Name(name) => Some(Code::Name(name.clone())),
            RawCode::Other(_) => None,
        }
    }
}

/// Deserializes one raw member, naming `path` in the error.
///
/// # Errors
/// [`Error::Malformed`] naming `path`.
pub(crate) fn parse_raw<'a, T: Deserialize<'a>>(raw: &'a RawValue, path: &str) -> Result<T, Error> {
    serde_json::from_str(raw.get()).map_err(|e| de_error(path, &e))
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
struct Entries<V>(Vec<(String, V)>);

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

    #[test]
    fn member_type_errors_name_the_member_without_a_misleading_position() {
        let obj = Object::body(br#"{"ImAddress": 5}"#, "event body").unwrap();
        let err = obj.get::<String>("ImAddress").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed input: ImAddress: invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn null_reads_as_absent_and_the_last_duplicate_wins() {
        let obj = Object::body(br#"{"a": 1, "a": 2, "b": null}"#, "body").unwrap();
        assert_eq!(obj.get::<u8>("a").unwrap(), Some(2));
        assert_eq!(obj.get::<String>("b").unwrap(), None);
    }

    #[test]
    fn codes_are_numbers_or_names() {
        let obj = Object::body(
            br#"{"a": 4, "b": "Dial", "c": -1, "d": 1.5, "e": true, "f": 99999999999999999999}"#,
            "body",
        )
        .unwrap();
        assert_eq!(obj.code("a").unwrap(), Some(RawCode::Number(4)));
        assert_eq!(obj.code("b").unwrap(), Some(RawCode::Name("Dial".into())));
        assert_eq!(obj.code("c").unwrap(), Some(RawCode::Other("-1".into())));
        assert_eq!(obj.code("d").unwrap().unwrap().text(), "1.5");
        let err = obj.code("e").unwrap_err();
        assert!(
            err.to_string()
                .contains("e: expected a number or a name, got a boolean"),
            "{err}"
        );
        assert_eq!(
            obj.code("f").unwrap(),
            Some(RawCode::Other("99999999999999999999".into()))
        );
        assert_eq!(obj.code("zz").unwrap(), None);
    }

    #[test]
    fn printable_escapes_and_shortens() {
        assert_eq!(printable("a\r\nb"), "a\\r\\nb");
        assert_eq!(printable(&"x".repeat(100)).chars().count(), 65);
    }

    #[test]
    fn kinds_in_words() {
        let raw = |t: &str| -> Box<RawValue> { serde_json::from_str(t).unwrap() };
        assert_eq!(Kind::of(&raw("[1]")).to_string(), "an array");
        assert_eq!(Kind::of(&raw("\"s\"")).to_string(), "a string");
        assert_eq!(Kind::of(&raw("-1")).to_string(), "a number");
        assert_eq!(Kind::of(&raw("true")).to_string(), "a boolean");
        assert_eq!(Kind::of(&raw("null")).to_string(), "null");
    }
}
