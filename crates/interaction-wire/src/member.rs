//! Members read in one typed pass whose JSON type is checked only when the member is used.
//!
//! A body is read by one borrowed serde type ([`read_body`]). Its members are [`Lenient`]: a
//! member of the wrong JSON type does not fail the pass, it is kept as what was [`Found`] and
//! refused only when the adapter asks for it, with the message serde_json would give
//! (`callId: invalid type: integer `5`, expected a string`). So the adapter's checks run in the
//! order its documentation lists, a member an operation does not use is never type-checked,
//! and a refused body still yields the members it needs for the item's labels. Only what no
//! member can survive (text that is not JSON, a body that is not an object, a duplicate member
//! name, a nested member a derived type refuses) fails the pass; the body is then read again
//! with `serde_path_to_error` for the path of the failure.

use std::borrow::Cow;
use std::marker::PhantomData;

use interaction_core::Error;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::value::RawValue;

use crate::{Kind, parse_body};

/// What a [`Lenient`] member held when it was not of the type asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer.
    Signed(i64),
    /// Any other number, as serde_json reads it (an integer beyond 64 bits included).
    Float(f64),
    /// A string, as it read (for the message, as serde_json words it: `string "s"`).
    Str(String),
    /// An array.
    Seq,
    /// An object.
    Map,
    /// `null` where no `Option` took it.
    Null,
}

impl Found {
    /// The JSON type, for messages in [`Kind`]'s words (`got an array`).
    pub fn kind(&self) -> Kind {
        match self {
            Found::Bool(_) => Kind::Boolean,
            Found::Unsigned(_) | Found::Signed(_) | Found::Float(_) => Kind::Number,
            Found::Str(_) => Kind::String,
            Found::Seq => Kind::Array,
            Found::Map => Kind::Object,
            Found::Null => Kind::Null,
        }
    }

    /// serde's description of the value (`integer `5``), as serde_json's own type errors say it.
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Found::Bool(b) => Unexpected::Bool(*b),
            Found::Unsigned(n) => Unexpected::Unsigned(*n),
            Found::Signed(n) => Unexpected::Signed(*n),
            Found::Float(f) => Unexpected::Float(*f),
            Found::Str(text) => Unexpected::Str(text),
            Found::Seq => Unexpected::Seq,
            Found::Map => Unexpected::Map,
            Found::Null => Unexpected::Unit,
        }
    }

    /// [`Error::Malformed`] naming `path`: serde_json's words for a value of the wrong type
    /// (`{path}: invalid type: integer `5`, expected {expected}`).
    pub fn invalid_type(&self, path: &str, expected: &str) -> Error {
        let e = <serde_json::Error as serde::de::Error>::invalid_type(self.unexpected(), &expected);
        Error::malformed(format!("{path}: {e}"))
    }
}

/// What a [`Lenient`] member may be: which JSON values make one, the others being [`Found`].
/// Each method gets one kind of value; the defaults refuse it (an array or an object is read
/// to its end, without recursion, and dropped).
pub trait Shape<'de>: Sized {
    /// What the shape is, for serde's messages (`a string`).
    const EXPECTING: &'static str;

    /// A string, borrowed from the body when it holds no escape.
    ///
    /// # Errors
    /// [`Found::Str`] when the shape takes no string (the default).
    fn from_str(text: Cow<'de, str>) -> Result<Self, Found> {
        Err(Found::Str(text.into_owned()))
    }

    /// A non-negative integer.
    ///
    /// # Errors
    /// [`Found::Unsigned`] when the shape takes no number (the default).
    fn from_u64(n: u64) -> Result<Self, Found> {
        Err(Found::Unsigned(n))
    }

    /// An object.
    ///
    /// # Errors
    /// The deserializer's, when the object's text is not JSON or a member the shape reads
    /// strictly fails.
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Result<Self, Found>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Found::Map))
    }

    /// An array.
    ///
    /// # Errors
    /// The deserializer's, when the array's text is not JSON or an element the shape reads
    /// strictly fails.
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Result<Self, Found>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Found::Seq))
    }
}

