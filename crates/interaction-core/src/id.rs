//! Identifier newtypes.
//!
//! Every identifier the vendors send is a string (VCC `externalid`, GWS resource `id`, an
//! Anywhere365 sip address or call GUID), so each id here is a newtype over [`smol_str::SmolStr`]:
//! 24 bytes, holding up to 23 bytes inline, and a shared `Arc<str>` beyond that. Ids of the usual
//! length are created, cloned, hashed and compared without touching the heap; a longer one (a
//! 36-character GUID) is allocated once when it is made, and every clone after that (the engine
//! copies agent ids between states) is a reference-count increment, never an allocation. The newtypes keep an [`AgentId`] from ever being passed where an [`InteractionId`] is
//! wanted.
//!
//! Ids are validated when they are made with `parse`: non-empty, not only whitespace, at most
//! [`MAX_ID_LEN`] bytes, and free of control characters (so an id can be put in a log line or an
//! HTTP header unchanged). Invisible formatting characters (U+200B, U+202E, ...) are kept, as
//! the vendor sent them, and escaped wherever a person reads an id ([`crate::text::escape`]).

use smol_str::SmolStr;

use crate::error::Error;

/// The longest id, in bytes (UTF-8), that `parse` accepts.
///
/// No vendor page gives a limit; 256 bytes holds every documented id (GUIDs, sip addresses,
/// route names) with room to spare, and refuses the megabyte-long strings of a hostile input.
pub const MAX_ID_LEN: usize = 256;

/// Checks the common rules for an id-like string.
///
/// # Errors
/// [`Error::MissingField`] when `value` is empty; [`Error::InvalidField`] naming `field` when it
/// is longer than [`MAX_ID_LEN`] bytes, holds a control character, or is only whitespace.
pub fn check_id(value: &str, field: &str) -> Result<(), Error> {
    // The common case, printable ASCII, by bytes: no UTF-8 decoding, and a loop without an
    // early exit, which the compiler vectorizes (`b' '..=b'~'` is `b - 0x20 < 0x5f`); then
    // one look for a byte that is not a space (an id of spaces only is refused below).
    if !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value
            .bytes()
            .fold(true, |plain, b| plain & (b.wrapping_sub(b' ') < 0x5f))
        && value.bytes().any(|b| b != b' ')
    {
        return Ok(());
    }
    if value.is_empty() {
        return Err(Error::missing_field(field.to_owned()));
    }
    if value.len() > MAX_ID_LEN {
        return Err(Error::invalid_field(
            field.to_owned(),
            format!(
                "is {} bytes long; at most {MAX_ID_LEN} are allowed",
                value.len()
            ),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_field(
            field.to_owned(),
            "contains a control character",
        ));
    }
    if value.chars().all(char::is_whitespace) {
        return Err(Error::invalid_field(field.to_owned(), "is only whitespace"));
    }
    Ok(())
}

/// `n` in decimal, written into `buf` (20 digits hold any `usize`).
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            // `n % 10` is a digit: the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            {
                *d = b'0' + (n % 10) as u8;
            }
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(SmolStr);

        impl $name {
            /// Makes the id from `value`, checking it with [`check_id`].
            ///
            /// # Errors
            /// [`Error::MissingField`] or [`Error::InvalidField`] naming `field` (the vendor's
            /// field name, for example `externalid`), as [`check_id`] says.
            pub fn parse(value: &str, field: &str) -> Result<Self, Error> {
                check_id(value, field)?;
                Ok(Self(SmolStr::new(value)))
            }

            /// The id as text, exactly as it was given.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The id as a [`SmolStr`] that shares its text: an id of up to 23 bytes is copied
            /// inline, a longer one (an Anywhere365 call GUID) by a reference count, never by
            /// allocating again as `SmolStr::new(id.as_str())` would.
            pub fn to_smol_str(&self) -> SmolStr {
                self.0.clone()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(self.0.as_str(), f)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl core::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                self.0.as_str()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.0.as_str()
            }
        }
    };
}

