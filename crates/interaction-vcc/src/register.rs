//! `POST /interactions/register`: a provider's name and validated settings.
//!
//! Source: vcc-interactions-register.txt ("Register provider settings", "Example body" and the
//! three "Registering a provider ..." examples); rules: MODEL.md sections 4 and 6.

use interaction_core::{Error, Permission, Permissions, ProviderName, ProviderSettings};
use interaction_wire::{Kind, Object, join, parse_raw, printable};

use crate::wire;

/// The longest `endpoint` accepted, in bytes. The page gives no limit; 2048 is the longest URL
/// that every common HTTP stack accepts.
const MAX_ENDPOINT_LEN: usize = 2048;

/// Decodes and validates a `POST /interactions/register` body: the provider's name and settings,
/// ready for [`interaction_core::Engine::register_provider`] (an upsert).
///
/// Shape: `{"provider": string, "endpoint"?: "https://...", "headers"?: {name: string, ...},
/// "agentactionspermitted"?: {"release"|"hold"|"transferToAgent"|"transferToRoute": 0|1, ...}}`
/// (vcc-interactions-register.txt, "Example body"). Unknown members are ignored. Headers keep the
/// order they came in; a permission named twice takes its last value.
///
/// `agentactionspermitted` is marked Required on the page, but the page's own example
/// "Registering a provider with a callback endpoint" omits it; such a body is accepted and gets
/// [`Permissions::defaults`] (only `release` allowed: "Unless specified, all operations—other than
/// the release operation—are not allowed").
///
/// # Errors
/// * [`Error::Malformed`]: the body is not JSON or not an object, or `provider`, `endpoint`,
///   `headers` or `agentactionspermitted` has the wrong JSON type (naming it);
/// * [`Error::MissingField`] `provider`: absent, `null` or empty;
/// * [`Error::InvalidField`] `provider`: over 256 bytes or holding a control character;
/// * [`Error::InvalidField`] `endpoint`: not an absolute `https://` URL with a host (also: longer
///   than 2048 bytes, holding whitespace or control characters, carrying `user@` credentials, or
///   with a port outside 1..=65535);
/// * [`Error::InvalidField`] `headers.<name>`: a value that is not a string or holds CR, LF or
///   NUL, or a name that is not an HTTP token (RFC 9110 section 5.6.2 `tchar`s);
/// * [`Error::Unsupported`] `agentactionspermitted operation`: a key other than `release`,
///   `hold`, `transferToAgent`, `transferToRoute` (case-sensitive, as the page spells them);
/// * [`Error::InvalidField`] `agentactionspermitted.<key>`: a value other than the numbers 0 or 1.
pub fn decode_register(body: &[u8]) -> Result<(ProviderName, ProviderSettings), Error> {
    const WHAT: &str = "register body";
    let body = Object::body(body, WHAT)?;
    settings(&read_registration(&body)?)
}

/// Reads the body into its wire form: JSON types, and the two maps' members one by one.
fn read_registration(body: &Object<'_>) -> Result<wire::Registration, Error> {
    let provider = body
        .get::<String>("provider")?
        .ok_or_else(|| Error::missing_field("provider"))?;
    let endpoint = body.get::<String>("endpoint")?;
    let headers = body
        .object("headers")?
        .map(|headers| {
            headers
                .members()
                .map(|(name, raw)| {
                    let kind = Kind::of(raw);
                    if kind != Kind::String {
                        return Err(Error::invalid_field(
                            join("headers", name),
                            format!("must be a string, got {kind}"),
                        ));
                    }
                    Ok((name.to_owned(), parse_raw(raw, &headers.path_of(name))?))
                })
                .collect::<Result<Vec<_>, Error>>()
        })
        .transpose()?;
    let agentactionspermitted = body
        .object("agentactionspermitted")?
        .map(|permitted| {
            permitted
                .members()
                .map(|(key, raw)| {
                    permission(key)?;
                    let value = serde_json::from_str::<u8>(raw.get())
                        .map_err(|_| not_zero_or_one(key, raw.get()))?;
                    Ok((key.to_owned(), value))
                })
                .collect::<Result<Vec<_>, Error>>()
        })
        .transpose()?;
    Ok(wire::Registration {
        provider,
        endpoint,
        headers,
        agentactionspermitted,
    })
}

/// Applies the Register rules (MODEL.md section 6) to a wire registration.
fn settings(registration: &wire::Registration) -> Result<(ProviderName, ProviderSettings), Error> {
    let provider = ProviderName::parse(&registration.provider, "provider")?;
    if let Some(endpoint) = &registration.endpoint {
        check_endpoint(endpoint)?;
    }
    let headers = registration.headers.clone().unwrap_or_default();
    for (name, value) in &headers {
        check_header(name, value)?;
    }
    let mut permissions = Permissions::defaults();
    for (key, value) in registration.agentactionspermitted.iter().flatten() {
        let allowed = match value {
            0 => false,
            1 => true,
            other => return Err(not_zero_or_one(key, &other.to_string())),
        };
        permissions = permissions.with(permission(key)?, allowed);
    }
    Ok((
        provider,
        ProviderSettings {
            endpoint: registration.endpoint.clone(),
            headers,
            permissions,
        },
    ))
}

