//! The two address formats the broker uses: an agent's sip address (`ImAddress`) and a dialled
//! E.164 number (`number`).
//!
//! Source: anywhere365-cti-broker.txt, "Fire Commands" ("ImAddress – the sip address of the
//! agent Example: sip:agentname@domain.com"; "When sending the command ‘Dial’ the ‘number’
//! parameter must be in the e.164 ... format:
//! `tel:+<countryCode><nationalDestinationCode><subscriberNumber>` E.g. tel:+31880000000") and "Events" ("ImAddress The sip address of the
//! agent").

use interaction_core::{AgentId, Error};
use interaction_wire::{check_id, printable};

/// Checks that `value` is a sip address `sip:user@domain` and makes it the agent's id.
///
/// Rules: the scheme `sip:` (in any case, as RFC 3261 section 19.1.1 allows); a user part of at
/// least one character from RFC 3261's `user` set (letters, digits, `-_.!~*'()&=+$,;?/` and
/// `%` followed by two hex digits); one `@`; and a domain of dot-separated labels of letters,
/// digits and `-` (a label 1 to 63 characters, not starting or ending with `-`). No port, no URI
/// parameters. The id keeps the address exactly as it came (agents are compared verbatim).
///
/// # Errors
/// [`Error::MissingField`] naming `field` when `value` is empty; [`Error::InvalidField`] naming
/// `field` when it is longer than 256 bytes, holds a control character, or is not such an
/// address.
pub fn sip_address(value: &str, field: &'static str) -> Result<AgentId, Error> {
    check_id(value, field)?;
    let invalid = |why: &str| {
        Error::invalid_field(
            field,
            format!(
                "must be a sip address `sip:user@domain` ({why}), got `{}`",
                printable(value)
            ),
        )
    };
    let rest = match value.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("sip:") => value.get(4..).unwrap_or_default(),
        _ => return Err(invalid("no `sip:` scheme")),
    };
    let Some((user, domain)) = rest.split_once('@') else {
        return Err(invalid("no `@`"));
    };
    if user.is_empty() {
        return Err(invalid("empty user part"));
    }
    if !is_sip_user(user) {
        return Err(invalid("bad character in the user part"));
    }
    if !is_domain(domain) {
        return Err(invalid("bad domain"));
    }
    AgentId::parse(value, field)
}

/// RFC 3261 `user`: unreserved, escaped or user-unreserved characters.
fn is_sip_user(user: &str) -> bool {
    let bytes = user.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-_.!~*'()&=+$,;?/".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

/// A host name: dot-separated labels of letters, digits and hyphens.
fn is_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A telephone number in the form the broker's `Dial` command requires: `tel:+` and the E.164
/// digits (`tel:+31880000000`).
///
/// The page: "only "+" and upto 15 digits (0-9) are allowed ... format:
/// `tel:+<countryCode><nationalDestinationCode><subscriberNumber>`". Kept exactly as it came.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TelNumber(String);

impl TelNumber {
    /// Checks `value`: the scheme `tel:` (in any case, RFC 3966), then `+`, then 1 to 15 digits
    /// of which the first is not `0` (no E.164 country code starts with 0). No spaces or visual
    /// separators (`-`, `.`, `(`, `)`): the page allows only "+" and digits.
    ///
    /// # Errors
    /// [`Error::MissingField`] naming `field` when `value` is empty; [`Error::InvalidField`]
    /// naming `field` otherwise, quoting the value.
    pub fn parse(value: &str, field: &'static str) -> Result<TelNumber, Error> {
        if value.is_empty() {
            return Err(Error::missing_field(field));
        }
        let invalid = |why: &str| {
            Error::invalid_field(
                field,
                format!(
                    "must be `tel:+` followed by 1 to 15 digits (E.164, e.g. tel:+31880000000): {why}, got `{}`",
                    printable(value)
                ),
            )
        };
        let digits = match value.get(..5) {
            Some(prefix) if prefix.eq_ignore_ascii_case("tel:+") => {
                value.get(5..).unwrap_or_default()
            }
            _ => return Err(invalid("no `tel:+` prefix")),
        };
        if digits.is_empty() {
            return Err(invalid("no digits"));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("only digits may follow `+`"));
        }
        if digits.len() > 15 {
            return Err(invalid("more than 15 digits"));
        }
        if digits.starts_with('0') {
            return Err(invalid("a country code never starts with 0"));
        }
        Ok(TelNumber(value.to_owned()))
    }

    /// The number as it came, `tel:+31880000000`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The E.164 digits without `tel:+`, `31880000000`.
    pub fn digits(&self) -> &str {
        self.0.get(5..).unwrap_or_default()
    }
}

impl core::fmt::Display for TelNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    #[test]
    fn sip_addresses() {
        for ok in [
            "sip:agentname@domain.com",
            "SIP:Alice.Smith@Contoso.com",
            "sip:a@b",
            "sip:first%20last@x-y.example.org",
            "sip:+31880000000@pstn.example.com",
            "sip:12.34.56.78@10.0.0.1",
        ] {
            assert_eq!(sip_address(ok, "ImAddress").unwrap().as_str(), ok);
        }
        for bad in [
            "agentname@domain.com",
            "sips:agent@domain.com",
            "tel:+31880000000",
            "sip:",
            "sip:agent",
            "sip:@domain.com",
            "sip:agent@",
            "sip:agent@domain..com",
            "sip:agent@-domain.com",
            "sip:agent@domain.com:5061",
            "sip:agent@domain.com;transport=tls",
            "sip:a b@domain.com",
            "sip:a@b@domain.com",
            "sip:%zz@domain.com",
            "sip:é@domain.com",
            " sip:agent@domain.com",
        ] {
            let err = sip_address(bad, "ImAddress").unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidField, "{bad}");
            assert!(err.to_string().contains("`ImAddress`"), "{err}");
        }
        assert_eq!(
            sip_address("", "ImAddress").unwrap_err().kind(),
            ErrorKind::MissingField
        );
        let long = format!("sip:{}@domain.com", "a".repeat(300));
        assert!(
            sip_address(&long, "ImAddress")
                .unwrap_err()
                .to_string()
                .contains("bytes")
        );
        let ctl = sip_address("sip:a\n@domain.com", "ImAddress").unwrap_err();
        assert!(ctl.to_string().contains("control character"));
    }

    #[test]
    fn tel_numbers() {
        let n = TelNumber::parse("tel:+31880000000", "number").unwrap();
        assert_eq!(
            (n.as_str(), n.digits()),
            ("tel:+31880000000", "31880000000")
        );
        assert!(TelNumber::parse("TEL:+1", "number").is_ok());
        assert!(TelNumber::parse("tel:+123456789012345", "number").is_ok());
        for bad in [
            "+31880000000",
            "31880000000",
            "tel:31880000000",
            "tel:+",
            "tel:+1234567890123456",
            "tel:+31 88 000 0000",
            "tel:+31-88-000-0000",
            "tel:+0031880000000",
            "tel:+3188000000a",
            "tel:+٣١",
            "sip:+31880000000@domain.com",
        ] {
            let err = TelNumber::parse(bad, "number").unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidField, "{bad}");
            assert!(err.to_string().contains("`number`"), "{err}");
        }
        assert_eq!(
            TelNumber::parse("", "number").unwrap_err().kind(),
            ErrorKind::MissingField
        );
    }
}
