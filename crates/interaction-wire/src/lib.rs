//! The JSON plumbing the vendor adapters share: untrusted vendor JSON read member by member,
//! every error naming the field path; no vendor knowledge.
//!
//! `interaction-vcc`, `interaction-gws` and `interaction-anywhere365` decode bodies that come
//! from outside. They all read them the same way, which is this crate:
//!
//! * **One body type per message kind** ([`members!`]): a struct of optional members generic
//!   over a [`Mode`], how a pass holds them. [`read_body`] reads a body first in the [`Fast`]
//!   mode (one typed pass: strings without escapes borrowed as `&str`, objects and arrays of
//!   their types; no allocation for its strings), and only when that fails in the [`Lax`]
//!   mode, where every member is kept as raw JSON and read only when the adapter asks for it.
//!   serde_json skips a raw value without recursing (its `ignore_value` keeps its own stack)
//!   and without reading its numbers or escapes, so a deeply nested or unreadable member that
//!   is never used cannot sink the body. A body that is not JSON or not an object is refused
//!   naming the body; the rare object the lax pass cannot read either (a member name holding a
//!   lone surrogate escape) too, after a third read with `serde_path_to_error`.
//! * The adapter's **one reading function** is generic over the mode and takes either pass's
//!   body ([`Read`]): the checks run in the order its documentation lists, a member the message
//!   does not use is never type-checked, and a refused message still yields the members its
//!   labels need. Members are read through [`Text`], [`ObjectMember`], [`ListMember`] and
//!   [`UserDataMember`], which in the fast pass cannot fail and in the lax one give
//!   serde_json's own message.
//! * Duplicate member names: the last one wins, as in `serde_json::Value` (RFC 8259 section
//!   4); a member that is `null` is absent, also over an earlier value.
//! * An object whose members are open (VCC routing data and linked data, whose other members
//!   are user data) is read as an [`Object`]: its members in order, each raw, deserialized on
//!   its own ([`Object::get`], [`parse_raw`]).
//! * [`check_id`] is the core's id check with a byte test first for plain printable ASCII.
//! * Paths are for messages: a member's path is built only when it fails ([`text_at`] takes the
//!   prefix and the name apart), so a body that decodes allocates nothing for them.
//! * Every error is an [`Error::Malformed`] prefixed with the path of the member that caused it
//!   (`requests[1].route: invalid type: integer `5`, expected a string`), the name escaped and
//!   shortened ([`join`], [`printable`]) so that a message never carries control characters or
//!   a megabyte of key.
//!
//! What the members mean, which are required and what their values may be is the adapters'
//! business: nothing here knows a vendor.
//!
//! ```
//! use interaction_wire::{Fast, Lax, Mode, ObjectMember, Read, members, read_body, text_at};
//!
//! members! {
//!     /// A notification, as pass `M` holds its members.
//!     struct Body<'a, M: Mode> {
//!         "data" => data: M::Object<'a, Data<'a, M>>,
//!     }
//! }
//! members! {
//!     /// Its `data`.
//!     struct Data<'a, M: Mode> {
//!         "state" => state: M::Text<'a>,
//!     }
//! }
//!
//! fn state<M: Mode>(body: &Body<'_, M>) -> Result<Option<String>, interaction_core::Error> {
//!     let Some(data) = &body.data else { return Ok(None) };
//!     let data = data.object("", "data")?;
//!     Ok(text_at(data.state.as_ref(), "data", "state")?.map(|s| s.into_owned()))
//! }
//!
//! let body = br#"{"data": {"state": 5}}"#;
//! let err = match read_body::<Body<'_, Fast>, Body<'_, Lax>>(body, "notification body")? {
//!     Read::Fast(body) => state(&body),
//!     Read::Lax(body) => state(&body),
//! }
//! .unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "malformed input: data.state: invalid type: integer `5`, expected a string"
//! );
//! # Ok::<(), interaction_core::Error>(())
//! ```

use std::borrow::Cow;

