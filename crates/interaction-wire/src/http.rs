//! The HTTP exchange a vendor endpoint handles (MODEL.md section 9), with no vendor knowledge:
//! the [`Request`] in; the [`Handled`] out, holding the [`Response`] to send, one [`Item`] per
//! request, callback element, notification or event, and the [`Outgoing`] requests the caller
//! must send; the [`IdSource`] the caller passes in for the ids a response needs; the one
//! reader of request paths ([`Path`]).
//!
//! Nothing here does IO: a service moves bytes between its HTTP server and these types (the
//! gateway's `examples/webhook.rs` does it with axum in a few lines), the replay tool builds a
//! [`Request`] from a trace line.

use std::borrow::Cow;

use interaction_core::{
    ActionKind, ActionSet, AgentId, AgentState, Effect, EndReason, Engine, Error, Fired, FiredStep,
    Interaction, InteractionId, Name, Outcome, Routing, StateKind, Step, Timer,
};
use serde::ser::SerializeMap;
use serde_json::Value;
use smol_str::SmolStr;

/// One HTTP request as the service received it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method, as received (`POST`; compared case-insensitively).
    pub method: &'a str,
    /// The request target: the path with its query string (`/api/v2/me/interactions?fields=*`),
    /// possibly absolute (`https://host/...`), as received; percent-encoded segments are
    /// decoded by [`Path::parse`].
    pub target: &'a str,
    /// The header fields, names compared case-insensitively.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body, possibly empty.
    pub body: &'a [u8],
    /// Who the caller's authentication says sent it: the GWS agent of a `/me` request (GWS
    /// authenticates with HTTP Basic; the user name is the agent). `None` when the caller did
    /// not authenticate one (the replay's `as` fills it).
    pub identity: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// A `POST` of `body` to `target`, with no headers and no identity.
    pub fn post(target: &'a str, body: &'a [u8]) -> Request<'a> {
        Request {
            method: "POST",
            target,
            headers: &[],
            body,
            identity: None,
        }
    }

    /// The value of header `name` (the first of that name, in any case), if present.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        field(self.headers, name)
    }

    /// The `Content-Type` header's value, if present.
    pub fn content_type(&self) -> Option<&'a str> {
        self.header("content-type")
    }

    /// Whether the method is `method` (case-insensitively).
    pub fn is(&self, method: &str) -> bool {
        // The exact spelling first (clients send `POST`): one comparison of a few bytes, where
        // the case-insensitive one folds each byte.
        self.method == method || self.method.eq_ignore_ascii_case(method)
    }

    /// The target read as a path ([`Path::parse`]).
    pub fn path(&self) -> Path<'a> {
        Path::parse(self.target)
    }

    /// Whether the body holds nothing but whitespace (an empty body, as a client sends none).
    pub fn body_is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }
}

/// The user name of the `Authorization` field of `headers` (the first of that name), when its
/// scheme is `Basic` (RFC 7617: `Basic`, a space, and the base64 of `user:password`): the
/// identity GWS reads as the agent ("GWS authenticates with HTTP Basic; the user name is the
/// agent", MODEL.md section 9). `None` without the field, for another scheme, for credentials
/// that are not base64 of UTF-8 text, or for an empty user name. The password is not looked
/// at: checking it is the caller's authentication, which then puts the user name in
/// [`Request::identity`].
pub fn basic_user(headers: &[(&str, &str)]) -> Option<String> {
    use base64::Engine as _;
    let (scheme, credentials) = field(headers, "authorization")?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()?;
    let mut text = String::from_utf8(decoded).ok()?;
    if let Some(colon) = text.find(':') {
        text.truncate(colon);
    }
    (!text.is_empty()).then_some(text)
}

/// The value of the first field of `headers` named `name`, in any case.
fn field<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// The fields of an [`http::HeaderMap`] as a [`Request`] takes them: each whose value is
/// visible ASCII text (`HeaderValue::to_str`; others are dropped), names in lower case as the
/// `http` crate keeps them. Feature `http`.
#[cfg(feature = "http")]
pub fn header_fields(headers: &http::HeaderMap) -> Vec<(&str, &str)> {
    headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect()
}

/// `body`, or the JSON text `null` when it is empty (only whitespace): every endpoint reads an
/// empty body (an HTTP request with none, a trace line without `body`) as `null`, whose
/// refusal, where a body is needed, names what was expected.
pub fn body_or_null(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    }
}

/// The most segments a [`Path`] keeps: a target with more names no endpoint of any vendor (the
/// longest, GWS `/api/v2/me/{collection}/{id}`, has five), and reads as having none.
pub const MAX_SEGMENTS: usize = 12;

/// A request target read as a path, the one reader every vendor crate uses: an optional
/// `scheme://host[:port]` origin, the path's segments (empty ones dropped, each
/// percent-decoded when that gives UTF-8, else kept as sent), and the query string. A target
/// without a scheme and without a leading `/` (`host/api/command`, `api/subscribe/{id}`) is
/// [`Path::relative`]: vendor pages write both forms. Read without allocating, unless a
/// segment is percent-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path<'a> {
    /// `scheme` and `host[:port]` when the target names them.
    pub origin: Option<(&'a str, &'a str)>,
    raw: [&'a str; MAX_SEGMENTS],
    /// How many of `raw` are used; `None` when the target had more than [`MAX_SEGMENTS`].
    len: Option<usize>,
    /// The segments decoded, when one of them is percent-encoded.
    decoded: Option<Vec<String>>,
    /// The query string, without `?`; `None` when there is none.
    pub query: Option<&'a str>,
    /// No scheme and no leading `/`.
    pub relative: bool,
}

/// A path's segments as `&str`s, on the stack ([`Path::parts`]).
#[derive(Debug, Clone, Copy)]
pub struct Parts<'p> {
    items: [&'p str; MAX_SEGMENTS],
    len: usize,
}

impl<'p> Parts<'p> {
    /// The segments.
    pub fn as_slice(&self) -> &[&'p str] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

impl<'p> core::ops::Deref for Parts<'p> {
    type Target = [&'p str];
    fn deref(&self) -> &[&'p str] {
        self.as_slice()
    }
}

/// Whether [`Path::parse`] reads `segment` as one segment, unchanged, wherever it stands in a
/// target: it is not empty, and is visible ASCII other than `/`, `?`, `#` and `%` (nothing in
/// it splits the target, starts a query or a fragment, is trimmed or is percent-decoded). The
/// vendor crates' matches of a target as their pages write it (`/api/v2/me/{collection}/{id}`,
/// `/v0/{accountKey}/calls`) take their ids as such segments, without reading the target.
#[inline]
pub fn is_plain_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'?' | b'#' | b'%'))
}

