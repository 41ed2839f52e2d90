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
//! own actions and are decoded by [`decode_core`]. `docs/trace-format.md` documents every field
//! with an example per action.

use interaction_core::text;
use interaction_core::{
    Action, ActionKind, Actor, AgentId, Callee, Caller, Direction, Error, IdempotencyKey, Input,
    InteractionId, Media, Name, ProviderName, UserData,
};
use interaction_wire::printable;
use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

/// The vendor APIs a trace record can name (`"api"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Vonage Contact Center: the Interactions API and the Calls API.
    Vcc,
    /// Genesys Web Services v2: `/me` operations and CometD notifications.
    Gws,
    /// Anywhere365 CTI Broker: events, commands and subscriptions.
    Anywhere365,
    /// The core's own actions.
    Core,
}

impl Api {
    /// The trace's name for it: `vcc`, `gws`, `anywhere365`, `core`.
    pub const fn name(self) -> &'static str {
        match self {
            Api::Vcc => "vcc",
            Api::Gws => "gws",
            Api::Anywhere365 => "anywhere365",
            Api::Core => "core",
        }
    }

    fn from_name(name: &str) -> Option<Api> {
        [Api::Vcc, Api::Gws, Api::Anywhere365, Api::Core]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// The HTTP method of a record (`"method"`, default `POST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `POST`, the default.
    Post,
    /// `DELETE` (Anywhere365 unsubscribe).
    Delete,
}

/// One decoded trace line. `body` borrows the line's text.
#[derive(Debug)]
pub struct Record<'a> {
    /// Which API.
    pub api: Api,
    /// The HTTP method.
    pub method: Method,
    /// The vendor's documented path, `callback`, or a CometD channel; empty when absent.
    /// Borrowed from the line unless it holds an escape.
    pub path: Cow<'a, str>,
    /// The agent a `/me` request acts as (GWS), if given.
    pub as_agent: Option<String>,
    /// The request's `Content-Type` header value, verbatim (`"content_type"`); `None` means JSON.
    pub content_type: Option<Cow<'a, str>>,
    /// The body, verbatim JSON text; `null` when absent.
    pub body: &'a RawValue,
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
    #[allow(dead_code)] // informational only: order is input order (MODEL.md section 5)
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
    let method = match env.method.as_deref() {
        None => Method::Post,
        Some(m) if m.eq_ignore_ascii_case("POST") => Method::Post,
        Some(m) if m.eq_ignore_ascii_case("DELETE") => Method::Delete,
        Some(other) => return Err(Error::unsupported("method", printable(other))),
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
        body,
    })
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

/// What an `"api": "core"` record asks for.
#[derive(Debug)]
pub enum CoreRequest {
    /// An action on one interaction.
    Apply(Input),
    /// `log_in` of an agent.
    LogIn(AgentId),
    /// `log_out` of an agent.
    LogOut(AgentId),
}

/// The wire shape of an `"api": "core"` body. Every argument is optional here; which ones an
/// action needs is checked by [`decode_core`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a JSON object with an `action`")]
struct CoreBody<'a> {
    action: Option<String>,
    interaction: Option<String>,
    actor: Option<serde_json::Value>,
    agent: Option<String>,
    route: Option<String>,
    queue: Option<String>,
    workbin: Option<String>,
    media: Option<String>,
    direction: Option<String>,
    /// Kept raw: its length is checked before it is read ([`user_data_of`]).
    #[serde(borrow)]
    user_data: Option<&'a RawValue>,
    keys: Option<Vec<String>>,
    from: Option<Party>,
    to: Option<Party>,
    key: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with `agent`, `groups` or `number`"
)]
struct Party {
    agent: Option<String>,
    groups: Option<Vec<String>>,
    number: Option<String>,
}

/// The action name of a core body, if it has a string `action` (to label its record).
pub fn core_action_name(body: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct ActionOnly {
        action: Option<String>,
    }
    serde_json::from_str::<ActionOnly>(body.get())
        .ok()
        .and_then(|a| a.action)
}

/// The interaction id of a core body, if it has a string `interaction` (to label its record).
pub fn core_interaction(body: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct InteractionOnly {
        interaction: Option<String>,
    }
    serde_json::from_str::<InteractionOnly>(body.get())
        .ok()
        .and_then(|a| a.interaction)
}