use interaction_core::text::quote;
use interaction_core::{Error, MAX_USER_DATA_BYTES, UserData};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// The members of a JSON object in the order they came, each kept as raw JSON text, and the
/// path the object was found at (empty for a whole body).
///
/// Duplicate names are all kept; lookups take the last one, as `serde_json::Value` does. A
/// member that is `null` reads as absent.
#[derive(Debug)]
pub struct Object<'a> {
    /// Built only for a message, except where it can be borrowed (a plain top-level name).
    path: Cow<'a, str>,
    /// The names borrowed from the body unless they hold an escape.
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// Reads `raw` as an object whose members are named `{path}.{name}` in messages.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `path` when `raw` is not a JSON object
    /// (`requests[0]: expected a JSON object, got an array`).
    pub fn parse(raw: &'a RawValue, path: String) -> Result<Self, Error> {
        let members = members(raw, &path)?;
        Ok(Object {
            path: Cow::Owned(path),
            members,
        })
    }

    /// Reads a whole body as an object: its own errors name `what` (`Invoke body`), its
    /// members are named bare (`requests`).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `what` when `raw` is not a JSON object
    /// (`Invoke body: expected a JSON object, got a string`).
    pub fn top(raw: &'a RawValue, what: &str) -> Result<Self, Error> {
        let members = members(raw, what)?;
        Ok(Object {
            path: Cow::Borrowed(""),
            members,
        })
    }

    /// Reads the bytes of a whole body as an object: [`parse_body`], then [`Object::top`].
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `what` when `body` is not JSON (or not UTF-8), or is not a
    /// JSON object.
    pub fn body(body: &'a [u8], what: &str) -> Result<Self, Error> {
        // One pass when the body is a JSON object (what it reads is what the two steps below
        // read: the members, each kept raw); the two steps give the path-naming error otherwise.
        if let Ok(Members(members)) = serde_json::from_slice(body) {
            return Ok(Object {
                path: Cow::Borrowed(""),
                members,
            });
        }
        Object::top(parse_body(body, what)?, what)
    }

    /// The path of member `name` (`requests[0].route`; `route` in a whole body).
    pub fn path_of(&self, name: &str) -> String {
        join(&self.path, name)
    }

    /// The members, in the order they came, duplicates and `null`s included.
    pub fn members(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// Member `name` as raw JSON, `None` when absent or `null`.
    pub fn raw(&self, name: &str) -> Option<&'a RawValue> {
        self.member(name).map(|(_, v)| v)
    }

    /// Member `name`, its name as stored and its raw value; `None` when absent or `null`.
    fn member(&self, name: &str) -> Option<(&Cow<'a, str>, &'a RawValue)> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(k, v)| (k, *v))
            .filter(|(_, v)| v.get() != "null")
    }

    /// Member `name` deserialized as `T`; `None` when absent or `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path when it has the wrong type
    /// (`requests[1].route: invalid type: integer `5`, expected a string`) or nests deeper than
    /// serde_json's recursion limit.
    pub fn get<T: Deserialize<'a>>(&self, name: &str) -> Result<Option<T>, Error> {
        // The path is only built when the member fails: it is only for the message.
        self.raw(name)
            .map(|raw| {
                serde_json::from_str(raw.get()).map_err(|e| de_error(&self.path_of(name), &e))
            })
            .transpose()
    }

    /// `raw`, the value of this object's member `name`, deserialized as `T`. The member's path
    /// is only built when it fails, for the message: a success allocates nothing for it.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path (`{path}.{name}`) when `raw` does not
    /// deserialize as `T` (see [`de_error`]).
    pub fn parse_member<T: Deserialize<'a>>(
        &self,
        name: &str,
        raw: &'a RawValue,
    ) -> Result<T, Error> {
        serde_json::from_str(raw.get()).map_err(|e| de_error(&self.path_of(name), &e))
    }

    /// Member `name` as an object whose members are named below it; `None` when absent or
    /// `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member's path when it is not an object.
    pub fn object(&self, name: &str) -> Result<Option<Object<'a>>, Error> {
        let Some((key, raw)) = self.member(name) else {
            return Ok(None);
        };
        // A plain name at the top level is its own path: borrowed, not built.
        let path = match key {
            Cow::Borrowed(key) if self.path.is_empty() && is_printable(key) => Cow::Borrowed(*key),
            _ => Cow::Owned(self.path_of(name)),
        };
        let members = members(raw, &path)?;
        Ok(Some(Object { path, members }))
    }
}

/// The members of `raw`, which must be an object; errors name `label`.
fn members<'a>(raw: &'a RawValue, label: &str) -> Result<Vec<(Cow<'a, str>, &'a RawValue)>, Error> {
    let kind = Kind::of(raw);
    if kind != Kind::Object {
        return Err(Error::malformed(format!(
            "{label}: expected a JSON object, got {kind}"
        )));
    }
    let members: Members<'a> = parse_raw(raw, label)?;
    Ok(members.0)
}