/// Whether `b` may start or end a target with whitespace as `char::is_whitespace` sees it: an
/// ASCII space, or a byte of a non-ASCII character (which `str::trim` then reads as a char).
const fn maybe_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') || b >= 0x80
}

impl<'a> Path<'a> {
    /// Reads `target`: whitespace around it and a `#fragment` are dropped.
    pub fn parse(target: &'a str) -> Path<'a> {
        // One pass over the bytes, no searcher set up: the router reads every request's
        // target, and a vendor's is a few dozen bytes.
        let bytes = target.as_bytes();
        let target = if bytes.first().is_some_and(|&b| maybe_space(b))
            || bytes.last().is_some_and(|&b| maybe_space(b))
        {
            target.trim()
        } else {
            target
        };
        let (origin, rest) = match target.as_bytes().first() {
            Some(b'/') | None => (None, target),
            Some(_) => match target.split_once("://") {
                // A `/`, `?` or `#` before `://` makes it part of a path, not a scheme.
                Some((scheme, rest)) if !scheme.contains(['/', '?', '#']) => {
                    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                    let (host, path) = rest.split_at_checked(host_end).unwrap_or((rest, ""));
                    (Some((scheme, host)), path)
                }
                _ => (None, target),
            },
        };
        let relative = origin.is_none() && !rest.starts_with('/');
        let mut raw = [""; MAX_SEGMENTS];
        // How many of `raw` are used, and whether a segment found no room.
        let (mut used, mut over) = (0, false);
        let bytes = rest.as_bytes();
        let mut from = 0;
        let mut end = bytes.len();
        let mut encoded = false;
        // `/`, `%`, `?` and `#` are ASCII: every index where one is found is a char boundary.
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            if b == b'/' || b == b'?' || b == b'#' {
                if at > from {
                    match raw.get_mut(used) {
                        Some(slot) => {
                            *slot = rest.get(from..at).unwrap_or("");
                            used += 1;
                        }
                        None => over = true,
                    }
                }
                if b != b'/' {
                    end = at;
                    break;
                }
                from = at + 1;
            } else if b == b'%' {
                encoded = true;
            }
            at += 1;
        }
        if end == bytes.len() && end > from {
            match raw.get_mut(used) {
                Some(slot) => {
                    *slot = rest.get(from..end).unwrap_or("");
                    used += 1;
                }
                None => over = true,
            }
        }
        let len = (!over).then_some(used);
        let query = match bytes.get(end) {
            Some(b'?') => {
                let after = rest.get(end + 1..).unwrap_or("");
                Some(after.split_once('#').map_or(after, |(q, _)| q))
            }
            _ => None,
        };
        let decoded = encoded.then(|| {
            raw.get(..len.unwrap_or(0))
                .unwrap_or(&[])
                .iter()
                .map(|s| decode_segment(s).into_owned())
                .collect()
        });
        Path {
            origin,
            raw,
            len,
            decoded,
            query,
            relative,
        }
    }

    /// Whether the target has a scheme but no host (`https:///v0/...`): no endpoint of any
    /// vendor.
    pub fn lacks_host(&self) -> bool {
        self.origin.is_some_and(|(_, host)| host.is_empty())
    }

    /// The segments, decoded, as `&str`s (none for a target of more than [`MAX_SEGMENTS`]).
    pub fn parts(&self) -> Parts<'_> {
        match &self.decoded {
            None => Parts {
                items: self.raw,
                len: self.len.unwrap_or(0),
            },
            Some(decoded) => {
                let mut items = [""; MAX_SEGMENTS];
                for (slot, segment) in items.iter_mut().zip(decoded) {
                    *slot = segment.as_str();
                }
                Parts {
                    items,
                    len: decoded.len(),
                }
            }
        }
    }

    /// The segments after dropping a leading host of a relative target (`host/api/command`):
    /// the first segment is taken for a host when the target is relative, has more than
    /// `min_len` segments, and `is_host` says so of the first.
    pub fn without_bare_host(&self, min_len: usize, is_host: impl Fn(&str) -> bool) -> Parts<'_> {
        let mut parts = self.parts();
        let bare = self.relative
            && parts.len > min_len
            && parts.as_slice().first().is_some_and(|first| is_host(first));
        if bare {
            parts.items.rotate_left(1);
            parts.len -= 1;
        }
        parts
    }

    /// The value of query parameter `name` (the first), percent-decoded, if present.
    pub fn query_param(&self, name: &str) -> Option<Cow<'a, str>> {
        self.query?
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| decode_segment(v))
    }
}

/// A segment percent-decoded when that gives UTF-8 (`%2F` stays inside the segment), else as
/// sent.
fn decode_segment(segment: &str) -> Cow<'_, str> {
    if !segment.contains('%') {
        return Cow::Borrowed(segment);
    }
    match percent_encoding::percent_decode_str(segment).decode_utf8() {
        Ok(decoded) => decoded,
        Err(_) => Cow::Borrowed(segment),
    }
}

