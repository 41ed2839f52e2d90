//! The trace format (MODEL.md section 7): JSON Lines, one HTTP-level record per line, vendor
//! bodies verbatim.
//!
//! ```json
//! {"api": "vcc", "method": "POST", "path": "/interactions/Invoke", "as": "5464",
//!  "at": "2026-11-21T09:00:00Z", "body": {"requests": [ ... ]}}
//! ```
//!
//! The envelope is decoded here; the body is kept as raw JSON text and handed to the vendor's
//! adapter untouched (it is parsed once, by the adapter). `"api": "core"` bodies carry the core's
//! own actions and are decoded by [`interaction_gateway::core::decode_core`]. `docs/trace-format.md` documents every field
//! with an example per action.

use interaction_core::Error;
use interaction_core::text;
use interaction_wire::printable;
use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

pub use interaction_core::Api;

/// The trace's `method` when it names none: `POST`.
pub const DEFAULT_METHOD: &str = "POST";

/// The longest `method` a trace line may name (an HTTP token).
const MAX_METHOD_LEN: usize = 16;

/// One decoded trace line. `body` borrows the line's text.
#[derive(Debug)]
pub struct Record<'a> {
    /// Which API.
    pub api: Api,
    /// The HTTP method, in capitals (`POST` when the line names none): any HTTP token; the
    /// endpoint answers one it does not serve with the vendor's `405`.
    pub method: Cow<'a, str>,
    /// The vendor's documented path, `callback`, or a CometD channel; empty when absent.
    /// Borrowed from the line unless it holds an escape.
    pub path: Cow<'a, str>,
    /// The agent a `/me` request acts as (GWS), if given.
    pub as_agent: Option<String>,
    /// The request's `Content-Type` header value, verbatim (`"content_type"`); `None` means JSON.
    pub content_type: Option<Cow<'a, str>>,
    /// The request's other header fields (`"headers"`, an object of strings), in order.
    pub headers: Vec<(String, String)>,
    /// The body, verbatim JSON text; `null` when absent.
    pub body: &'a RawValue,
    /// The line's `at`, verbatim: an RFC 3339 time ([`at_millis`] reads it for `--clock at`;
    /// informational otherwise).
    pub at: Option<Cow<'a, str>>,
}

/// A trace line's `at` (an RFC 3339 time: `2026-11-21T09:00:00Z`, `2026-11-21T10:00:00.250+01:00`)
/// as milliseconds since the Unix epoch (the `time` crate's strict RFC 3339 reader): the clock
/// `interactions replay --clock at` gives the engine (MODEL.md section 10). A time before 1970
/// is 0.
///
/// # Errors
/// `invalid_field` naming `at` when the text is not an RFC 3339 date-time with an offset.
pub fn at_millis(at: &str) -> Result<u64, Error> {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(at, &Rfc3339) {
        Ok(t) => Ok(u64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)),
        Err(e) => Err(Error::invalid_field(
            "at",
            format!(
                "`{}` is not an RFC 3339 date-time with an offset ({e})",
                text::quote(at)
            ),
        )),
    }
}

#[derive(Deserialize)]
#[serde(expecting = "a JSON object with `api`, `path` and `body`")]
struct Envelope<'a> {
    // Strings are borrowed from the line when they hold no escape: reading the envelope of
    // every line is on the replay's path, and owned strings cost an allocation each.
    #[serde(borrow)]
    api: Option<Cow<'a, str>>,
    #[serde(borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    path: Option<Cow<'a, str>>,
    #[serde(rename = "as", borrow)]
    as_agent: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content_type: Option<Cow<'a, str>>,
    headers: Option<interaction_wire::Entries<String>>,
    // Order is input order (MODEL.md section 5); `--clock at` reads it as the time.
    #[serde(borrow)]
    at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    body: Option<&'a RawValue>,
}

/// The api name of a line, when the line is a JSON object with a string `api` (used to label a
/// refused line's record).
pub fn api_name(line: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct ApiOnly {
        api: Option<String>,
    }
    serde_json::from_str::<ApiOnly>(line)
        .ok()
        .and_then(|a| a.api)
}

const NULL: &str = "null";