/// Refuses user data whose JSON text is longer than [`MAX_USER_DATA_BYTES`] before it is read
/// (so that a hostile body never becomes a large map): [`Error::InvalidField`] naming the
/// member `path()` gives.
///
/// # Errors
/// As said.
pub fn check_user_data_len(raw: &RawValue, path: impl FnOnce() -> String) -> Result<(), Error> {
    let len = raw.get().len();
    if len > MAX_USER_DATA_BYTES {
        return Err(Error::invalid_field(
            path(),
            format!("is {len} bytes of JSON; at most {MAX_USER_DATA_BYTES} are allowed"),
        ));
    }
    Ok(())
}

/// User data in the fast pass ([`Fast`]'s [`UserDataMember`]): a JSON object read as
/// [`UserData`] only when its JSON text is at most [`MAX_USER_DATA_BYTES`] (a longer one fails
/// the fast pass, and the lax one refuses it naming its path). It must be read from a body held whole
/// (it borrows the member's raw text).
#[derive(Debug)]
pub struct BoundedUserData(pub UserData);

impl<'de> Deserialize<'de> for BoundedUserData {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get().len() > MAX_USER_DATA_BYTES {
            return Err(serde::de::Error::custom("user data over its bound"));
        }
        serde_json::from_str(raw.get())
            .map(BoundedUserData)
            .map_err(serde::de::Error::custom)
    }
}

/// The core's id check, for the adapters' ids that are not core ids (sip addresses, Anywhere365
/// subscription ids): plain printable ASCII is decided by bytes, anything else walks the chars.
pub use interaction_core::check_id;

/// Whether `value` is non-empty, at most `max` bytes, and printable ASCII only.
pub fn is_plain_id(value: &str, max: usize) -> bool {
    // Without a short cut, so that the loop is vectorized: `b' '..=b'~'` is `b - 0x20 < 0x5f`.
    !value.is_empty()
        && value.len() <= max
        && value
            .bytes()
            .fold(true, |plain, b| plain & (b.wrapping_sub(b' ') < 0x5f))
}

/// Whether [`printable`] gives `value` back unchanged.
fn is_printable(value: &str) -> bool {
    matches!(quote(value), Cow::Borrowed(_))
}

/// Deserializes one raw member as `T`, naming `path` in the error.
///
/// # Errors
/// [`Error::Malformed`] naming `path` when the member does not deserialize as `T` (see
/// [`de_error`]).
pub fn parse_raw<'a, T: Deserialize<'a>>(raw: &'a RawValue, path: &str) -> Result<T, Error> {
    serde_json::from_str(raw.get()).map_err(|e| de_error(path, &e))
}

/// The fast pass of a whole body: one typed pass, `None` when it fails for any reason
/// ([`read_body`] then reads it in the lax mode). The body is checked as UTF-8 first, as the
/// lax pass does (serde_json does not check the strings it skips).
pub fn typed<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Option<T> {
    let text = std::str::from_utf8(body).ok()?;
    serde_json::from_str(text).ok()
}

/// A `T` read only from a JSON object, for [`typed`] reads.
///
/// serde's derived structs also read a JSON array, member by member in declaration order,
/// which the lax read refuses (`expected a JSON object, got an array`); a derived struct
/// read through `ObjectOnly` refuses it too. Only `deserialize_struct` is changed (it asks for
/// a map); a type that asks for anything else gets what it asks for.
#[derive(Debug)]
pub struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(MapOnly(d)).map(ObjectOnly)
    }
}

/// `Deserializer` methods that take only a visitor, handed to the inner deserializer as they
/// are.
macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

/// A deserializer that reads structs as maps only (see [`ObjectOnly`]).
struct MapOnly<D>(D);

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    forward! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
        deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Reads a whole request body as one raw JSON value (syntax only; no recursion).
///
/// # Errors
/// [`Error::Malformed`] naming `what` when the body is not JSON (or not UTF-8)
/// (`Invoke body: expected value at line 1 column 1`).
pub fn parse_body<'a>(body: &'a [u8], what: &str) -> Result<&'a RawValue, Error> {
    serde_json::from_slice(body).map_err(|e| Error::malformed(format!("{what}: {e}")))
}

/// The JSON type of a raw value, read from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{...}`.
    Object,
    /// `[...]`.
    Array,
    /// `"..."`.
    String,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
    /// Anything else: a number.
    Number,
}