/// A response body: none, JSON, JSON text fixed at compile time (the common successes,
/// written without building a value: `{"status":"ok"}`), or a typed value written as JSON only
/// when the body is sent or shown (a Calls API `201` call resource).
#[derive(Debug, Clone)]
pub enum Body {
    /// No body (`202 No Content`, a VCC `200 Success`).
    Empty,
    /// A JSON body, boxed: a [`Value`] is 72 bytes (`preserve_order`) and the bodies built as
    /// values are the rarer ones (refusals), while every [`Item`] holding a [`Response`] pays
    /// for its size in each move.
    Json(Box<Value>),
    /// A JSON body given as its text, which must be valid JSON.
    Static(&'static str),
    /// A value written as JSON when asked for ([`JsonBody`]).
    Typed(std::sync::Arc<dyn JsonBody>),
}

/// A response body kept typed until it is sent or shown: anything `Serialize` (and `Debug`,
/// `Send`, `Sync`) is one.
pub trait JsonBody: core::fmt::Debug + Send + Sync {
    /// The body as JSON text.
    fn to_json_bytes(&self) -> Vec<u8>;
}

impl<T: serde::Serialize + core::fmt::Debug + Send + Sync> JsonBody for T {
    fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Body {
    /// A typed body.
    pub fn typed(value: impl JsonBody + 'static) -> Body {
        Body::Typed(std::sync::Arc::new(value))
    }

    /// The body as a JSON value; `null` for [`Body::Empty`].
    pub fn to_json(&self) -> Value {
        match self {
            Body::Empty => Value::Null,
            Body::Json(v) => Value::clone(v),
            Body::Static(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            Body::Typed(t) => serde_json::from_slice(&t.to_json_bytes()).unwrap_or(Value::Null),
        }
    }

    /// The bytes to send; empty for [`Body::Empty`].
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Json(v) => serde_json::to_vec(v).unwrap_or_default(),
            Body::Static(text) => text.as_bytes().to_vec(),
            Body::Typed(t) => t.to_json_bytes(),
        }
    }
}

/// Equal when they are the same JSON (a typed body is written out to compare).
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Body::Empty, Body::Empty) => true,
            (Body::Empty, _) | (_, Body::Empty) => false,
            (Body::Static(a), Body::Static(b)) if a == b => true,
            _ => self.to_json() == other.to_json(),
        }
    }
}

/// As JSON: the value, `null` for none.
impl serde::Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn raw<S: serde::Serializer>(serializer: S, text: &str) -> Result<S::Ok, S::Error> {
            match serde_json::from_str::<&serde_json::value::RawValue>(text) {
                Ok(raw) => raw.serialize(serializer),
                Err(e) => Err(serde::ser::Error::custom(e)),
            }
        }
        match self {
            Body::Empty => serializer.serialize_unit(),
            Body::Json(v) => v.serialize(serializer),
            Body::Static(text) => raw(serializer, text),
            Body::Typed(t) => raw(
                serializer,
                std::str::from_utf8(&t.to_json_bytes()).unwrap_or("null"),
            ),
        }
    }
}

/// The response to send, exactly as the vendor documents it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header fields the vendor documents for it (`Location` of an Anywhere365 subscribe),
    /// `Content-Type: application/json` aside, which a JSON body implies.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

impl Response {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Json(Box::new(body)),
        }
    }

    /// `status` with a typed body, written as JSON when sent or shown.
    pub fn typed(status: u16, body: impl JsonBody + 'static) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::typed(body),
        }
    }

    /// `status` with a body fixed at compile time (valid JSON text).
    pub const fn fixed(status: u16, body: &'static str) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Static(body),
        }
    }

    /// `status` with no body.
    pub const fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    /// The same with header `name: value`.
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// The value of header `name` (in any case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Content-Type` to send: `application/json` when there is a body, `None` for
    /// [`Body::Empty`] (every vendor's documented bodies are JSON).
    pub fn content_type(&self) -> Option<&'static str> {
        match self.body {
            Body::Empty => None,
            Body::Json(_) | Body::Static(_) | Body::Typed(_) => Some("application/json"),
        }
    }

    /// Every header field to send, in order: [`Response::content_type`] first, then
    /// [`Response::headers`] (`Location`, ...).
    pub fn all_headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.content_type()
            .map(|t| ("Content-Type", t))
            .into_iter()
            .chain(self.headers.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// This response for a server built on the `http` crate (axum, hyper): the status (one
    /// outside `100..=999`, which no endpoint gives, as `500`), [`Response::all_headers`]
    /// (a field the `http` crate refuses is dropped; the vendors' are all valid), and the
    /// body's bytes ([`Body::to_bytes`]). Feature `http`.
    #[cfg(feature = "http")]
    pub fn to_http(&self) -> http::Response<Vec<u8>> {
        let mut response = http::Response::new(self.body.to_bytes());
        *response.status_mut() = http::StatusCode::from_u16(self.status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in self.all_headers() {
            let name = http::HeaderName::try_from(name);
            if let (Ok(name), Ok(value)) = (name, http::HeaderValue::try_from(value)) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

/// As the replay's `response` effect shows it: `{"type": "response", "status", "body",
/// "headers"?}` (MODEL.md section 8).
impl serde::Serialize for Response {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a [(&'static str, String)]);
        impl serde::Serialize for Headers<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (*k, v)))
            }
        }
        let mut map = serializer.serialize_map(Some(3 + usize::from(!self.headers.is_empty())))?;
        map.serialize_entry("type", "response")?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("body", &self.body)?;
        if !self.headers.is_empty() {
            map.serialize_entry("headers", &Headers(&self.headers))?;
        }
        map.end()
    }
}

/// A request the caller must send (MODEL.md section 9): a VCC provider notification to the
/// registered endpoint with the registered headers. Delivery is at least once: the receiver
/// dedupes by the body's `notificationid`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outgoing {
    /// The method (`POST`).
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// The header fields: the registered ones, then `Content-Type: application/json`.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Value,
}

/// One effect of an [`Item`], in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemEffect {
    /// An engine effect: a provider notification, a transfer, a redistribution.
    Core(interaction_core::Effect),
    /// An item's own wire answer ([`Item::response`]), as a replay record shows it among its
    /// effects.
    Response(Response),
    /// Anywhere365: a `LoggedIn` event whose `callId` says the login failed.
    LoginFailed(AgentId),
}