/// Decodes an `"api": "core"` body (MODEL.md section 7):
/// `{"action": "<action>", "interaction": "<id>", "actor": {"agent": "<id>"} | {"provider":
/// "<name>" | null} | "platform", ...arguments}`; `log_in` / `log_out` take `"agent"` and no
/// interaction. Arguments: `agent`, `route`, `queue`, `workbin`, `media`, `direction`,
/// `user_data` (an object), `keys` (for `delete_user_data`; the keys of `user_data` also
/// count), `from` / `to` for `dial` (`{"agent": id}`, `{"groups": [..]}`, `{"number": ".."}`),
/// and `key` (an idempotency key). `offer` and `assign` with a `media` create the interaction
/// on first sight.
///
/// # Errors
/// `malformed` for a body of the wrong shape or an unknown member; `missing_field` /
/// `invalid_field` naming the argument; `unsupported` for an unknown action.
pub fn decode_core(body: &RawValue) -> Result<CoreRequest, Error> {
    let b: CoreBody<'_> =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(body.get()))
            .map_err(|e| match e.path().to_string().as_str() {
                "." => Error::malformed(format!("core body: {}", e.inner())),
                path => Error::malformed(format!("core body: {path}: {}", e.inner())),
            })?;
    let action_name = b
        .action
        .as_deref()
        .ok_or_else(|| Error::missing_field("action"))?;
    match action_name {
        "log_in" => return Ok(CoreRequest::LogIn(agent_arg(b.agent.as_deref())?)),
        "log_out" => return Ok(CoreRequest::LogOut(agent_arg(b.agent.as_deref())?)),
        _ => {}
    }
    let kind = ActionKind::from_name(action_name)
        .ok_or_else(|| Error::unsupported("action", action_name))?;
    let interaction = InteractionId::parse(b.interaction.as_deref().unwrap_or(""), "interaction")?;
    let actor = decode_actor(b.actor.as_ref())?;
    let media = b
        .media
        .as_deref()
        .map(|m| {
            Media::from_name(m).ok_or_else(|| {
                Error::invalid_field("media", format!("`{m}` is not live, nonlive or chat"))
            })
        })
        .transpose()?;
    let direction = b
        .direction
        .as_deref()
        .map(|d| {
            Direction::from_name(d).ok_or_else(|| {
                Error::invalid_field("direction", format!("`{d}` is not inbound or outbound"))
            })
        })
        .transpose()?;
    let user_data = user_data_of(b.user_data)?;
    let action = build_action(kind, &b, user_data, media, direction)?;
    let mut input = Input::new(interaction, action, actor);
    if let Some(key) = b.key.as_deref() {
        input = input.with_key(IdempotencyKey::scoped("key", None, key)?);
    }
    if matches!(kind, ActionKind::Offer | ActionKind::Assign)
        && let Some(media) = media
    {
        input = input.with_first_sight(media, direction.unwrap_or(Direction::Inbound));
    }
    Ok(CoreRequest::Apply(input))
}

/// A core body's `user_data`: at most [`interaction_core::MAX_USER_DATA_BYTES`] of JSON
/// (checked before it is read), an object; `null` is absent.
fn user_data_of(raw: Option<&RawValue>) -> Result<Option<UserData>, Error> {
    let Some(raw) = raw.filter(|raw| raw.get() != "null") else {
        return Ok(None);
    };
    interaction_wire::check_user_data_len(raw, || "user_data".to_owned())?;
    interaction_wire::parse_raw(raw, "core body: user_data").map(Some)
}