impl Kind {
    /// The kind of `raw` (serde_json has already checked that it is valid JSON).
    pub fn of(raw: &RawValue) -> Kind {
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
/// shortened ([`printable`]) so that a message never carries control characters or a megabyte
/// of key.
pub fn join(path: &str, name: &str) -> String {
    let name = printable(name);
    if path.is_empty() {
        name
    } else {
        format!("{path}.{name}")
    }
}

/// `value` made safe to quote in a message: the core's one escaping function
/// ([`interaction_core::text::quote`]: control, line-separator and invisible formatting
/// characters escaped, at most 64 characters, then `…`).
pub fn printable(value: &str) -> String {
    quote(value).into_owned()
}

/// [`printable`] as an [`Item`] label: held inline when it is at most 23 bytes, so a vendor
/// word or a short id costs no allocation.
pub fn label(value: &str) -> SmolStr {
    SmolStr::new(quote(value))
}

/// A serde_json error as [`Error::Malformed`] naming `path` (`{path}: {serde_json's message}`).
/// The position serde_json adds is dropped: it counts from the start of the member, not of the
/// body, and would mislead.
pub fn de_error(path: &str, e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let text = text.strip_suffix(&suffix).unwrap_or(&text);
    Error::malformed(format!("{path}: {text}"))
}

/// A JSON object's members in order, duplicates kept, each kept raw, the names borrowed from
/// the text unless they hold an escape: what an [`Object`] holds. Deserializing anything but an
/// object fails as [`Entries`] does.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MembersVisitor;

        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<MemberName<'de>>()? {
                    out.push((name.0, map.next_value()?));
                }
                Ok(Members(out))
            }
        }

        d.deserialize_map(MembersVisitor)
    }
}

/// A member name, borrowed from the text when it holds no escape (serde's own `Cow<str>` always
/// copies).
#[derive(Debug)]
pub struct MemberName<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = MemberName<'de>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<MemberName<'de>, E> {
                Ok(MemberName(Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MemberName<'de>, E> {
                Ok(MemberName(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<MemberName<'de>, E> {
                Ok(MemberName(Cow::Owned(v)))
            }
        }

        d.deserialize_str(NameVisitor)
    }
}

/// A JSON object read as its members in order, duplicates kept (where a map would keep one).
/// Deserializing anything but an object fails with serde's `invalid type: ..., expected a JSON
/// object`.
#[derive(Debug)]
pub struct Entries<V>(pub Vec<(String, V)>);

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

pub mod http;
mod member;

#[doc(hidden)]
pub use serde as __serde;

pub use member::{
    Fast, Got, Lax, ListMember, Mode, ObjectMember, RawList, RawObject, Read, Str, Strict, Text,
    UserDataMember, read_body, read_object, text, text_at,
};

#[cfg(feature = "http")]
pub use http::header_fields;
pub use http::{
    Body, Handled, IdKind, IdSource, Item, ItemEffect, JsonBody, Note, Outgoing, Path, Request,
    Response, allowed, basic_user, body_or_null, is_plain_segment,
};
/// The short text of an [`Item`]'s interaction and action: inline up to 23 bytes, a
/// `&'static str` kept as is ([`SmolStr::new_static`]); the `smol_str` crate's type.
pub use smol_str::SmolStr;

#[cfg(test)]
mod tests;

/// Variants of a JSON body for the adapters' tests of their reads (no variant panics, each is
/// decoded or refused with a message).
///
/// From `seed` (a JSON text): the seed, and for every value in it, the body with that value
/// replaced by each of a set of others (`null`, other types, empty, escaped and control-character
/// strings, a nesting deeper than the recursion limit), and for every object member the body
/// with it dropped, given twice, given again as `null`, and with its name escaped; plus the
/// seed in an array, with trailing text, cut short, and with invalid UTF-8 in a member no
/// adapter reads. Not a fuzzer: a fixed, deterministic list.
#[doc(hidden)]
pub fn variants(seed: &str) -> Vec<Vec<u8>> {
    variants::all(seed)
}

mod variants;

/// A body read by both passes' types (the fast and the lax [`Mode`] of one [`members!`] type),
/// when both read it: for the adapters' tests that the lax pass reads every variant as the
/// fast one does. `None` when the body is not UTF-8 or either type refuses it.
#[doc(hidden)]
pub fn both_passes<'a, F: Deserialize<'a>, L: Deserialize<'a>>(body: &'a [u8]) -> Option<(F, L)> {
    let text = std::str::from_utf8(body).ok()?;
    Some((
        serde_json::from_str(text).ok()?,
        serde_json::from_str(text).ok()?,
    ))
}
