//! The core's own actions as an endpoint (MODEL.md section 7, `"api": "core"`): what a
//! vendor's wire format does not show (a VCC agent pressing hold on the desktop), or a
//! service's direct input. A JSON body names the action and its arguments:
//!
//! ```json
//! {"action": "hold", "interaction": "88381694", "actor": {"agent": "5464"}}
//! ```
//!
//! `docs/trace-format.md`, "Core records", documents every member with an example per action.
//!
//! | request | response | items |
//! |---|---|---|
//! | `POST` a core body | `200 {"outcome": "applied" | "duplicate" | "ignored"}`; a refusal `{"error": {"kind", "message"}}` with `400` (the body: `malformed`, `missing_field`, `invalid_field`, `unsupported`), `404` (`unknown_interaction`) or `409` (every refusal of the engine's rules) | one |
//! | another method | `405` | one, refused `unsupported` `method` |

use interaction_core::{
    Action, ActionKind, Actor, AgentAction, AgentActionKind, AgentId, Callee, Caller, Direction,
    Engine, Error, ErrorKind, IdempotencyKey, Input, InteractionId, Media, Name, ProviderName,
    UserData,
};
use interaction_wire::{Handled, Item, Request, Response, SmolStr, body_or_null, printable};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;

/// A core request, read as far as it can be without the engine. It owns its data.
#[derive(Debug)]
pub struct Prepared {
    /// The body's `action`, when it is a string (the item's label, even when refused).
    pub action: Option<SmolStr>,
    /// The body's `interaction`, when it is a string.
    pub interaction: Option<SmolStr>,
    /// What it asks for, or why it is refused.
    pub decoded: Result<CoreRequest, Error>,
    /// Whether the method was `POST` (else the answer is `405`).
    pub posted: bool,
}

/// Reads a core request.
pub fn prepare(request: &Request<'_>) -> Prepared {
    let body = body_or_null(request.body);
    let raw = std::str::from_utf8(body)
        .ok()
        .and_then(|text| serde_json::from_str::<&RawValue>(text).ok());
    let (action, interaction) = match raw {
        Some(raw) => (core_action_name(raw), core_interaction(raw)),
        None => (None, None),
    };
    let posted = request.is("POST");
    let decoded = if posted {
        match raw {
            Some(raw) => decode_core(raw),
            None => interaction_wire::parse_body(body, "core body").and_then(decode_core),
        }
    } else {
        Err(Error::unsupported("method", printable(request.method)))
    };
    Prepared {
        action,
        interaction,
        decoded,
        posted,
    }
}

/// Applies a prepared core request to `engine`. `identity` is the request's authenticated
/// caller, whose `allowed` the item lists when the actor is no agent.
pub fn apply(engine: &mut Engine, prepared: Prepared, identity: Option<&str>) -> Handled {
    let Prepared {
        action,
        interaction,
        decoded,
        posted,
    } = prepared;
    let item = match decoded {
        Ok(CoreRequest::Apply(input)) => {
            let agent = input.actor.agent().cloned();
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            let who = agent.as_ref().map(AgentId::as_str).or(identity);
            Item::applied(engine, interaction, action, step, effects, who)
        }
        Ok(CoreRequest::Agent { agent, action: act }) => {
            let result = engine
                .apply_agent(agent.clone(), act)
                .map(|_| ())
                .map_err(Error::from);
            session(engine, action, agent, result, identity)
        }
        Err(e) => Item::of(engine, interaction, action, Err(e), identity),
    };
    let response = if posted {
        response(&item)
    } else {
        Response::json(
            405,
            json!({ "error": { "kind": "unsupported", "message": "method not allowed" } }),
        )
    };
    Handled::new(response, vec![item])
}

fn session(
    engine: &Engine,
    action: Option<SmolStr>,
    agent: AgentId,
    result: Result<(), Error>,
    identity: Option<&str>,
) -> Item {
    match result {
        Ok(()) => {
            let mut item = Item::of_agent(engine, SmolStr::default(), agent, Ok(()));
            item.action = action;
            item
        }
        Err(e) => Item::of(engine, None, action, Err(e), identity),
    }
}

/// The answer to a core request: `200 {"outcome"}`, or the refusal with the status of its
/// kind ([`status`]) and `{"error": {"kind", "message"}}`.
pub fn response(item: &Item) -> Response {
    match &item.outcome {
        Ok(outcome) => Response::json(200, json!({ "outcome": outcome.name() })),
        Err(e) => Response::json(
            status(e.kind()),
            json!({ "error": { "kind": e.kind().name(), "message": e.to_string() } }),
        ),
    }
}

/// The HTTP status of a refusal of kind `kind`: `400` for what is wrong with the request itself,
/// `404` for an unknown interaction, `405` for a method, `409` for a rule of the engine.
pub fn status(kind: ErrorKind) -> u16 {
    match kind {
        ErrorKind::Malformed
        | ErrorKind::MissingField
        | ErrorKind::InvalidField
        | ErrorKind::Unsupported => 400,
        ErrorKind::UnknownInteraction => 404,
        _ => 409,
    }
}

/// [`prepare`] and [`apply`] at once.
pub fn handle(engine: &mut Engine, request: &Request<'_>) -> Handled {
    apply(engine, prepare(request), request.identity)
}

/// What an `"api": "core"` record asks for.
#[derive(Debug)]
pub enum CoreRequest {
    /// An action on one interaction.
    Apply(Input),
    /// An agent action (`log_in`, `log_out`, `set_ready`, `set_not_ready` with its `reason`,
    /// `set_after_call_work`: MODEL.md section 10).
    Agent {
        /// The agent.
        agent: AgentId,
        /// What it does.
        action: AgentAction,
    },
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
    /// `set_not_ready`'s reason.
    reason: Option<String>,
    /// Whether the interaction requires after-call work when this input ends its media.
    wrap_up: Option<bool>,
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
pub fn core_action_name(body: &RawValue) -> Option<SmolStr> {
    #[derive(Deserialize)]
    struct ActionOnly {
        action: Option<SmolStr>,
    }
    serde_json::from_str::<ActionOnly>(body.get())
        .ok()
        .and_then(|a| a.action)
}

/// The interaction id of a core body, if it has a string `interaction` (to label its record).
pub fn core_interaction(body: &RawValue) -> Option<SmolStr> {
    #[derive(Deserialize)]
    struct InteractionOnly {
        interaction: Option<SmolStr>,
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
    if let Some(kind) = AgentActionKind::from_name(action_name) {
        let agent = agent_arg(b.agent.as_deref())?;
        let action = match kind {
            AgentActionKind::LogIn => AgentAction::LogIn,
            AgentActionKind::LogOut => AgentAction::LogOut,
            AgentActionKind::SetReady => AgentAction::SetReady,
            AgentActionKind::SetNotReady => AgentAction::SetNotReady {
                reason: b
                    .reason
                    .as_deref()
                    .map(|r| Name::parse(r, "reason"))
                    .transpose()?,
            },
            AgentActionKind::SetAfterCallWork => AgentAction::SetAfterCallWork,
        };
        return Ok(CoreRequest::Agent { agent, action });
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
    if let Some(wrap_up) = b.wrap_up {
        input = input.with_wrap_up(wrap_up);
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