impl ItemEffect {
    /// The form MODEL.md section 8 gives an effect: `{"type": "notification", "provider",
    /// "notification", "agent"?}`, `{"type": "transferred", "from", "to"}`, `{"type":
    /// "redistribute", "target": {"route": ..} | {"queue": ..} | null}`, `{"type": "response",
    /// "status", "body", "headers"?}`, `{"type": "login_failed", "agent"}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Equal when the effect's output form is `other`: `item.effects == [json!({"type": ...})]`.
impl PartialEq<Value> for ItemEffect {
    fn eq(&self, other: &Value) -> bool {
        self.to_json() == *other
    }
}

/// Written in [`ItemEffect::to_json`]'s form, member by member, without building a value.
impl serde::Serialize for ItemEffect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use interaction_core::{Effect, Notification, Target};
        struct TargetJson<'a>(&'a Option<Target>);
        impl serde::Serialize for TargetJson<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    Some(Target::Route(n)) => s.collect_map([("route", n.as_str())]),
                    Some(Target::Queue(n)) => s.collect_map([("queue", n.as_str())]),
                    None => s.serialize_unit(),
                }
            }
        }
        match self {
            ItemEffect::Core(Effect::Notify {
                provider,
                notification,
                ..
            }) => {
                let agent = match notification {
                    Notification::AssignToAgent { agent } => Some(agent),
                    Notification::Release => None,
                };
                let mut map = serializer.serialize_map(Some(3 + usize::from(agent.is_some())))?;
                map.serialize_entry("type", "notification")?;
                map.serialize_entry("provider", provider.as_str())?;
                map.serialize_entry("notification", notification.name())?;
                if let Some(agent) = agent {
                    map.serialize_entry("agent", agent.as_str())?;
                }
                map.end()
            }
            ItemEffect::Core(Effect::Transferred { from, to, .. }) => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", "transferred")?;
                map.serialize_entry("from", &from.as_ref().map(AgentId::as_str))?;
                map.serialize_entry("to", to.as_str())?;
                map.end()
            }
            ItemEffect::Core(Effect::Redistribute { target, .. }) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "redistribute")?;
                map.serialize_entry("target", &TargetJson(target))?;
                map.end()
            }
            ItemEffect::Response(response) => response.serialize(serializer),
            ItemEffect::LoginFailed(agent) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "login_failed")?;
                map.serialize_entry("agent", agent.as_str())?;
                map.end()
            }
        }
    }
}

/// What one request, callback element, notification or event did (MODEL.md section 9): what a
/// replay record shows, without the trace's line and item numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The interaction it names, as the input named it (a refused one's id unchecked). A
    /// [`SmolStr`]: an id of up to 23 bytes is held inline, without allocating.
    pub interaction: Option<SmolStr>,
    /// The action: a core action's name, or the vendor word for one the engine does not take
    /// (`register`, `subscribe`, `get_workbin_content`), or the unrecognised value sent (a
    /// fixed word is held as a `&'static str`, without allocating).
    pub action: Option<SmolStr>,
    /// `applied`, `duplicate` or `ignored`; or the refusal.
    pub outcome: Result<Outcome, Error>,
    /// The interaction's state before (for a refusal: now, unchanged).
    pub from: Option<StateKind>,
    /// The state after (for a refusal: now, unchanged).
    pub to: Option<StateKind>,
    /// The end reason when `to` is `ended`.
    pub reason: Option<EndReason>,
    /// The engine's effects, in order: the buffer [`Engine::apply`] filled, kept as it is (no
    /// copy, and no allocation when there are none).
    pub effects: Vec<Effect>,
    /// Anywhere365: the agent of a `LoggedIn` event whose `callId` says the login failed
    /// (shown after the engine's effects, as `{"type": "login_failed", "agent"}`).
    pub login_failed: Option<AgentId>,
    /// This item's own wire answer, when it has one (each request of a VCC Invoke has its
    /// own); the exchange's [`Handled::response`] summarizes them as the vendor's rule says.
    /// A replay record shows it as its last effect.
    pub response: Option<Response>,
    /// What the item's agent may do next on the interaction: the acting agent, else the
    /// request's identity, else the owner or offered agent ([`allowed`]).
    pub allowed: ActionSet,
    /// What the vendor platform itself listed (GWS `capabilities`), verbatim.
    pub capabilities: Option<Vec<String>>,
    /// The agent the item changed (MODEL.md section 10): the agent of an agent action (log
    /// in, ready, ...), or the agent whose role on the interaction the step changed
    /// ([`Step::agent`]); `None` when no agent changed.
    pub agent: Option<AgentId>,
    /// That agent's state after the item ([`Engine::agent_state`]).
    pub agent_state: Option<AgentState>,
    /// The agent the item's interaction left for `agent` (a transfer: [`Step::left`]), whose
    /// activity may have changed too, with its state after the item; `None` otherwise. Boxed:
    /// few items have one, and every item pays for the field's size in each move.
    pub left: Option<Box<(AgentId, AgentState)>>,
    /// What a person reading the record should know that is neither an effect (nothing is to
    /// be done) nor the outcome ([`Note`]); empty for most items.
    pub notes: Vec<Note>,
    /// The routing data of the interaction this item created ([`Routing`]: a VCC dispatch's
    /// `linkeddata`, personal queue and skills), shown once, by the record of its creation;
    /// `None` for any other item and for an interaction created without it.
    pub routing: Option<Box<Routing>>,
    /// The timer whose firing this item is ([`Engine::handle_timeout`]: MODEL.md section 10),
    /// a platform action; `None` for an item of a request.
    pub timer: Option<Timer>,
    /// When that timer was due ([`Fired::deadline`], the caller's monotonic milliseconds);
    /// `None` for an item of a request.
    pub deadline: Option<u64>,
    /// The vendor API of the interaction that timer acted on (a replay record's `api`); `None`
    /// for an agent's timer and for an item of a request, whose route says it.
    pub api: Option<interaction_core::Api>,
}

