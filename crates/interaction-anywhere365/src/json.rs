//! Anywhere365's own addition to the JSON reading of `interaction-wire`: enumeration members
//! that come as numbers or as names.
//!
//! The vendor documents numbers (`eventType`: `3 = Hunting`) and its own command sample sends a
//! name (`'commandType' : 'AgentLogin'`), so such a member is read as a [`RawCode`] and the
//! caller decides what it means.

use interaction_core::Error;
use interaction_wire::{Kind, Object, parse_raw, printable};

use crate::wire::Code;

/// Reading an enumeration member of an [`Object`] (imported, `object.code("eventType")` reads
/// like the object's own lookups).
pub(crate) trait ReadCode {
    /// Member `name` as an enumeration value: a number or a name (the vendor's `[enum]`);
    /// `None` when absent or `null`.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the member when it is neither a number nor a string.
    fn code(&self, name: &str) -> Result<Option<RawCode>, Error>;
}

impl ReadCode for Object<'_> {
    fn code(&self, name: &str) -> Result<Option<RawCode>, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