/// A member whose JSON type is checked when it is used: the value when it has [`Shape`] `T`,
/// else what was found. Use it as `Option<Lenient<T>>` with `#[serde(default)]`: absent and
/// `null` read as `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lenient<T>(pub Result<T, Found>);

impl<'de, T: Shape<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor(PhantomData))
    }
}

/// Reads any JSON value as a [`Lenient`].
struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Shape<'de>> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Lenient<T>, E> {
        Ok(Lenient(Err(Found::Bool(v))))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_u64(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Lenient<T>, E> {
        Ok(Lenient(Err(Found::Signed(v))))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Lenient<T>, E> {
        Ok(Lenient(Err(Found::Float(v))))
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_str(Cow::Borrowed(v))))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_str(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_str(Cow::Owned(v))))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient(Err(Found::Null)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Lenient<T>, A::Error> {
        T::from_seq(seq).map(Lenient)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<T>, A::Error> {
        T::from_map(map).map(Lenient)
    }
}

/// A string member: borrowed from the body unless it holds an escape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Shape<'de> for Str<'a> {
    const EXPECTING: &'static str = "a string";

    fn from_str(text: Cow<'de, str>) -> Result<Self, Found> {
        Ok(Str(text))
    }
}

/// An object member read as the derived type `T`, whose own members are read as `T` says (a
/// strict member that fails, fails the whole pass).
#[derive(Debug, Clone, PartialEq)]
pub struct Nested<T>(pub T);

impl<'de, T: Deserialize<'de>> Shape<'de> for Nested<T> {
    const EXPECTING: &'static str = "a JSON object";

    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Result<Self, Found>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|t| Ok(Nested(t)))
    }
}

/// A string member as a body type holds it: `&str` in the fast pass (a string without
/// escapes, or the pass fails), [`Lenient`]`<`[`Str`]`>` in the lenient one, or raw JSON where
/// the adapter also needs the text of a value of the wrong type (for a label).
pub trait Text {
    /// The string.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix` ([`at`]), when it is not
    /// a string (`[1].objectid: invalid type: integer `5`, expected a string`).
    fn text(&self, prefix: &str, name: &str) -> Result<Cow<'_, str>, Error>;

    /// The string, when it is one.
    fn ok(&self) -> Option<Cow<'_, str>>;
}

impl Text for &str {
    fn text(&self, _prefix: &str, _name: &str) -> Result<Cow<'_, str>, Error> {
        Ok(Cow::Borrowed(self))
    }

    fn ok(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl Text for Lenient<Str<'_>> {
    fn text(&self, prefix: &str, name: &str) -> Result<Cow<'_, str>, Error> {
        match &self.0 {
            Ok(Str(text)) => Ok(Cow::Borrowed(text)),
            Err(found) => Err(found.invalid_type(&at(prefix, name), "a string")),
        }
    }

    fn ok(&self) -> Option<Cow<'_, str>> {
        self.0
            .as_ref()
            .ok()
            .map(|Str(text)| Cow::Borrowed(text.as_ref()))
    }
}

impl Text for &RawValue {
    fn text(&self, prefix: &str, name: &str) -> Result<Cow<'_, str>, Error> {
        serde_json::from_str::<Str<'_>>(self.get())
            .map(|Str(text)| text)
            .map_err(|e| crate::de_error(&at(prefix, name), &e))
    }

    fn ok(&self) -> Option<Cow<'_, str>> {
        serde_json::from_str::<Str<'_>>(self.get())
            .ok()
            .map(|Str(text)| text)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor<'a>(PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for StrVisitor<'a> {
            type Value = Str<'a>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }

        d.deserialize_str(StrVisitor(PhantomData))
    }
}

/// String member `name` of a body, `None` when absent or `null`: [`Text::text`] of an optional
/// member.
///
/// # Errors
/// [`Error::Malformed`] naming `name` when the member is not a string.
pub fn text<'b, T: Text>(member: Option<&'b T>, name: &str) -> Result<Option<Cow<'b, str>>, Error> {
    text_at(member, "", name)
}