/// Something an [`Item`] reports about its interaction for a person: not an effect (nothing
/// is to be done), not a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A platform `offer` or `assign` gave the interaction to `agent`, who is not the agent its
    /// personal queue names (`personal_agent`: a VCC dispatch's `routingdata.personalqueue`).
    /// The platform routes the interaction as its plan says once the personal queue's timeout
    /// has run out, so this may be expected; the endpoints read no clock and do not judge it.
    /// A record shows it as `{"type": "personal_queue_other_agent", "personal_agent", "agent"}`.
    PersonalQueueOtherAgent {
        /// The agent the personal queue names.
        personal_agent: AgentId,
        /// The agent the interaction was offered or assigned to.
        agent: AgentId,
    },
    /// The trace line's `at` could not be read as a time (`interactions replay --clock at`):
    /// the line was applied at the clock as it was, which its `at` did not move (MODEL.md
    /// section 10: time never goes backwards, and a line is never dropped for its `at`).
    /// A record shows it as `{"type": "at_not_read", "message"}`.
    AtNotRead {
        /// Why, with the text quoted escaped.
        message: String,
    },
    /// This call is the consult call of `original` (GWS: the call resource's `parentCallUri`
    /// / `parentCallPath`, CompleteConference), made by an `InitiateTransfer` or
    /// `InitiateConference` on it. A record shows it as `{"type": "consult_call",
    /// "original"}`, on the first record that names the pair.
    ConsultCall {
        /// The original call.
        original: InteractionId,
    },
    /// A completed consult transfer (GWS `CompleteTransfer`) took this original call from
    /// its agent: the customer went on with the consulted party (vendor-supplement.md: "the
    /// customer now with the consulted party"), one of the agents (`agent`, who now holds the
    /// call) or a number only. A record shows it as `{"type": "transfer_completed", "consult",
    /// "party", "agent"}` (`null` for what is not known).
    TransferCompleted {
        /// The consult call.
        consult: Option<InteractionId>,
        /// The consulted party (the number dialed).
        party: Option<Name>,
        /// The consulted agent, when the consult call showed on an agent's channel.
        agent: Option<AgentId>,
    },
    /// A completed conference (GWS `CompleteConference`) ended this consult call: the
    /// consulted party joined `original` ("the two separate calls are brought together so
    /// that all three parties are participating in the same call", CompleteConference). A
    /// record shows it as `{"type": "conference_completed", "original", "party"}`.
    ConferenceCompleted {
        /// The original call, now the conference.
        original: InteractionId,
        /// The consulted party (the number dialed).
        party: Option<Name>,
    },
    /// The call's other parties changed (GWS `ParticipantsUpdated`: "the updated list of
    /// participants", RemoveParticipantFromConference): the interaction's parties now, as the
    /// platform lists them (this agent is not among them). A record shows it as `{"type":
    /// "participants", "participants": [..]}`.
    Participants {
        /// The parties, by number, in the platform's order.
        participants: Vec<Name>,
    },
    /// This notification repeats the `referenceId` of an answer the endpoint gave: it is the
    /// outcome of that request ("The reference identifier is used to link the notification to
    /// the original request that created it", GWS WorkitemMessageType). A record shows it as
    /// `{"type": "answers", "reference", "action", "interaction"}`.
    Answers {
        /// The `referenceId`.
        reference: SmolStr,
        /// The request's action, as its record showed it.
        action: SmolStr,
        /// The interaction the request named (`null`: none, as for a `Create`).
        interaction: Option<InteractionId>,
    },
}

impl Note {
    /// The note's type name, as a record writes it: `personal_queue_other_agent`,
    /// `at_not_read`, `consult_call`, `transfer_completed`, `conference_completed`,
    /// `participants`, `answers`.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Note::PersonalQueueOtherAgent { .. } => "personal_queue_other_agent",
            Note::AtNotRead { .. } => "at_not_read",
            Note::ConsultCall { .. } => "consult_call",
            Note::TransferCompleted { .. } => "transfer_completed",
            Note::ConferenceCompleted { .. } => "conference_completed",
            Note::Participants { .. } => "participants",
            Note::Answers { .. } => "answers",
        }
    }
}

/// As a replay record's `notes` show it: `{"type": "personal_queue_other_agent",
/// "personal_agent", "agent"}`.
impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Note::PersonalQueueOtherAgent {
                personal_agent,
                agent,
            } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("personal_agent", personal_agent.as_str())?;
                map.serialize_entry("agent", agent.as_str())?;
                map.end()
            }
            Note::AtNotRead { message } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("message", message)?;
                map.end()
            }
            Note::ConsultCall { original } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("original", original.as_str())?;
                map.end()
            }
            Note::TransferCompleted {
                consult,
                party,
                agent,
            } => {
                let mut map = serializer.serialize_map(Some(4))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("consult", &consult.as_ref().map(InteractionId::as_str))?;
                map.serialize_entry("party", &party.as_ref().map(Name::as_str))?;
                map.serialize_entry("agent", &agent.as_ref().map(AgentId::as_str))?;
                map.end()
            }
            Note::ConferenceCompleted { original, party } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("original", original.as_str())?;
                map.serialize_entry("party", &party.as_ref().map(Name::as_str))?;
                map.end()
            }
            Note::Participants { participants } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.type_name())?;
                let names: Vec<&str> = participants.iter().map(Name::as_str).collect();
                map.serialize_entry("participants", &names)?;
                map.end()
            }
            Note::Answers {
                reference,
                action,
                interaction,
            } => {
                let mut map = serializer.serialize_map(Some(4))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("reference", reference.as_str())?;
                map.serialize_entry("action", action.as_str())?;
                map.serialize_entry(
                    "interaction",
                    &interaction.as_ref().map(InteractionId::as_str),
                )?;
                map.end()
            }
        }
    }
}

/// The notes and the routing data an item of an applied `step` reports (see [`Item::notes`],
/// [`Item::routing`]), from `it`, the interaction as the step left it (read once by
/// [`Item::applied`]); only a creation or a platform `offer` or `assign` that gave it to an
/// agent reports any.
#[inline]
fn reported(
    it: Option<&Interaction>,
    action: Option<&str>,
    step: &Step,
) -> (Vec<Note>, Option<Box<Routing>>) {
    let none = (Vec::new(), None);
    if step.outcome != Outcome::Applied {
        return none;
    }
    let created = step.from.is_none() && step.to.is_some();
    let given = matches!(step.to, Some(StateKind::Offered | StateKind::Connected))
        // A platform fact restating the connection gives it to nobody new.
        && !(step.from == Some(StateKind::Connected) && step.to == Some(StateKind::Connected))
        && action.is_some_and(|a| a == ActionKind::Offer.name() || a == ActionKind::Assign.name());
    if !created && !given {
        return none;
    }
    let Some((it, routing)) = it.and_then(|it| Some((it, it.routing()?))) else {
        return none;
    };
    let mut notes = Vec::new();
    let holder = it.state().offered_to().or(it.state().owner());
    if given
        && let (Some(personal), Some(agent)) = (routing.personal_agent(), holder)
        && personal != agent
    {
        notes.push(Note::PersonalQueueOtherAgent {
            personal_agent: personal.clone(),
            agent: agent.clone(),
        });
    }
    (notes, created.then(|| Box::new(routing.clone())))
}

impl Item {
    /// An item for an input that named no interaction (a Register, a command, a log in):
    /// `applied`, or refused with `error`.
    pub fn session(action: impl Into<SmolStr>, result: Result<(), Error>) -> Item {
        Item {
            interaction: None,
            action: Some(action.into()),
            outcome: result.map(|()| Outcome::Applied),
            from: None,
            to: None,
            reason: None,
            effects: Vec::new(),
            login_failed: None,
            response: None,
            allowed: ActionSet::EMPTY,
            capabilities: None,
            agent: None,
            agent_state: None,
            left: None,
            notes: Vec::new(),
            routing: None,
            timer: None,
            deadline: None,
            api: None,
        }
    }