/// The permission an `agentactionspermitted` key names.
fn permission(key: &str) -> Result<Permission, Error> {
    Permission::from_key(key)
        .ok_or_else(|| Error::unsupported("agentactionspermitted operation", printable(key)))
}

fn not_zero_or_one(key: &str, got: &str) -> Error {
    Error::invalid_field(
        join("agentactionspermitted", key),
        format!("must be 0 or 1, got {}", printable(got)),
    )
}

/// Checks that `url` is an absolute `https://` URL with a host (RFC 3986 authority: a reg-name
/// or bracketed IP literal, optional port; no userinfo).
fn check_endpoint(url: &str) -> Result<(), Error> {
    let bad = |reason: String| Error::invalid_field("endpoint", reason);
    if url.len() > MAX_ENDPOINT_LEN {
        return Err(bad(format!(
            "is {} bytes long; at most {MAX_ENDPOINT_LEN} are allowed",
            url.len()
        )));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("contains whitespace or a control character".into()));
    }
    let scheme_len = "https://".len();
    let rest = match (url.get(..scheme_len), url.get(scheme_len..)) {
        (Some(scheme), Some(rest)) if scheme.eq_ignore_ascii_case("https://") => rest,
        _ => {
            return Err(bad(format!(
                "must be an absolute https:// URL, got `{}`",
                printable(url)
            )));
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad(
            "must not carry credentials (`user@`); send them in `headers`".into(),
        ));
    }
    let (host, port) = if let Some(literal) = authority.strip_prefix('[') {
        let Some((ip, after)) = literal.split_once(']') else {
            return Err(bad("has an unclosed [IP literal] host".into()));
        };
        if !is_ip_literal(ip) {
            return Err(bad("has a malformed [IP literal] host".into()));
        }
        let port = if after.is_empty() {
            None
        } else {
            Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| bad("has text after the [IP literal] host".into()))?,
            )
        };
        (ip, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if !host.bytes().all(is_reg_name_byte) {
            return Err(bad(format!(
                "host `{}` holds a character not allowed in a host name",
                printable(host)
            )));
        }
        (host, port)
    };
    if host.is_empty() {
        return Err(bad("must name a host (`https://host/...`)".into()));
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => {
                return Err(bad(format!(
                    "port `{}` must be a number from 1 to 65535",
                    printable(port)
                )));
            }
        }
    }
    Ok(())
}

/// RFC 3986 reg-name bytes: unreserved, `%` (pct-encoded) and sub-delims. Non-ASCII hosts must
/// be sent in their IDNA (`xn--`) form.
fn is_reg_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b)
}

/// The inside of an `[IP literal]`: hex digits, `:` and `.` (IPv6, with an embedded IPv4).
fn is_ip_literal(ip: &str) -> bool {
    ip.contains(':')
        && ip
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
}

/// Checks one notification header: the name an RFC 9110 token, the value free of CR, LF and NUL
/// (RFC 9110 section 5.5: a field value never holds them; they would split the request).
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let field = || join("headers", name);
    if name.is_empty() {
        return Err(Error::invalid_field(
            field(),
            "a header name may not be empty",
        ));
    }
    if !name.bytes().all(is_tchar) {
        return Err(Error::invalid_field(
            field(),
            "the name is not an HTTP token (RFC 9110 section 5.6.2)",
        ));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(Error::invalid_field(
            field(),
            "the value may not hold CR, LF or NUL",
        ));
    }
    Ok(())
}

/// RFC 9110 section 5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    #[test]
    fn endpoints() {
        for ok in [
            "https://endpoint.example.com/routingendpoint",
            "HTTPS://example.com",
            "https://example.com:8443/a?b=c#d",
            "https://[2001:db8::1]:443/x",
            "https://10.0.0.1/",
        ] {
            assert_eq!(check_endpoint(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.com/",
            "https://",
            "https:///path",
            "https://:443/",
            "example.com/x",
            "/relative",
            "https://user:pw@example.com/",
            "https://exa mple.com/",
            "https://example.com:0/",
            "https://example.com:99999/",
            "https://example.com:80a/",
            "https://example.com:/",
            "https://[::1/",
            "https://[zz]/",
            "https://[::1]x/",
            "https://exa<mple.com/",
            "https://example.com/\r\nX: y",
        ] {
            let err = check_endpoint(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidField, "{bad}");
            assert!(err.to_string().contains("`endpoint`"), "{err}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_ENDPOINT_LEN));
        assert!(check_endpoint(&long).is_err());
    }

    #[test]
    fn headers() {
        assert_eq!(check_header("Authorization", "Basic <token>"), Ok(()));
        assert_eq!(check_header("x-header1", "value1"), Ok(()));
        for (name, value) in [
            ("", "v"),
            ("X Bad", "v"),
            ("X:Bad", "v"),
            ("X-Ok", "a\r\nb"),
            ("X-Ok", "a\nb"),
            ("X-Ok", "a\0b"),
        ] {
            let err = check_header(name, value).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidField);
            assert!(err.to_string().contains("headers."), "{err}");
        }
    }
}