/// Decodes one trace line's envelope.
///
/// # Errors
/// `malformed` when the line is not one JSON object of the envelope's shape (the message says
/// where: the member, the character that is not JSON, or the column where text follows the
/// object); `missing_field` for a missing `api`; `unsupported` for an unknown `api` or
/// `method`.
pub fn decode_line(line: &str) -> Result<Record<'_>, Error> {
    if let Some(error) = not_an_object(line) {
        return Err(error);
    }
    // The common case first, at full speed (`from_str` refuses anything after the object); a
    // line that fails is read again, tracking the member path, only to say where it failed.
    let env: Envelope<'_> = match serde_json::from_str(line) {
        Ok(env) => env,
        Err(_) => precise_envelope(line)?,
    };
    let api_text = env.api.ok_or_else(|| Error::missing_field("api"))?;
    let api = Api::from_name(&api_text).ok_or_else(|| Error::unsupported("api", &api_text))?;
    let method = match env.method {
        None => Cow::Borrowed(DEFAULT_METHOD),
        Some(m) if is_method(&m) => {
            if m.bytes().any(|b| b.is_ascii_lowercase()) {
                Cow::Owned(m.to_ascii_uppercase())
            } else {
                m
            }
        }
        Some(other) => return Err(Error::unsupported("method", printable(&other))),
    };
    let body = match env.body {
        Some(b) => b,
        None => null_raw()?,
    };
    Ok(Record {
        api,
        method,
        path: env.path.unwrap_or_default(),
        as_agent: env.as_agent.map(Cow::into_owned),
        content_type: env.content_type,
        headers: env.headers.map(|h| h.0).unwrap_or_default(),
        body,
        at: env.at,
    })
}

/// Whether `m` is an HTTP method token (RFC 9110 section 9.1: a `token`) of at most 16 bytes.
fn is_method(m: &str) -> bool {
    !m.is_empty()
        && m.len() <= MAX_METHOD_LEN
        && m.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The envelope read again member by member, for the message of a line the fast read refused:
/// the member path where it failed, or the column where text follows the object.
fn precise_envelope(line: &str) -> Result<Envelope<'_>, Error> {
    let mut de = serde_json::Deserializer::from_str(line);
    let env: Envelope<'_> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        match e.path().to_string().as_str() {
            "." => Error::malformed(format!("trace line: {}", e.inner())),
            path => Error::malformed(format!("trace line: {path}: {}", e.inner())),
        }
    })?;
    de.end().map_err(|e| {
        Error::malformed(format!(
            "trace line: text after the record's JSON object, at column {} (one record per line)",
            e.column()
        ))
    })?;
    Ok(env)
}

/// Why `line` does not start with a JSON object, if it does not: the first character that is
/// not JSON whitespace (space, tab, CR, LF) is not `{`.
fn not_an_object(line: &str) -> Option<Error> {
    let (index, c) = line
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '\t' | '\r' | '\n'))?;
    if c == '{' {
        return None;
    }
    let column = line.get(..index).map_or(0, |before| before.chars().count()) + 1;
    let what = if c == '\u{feff}' {
        format!(
            "a byte-order mark (U+FEFF) at column {column}: a trace may start with one, no line may"
        )
    } else if c.is_whitespace() || text::needs_escape(c) {
        format!(
            "U+{:04X} at column {column} is not whitespace JSON allows (space, tab, CR, LF)",
            u32::from(c)
        )
    } else {
        let found: String = line.get(index..).unwrap_or("").chars().take(16).collect();
        format!(
            "expected a JSON object (one record per line), found `{}`",
            text::quote(&found)
        )
    };
    Some(Error::malformed(format!("trace line: {what}")))
}

/// The refusal of a line that is not UTF-8 (`e` from `std::str::from_utf8(line)`): where the
/// first bad byte is, and whether it sits inside a JSON string.
pub fn not_utf8(line: &[u8], e: &std::str::Utf8Error) -> Error {
    let at = e.valid_up_to();
    let valid = line.get(..at).unwrap_or(&[]);
    // Inside a string when an odd number of unescaped quotes precede it.
    let mut inside = false;
    let mut escaped = false;
    for &b in valid {
        match b {
            _ if escaped => escaped = false,
            b'\\' if inside => escaped = true,
            b'"' => inside = !inside,
            _ => {}
        }
    }
    let column = std::str::from_utf8(valid).map_or(at, |t| t.chars().count()) + 1;
    let place = if inside {
        "inside a JSON string"
    } else {
        "outside any JSON string"
    };
    let what = match (e.error_len(), line.get(at)) {
        (Some(_), Some(byte)) => format!("byte 0x{byte:02X} at column {column} ({place})"),
        _ => format!("an incomplete UTF-8 sequence at the end of the line ({place})"),
    };
    Error::malformed(format!("trace line: not UTF-8: {what}"))
}

fn null_raw() -> Result<&'static RawValue, Error> {
    serde_json::from_str::<&RawValue>(NULL).map_err(|e| Error::malformed(e.to_string()))
}

/// An `unsupported` refusal of a record's `path`, quoting it safely (control characters escaped,
/// at most 64 characters): the path is the trace's text, and messages must never carry it raw.
pub fn unsupported_path(path: &str) -> Error {
    Error::unsupported("path", printable(path))
}