    /// The item of an agent action (`log_in`, `set_ready`, ...) on `agent`: no interaction;
    /// `applied` with the agent's state after it, or refused with `error` (the agent's state
    /// as it is, when known).
    pub fn of_agent(
        engine: &Engine,
        action: impl Into<SmolStr>,
        agent: AgentId,
        result: Result<(), Error>,
    ) -> Item {
        let mut item = Item::session(action, result);
        item.agent_state = engine.agent_state(agent.as_str());
        item.agent = Some(agent);
        item
    }

    /// The item of an input applied to (or refused by) `engine`: `step`'s states, or, for a
    /// refusal, the interaction's state as it is now; `allowed` for `agent` (or the holder);
    /// for an applied creation, the interaction's routing data ([`Item::routing`]); for an
    /// applied platform `offer` or `assign` of an interaction whose personal queue names
    /// another agent, a [`Note::PersonalQueueOtherAgent`].
    pub fn of(
        engine: &Engine,
        interaction: Option<SmolStr>,
        action: Option<SmolStr>,
        step: Result<Step, Error>,
        agent: Option<&str>,
    ) -> Item {
        Item::applied(engine, interaction, action, step, Vec::new(), agent)
    }

    /// [`Item::of`] with `effects`, the effects the apply pushed (in the engine's order), the
    /// item made with them in one go: an item is a few hundred bytes, and an endpoint makes one
    /// per message.
    #[inline]
    pub fn applied(
        engine: &Engine,
        interaction: Option<SmolStr>,
        action: Option<SmolStr>,
        step: Result<Step, Error>,
        effects: Vec<Effect>,
        agent: Option<&str>,
    ) -> Item {
        // One read of the interaction, for the notes, the states of a refusal and `allowed`.
        let it = interaction.as_deref().and_then(|id| engine.interaction(id));
        Item::applied_in(engine, it, interaction, action, step, effects, agent)
    }

    /// [`Item::applied`] with its interaction already read: `it` is what
    /// `engine.interaction(interaction)` gives after the step (`None` for none, or one the
    /// engine does not hold), for an endpoint that reads it once for its own purposes too (the
    /// GWS profile of `allowed`). An `it` of another interaction gives an item of mixed facts:
    /// the caller reads it from the same engine and id.
    #[inline]
    pub fn applied_in(
        engine: &Engine,
        it: Option<&Interaction>,
        interaction: Option<SmolStr>,
        action: Option<SmolStr>,
        step: Result<Step, Error>,
        effects: Vec<Effect>,
        agent: Option<&str>,
    ) -> Item {
        let (mut notes, mut routing) = (Vec::new(), None);
        let mut left = None;
        let (outcome, from, to, reason, changed) = match step {
            Ok(step) => {
                (notes, routing) = reported(it, action.as_deref(), &step);
                left = step.left.and_then(|agent| {
                    let state = engine.agent_state(agent.as_str())?;
                    Some(Box::new((agent, state)))
                });
                (
                    Ok(step.outcome),
                    step.from,
                    step.to,
                    step.reason,
                    step.agent,
                )
            }
            Err(e) => {
                let now = it.map(|it| it.state().kind());
                (Err(e), now, now, None, None)
            }
        };
        let agent_state = changed
            .as_ref()
            .and_then(|a| engine.agent_state(a.as_str()));
        let allowed = it.map_or(ActionSet::EMPTY, |it| engine.allowed_in(it, agent));
        Item {
            interaction,
            action,
            outcome,
            from,
            to,
            reason,
            effects,
            login_failed: None,
            response: None,
            allowed,
            capabilities: None,
            agent: changed,
            agent_state,
            left,
            notes,
            routing,
            timer: None,
            deadline: None,
            api: None,
        }
    }

    /// The item of a timer fired by [`Engine::handle_timeout`] (MODEL.md section 10): the
    /// timer's platform action (`revoke`, `complete`, `log_out`) on its interaction or agent,
    /// `timer` set, and the effects it pushed (`effects`, the slice of the buffer
    /// [`Fired::effects`] names). An interaction timer's item names the agent whose role it
    /// changed (the agent a ring-no-answer was offered to) with its state right after the
    /// timer ([`Fired::agent_state`]).
    pub fn of_fired(engine: &Engine, fired: Fired, effects: Vec<Effect>) -> Item {
        let action = SmolStr::new_static(fired.timer.action_name());
        let agent_state = fired.agent_state;
        let deadline = fired.deadline;
        let mut api = None;
        let mut item = match fired.step {
            FiredStep::Interaction {
                interaction,
                api: its,
                step,
            } => {
                api = Some(its);
                Item::of(
                    engine,
                    Some(interaction.to_smol_str()),
                    Some(action),
                    Ok(step),
                    None,
                )
            }
            FiredStep::Agent { agent, .. } => Item::of_agent(engine, action, agent, Ok(())),
        };
        item.effects = effects;
        item.timer = Some(fired.timer);
        item.deadline = Some(deadline);
        item.api = api;
        if item.agent.is_some() {
            item.agent_state = agent_state;
        }
        item
    }

    /// The item with its own answer `response`.
    #[must_use]
    #[inline]
    pub fn responding(mut self, response: Response) -> Item {
        self.response = Some(response);
        self
    }

    /// Everything a replay record shows among its effects, in its order: the engine's effects,
    /// a failed login, then the item's own answer (MODEL.md section 8).
    pub fn record_effects(&self) -> Vec<ItemEffect> {
        let mut all = Vec::with_capacity(self.effects.len() + 2);
        all.extend(self.effects.iter().cloned().map(ItemEffect::Core));
        all.extend(self.login_failed.clone().map(ItemEffect::LoginFailed));
        all.extend(self.response.clone().map(ItemEffect::Response));
        all
    }

    /// The refusal, if the item was refused.
    pub fn error(&self) -> Option<&Error> {
        self.outcome.as_ref().err()
    }

    /// This item's own wire answer, if it has one.
    pub fn response(&self) -> Option<&Response> {
        self.response.as_ref()
    }
}