/// The core action `kind` with its arguments taken from the body.
fn build_action(
    kind: ActionKind,
    b: &CoreBody<'_>,
    user_data: Option<UserData>,
    media: Option<Media>,
    direction: Option<Direction>,
) -> Result<Action, Error> {
    let agent = || agent_arg(b.agent.as_deref());
    let name = |value: Option<&str>, field: &'static str| Name::parse(value.unwrap_or(""), field);
    Ok(match kind {
        ActionKind::Dispatch => Action::Dispatch {
            route: name(b.route.as_deref(), "route")?,
            media: media.ok_or_else(|| Error::missing_field("media"))?,
            direction: direction.unwrap_or(Direction::Inbound),
            user_data: user_data.unwrap_or_default(),
        },
        ActionKind::Offer => Action::Offer { agent: agent()? },
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject,
        ActionKind::Revoke => Action::Revoke,
        ActionKind::Assign => Action::Assign { agent: agent()? },
        ActionKind::Hold => Action::Hold,
        ActionKind::Retrieve => Action::Retrieve,
        ActionKind::TransferToAgent => Action::TransferToAgent { agent: agent()? },
        ActionKind::TransferToRoute => Action::TransferToRoute {
            route: name(b.route.as_deref(), "route")?,
        },
        ActionKind::Transferred => Action::Transferred { agent: agent()? },
        ActionKind::PlaceInQueue => Action::PlaceInQueue {
            queue: name(b.queue.as_deref(), "queue")?,
        },
        ActionKind::PlaceInWorkbin => Action::PlaceInWorkbin {
            workbin: name(b.workbin.as_deref(), "workbin")?,
        },
        ActionKind::Pull => Action::Pull { agent: agent()? },
        ActionKind::Dial => Action::Dial {
            from: decode_caller(b.from.as_ref())?,
            to: decode_callee(b.to.as_ref())?,
            media: media.unwrap_or(Media::Live),
        },
        ActionKind::Answer => Action::Answer {
            agent: b
                .agent
                .as_deref()
                .map(|a| AgentId::parse(a, "agent"))
                .transpose()?,
        },
        ActionKind::Complete => Action::Complete,
        ActionKind::Cancel => Action::Cancel,
        ActionKind::Release => Action::Release,
        ActionKind::Disconnect => Action::Disconnect { agent: agent()? },
        ActionKind::UpdateUserData => Action::UpdateUserData {
            user_data: user_data.ok_or_else(|| Error::missing_field("user_data"))?,
        },
        ActionKind::AttachUserData => Action::AttachUserData {
            user_data: user_data.ok_or_else(|| Error::missing_field("user_data"))?,
        },
        ActionKind::DeleteUserData => {
            let mut keys = b.keys.clone().unwrap_or_default();
            if let Some(data) = user_data {
                keys.extend(data.into_keys());
            }
            if keys.is_empty() {
                return Err(Error::missing_field("keys"));
            }
            Action::DeleteUserData { keys }
        }
    })
}

fn agent_arg(agent: Option<&str>) -> Result<AgentId, Error> {
    AgentId::parse(agent.unwrap_or(""), "agent")
}

fn decode_actor(actor: Option<&serde_json::Value>) -> Result<Actor, Error> {
    use serde_json::Value as J;
    let actor = actor.ok_or_else(|| Error::missing_field("actor"))?;
    match actor {
        J::String(s) if s == "platform" => Ok(Actor::Platform),
        J::Object(map) if map.len() == 1 => match map.iter().next() {
            Some((k, J::String(a))) if k == "agent" => {
                Ok(Actor::Agent(AgentId::parse(a, "actor.agent")?))
            }
            Some((k, J::String(p))) if k == "provider" => Ok(Actor::Provider(Some(
                ProviderName::parse(p, "actor.provider")?,
            ))),
            Some((k, J::Null)) if k == "provider" => Ok(Actor::Provider(None)),
            _ => Err(invalid_actor()),
        },
        _ => Err(invalid_actor()),
    }
}

fn invalid_actor() -> Error {
    Error::invalid_field(
        "actor",
        "must be \"platform\", {\"agent\": \"<id>\"} or {\"provider\": \"<name>\" | null}",
    )
}

fn decode_caller(party: Option<&Party>) -> Result<Caller, Error> {
    let p = party.ok_or_else(|| Error::missing_field("from"))?;
    match (&p.agent, &p.groups, &p.number) {
        (Some(a), None, None) => Ok(Caller::Agent(AgentId::parse(a, "from.agent")?)),
        (None, Some(groups), None) if !groups.is_empty() => Ok(Caller::Groups(
            groups
                .iter()
                .map(|g| Name::parse(g, "from.groups"))
                .collect::<Result<_, _>>()?,
        )),
        _ => Err(Error::invalid_field(
            "from",
            "must be {\"agent\": \"<id>\"} or {\"groups\": [\"<id>\", ...]}",
        )),
    }
}

fn decode_callee(party: Option<&Party>) -> Result<Callee, Error> {
    let p = party.ok_or_else(|| Error::missing_field("to"))?;
    match (&p.agent, &p.groups, &p.number) {
        (Some(a), None, None) => Ok(Callee::Agent(AgentId::parse(a, "to.agent")?)),
        (None, None, Some(n)) => Ok(Callee::Number(Name::parse(n, "to.number")?)),
        _ => Err(Error::invalid_field(
            "to",
            "must be {\"agent\": \"<id>\"} or {\"number\": \"<telephone number>\"}",
        )),
    }
}
