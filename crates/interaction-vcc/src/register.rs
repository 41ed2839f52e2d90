//! `POST /interactions/register`: a provider's name and validated settings.
//!
//! Source: vcc-interactions-register.txt ("Register provider settings", "Example body" and the
//! three "Registering a provider ..." examples); rules: MODEL.md sections 4 and 6.

use interaction_core::{Error, Permission, Permissions, ProviderName, ProviderSettings};
use std::borrow::Cow;

use interaction_wire::{
    Entries, Kind, ObjectMember, RawObject, Read, join, members, parse_raw, printable, text,
};
use serde_json::value::RawValue;

use crate::wire;

/// The longest `endpoint` accepted, in bytes. The page gives no limit; 2048 is the longest URL
/// that every common HTTP stack accepts.
const MAX_ENDPOINT_LEN: usize = 2048;

/// The most notification headers a provider may register. The page gives no limit (its
/// examples register one or two); every header is sent with every notification.
pub const MAX_HEADERS: usize = 32;

/// The longest header name accepted, in bytes.
pub const MAX_HEADER_NAME_LEN: usize = 128;

/// The longest header value accepted, in bytes (room for a bearer token or a signed JWT).
pub const MAX_HEADER_VALUE_LEN: usize = 8 * 1024;

/// The most bytes of header names and values together.
pub const MAX_HEADERS_LEN: usize = 16 * 1024;

/// Headers the notification request's HTTP client sets itself, refused in `headers`
/// (case-insensitively): the framing and hop-by-hop headers (RFC 9112 section 6, RFC 9110
/// section 7.6.1), `Host`, and the body's `Content-Type` / `Content-Encoding` (the callback is
/// JSON, as the gateway sends it). A registered one would smuggle a second request into the
/// connection or contradict the body.
pub const CLIENT_HEADERS: [&str; 14] = [
    "Host",
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Keep-Alive",
    "Proxy-Connection",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "TE",
    "Trailer",
    "Upgrade",
    "Expect",
    "Content-Type",
    "Content-Encoding",
];

/// What a Register may name as its notification endpoint (docs/vcc.md, "Register policy").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RegisterPolicy {
    /// Accept endpoints whose host is, by its literal, a non-public address: loopback
    /// (`127.0.0.0/8`, `::1`, `localhost`), link-local (`169.254.0.0/16`, `fe80::/10`), private
    /// (`10/8`, `172.16/12`, `192.168/16`, `fc00::/7`), shared, reserved, documentation and
    /// multicast ranges, and IPv6 literals that embed such an IPv4 address (`::ffff:a.b.c.d`,
    /// NAT64, 6to4). Off by default (a provider must not make the platform call into its own
    /// network: SSRF); on for tests with a receiver on loopback, or a deployment whose providers
    /// live on a private network.
    pub allow_private_endpoints: bool,
}

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
///   than 2048 bytes, holding whitespace or control characters, carrying `user@` credentials,
///   with a port outside 1..=65535, or whose host is by its literal a non-public address
///   unless [`RegisterPolicy::allow_private_endpoints`]);
/// * [`Error::InvalidField`] `headers.<name>`: a value that is not a string or holds CR, LF or
///   NUL, a name that is not an HTTP token (RFC 9110 section 5.6.2 `tchar`s), a name an HTTP
///   client sets itself ([`CLIENT_HEADERS`]), the same name twice in any case, a name over
///   [`MAX_HEADER_NAME_LEN`] or a value over [`MAX_HEADER_VALUE_LEN`] bytes;
/// * [`Error::InvalidField`] `headers`: more than [`MAX_HEADERS`], or more than
///   [`MAX_HEADERS_LEN`] bytes of names and values;
/// * [`Error::Unsupported`] `agentactionspermitted operation`: a key other than `release`,
///   `hold`, `transferToAgent`, `transferToRoute` (case-sensitive, as the page spells them);
/// * [`Error::InvalidField`] `agentactionspermitted.<key>`: a value other than the numbers 0 or 1.
pub fn decode_register(body: &[u8]) -> Result<(ProviderName, ProviderSettings), Error> {
    decode_register_with(body, RegisterPolicy::default())
}