/// What `agent` (or, when `None`, the agent the interaction is owned by or offered to) may do
/// next on `interaction` ([`Engine::allowed`]); empty for none, an unknown or an ended one.
pub fn allowed(engine: &Engine, interaction: Option<&str>, agent: Option<&str>) -> ActionSet {
    interaction.map_or(ActionSet::EMPTY, |id| engine.allowed_for(id, agent))
}

/// Everything the caller must do after one request (MODEL.md section 9): send `response`, keep
/// or show `items`, send `outgoing`.
#[derive(Debug, Clone, PartialEq)]
pub struct Handled {
    /// The HTTP response, as the vendor documents it (for a body of several items, by the
    /// vendor's rule for mixed outcomes).
    pub response: Response,
    /// One item per request, callback element, notification or event, in order.
    pub items: Vec<Item>,
    /// The requests to send, in order.
    pub outgoing: Vec<Outgoing>,
}

impl Handled {
    /// `response` and `items`, nothing to send.
    pub fn new(response: Response, items: Vec<Item>) -> Handled {
        Handled {
            response,
            items,
            outgoing: Vec::new(),
        }
    }

    /// One item whose own answer is the exchange's response.
    #[inline]
    pub fn single(item: Item) -> Handled {
        let response = item.response().cloned().unwrap_or(Response::empty(200));
        Handled::new(response, vec![item])
    }
}

/// Which id a response needs from the caller (MODEL.md section 9: the core draws none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A VCC Calls API call id (the `201` body's `id`).
    Call,
    /// An interaction id for a VCC dispatch without `externalid` (vcc-interactions-invoke.txt:
    /// "externalId is optional if action is dispatch"): the id the engine holds it by.
    Interaction,
    /// An Anywhere365 subscription id (the `Location` of a `201`).
    Subscription,
    /// A VCC callback's `notificationid` (an outgoing provider notification).
    Notification,
    /// A GWS `referenceId`: the number a workitem or workbin operation's answer carries and
    /// its notification repeats (WorkitemCreate: `{"statusCode":0,"referenceId":8}`); decimal
    /// digits, at most 19.
    Reference,
}

/// Where the ids a response needs come from: the caller's (a GUID generator in a service; the
/// replay's ids derived from the trace line; the gateway's own counters).
pub trait IdSource {
    /// A fresh id of `kind`, never given before for that kind (or handed back since with
    /// [`IdSource::unused`]: a source that counts may give that one again).
    fn next_id(&mut self, kind: IdKind) -> String;