string_id! {
    /// The stable id of one interaction: VCC `externalid` (Invoke) and `objectid` (callbacks), GWS
    /// resource `id`, Anywhere365 `callId`, or a VCC Calls API call id (MODEL.md section 1).
    InteractionId
}

string_id! {
    /// An agent: VCC `AgentId` (display id) or `Agent` (user name), GWS user id, Anywhere365
    /// `ImAddress` sip address (MODEL.md section 1).
    AgentId
}

string_id! {
    /// A provider registered with VCC `POST /interactions/register` (`provider`), named again in
    /// an Invoke's `provider` (vcc-interactions-register.txt, "provider. Required").
    ProviderName
}

string_id! {
    /// The name of a place where waiting work sits or is parked: a VCC named route (`route`), a
    /// GWS queue (`queueName`) or a GWS workbin (`workbin`).
    Name
}

impl Name {
    /// `no_answer`: the not-ready reason an agent is given after
    /// [`crate::EngineSettings::max_no_answer`] ring-no-answers in a row (MODEL.md section 10).
    pub const NO_ANSWER: Name = Name(SmolStr::new_static("no_answer"));
}

string_id! {
    /// An idempotency key with its scope (MODEL.md section 11): VCC `requestid` per provider,
    /// `notificationid` per account, a core record's `key`. An input carrying a key the engine
    /// has applied is a `duplicate` when it is the same request, and refused
    /// `idempotency_conflict` when it is another. Made with [`IdempotencyKey::scoped`], so that
    /// keys of different kinds or scopes never collide; [`IdempotencyKey::parse`] takes a key
    /// that is its own scope.
    IdempotencyKey
}

impl IdempotencyKey {
    /// The key `value` of kind `field` (the vendor's field name: `requestid`, `notificationid`,
    /// `key`) in `scope` (the provider or account name; `None` for the scope of requests that
    /// name none). Only `value`, what the request wrote, is checked: it must be a valid id
    /// ([`check_id`], at most [`MAX_ID_LEN`] bytes), and errors name `field`. The stored text is
    /// `{field}:{scope length}:{scope}:{value}`, unambiguous whatever the scope holds.
    ///
    /// # Errors
    /// [`Error::MissingField`] or [`Error::InvalidField`] naming `field`, as [`check_id`] says.
    pub fn scoped(field: &'static str, scope: Option<&str>, value: &str) -> Result<Self, Error> {
        check_id(value, field)?;
        let scope = scope.unwrap_or("");
        // Built on the stack when it fits (every key of checked ids does): one allocation, the
        // id's own, and none for a key of up to 23 bytes.
        let mut digits = [0u8; 20];
        let digits = decimal(scope.len(), &mut digits);
        let parts = [
            field.as_bytes(),
            b":",
            digits,
            b":",
            scope.as_bytes(),
            b":",
            value.as_bytes(),
        ];
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut buf = [0u8; 2 * MAX_ID_LEN + 64];
        if let Some(out) = buf.get_mut(..len) {
            let mut at = 0;
            for part in parts {
                if let Some(slot) = out.get_mut(at..at + part.len()) {
                    slot.copy_from_slice(part);
                }
                at += part.len();
            }
            if let Ok(text) = std::str::from_utf8(out) {
                return Ok(IdempotencyKey(SmolStr::new(text)));
            }
        }
        let text: String = parts.iter().map(|p| String::from_utf8_lossy(p)).collect();
        Ok(IdempotencyKey(SmolStr::new(text)))
    }

