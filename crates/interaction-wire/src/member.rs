//! One body type per message kind, read by a fast pass and, only when that fails, a lax one.
//!
//! A body is read by one [`members!`](crate::members) type generic over a [`Mode`], how a pass holds its
//! members:
//!
//! * [`Fast`]: each member of its type (strings without escapes as `&str`, objects and arrays
//!   of their types), in one typed pass that allocates nothing for its strings. A body of any
//!   other shape fails the pass.
//! * [`Lax`]: each member kept as raw JSON (serde_json skips a raw value without recursing and
//!   without reading its numbers or escapes), read only when the adapter asks for it, with
//!   serde_json's own message naming the member (`callId: invalid type: integer `5`, expected a
//!   string`). So the adapter's checks run in the order its documentation lists, a member an
//!   operation does not use is never type-checked (a wrong-typed `queueName` on a GWS
//!   `Accept`), and a refused body still yields the members its item's labels need.
//!
//! The adapter's one reading function is generic over the mode and takes either pass's body
//! ([`Read`]). [`read_body`] tries the fast pass first; the lax one reads every JSON object,
//! and for the rare body neither reads, `serde_path_to_error` names where it failed.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::Deref;

use interaction_core::{Error, UserData, Value};
use serde::de::{Deserialize, Deserializer, Visitor};
use serde_json::value::RawValue;

use crate::{Kind, parse_body};

/// A string member as a pass holds it: `&str` in the fast pass, raw JSON in the lax one. What
/// it gives borrows from the body (`'a`), not from the member.
pub trait Text<'a> {
    /// The string.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix` ([`text_at`]), when it is
    /// not a string (`[1].objectid: invalid type: integer `5`, expected a string`) or cannot be
    /// read (`callId: number out of range`).
    fn text(&self, prefix: &str, name: &str) -> Result<Cow<'a, str>, Error>;

    /// The string, when it is one.
    fn ok(&self) -> Option<Cow<'a, str>>;

    /// The member's JSON text, where the pass kept it (the lax one): the label of an item
    /// whose member is not a string.
    fn json(&self) -> Option<&'a str> {
        None
    }
}

impl<'a> Text<'a> for &'a str {
    fn text(&self, _prefix: &str, _name: &str) -> Result<Cow<'a, str>, Error> {
        Ok(Cow::Borrowed(*self))
    }

    fn ok(&self) -> Option<Cow<'a, str>> {
        Some(Cow::Borrowed(*self))
    }
}

impl<'a> Text<'a> for &'a RawValue {
    fn text(&self, prefix: &str, name: &str) -> Result<Cow<'a, str>, Error> {
        let raw: &'a RawValue = self;
        serde_json::from_str::<Str<'a>>(raw.get())
            .map(|Str(text)| text)
            .map_err(|e| crate::de_error(&at(prefix, name), &e))
    }

    fn ok(&self) -> Option<Cow<'a, str>> {
        let raw: &'a RawValue = self;
        serde_json::from_str::<Str<'a>>(raw.get())
            .ok()
            .map(|Str(text)| text)
    }

    fn json(&self) -> Option<&'a str> {
        let raw: &'a RawValue = self;
        Some(raw.get())
    }
}

/// A JSON string, borrowed from the text unless it holds an escape (serde's own `Cow<str>`
/// always copies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

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
pub fn text<'a, T: Text<'a>>(
    member: Option<&T>,
    name: &str,
) -> Result<Option<Cow<'a, str>>, Error> {
    text_at(member, "", name)
}

/// [`text`] of a member of a value found at `prefix` (an array's element, `[1]`; an object,
/// `from`).
///
/// # Errors
/// [`Error::Malformed`] naming `{prefix}.{name}` when the member is not a string.
pub fn text_at<'a, T: Text<'a>>(
    member: Option<&T>,
    prefix: &str,
    name: &str,
) -> Result<Option<Cow<'a, str>>, Error> {
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

/// A value a member gives: borrowed from the fast pass's body, or read from the lax pass's raw
/// member.
#[derive(Debug)]
pub enum Got<'b, T> {
    /// Held by the body.
    Ref(&'b T),
    /// Read on demand.
    Own(T),
}

impl<T> Deref for Got<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Got::Ref(t) => t,
            Got::Own(t) => t,
        }
    }
}

/// An object member as a pass holds it: [`Strict`] in the fast pass, [`RawObject`] in the lax
/// one.
pub trait ObjectMember {
    /// The object's own body type.
    type Value;

    /// The object.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix`, when it is not an object
    /// (`[0].params: expected a JSON object, got an array`).
    fn object(&self, prefix: &str, name: &str) -> Result<Got<'_, Self::Value>, Error>;