/// [`text`] of a member of a value found at `prefix` (an array's element, `[1]`).
///
/// # Errors
/// [`Error::Malformed`] naming `{prefix}.{name}` when the member is not a string.
pub fn text_at<'b, T: Text>(
    member: Option<&'b T>,
    prefix: &str,
    name: &str,
) -> Result<Option<Cow<'b, str>>, Error> {
    member.map(|m| m.text(prefix, name)).transpose()
}

/// The path of member `name` below `prefix`, for a message: `{prefix}.{name}`, or `name` when
/// `prefix` is empty.
fn at(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// An object member as a body type holds it: [`Strict`] in the fast pass (an object, or the
/// pass fails), [`Lenient`]`<`[`Nested`]`>` in the lenient one.
pub trait ObjectMember {
    /// The object's own body type.
    type Value;

    /// The object.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix`, when it is not an object
    /// (`[0].params: expected a JSON object, got an array`).
    fn object(&self, prefix: &str, name: &str) -> Result<&Self::Value, Error>;

    /// The object, when it is one.
    fn ok(&self) -> Option<&Self::Value>;
}

/// An object member in the fast pass: a [`members!`] type read as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Strict<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Strict)
    }
}

impl<T> ObjectMember for Strict<T> {
    type Value = T;

    fn object(&self, _prefix: &str, _name: &str) -> Result<&T, Error> {
        Ok(&self.0)
    }

    fn ok(&self) -> Option<&T> {
        Some(&self.0)
    }
}

impl<T> ObjectMember for Lenient<Nested<T>> {
    type Value = T;

    fn object(&self, prefix: &str, name: &str) -> Result<&T, Error> {
        match &self.0 {
            Ok(Nested(t)) => Ok(t),
            Err(found) => Err(Error::malformed(format!(
                "{}: expected a JSON object, got {}",
                at(prefix, name),
                found.kind()
            ))),
        }
    }

    fn ok(&self) -> Option<&T> {
        self.0.as_ref().ok().map(|Nested(t)| t)
    }
}

/// A body read by [`read_body`]: by the fast pass or by the lenient one. Both are the same body
/// type (a [`members!`] struct generic over how its members are held), so the adapter's one
/// reading function, generic over that, takes either.
#[derive(Debug)]
pub enum Read<F, L> {
    /// Every member had its type: strings without escapes, the body's own types.
    Fast(F),
    /// Some member did not: members of the wrong type kept as [`Found`], refused only when
    /// used.
    Lenient(L),
}

/// An array member read as a list of `T` (each element read as `T` says).
#[derive(Debug, Clone, PartialEq)]
pub struct Items<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Shape<'de> for Items<T> {
    const EXPECTING: &'static str = "a sequence";

    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Result<Self, Found>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ok(Items(items)))
    }
}

/// An array member as a body type holds it: a `Vec` in the fast pass, [`Lenient`]`<`[`Items`]`>`
/// in the lenient one.
pub trait ListMember {
    /// An element as the pass holds it.
    type Item;

    /// The elements.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix`, when it is not an array
    /// (`from.groups: invalid type: map, expected a sequence`).
    fn list(&self, prefix: &str, name: &str) -> Result<&[Self::Item], Error>;
}

impl<T> ListMember for Vec<T> {
    type Item = T;

    fn list(&self, _prefix: &str, _name: &str) -> Result<&[T], Error> {
        Ok(self)
    }
}

impl<T> ListMember for Lenient<Items<T>> {
    type Item = T;

    fn list(&self, prefix: &str, name: &str) -> Result<&[T], Error> {
        match &self.0 {
            Ok(Items(items)) => Ok(items),
            Err(found) => Err(found.invalid_type(&at(prefix, name), "a sequence")),
        }
    }
}

