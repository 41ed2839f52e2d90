//! Anywhere365's own addition to the JSON reading of `interaction-wire`: enumeration members
//! that come as numbers or as names.
//!
//! The vendor documents numbers (`eventType`: `3 = Hunting`) and its own command sample sends a
//! name (`'commandType' : 'AgentLogin'`), so such a member is read by [`FastCode`] in the fast pass or kept raw in the lax one, read
//! as a [`RawCode`] by [`code`], and the caller decides what it means.

use interaction_core::Error;
use interaction_wire::{Kind, parse_raw, printable};
use serde::de::{Deserialize, Deserializer, Visitor};
use serde_json::value::RawValue;

use crate::wire::Code;

/// An enumeration member as a body type holds it: [`FastCode`] in the fast pass, raw JSON in
/// the lax one (a number that is not a non-negative integer is then kept as it was
/// written).
pub(crate) trait CodeMember {
    /// The member as a value.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `name` when it is neither a number nor a string, or is a
    /// string serde_json cannot read (a lone surrogate escape).
    fn code(&self, name: &str) -> Result<RawCode, Error>;
}

impl CodeMember for &RawValue {
    fn code(&self, name: &str) -> Result<RawCode, Error> {
        match Kind::of(self) {
            Kind::Number => Ok(match self.get().parse::<u64>() {
                Ok(n) => RawCode::Number(n),
                Err(_) => RawCode::Other(printable(self.get())),
            }),
            Kind::String => Ok(RawCode::Name(parse_raw(self, name)?)),
            kind => Err(Error::malformed(format!(
                "{name}: expected a number or a name, got {kind}"
            ))),
        }
    }
}

impl CodeMember for FastCode<'_> {
    fn code(&self, _name: &str) -> Result<RawCode, Error> {
        Ok(match self {
            FastCode::Number(n) => RawCode::Number(*n),
            FastCode::Name(name) => RawCode::Name((*name).to_owned()),
        })
    }
}

/// Enumeration member `name` of a body as a value (the vendor's `[enum]`); `None` when absent
/// or `null`.
///
/// # Errors
/// As [`CodeMember::code`].
pub(crate) fn code<C: CodeMember>(
    member: Option<&C>,
    name: &str,
) -> Result<Option<RawCode>, Error> {
    member.map(|c| c.code(name)).transpose()
}

/// An enumeration member in the fast pass: a plain non-negative integer (serde_json gives
/// `visit_u64` only for those, exactly the texts the raw read takes as [`RawCode::Number`]) or
/// a string without escapes. Anything else fails the fast pass.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FastCode<'a> {
    /// A non-negative integer.
    Number(u64),
    /// A string without escapes.
    Name(&'a str),
}

impl<'de: 'a, 'a> Deserialize<'de> for FastCode<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CodeVisitor<'a>(core::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for CodeVisitor<'a> {
            type Value = FastCode<'a>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a non-negative integer or a string")
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<FastCode<'a>, E> {
                Ok(FastCode::Number(n))
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                name: &'de str,
            ) -> Result<FastCode<'a>, E> {
                Ok(FastCode::Name(name))
            }
        }

        d.deserialize_any(CodeVisitor(core::marker::PhantomData))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_numbers_or_names() {
        let code_of = |text: &str, name: &str| {
            let raw: &RawValue = serde_json::from_str(text).unwrap();
            code(Some(&raw), name)
        };
        assert_eq!(code_of("4", "a").unwrap(), Some(RawCode::Number(4)));
        assert_eq!(
            code_of("\"Dial\"", "b").unwrap(),
            Some(RawCode::Name("Dial".into()))
        );
        assert_eq!(
            code_of("-1", "c").unwrap(),
            Some(RawCode::Other("-1".into()))
        );
        assert_eq!(code_of("1.5", "d").unwrap().unwrap().text(), "1.5");
        let err = code_of("true", "e").unwrap_err();
        assert!(
            err.to_string()
                .contains("e: expected a number or a name, got a boolean"),
            "{err}"
        );
        assert_eq!(
            code_of("99999999999999999999", "f").unwrap(),
            Some(RawCode::Other("99999999999999999999".into()))
        );
        let err = code_of("\"\\ud800\"", "g").unwrap_err();
        assert!(
            err.to_string().contains("g: unexpected end of hex escape"),
            "{err}"
        );
        assert_eq!(code::<&RawValue>(None, "zz").unwrap(), None);
    }
}