    /// The object, when it is one.
    fn ok(&self) -> Option<Got<'_, Self::Value>>;

    /// The object, taken out of the body.
    ///
    /// # Errors
    /// As [`ObjectMember::object`].
    fn into_object(self, prefix: &str, name: &str) -> Result<Self::Value, Error>;
}

/// An object member in the fast pass: a [`members!`](crate::members) type read as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Strict<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Strict)
    }
}

impl<T> ObjectMember for Strict<T> {
    type Value = T;

    fn object(&self, _prefix: &str, _name: &str) -> Result<Got<'_, T>, Error> {
        Ok(Got::Ref(&self.0))
    }

    fn ok(&self) -> Option<Got<'_, T>> {
        Some(Got::Ref(&self.0))
    }

    fn into_object(self, _prefix: &str, _name: &str) -> Result<T, Error> {
        Ok(self.0)
    }
}

/// An object member in the lax pass: its raw JSON, read as `T` (a lax [`members!`](crate::members) type, whose
/// own members stay raw) when it is asked for.
pub struct RawObject<'a, T> {
    raw: &'a RawValue,
    /// `T`'s reader, kept from when the member was read (where `T: Deserialize` is known).
    parse: fn(&'a str) -> serde_json::Result<T>,
}

impl<T> core::fmt::Debug for RawObject<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("RawObject").field(&self.raw).finish()
    }
}

impl<'de: 'a, 'a, T: Deserialize<'a>> Deserialize<'de> for RawObject<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(d).map(|raw| RawObject {
            raw,
            parse: serde_json::from_str::<T>,
        })
    }
}

impl<T> RawObject<'_, T> {
    /// The member read as `T`.
    fn read(&self, prefix: &str, name: &str) -> Result<T, Error> {
        let kind = Kind::of(self.raw);
        if kind != Kind::Object {
            return Err(Error::malformed(format!(
                "{}: expected a JSON object, got {kind}",
                at(prefix, name)
            )));
        }
        (self.parse)(self.raw.get()).map_err(|e| crate::de_error(&at(prefix, name), &e))
    }
}

impl<T> ObjectMember for RawObject<'_, T> {
    type Value = T;

    fn object(&self, prefix: &str, name: &str) -> Result<Got<'_, T>, Error> {
        self.read(prefix, name).map(Got::Own)
    }

    fn ok(&self) -> Option<Got<'_, T>> {
        self.read("", "").ok().map(Got::Own)
    }

    fn into_object(self, prefix: &str, name: &str) -> Result<T, Error> {
        self.read(prefix, name)
    }
}

/// An array member as a pass holds it: a `Vec` in the fast pass, [`RawList`] in the lax one.
pub trait ListMember {
    /// An element as the pass holds it.
    type Item;

    /// The elements.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member, `name` below `prefix`, when it is not an array
    /// (`from.groups: invalid type: map, expected a sequence`).
    fn list(&self, prefix: &str, name: &str) -> Result<Got<'_, Vec<Self::Item>>, Error>;

    /// The elements, taken out of the body.
    ///
    /// # Errors
    /// As [`ListMember::list`].
    fn into_list(self, prefix: &str, name: &str) -> Result<Vec<Self::Item>, Error>;
}

impl<T> ListMember for Vec<T> {
    type Item = T;

    fn list(&self, _prefix: &str, _name: &str) -> Result<Got<'_, Vec<T>>, Error> {
        Ok(Got::Ref(self))
    }

    fn into_list(self, _prefix: &str, _name: &str) -> Result<Vec<T>, Error> {
        Ok(self)
    }
}

/// An array member in the lax pass: its raw JSON, read as a list of `T` (each element raw in
/// turn, for a lax `T`) when it is asked for.
pub struct RawList<'a, T> {
    raw: &'a RawValue,
    /// The list's reader, kept from when the member was read.
    parse: fn(&'a str) -> serde_json::Result<Vec<T>>,
}

impl<T> core::fmt::Debug for RawList<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("RawList").field(&self.raw).finish()
    }
}

impl<'de: 'a, 'a, T: Deserialize<'a>> Deserialize<'de> for RawList<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(d).map(|raw| RawList {
            raw,
            parse: serde_json::from_str::<Vec<T>>,
        })
    }
}

impl<T> ListMember for RawList<'_, T> {
    type Item = T;

    fn list(&self, prefix: &str, name: &str) -> Result<Got<'_, Vec<T>>, Error> {
        self.read(prefix, name).map(Got::Own)
    }

    fn into_list(self, prefix: &str, name: &str) -> Result<Vec<T>, Error> {
        self.read(prefix, name)
    }
}