/// How a pass holds the members of a [`members!`] body type that is generic over it: [`Fast`]
/// (each member of its type, or the pass fails) or [`Lax`] (each member kept, its type checked
/// when it is used).
pub trait Mode {
    /// A string member.
    type Text<'a>: Text;
    /// An object member whose own body type is `T`.
    type Object<T>: ObjectMember<Value = T>;
    /// An array member of elements `T`.
    type List<T>: ListMember<Item = T>;
}

/// The fast pass: strings without escapes, objects and arrays of their types.
#[derive(Debug)]
pub enum Fast {}

impl Mode for Fast {
    type Text<'a> = &'a str;
    type Object<T> = Strict<T>;
    type List<T> = Vec<T>;
}

/// The lenient pass: every member kept, its JSON type checked when it is used.
#[derive(Debug)]
pub enum Lax {}

impl Mode for Lax {
    type Text<'a> = Lenient<Str<'a>>;
    type Object<T> = Lenient<Nested<T>>;
    type List<T> = Lenient<Items<T>>;
}

/// Reads a whole body as `F`, then, only when that fails, as `L`, then, only when that fails
/// too, again as `L` through `serde_path_to_error` for the path of the failure.
///
/// `F` and `L` are one [`members!`] body type: `F` holding its members strictly (`&str`), `L`
/// leniently ([`Lenient`]), so `L` reads every body `F` reads, to the same values, and more
/// (escaped strings, members of the wrong JSON type). A well-formed body costs one typed pass
/// and allocates nothing for its members.
///
/// # Errors
/// [`Error::Malformed`]:
/// * naming `what` when the body is not JSON or not UTF-8 (`event body: expected value at line
///   1 column 1`), or is not a JSON object (`event body: expected a JSON object, got an
///   array`);
/// * naming the member path `serde_path_to_error` finds, without serde_json's position (which
///   would count from the member): `callId: number out of range` for a number serde_json
///   cannot hold, `[0].params.Agent: ...` for a nested member a body type reads strictly.
pub fn read_body<'a, F, L>(body: &'a [u8], what: &str) -> Result<Read<F, L>, Error>
where
    F: Deserialize<'a>,
    L: Deserialize<'a>,
{
    if let Some(fast) = crate::typed::<F>(body) {
        return Ok(Read::Fast(fast));
    }
    lenient(parse_body(body, what)?, what, "")
}

/// [`read_body`] for a value already split out of a body, an array's element: its errors name
/// `path` (`[1]: expected a JSON object, got an array`, `[1].objectid: ...`).
///
/// # Errors
/// [`Error::Malformed`] naming `path` when `raw` is not a JSON object, or naming the member
/// path below it that `serde_path_to_error` finds.
pub fn read_object<'a, F, L>(raw: &'a RawValue, path: &str) -> Result<Read<F, L>, Error>
where
    F: Deserialize<'a>,
    L: Deserialize<'a>,
{
    if let Ok(fast) = serde_json::from_str::<F>(raw.get()) {
        return Ok(Read::Fast(fast));
    }
    lenient(raw, path, path)
}

/// The lenient pass of [`read_body`] and [`read_object`] on `raw`, which must be an object
/// (else an error naming `what`), and the path-naming re-read when it fails (paths below
/// `prefix`).
fn lenient<'a, F, L: Deserialize<'a>>(
    raw: &'a RawValue,
    what: &str,
    prefix: &str,
) -> Result<Read<F, L>, Error> {
    let kind = Kind::of(raw);
    if kind != Kind::Object {
        return Err(Error::malformed(format!(
            "{what}: expected a JSON object, got {kind}"
        )));
    }
    if let Ok(lenient) = serde_json::from_str::<L>(raw.get()) {
        return Ok(Read::Lenient(lenient));
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, L>(&mut de) {
        Ok(lenient) => Ok(Read::Lenient(lenient)),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Err(match path.as_str() {
                "." | "" => crate::de_error(what, &inner),
                path if prefix.is_empty() => crate::de_error(&crate::printable(path), &inner),
                path => crate::de_error(&format!("{prefix}.{}", crate::printable(path)), &inner),
            })
        }
    }
}