    /// `id`, the latest [`IdSource::next_id`] of `kind`, names nothing after all: the request
    /// it was drawn for was refused (a VCC dispatch without `externalid` whose provider is
    /// unknown, a Calls API dial the engine refuses) or was a duplicate, and the engine neither
    /// holds nor remembers an interaction of that id. A source that counts may give it again,
    /// so that a refused request leaves it as it was (the gateway's counters do); one that
    /// cannot (a GUID generator) ignores this, the default. Never called for an id the engine
    /// holds or remembers (taken by another interaction, of any API): given again, it would be
    /// refused again.
    fn unused(&mut self, kind: IdKind, id: &str) {
        let _ = (kind, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item is moved several times per exchange: its size is watched (360 bytes on a 64-bit
    /// target since `Body::Json` and `Item::left` were boxed; 456 before). Grow it knowingly.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn an_item_stays_small() {
        assert_eq!(core::mem::size_of::<Item>(), 360);
        assert_eq!(core::mem::size_of::<Response>(), 56);
    }

    /// `Item::applied_in` given the interaction as read after the step is `Item::applied`,
    /// for an applied step (a dispatch, then an offer, with its agent) and for a refusal (a
    /// hold of the offer).
    #[test]
    fn an_item_of_an_interaction_read_once_is_the_item_read_by_the_item() {
        use interaction_core::{Action, Actor, AgentId, Direction, Input, Media, UserData};
        let mut engine = Engine::new();
        let (Ok(id), Ok(route), Ok(agent)) = (
            InteractionId::parse("chat-1", "id"),
            Name::parse("Sales", "route"),
            AgentId::parse("agent-7", "agent"),
        ) else {
            unreachable!("valid ids")
        };
        let dispatch = Action::Dispatch {
            route,
            media: Media::Chat,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        };
        let offer = Action::Offer {
            agent: agent.clone(),
        };
        // A hold of an offer is refused.
        let mut outcomes = Vec::new();
        for action in [dispatch, offer, Action::Hold] {
            let name = SmolStr::new_static(action.kind().name());
            let mut effects = Vec::new();
            let input = Input::new(id.clone(), action, Actor::Platform);
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            let interaction = Some(id.to_smol_str());
            let it = engine.interaction(id.as_str());
            let once = Item::applied_in(
                &engine,
                it,
                interaction.clone(),
                Some(name.clone()),
                step.clone(),
                effects.clone(),
                Some(agent.as_str()),
            );
            let item = Item::applied(
                &engine,
                interaction,
                Some(name),
                step,
                effects,
                Some(agent.as_str()),
            );
            assert_eq!(once, item);
            assert!(item.from.is_some() || item.to.is_some(), "{item:?}");
            outcomes.push(item.outcome.map_err(|e| e.kind()));
        }
        assert_eq!(
            outcomes,
            [
                Ok(Outcome::Applied),
                Ok(Outcome::Applied),
                Err(interaction_core::ErrorKind::InvalidTransition)
            ]
        );
    }

    /// RFC 7617's example credentials, `Aladdin:open sesame`; the scheme in any case; no user
    /// name from another scheme, from text that is not base64, or without the field.
    #[test]
    fn the_basic_user_is_the_user_name_of_the_credentials() {
        let with = |value: &str| {
            basic_user(&[
                ("Content-Type", "application/json"),
                ("authorization", value),
            ])
        };
        assert_eq!(
            with("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").as_deref(),
            Some("Aladdin")
        );
        assert_eq!(with("basic  MTAwMTpzZWNyZXQ= ").as_deref(), Some("1001"));
        // No colon: the whole text is the user name.
        assert_eq!(with("Basic MTAwMQ==").as_deref(), Some("1001"));
        assert_eq!(with("Bearer MTAwMTpzZWNyZXQ="), None);
        assert_eq!(with("Basic not base64!"), None);
        assert_eq!(with("Basic"), None);
        // `:secret` and nothing: no user name, no identity.
        assert_eq!(with("Basic OnNlY3JldA=="), None);
        assert_eq!(with("Basic "), None);
        assert_eq!(basic_user(&[("Accept", "*/*")]), None);
    }

    /// A response for an `http` server: status, headers with `Content-Type`, the body.
    #[cfg(feature = "http")]
    #[test]
    fn a_response_becomes_an_http_response() {
        let created = Response::fixed(201, r#"{"id":"s-1"}"#)
            .with_header("Location", "/api/subscribe/s-1".to_owned())
            .to_http();
        assert_eq!(created.status(), 201);
        assert_eq!(created.headers()["location"], "/api/subscribe/s-1");
        assert_eq!(created.headers()["content-type"], "application/json");
        assert_eq!(created.body(), br#"{"id":"s-1"}"#);
        let empty = Response::empty(202).to_http();
        assert_eq!((empty.status().as_u16(), empty.headers().len()), (202, 0));
        assert!(empty.body().is_empty());
        assert_eq!(Response::empty(7).to_http().status(), 500);
        let mut headers = http::HeaderMap::new();
        headers.insert("x-ok", http::HeaderValue::from_static("yes"));
        headers.insert("x-bytes", http::HeaderValue::from_bytes(b"\xff").unwrap());
        assert_eq!(header_fields(&headers), [("x-ok", "yes")]);
    }

    #[test]
    fn paths_are_read_once_for_every_vendor() {
        let p =
            Path::parse(" https://host:8443/api/v2/me/interactions/a%20b%2Fc?fields=*&x=%41#f ");
        assert_eq!(p.origin, Some(("https", "host:8443")));
        assert_eq!(*p.parts(), ["api", "v2", "me", "interactions", "a b/c"]);
        assert_eq!(p.query_param("fields").as_deref(), Some("*"));
        assert_eq!(p.query_param("x").as_deref(), Some("A"));
        assert!(!p.relative);
        let bare = Path::parse("cti.example.com/api/command");
        assert!(bare.relative);
        assert_eq!(
            *bare.without_bare_host(1, |s| s != "api"),
            ["api", "command"]
        );
        assert_eq!(
            *Path::parse("api/command").without_bare_host(1, |s| s != "api"),
            ["api", "command"]
        );
        assert_eq!(*Path::parse("/x//y/").parts(), ["x", "y"]);
        assert_eq!(*Path::parse("/bad%ff").parts(), ["bad%ff"]);
        assert!(Path::parse("").parts().is_empty());
    }

    /// A plain segment is read as itself wherever it stands: every byte on its own, and ids
    /// of the vendors' shapes; a byte the reader treats apart makes a segment not plain.
    #[test]
    fn a_plain_segment_is_read_as_itself() {
        let read = |target: &str| Path::parse(target).parts().as_slice().join("|");
        let mut segments: Vec<String> = (0u8..=0x7F).map(|b| char::from(b).to_string()).collect();
        segments.extend(
            [
                "ix-123",
                "00009a8T8Y130123",
                "a1b2c3d4e5",
                "w:1~x",
                "a%2Fb",
                "é",
                "a b",
                "a\tb",
            ]
            .map(str::to_owned),
        );
        for segment in segments.iter().filter(|s| is_plain_segment(s)) {
            assert_eq!(read(&format!("/a/{segment}/b")), format!("a|{segment}|b"));
            assert_eq!(read(&format!("/a/{segment}")), format!("a|{segment}"));
            assert_eq!(Path::parse(&format!("/a/{segment}")).query, None);
        }
        // Of the 128 ASCII bytes, the 94 visible ones but `/ ? # %`.
        let plain_bytes = (0u8..=0x7F)
            .filter(|&b| is_plain_segment(&char::from(b).to_string()))
            .count();
        assert_eq!(plain_bytes, 90);
        for id in ["ix-123", "00009a8T8Y130123", "a1b2c3d4e5", "w:1~x"] {
            assert!(is_plain_segment(id), "{id:?}");
        }
        assert!(!is_plain_segment(""));
        for special in ["/", "?", "#", "%", " ", "\t", "é", "a%2Fb", "a b"] {
            assert!(!is_plain_segment(special), "{special:?}");
        }
    }

    #[test]
    fn a_path_ends_at_its_query_or_fragment_and_keeps_at_most_max_segments() {
        let p = Path::parse("/a/b?c/d#e");
        assert_eq!(
            (p.parts().as_slice(), p.query),
            (["a", "b"].as_slice(), Some("c/d"))
        );
        let p = Path::parse("/a/?q");
        assert_eq!(
            (p.parts().as_slice(), p.query),
            (["a"].as_slice(), Some("q"))
        );
        let p = Path::parse("/a/b#x?y");
        assert_eq!(
            (p.parts().as_slice(), p.query),
            (["a", "b"].as_slice(), None)
        );
        assert!(Path::parse("?q").parts().is_empty());
        // Whitespace as `char::is_whitespace` sees it, ASCII or not, is trimmed; other
        // non-ASCII text is kept.
        assert_eq!(*Path::parse("\u{a0}/a\u{2003}").parts(), ["a"]);
        assert_eq!(*Path::parse("\x0b/a/\u{e9}").parts(), ["a", "\u{e9}"]);
        let most = "/s".repeat(MAX_SEGMENTS);
        assert_eq!(Path::parse(&most).parts().len(), MAX_SEGMENTS);
        assert_eq!(
            Path::parse(&format!("{most}/?q")).parts().len(),
            MAX_SEGMENTS
        );
        assert!(Path::parse(&format!("{most}/t")).parts().is_empty());
        assert!(Path::parse(&format!("{most}/t?q")).parts().is_empty());
        assert!(Path::parse(&format!("{most}/%41")).parts().is_empty());
    }

    #[test]
    fn bodies_serialize_as_the_json_they_hold() {
        let r = Response::fixed(200, r#"{"status":"ok"}"#);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"type":"response","status":200,"body":{"status":"ok"}}"#
        );
        let e = Response::empty(201).with_header("Location", "api/subscribe/1".to_owned());
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"response","status":201,"body":null,"headers":{"Location":"api/subscribe/1"}}"#
        );
        assert_eq!(r.body.to_bytes(), br#"{"status":"ok"}"#);
        assert!(Body::Empty.to_bytes().is_empty());
    }
}