    /// The parts of a key made by [`IdempotencyKey::scoped`]: the field, the scope (`None` when
    /// it had none) and the key as the request wrote it; `None` for a key made by `parse`.
    pub fn parts(&self) -> Option<(&str, Option<&str>, &str)> {
        let (field, rest) = self.0.split_once(':')?;
        let (len, rest) = rest.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let scope = rest.get(..len)?;
        let value = rest.get(len..)?.strip_prefix(':')?;
        Some((field, (!scope.is_empty()).then_some(scope), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn parse_accepts_ordinary_ids_and_keeps_them_verbatim() {
        let id = InteractionId::parse("sourceObjectName", "externalid").unwrap();
        assert_eq!(id.as_str(), "sourceObjectName");
        let guid =
            InteractionId::parse("d8016173-f069-4fa4-ac3e-2a4a1bae6ea8", "objectid").unwrap();
        assert_eq!(guid.to_string(), "d8016173-f069-4fa4-ac3e-2a4a1bae6ea8");
    }

    #[test]
    fn parse_refuses_empty_long_and_control_characters_naming_the_field() {
        let empty = AgentId::parse("", "AgentId").unwrap_err();
        assert_eq!(empty.kind(), ErrorKind::MissingField);
        assert!(empty.to_string().contains("AgentId"));

        let long = "x".repeat(MAX_ID_LEN + 1);
        let err = AgentId::parse(&long, "AgentId").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidField);
        assert!(err.to_string().contains("AgentId"));
        assert!(AgentId::parse(&"x".repeat(MAX_ID_LEN), "AgentId").is_ok());

        let ctl = Name::parse("Route\r\nX-Evil: 1", "route").unwrap_err();
        assert_eq!(ctl.kind(), ErrorKind::InvalidField);
        assert!(ctl.to_string().contains("route"));
    }

    fn kind(value: &str) -> Option<ErrorKind> {
        check_id(value, "id").err().map(|e| e.kind())
    }

    /// The byte fast path and the char walk agree on every rule.
    #[test]
    fn check_id_rules() {
        assert_eq!(kind("88381694"), None);
        assert_eq!(kind("sip:alice@example.com"), None);
        assert_eq!(kind(" ~"), None, "printable ASCII bounds");
        assert_eq!(kind("Zoë 日本"), None, "printable beyond ASCII");
        assert_eq!(kind(&"a".repeat(MAX_ID_LEN)), None);
        assert_eq!(kind(""), Some(ErrorKind::MissingField));
        assert_eq!(
            kind(&"a".repeat(MAX_ID_LEN + 1)),
            Some(ErrorKind::InvalidField)
        );
        assert_eq!(
            kind(&"é".repeat(MAX_ID_LEN / 2 + 1)),
            Some(ErrorKind::InvalidField)
        );
        for control in ["a\tb", "\u{7f}", "a\nb", "\u{0}", "x\u{85}", "\u{9f}"] {
            assert_eq!(kind(control), Some(ErrorKind::InvalidField), "{control:?}");
        }
        for blank in [" ", "   ", "\u{a0}", " \u{2003} ", "\u{3000}"] {
            assert_eq!(kind(blank), Some(ErrorKind::InvalidField), "{blank:?}");
        }
        for kept in [" a", "a ", "\u{200b}x", "\u{202e}abc"] {
            assert_eq!(kind(kept), None, "{kept:?}");
        }
    }

    #[test]
    fn scoped_keys_check_only_what_the_request_wrote() {
        let max = "k".repeat(MAX_ID_LEN);
        let key = IdempotencyKey::scoped("key", None, &max).unwrap();
        assert_eq!(key.parts(), Some(("key", None, max.as_str())));
        let err = IdempotencyKey::scoped("key", None, &format!("{max}k")).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("is {} bytes long", MAX_ID_LEN + 1)),
            "{err}"
        );
        let a = IdempotencyKey::scoped("requestid", Some("a:1"), "x").unwrap();
        let b = IdempotencyKey::scoped("requestid", Some("a"), "1:x").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.parts(), Some(("requestid", Some("a:1"), "x")));
        let none = IdempotencyKey::scoped("requestid", None, "x").unwrap();
        assert_ne!(
            none,
            IdempotencyKey::scoped("notificationid", None, "x").unwrap()
        );
        assert_eq!(IdempotencyKey::parse("plain", "key").unwrap().parts(), None);
    }
}