/// Defines a body type for [`read_body`]: a struct of optional members and its `Deserialize`,
/// which reads a JSON object only (not an array, as serde's derive would), ignores unknown
/// members, and keeps the last of duplicate members (RFC 8259 section 4: "Many implementations
/// report the last name/value pair only"; serde's derive refuses them). A member given as
/// `null` reads as `None`, also over an earlier value, so `null` is absent wherever it comes.
///
/// ```
/// use interaction_wire::{Lenient, Read, Str, members, read_body};
///
/// members! {
///     /// An event's members, `S` a string member as the pass holds it.
///     struct Event<'a, S> {
///         "callId" => call_id: S,
///     }
/// }
///
/// let body = br#"{"callId": "a", "callId": "b"}"#;
/// let Read::Fast(event) = read_body::<Event<'_, &str>, Event<'_, Lenient<Str<'_>>>>(body, "event body")? else {
///     unreachable!("plain strings read in the fast pass");
/// };
/// assert_eq!(event.call_id, Some("b"));
/// # Ok::<(), interaction_core::Error>(())
/// ```
#[macro_export]
macro_rules! members {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<$lt:lifetime $(, $param:ident $(: $bound:path)?)*> {
            $($(#[$field_meta:meta])* $wire:literal => $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name<$lt $(, $param $(: $bound)?)*> {
            $($(#[$field_meta])* $field: Option<$ty>,)*
            /// The body the members borrow from.
            __body: ::core::marker::PhantomData<&$lt ()>,
        }

        impl<'de: $lt, $lt $(, $param $(: $bound)?)*> $crate::__serde::Deserialize<'de>
            for $name<$lt $(, $param)*>
        where
            $(Option<$ty>: $crate::__serde::Deserialize<'de>,)*
        {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                /// Which member a name is (matched after unescaping, as a map would).
                #[allow(non_camel_case_types)]
                enum Field {
                    $($field,)*
                    /// A member the body type does not read.
                    __Other,
                }

                impl<'de> $crate::__serde::Deserialize<'de> for Field {
                    fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                        d: D,
                    ) -> Result<Self, D::Error> {
                        struct FieldVisitor;

                        impl<'de> $crate::__serde::de::Visitor<'de> for FieldVisitor {
                            type Value = Field;

                            fn expecting(
                                &self,
                                f: &mut ::core::fmt::Formatter<'_>,
                            ) -> ::core::fmt::Result {
                                f.write_str("a member name")
                            }

                            fn visit_str<E: $crate::__serde::de::Error>(
                                self,
                                name: &str,
                            ) -> Result<Field, E> {
                                Ok(match name {
                                    $($wire => Field::$field,)*
                                    _ => Field::__Other,
                                })
                            }
                        }

                        d.deserialize_identifier(FieldVisitor)
                    }
                }

                struct MembersVisitor<$lt $(, $param $(: $bound)?)*>(
                    ::core::marker::PhantomData<(&$lt (), $($param,)*)>,
                );

                impl<'de: $lt, $lt $(, $param $(: $bound)?)*> $crate::__serde::de::Visitor<'de>
                    for MembersVisitor<$lt $(, $param)*>
                where
                    $(Option<$ty>: $crate::__serde::Deserialize<'de>,)*
                {
                    type Value = $name<$lt $(, $param)*>;

                    fn expecting(
                        &self,
                        f: &mut ::core::fmt::Formatter<'_>,
                    ) -> ::core::fmt::Result {
                        f.write_str("a JSON object")
                    }

                    fn visit_map<A: $crate::__serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name<$lt $(, $param)*>, A::Error> {
                        $(let mut $field: Option<$ty> = None;)*
                        while let Some(field) = map.next_key::<Field>()? {
                            match field {
                                $(Field::$field => $field = map.next_value()?,)*
                                Field::__Other => {
                                    map.next_value::<$crate::__serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $($field,)*
                            __body: ::core::marker::PhantomData,
                        })
                    }
                }

                d.deserialize_map(MembersVisitor(::core::marker::PhantomData))
            }
        }
    };
}