impl<T> RawList<'_, T> {
    /// The member read as a list.
    fn read(&self, prefix: &str, name: &str) -> Result<Vec<T>, Error> {
        (self.parse)(self.raw.get()).map_err(|e| crate::de_error(&at(prefix, name), &e))
    }
}

/// A user-data member (a JSON object of any values) as a pass holds it:
/// [`crate::BoundedUserData`] in the fast pass (at most [`crate::MAX_USER_DATA_BYTES`] of JSON,
/// or the pass fails), raw JSON in the lax one.
pub trait UserDataMember {
    /// The user data (taken out of the body).
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the member (`name` below `prefix`) when its JSON text is
    /// longer than [`crate::MAX_USER_DATA_BYTES`] (read no further); [`Error::Malformed`] naming
    /// it when it is not an object (`userData: expected a JSON object, got an array`), or naming
    /// `{member}.{key}` when a value nests deeper than serde_json's recursion limit.
    fn user_data(self, prefix: &str, name: &str) -> Result<UserData, Error>;
}

impl UserDataMember for crate::BoundedUserData {
    fn user_data(self, _prefix: &str, _name: &str) -> Result<UserData, Error> {
        Ok(self.0)
    }
}

impl UserDataMember for &RawValue {
    fn user_data(self, prefix: &str, name: &str) -> Result<UserData, Error> {
        let path = || at(prefix, name);
        crate::check_user_data_len(self, path)?;
        let kind = Kind::of(self);
        if kind != Kind::Object {
            return Err(Error::malformed(format!(
                "{}: expected a JSON object, got {kind}",
                path()
            )));
        }
        let crate::Entries(members) = crate::parse_raw::<crate::Entries<&RawValue>>(self, &path())?;
        let mut out = UserData::new();
        for (key, raw) in members {
            let value: Value = serde_json::from_str(raw.get())
                .map_err(|e| crate::de_error(&crate::join(&path(), &key), &e))?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// How a pass holds the members of a [`members!`](crate::members) body type generic over it: [`Fast`] or
/// [`Lax`].
pub trait Mode: 'static {
    /// A string member.
    type Text<'a>: Text<'a>;
    /// An object member whose own body type is `T`.
    type Object<'a, T: 'a>: ObjectMember<Value = T>;
    /// An array member of elements `T`.
    type List<'a, T: 'a>: ListMember<Item = T>;
    /// A string member whose JSON text labels an item when it is not a string.
    type Raw<'a>: Text<'a>;
    /// A user-data member.
    type UserData<'a>: UserDataMember;
}

/// The fast pass: strings without escapes, objects and arrays of their types.
#[derive(Debug)]
pub enum Fast {}

impl Mode for Fast {
    type Text<'a> = &'a str;
    type Object<'a, T: 'a> = Strict<T>;
    type List<'a, T: 'a> = Vec<T>;
    type Raw<'a> = &'a str;
    type UserData<'a> = crate::BoundedUserData;
}

/// The lax pass: every member kept as raw JSON, read when it is used.
#[derive(Debug)]
pub enum Lax {}

impl Mode for Lax {
    type Text<'a> = &'a RawValue;
    type Object<'a, T: 'a> = RawObject<'a, T>;
    type List<'a, T: 'a> = RawList<'a, T>;
    type Raw<'a> = &'a RawValue;
    type UserData<'a> = &'a RawValue;
}

/// A body read by [`read_body`]: by the fast pass or by the lax one, both the same
/// [`members!`](crate::members) type in another [`Mode`].
#[derive(Debug)]
pub enum Read<F, L> {
    /// Every member had its type.
    Fast(F),
    /// The fast pass failed: every member kept raw.
    Lax(L),
}

/// Reads a whole body as `F` (the fast pass), then, only when that fails, as `L` (the lax
/// pass), then, only when that fails too, again as `L` through `serde_path_to_error` for the
/// path of the failure.
///
/// # Errors
/// [`Error::Malformed`]:
/// * naming `what` when the body is not JSON or not UTF-8 (`event body: expected value at line
///   1 column 1`), or is not a JSON object (`event body: expected a JSON object, got an
///   array`);
/// * naming `what` for an object the lax pass cannot read either (a member name holding a lone
///   surrogate escape), or, for a lax type with a member read strictly, the member path
///   `serde_path_to_error` finds, without serde_json's position (which would count from the
///   member).
pub fn read_body<'a, F, L>(body: &'a [u8], what: &str) -> Result<Read<F, L>, Error>
where
    F: Deserialize<'a>,
    L: Deserialize<'a>,
{
    if let Some(fast) = crate::typed::<F>(body) {
        return Ok(Read::Fast(fast));
    }
    lax(parse_body(body, what)?, what, "")
}

/// [`read_body`] for a value already split out of a body, an array's element: its errors name
/// `path` (`[1]: expected a JSON object, got an array`).
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
    lax(raw, path, path)
}