/// [`decode_register`] under `policy` (which non-public endpoints it accepts).
///
/// # Errors
/// As [`decode_register`].
pub fn decode_register_with(
    body: &[u8],
    policy: RegisterPolicy,
) -> Result<(ProviderName, ProviderSettings), Error> {
    const WHAT: &str = "register body";
    // A registration is rare: one lax body type serves both passes.
    let body = match interaction_wire::read_body::<Body<'_>, Body<'_>>(body, WHAT)? {
        Read::Fast(body) | Read::Lax(body) => body,
    };
    settings(&read_registration(&body)?, policy)
}

members! {
    /// A register body ([`interaction_wire::read_body`]): each member's JSON type checked when
    /// [`read_registration`] asks for it; the two maps' members kept in order, duplicates
    /// included, each raw.
    struct Body<'a> {
        "provider" => provider: &'a RawValue,
        "endpoint" => endpoint: &'a RawValue,
        "headers" => headers: RawObject<'a, Entries<&'a RawValue>>,
        "agentactionspermitted" => agentactionspermitted: RawObject<'a, Entries<&'a RawValue>>,
    }
}

/// Reads the body into its wire form: JSON types, and the two maps' members one by one.
fn read_registration(body: &Body<'_>) -> Result<wire::Registration, Error> {
    let provider = text(body.provider.as_ref(), "provider")?
        .ok_or_else(|| Error::missing_field("provider"))?
        .into_owned();
    let endpoint = text(body.endpoint.as_ref(), "endpoint")?.map(Cow::into_owned);
    let headers = body
        .headers
        .as_ref()
        .map(|headers| headers.object("", "headers"))
        .transpose()?
        .map(|headers| {
            let Entries(headers) = &*headers;
            headers
                .iter()
                .map(|(name, raw)| {
                    let kind = Kind::of(raw);
                    if kind != Kind::String {
                        return Err(Error::invalid_field(
                            join("headers", name),
                            format!("must be a string, got {kind}"),
                        ));
                    }
                    Ok((name.clone(), parse_raw(raw, &join("headers", name))?))
                })
                .collect::<Result<Vec<_>, Error>>()
        })
        .transpose()?;
    let agentactionspermitted = body
        .agentactionspermitted
        .as_ref()
        .map(|permitted| permitted.object("", "agentactionspermitted"))
        .transpose()?
        .map(|permitted| {
            let Entries(permitted) = &*permitted;
            permitted
                .iter()
                .map(|(key, raw)| {
                    permission(key)?;
                    let value = serde_json::from_str::<u8>(raw.get())
                        .map_err(|_| not_zero_or_one(key, raw.get()))?;
                    Ok((key.clone(), value))
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
fn settings(
    registration: &wire::Registration,
    policy: RegisterPolicy,
) -> Result<(ProviderName, ProviderSettings), Error> {
    let provider = ProviderName::parse(&registration.provider, "provider")?;
    if let Some(endpoint) = &registration.endpoint {
        check_endpoint(endpoint)?;
        if !policy.allow_private_endpoints {
            check_public(endpoint)?;
        }
    }
    let headers = registration.headers.clone().unwrap_or_default();
    check_headers(&headers)?;
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

/// Refuses an endpoint whose host, read as an HTTP client reads it (the WHATWG URL parser of
/// the `url` crate, which also reads `0x7f.1` or `2130706433` as 127.0.0.1), is a non-public
/// address by its literal: see [`RegisterPolicy::allow_private_endpoints`]. A host name that
/// only resolves to such an address is not caught here (no DNS in a pure library): the caller's
/// HTTP client must refuse to connect to one (docs/vcc.md, "Register policy").
fn check_public(endpoint: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Error::invalid_field(
            "endpoint",
            format!("{why}: notifications go to public addresses only"),
        )
    };
    let parsed = url::Url::parse(endpoint).map_err(|e| bad(&format!("cannot be parsed ({e})")))?;
    match parsed.host() {
        Some(url::Host::Ipv4(ip)) if !public_v4(ip) => {
            Err(bad(&format!("host {ip} is not public")))
        }
        Some(url::Host::Ipv6(ip)) if !public_v6(ip) => {
            Err(bad(&format!("host [{ip}] is not public")))
        }
        Some(url::Host::Domain(name)) if is_local_name(name) => Err(bad(&format!(
            "host `{}` names this machine",
            printable(name)
        ))),
        Some(_) => Ok(()),
        None => Err(bad("has no host")),
    }
}

/// `localhost` and names under it (RFC 6761 section 6.3: they resolve to loopback), and
/// `localhost.localdomain`.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name == "localhost.localdomain"
}

/// Whether `ip` is a public unicast address: none of the IANA special-purpose ranges that are
/// not globally reachable (RFC 6890 and its updates).
fn public_v4(ip: std::net::Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || a == 0
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 192 && b == 88 && c == 99)
        || (a == 198 && (b == 18 || b == 19)))
}

/// Whether `ip` is a public unicast IPv6 address; one that embeds an IPv4 address (mapped,
/// compatible, NAT64, 6to4) is public only when that address is.
fn public_v6(ip: std::net::Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let embedded = |hi: u16, lo: u16| {
        std::net::Ipv4Addr::new(
            (hi >> 8) as u8,
            (hi & 0xff) as u8,
            (lo >> 8) as u8,
            (lo & 0xff) as u8,
        )
    };
    match s {
        // IPv4-compatible (deprecated), the NAT64 well-known prefix, and 6to4 (the IPv4
        // address in the second and third segments).
        [0, 0, 0, 0, 0, 0, hi, lo] if hi != 0 || lo > 1 => public_v4(embedded(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] | [0x2002, hi, lo, ..] => public_v4(embedded(hi, lo)),
        _ => {
            !(ip.is_unspecified()
                || ip.is_loopback()
                || ip.is_multicast()
                || ip.is_unique_local()
                || ip.is_unicast_link_local()
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0))
        }
    }
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

/// Checks the notification headers: each on its own ([`check_header`]), then no name twice in
/// any case, and the bounds on their number and size.
fn check_headers(headers: &[(String, String)]) -> Result<(), Error> {
    if headers.len() > MAX_HEADERS {
        return Err(Error::invalid_field(
            "headers",
            format!(
                "holds {} headers; at most {MAX_HEADERS} are allowed",
                headers.len()
            ),
        ));
    }
    let mut total = 0usize;
    for (i, (name, value)) in headers.iter().enumerate() {
        check_header(name, value)?;
        if headers
            .iter()
            .take(i)
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
        {
            return Err(Error::invalid_field(
                join("headers", name),
                "the same header name is given twice (header names are case-insensitive)",
            ));
        }
        total += name.len() + value.len();
    }
    if total > MAX_HEADERS_LEN {
        return Err(Error::invalid_field(
            "headers",
            format!(
                "hold {total} bytes of names and values; at most {MAX_HEADERS_LEN} are allowed"
            ),
        ));
    }
    Ok(())
}

/// Checks one notification header: the name an RFC 9110 token of at most
/// [`MAX_HEADER_NAME_LEN`] bytes that an HTTP client does not set itself, the value at most
/// [`MAX_HEADER_VALUE_LEN`] bytes and free of CR, LF and NUL (RFC 9110 section 5.5: a field
/// value never holds them; they would split the request).
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let field = || join("headers", name);
    if name.is_empty() {
        return Err(Error::invalid_field(
            field(),
            "a header name may not be empty",
        ));
    }
    if name.len() > MAX_HEADER_NAME_LEN {
        return Err(Error::invalid_field(
            field(),
            format!(
                "the name is {} bytes long; at most {MAX_HEADER_NAME_LEN} are allowed",
                name.len()
            ),
        ));
    }
    if value.len() > MAX_HEADER_VALUE_LEN {
        return Err(Error::invalid_field(
            field(),
            format!(
                "the value is {} bytes long; at most {MAX_HEADER_VALUE_LEN} are allowed",
                value.len()
            ),
        ));
    }
    if let Some(own) = CLIENT_HEADERS
        .iter()
        .find(|own| own.eq_ignore_ascii_case(name))
    {
        return Err(Error::invalid_field(
            field(),
            format!("`{own}` is set by the notification request itself and may not be registered"),
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
    fn non_public_endpoints_are_refused_unless_allowed() {
        for public in [
            "https://endpoint.example.com/routingendpoint",
            "https://8.8.8.8/",
            "https://[2606:4700::1111]/",
            "https://[::ffff:8.8.8.8]/",
            "https://localhost.example.com/",
        ] {
            assert_eq!(check_public(public), Ok(()), "{public}");
        }
        for private in [
            "https://127.0.0.1/",
            "https://127.1.2.3:8443/x",
            "https://localhost/",
            "https://LOCALHOST./",
            "https://a.localhost/",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/",
            "https://172.16.5.4/",
            "https://192.168.1.1/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://224.0.0.1/",
            "https://255.255.255.255/",
            "https://[::1]/",
            "https://[::]/",
            "https://[fe80::1]/",
            "https://[fc00::1]/",
            "https://[fd12:3456::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://[::127.0.0.1]/",
            "https://[64:ff9b::a00:1]/",
            "https://[2002:a9fe:a9fe::]/",
            "https://[2001:db8::1]/",
            "https://0x7f.1/",
            "https://2130706433/",
            "https://0177.0.0.1/",
        ] {
            let err = check_public(private).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidField, "{private}");
            assert!(err.to_string().contains("public"), "{private}: {err}");
        }
        let body = br#"{"provider": "P", "endpoint": "https://127.0.0.1:9/cb"}"#;
        assert!(decode_register(body).is_err());
        let allowed = RegisterPolicy {
            allow_private_endpoints: true,
        };
        assert!(decode_register_with(body, allowed).is_ok());
    }

    #[test]
    fn headers_an_http_client_sets_itself_and_duplicates_are_refused() {
        for name in [
            "Content-Length",
            "transfer-encoding",
            "HOST",
            "Connection",
            "te",
            "Expect",
        ] {
            let err = check_headers(&[(name.to_owned(), "1".to_owned())]).unwrap_err();
            assert!(
                err.to_string().contains("set by the notification request"),
                "{err}"
            );
        }
        let twice = [
            ("X-Token".to_owned(), "a".to_owned()),
            ("x-token".to_owned(), "b".to_owned()),
        ];
        assert!(
            check_headers(&twice)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        let many: Vec<(String, String)> = (0..=MAX_HEADERS)
            .map(|i| (format!("x-{i}"), "v".to_owned()))
            .collect();
        assert!(check_headers(&many).is_err());
        let long_value = [("X-Big".to_owned(), "v".repeat(MAX_HEADER_VALUE_LEN + 1))];
        assert!(check_headers(&long_value).is_err());
        let long_name = [("x".repeat(MAX_HEADER_NAME_LEN + 1), "v".to_owned())];
        assert!(check_headers(&long_name).is_err());
        let heavy: Vec<(String, String)> = (0..3)
            .map(|i| (format!("x-{i}"), "v".repeat(MAX_HEADER_VALUE_LEN)))
            .collect();
        assert!(
            check_headers(&heavy)
                .unwrap_err()
                .to_string()
                .contains("bytes of names")
        );
        let fine = [
            ("Authorization".to_owned(), "Basic <token>".to_owned()),
            ("x-header1".to_owned(), "value1".to_owned()),
        ];
        assert_eq!(check_headers(&fine), Ok(()));
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