/// The lax pass of [`read_body`] and [`read_object`] on `raw`, which must be an object (else an
/// error naming `what`), and the path-naming re-read when it fails (paths below `prefix`).
fn lax<'a, F, L: Deserialize<'a>>(
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
    if let Ok(lax) = serde_json::from_str::<L>(raw.get()) {
        return Ok(Read::Lax(lax));
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, L>(&mut de) {
        Ok(lax) => Ok(Read::Lax(lax)),
        Err(e) => {
            // A path with a segment serde_path_to_error could not name (`?`: a member name
            // that does not read, such as a lone surrogate escape) names the object instead.
            let named = !e
                .path()
                .iter()
                .any(|segment| matches!(segment, serde_path_to_error::Segment::Unknown));
            let path = e.path().to_string();
            let inner = e.into_inner();
            Err(match path.as_str() {
                "." | "" => crate::de_error(what, &inner),
                _ if !named => crate::de_error(what, &inner),
                path => crate::de_error(&at(prefix, &crate::printable(path)), &inner),
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
/// use interaction_wire::{Fast, Lax, Mode, Read, members, read_body, text};
///
/// members! {
///     /// An event's members, as pass `M` holds them.
///     struct Event<'a, M: Mode> {
///         "callId" => call_id: M::Text<'a>,
///     }
/// }
///
/// /// The one reading function, for either pass's body.
/// fn call_id<'a, M: Mode>(event: &Event<'a, M>) -> Result<Option<String>, interaction_core::Error> {
///     Ok(text(event.call_id.as_ref(), "callId")?.map(|c| c.into_owned()))
/// }
///
/// let read = |body: &[u8]| match read_body::<Event<'_, Fast>, Event<'_, Lax>>(body, "event body")? {
///     Read::Fast(event) => call_id(&event),
///     Read::Lax(event) => call_id(&event),
/// };
/// assert_eq!(read(br#"{"callId": "a", "callId": "b"}"#)?.as_deref(), Some("b"));
/// assert_eq!(read(br#"{"callId": "\u0061"}"#)?.as_deref(), Some("a"));
/// assert_eq!(
///     read(br#"{"callId": 5}"#).unwrap_err().to_string(),
///     "malformed input: callId: invalid type: integer `5`, expected a string"
/// );
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
            fn deserialize<__D: $crate::__serde::Deserializer<'de>>(
                d: __D,
            ) -> Result<Self, __D::Error> {
                /// Which member a name is (matched after unescaping, as a map would).
                #[allow(non_camel_case_types)]
                enum __Field {
                    $($field,)*
                    /// A member the body type does not read.
                    __Other,
                }

                impl<'de> $crate::__serde::Deserialize<'de> for __Field {
                    fn deserialize<__D: $crate::__serde::Deserializer<'de>>(
                        d: __D,
                    ) -> Result<Self, __D::Error> {
                        struct __FieldVisitor;

                        impl<'de> $crate::__serde::de::Visitor<'de> for __FieldVisitor {
                            type Value = __Field;

                            fn expecting(
                                &self,
                                f: &mut ::core::fmt::Formatter<'_>,
                            ) -> ::core::fmt::Result {
                                f.write_str("a member name")
                            }

                            #[inline]
                            fn visit_str<__E: $crate::__serde::de::Error>(
                                self,
                                name: &str,
                            ) -> Result<__Field, __E> {
                                Ok(match name {
                                    $($wire => __Field::$field,)*
                                    _ => __Field::__Other,
                                })
                            }
                        }

                        d.deserialize_identifier(__FieldVisitor)
                    }
                }

                struct __MembersVisitor<$lt $(, $param $(: $bound)?)*>(
                    ::core::marker::PhantomData<(&$lt (), $($param,)*)>,
                );

                impl<'de: $lt, $lt $(, $param $(: $bound)?)*> $crate::__serde::de::Visitor<'de>
                    for __MembersVisitor<$lt $(, $param)*>
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

                    #[inline]
                    fn visit_map<__A: $crate::__serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> Result<$name<$lt $(, $param)*>, __A::Error> {
                        $(let mut $field: Option<$ty> = None;)*
                        while let Some(field) = map.next_key::<__Field>()? {
                            match field {
                                $(__Field::$field => $field = map.next_value()?,)*
                                __Field::__Other => {
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

                d.deserialize_map(__MembersVisitor(::core::marker::PhantomData))
            }
        }
    };
}
