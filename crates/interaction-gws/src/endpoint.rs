//! The GWS endpoints as pure functions (MODEL.md section 9): an agent's request or a CometD
//! message in; the response, one [`Item`] per operation or notification out.
//!
//! [`prepare_request`] / [`prepare_message`] read only the request; [`apply`] reads and
//! changes the engine (a notification is mapped from the interaction's current state there);
//! [`handle_request`] and [`handle_message`] are both at once. The request's `identity` is the
//! agent: GWS authenticates with HTTP Basic, and the user name is the agent.
//!
//! | request | response | items |
//! |---|---|---|
//! | `POST /me/{collection}/{id}` (also `/api/v2/me/...`) | the operation's answer in the page's style ([`Style`]) | one |
//! | a CometD message `{"channel", "data"}` or a notification body, on a `/v2/me/...` channel | `200`, no body (the receiver read it, whatever the engine made of it); `400` in the `Status` style when the body cannot be read (not JSON, not an object, a member of the wrong JSON type: a `malformed` refusal) | one |
//! | a CometD batch: a JSON array of messages, as a CometD client receives them | `200` when the array is readable (each message is its own item; `/meta/...` messages are the transport's and give none; a message on another channel is an item refused `unsupported` `channel`; a batch with no notification gives one `ignored` item, action `cometd`); `400` when it is not | one per message |
//! | a CometD message with another method than `POST` | `405`, `Status` style | one, refused `unsupported` `method` |
//! | another path | `404`, `Status` style | one, refused `unsupported` `path` |
//! | another method on an operation path | `405`, `Status` style | one, refused `unsupported` `method` |

use interaction_core::{Engine, Error, Outcome};
use interaction_wire::{Kind, body_or_null, parse_body, parse_raw, printable};

/// The HTTP exchange types of these endpoints (`interaction_wire::http`), re-exported so that a
/// service names them through this crate alone: the request in, the `Handled` out, the ids
/// the caller supplies.
pub use interaction_wire::{
    Body, Handled, IdKind, IdSource, Item, Outgoing, Request, Response, SmolStr,
};
use serde_json::json;
use serde_json::value::RawValue;

use crate::{
    Collection, Endpoint, Fact, NotificationItem, Operation, OperationItem, Style,
    decode_notification, decode_operation, endpoint,
};

/// A GWS request or CometD message, read as far as it can be without the engine. It owns its
/// data, so it can be made on another thread.
#[derive(Debug)]
pub enum Prepared {
    /// Refused before its body was read, with the answer to give.
    Refused {
        /// The interaction the path names, if it names one.
        interaction: Option<SmolStr>,
        /// Why.
        error: Error,
        /// The answer.
        response: Response,
    },
    /// An operation on `/me/{collection}/{id}`, decoded.
    Operation {
        /// The collection the path names (a media path reaches its media only).
        collection: Collection,
        /// The interaction id, from the path.
        id: SmolStr,
        /// The decoded operation.
        decoded: OperationItem,
    },
    /// One CometD notification (a notification body, or one `{"channel", "data"}` message),
    /// decoded (what it does depends on the interaction's state, read when it is applied).
    Single(NotificationItem),
    /// A CometD batch's notifications, each decoded; none when the batch held only `/meta/`
    /// messages or nothing.
    Notifications(Vec<NotificationItem>),
    /// A CometD body that cannot be read: not JSON, or neither an object nor an array.
    Unreadable(Error),
}

/// Reads an agent's request (an operation on `/me/{collection}/{id}`).
pub fn prepare_request(request: &Request<'_>) -> Prepared {
    match endpoint(request.target) {
        Some(Endpoint::Operation { collection, id }) => {
            if !request.is("POST") {
                return Prepared::Refused {
                    interaction: Some(id),
                    error: Error::unsupported(
                        "method",
                        printable(&format!("{} {}", request.method, request.target)),
                    ),
                    response: status_error(405, "method not allowed"),
                };
            }
            let body = body_or_null(request.body);
            let decoded = decode_operation(&id, request.identity, body);
            Prepared::Operation {
                collection,
                id,
                decoded,
            }
        }
        Some(Endpoint::Channel(_)) | None => Prepared::Refused {
            interaction: None,
            error: Error::unsupported("path", printable(request.target)),
            response: status_error(404, "not found"),
        },
    }
}

/// Reads a CometD message pushed to the agent `request.identity`: a notification body or one
/// `{"channel", "data"}` message (on a `/v2/me/...` channel target), or a batch of messages (a
/// JSON array, whatever the target).
pub fn prepare_message(request: &Request<'_>) -> Prepared {
    if !request.is("POST") {
        return Prepared::Refused {
            interaction: None,
            error: Error::unsupported(
                "method",
                printable(&format!("{} {}", request.method, request.target)),
            ),
            response: status_error(405, "method not allowed"),
        };
    }
    let body = body_or_null(request.body);
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[') {
        return Prepared::Single(decode_notification(body, request.identity));
    }
    let messages: Vec<&RawValue> =
        match parse_body(body, "CometD batch").and_then(|raw| parse_raw(raw, "CometD batch")) {
            Ok(messages) => messages,
            Err(e) => return Prepared::Unreadable(e),
        };
    let mut items = Vec::with_capacity(messages.len());
    for (index, raw) in messages.into_iter().enumerate() {
        match channel_of(raw, index) {
            Ok(Some(channel)) if channel.starts_with("/meta/") => {}
            Ok(Some(channel)) if matches!(endpoint(&channel), Some(Endpoint::Channel(_))) => {
                items.push(decode_notification(raw.get().as_bytes(), request.identity));
            }
            Ok(channel) => items.push(NotificationItem {
                interaction: None,
                label: None,
                capabilities: None,
                result: Err(Error::unsupported(
                    "channel",
                    printable(channel.as_deref().unwrap_or("")),
                )),
            }),
            Err(e) => items.push(NotificationItem {
                interaction: None,
                label: None,
                capabilities: None,
                result: Err(e),
            }),
        }
    }
    Prepared::Notifications(items)
}

/// The `channel` of batch element `index`: `None` when it has none.
fn channel_of(raw: &RawValue, index: usize) -> Result<Option<String>, Error> {
    if Kind::of(raw) != Kind::Object {
        return Err(Error::malformed(format!(
            "CometD batch[{index}]: expected a JSON object, got {}",
            Kind::of(raw)
        )));
    }
    let object = interaction_wire::Object::parse(raw, format!("[{index}]"))?;
    object.get::<String>("channel")
}

/// A refusal in the `Status` style with `status`: `{"status":"error","errorDescription"}`.
fn status_error(status: u16, description: &str) -> Response {
    Response::json(
        status,
        json!({ "status": "error", "errorDescription": description }),
    )
}

/// Applies a prepared request or message to `engine`; `identity` is the agent.
pub fn apply(engine: &mut Engine, prepared: Prepared, identity: Option<&str>) -> Handled {
    match prepared {
        Prepared::Refused {
            interaction,
            error,
            response,
        } => Handled::single(
            Item::of(engine, interaction, None, Err(error), identity).responding(response),
        ),
        Prepared::Operation {
            collection,
            id,
            decoded,
        } => Handled::single(operation(engine, collection, id, decoded, identity)),
        Prepared::Single(decoded) => {
            // A body that cannot be read is answered 400; one read is 200, whatever the
            // engine made of it (the platform's fact is the receiver's business).
            let unreadable = decoded
                .result
                .as_ref()
                .err()
                .filter(|e| e.kind() == interaction_core::ErrorKind::Malformed)
                .map(|e| crate::wire_response(Style::Status, Err(e)));
            let item = notification(engine, decoded, identity);
            Handled::new(unreadable.unwrap_or(Response::empty(200)), vec![item])
        }
        Prepared::Notifications(notifications) => {
            let mut items: Vec<Item> = notifications
                .into_iter()
                .map(|n| notification(engine, n, identity))
                .collect();
            if items.is_empty() {
                // Nothing in it for the engine (`[]`, or only `/meta/` messages): one item says
                // so, `ignored`, so that no exchange goes unrecorded.
                let mut item = Item::session("cometd", Ok(()));
                item.outcome = Ok(Outcome::Ignored);
                items.push(item);
            }
            Handled::new(Response::empty(200), items)
        }
        Prepared::Unreadable(error) => {
            let response = crate::wire_response(Style::Status, Err(&error));
            Handled::new(
                response,
                vec![Item::of(engine, None, None, Err(error), identity)],
            )
        }
    }
}

/// One `/me/.../{id}` operation.
fn operation(
    engine: &mut Engine,
    collection: Collection,
    id: SmolStr,
    decoded: OperationItem,
    identity: Option<&str>,
) -> Item {
    let style = decoded.operation.map_or(Style::Status, Operation::style);
    // A media path reaches only its media (a chat is not under /me/calls/{id}).
    let checked = decoded.result.and_then(|request| {
        let target = match &request {
            crate::Request::Apply(input) => input.interaction.as_str(),
            crate::Request::WorkbinContent { interaction, .. } => interaction.as_str(),
        };
        // Only a media path needs the lookup: `interactions` reaches every media.
        match collection.media().and_then(|_| engine.interaction(target)) {
            Some(it) => collection.check(target, it.media()).map(|()| request),
            None => Ok(request),
        }
    });
    match checked {
        Ok(crate::Request::Apply(input)) => {
            let agent = input.actor.agent().cloned();
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects);
            let response = crate::wire_response(style, step.as_ref().map(|_| ()));
            let who = agent
                .as_ref()
                .map(interaction_core::AgentId::as_str)
                .or(identity);
            let mut item = Item::of(engine, Some(id), decoded.action, step, who);
            item.effects = effects;
            item.responding(response)
        }
        Ok(crate::Request::WorkbinContent { agent, workbin, .. }) => {
            let (status, body) = crate::workbin_content_response(engine, workbin.as_str());
            unchanged(
                engine,
                Some(id),
                decoded.action,
                Some(agent.as_str()).or(identity),
            )
            .responding(Response::json(status, body))
        }
        Err(e) => {
            let response = crate::wire_response(style, Err(&e));
            Item::of(engine, Some(id), decoded.action, Err(e), identity).responding(response)
        }
    }
}

/// One CometD notification, a platform fact for the agent, weighed against the interaction's
/// current state.
fn notification(engine: &mut Engine, decoded: NotificationItem, identity: Option<&str>) -> Item {
    let NotificationItem {
        interaction,
        label,
        capabilities,
        result,
    } = decoded;
    let fact = result.and_then(|note| {
        let current = engine.interaction(note.interaction.as_str());
        note.into_fact(current)
    });
    let mut item = match fact {
        Ok(Fact::Apply(input)) => {
            let action = Some(SmolStr::new_static(input.action.kind().name()));
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects);
            let mut item = Item::of(engine, interaction, action, step, identity);
            item.effects = effects;
            item
        }
        Ok(Fact::Unchanged) => unchanged(engine, interaction, label, identity),
        Err(e) => Item::of(engine, interaction, label, Err(e), identity),
    };
    item.capabilities = capabilities;
    item
}

/// An `applied` item that changed nothing (a read, or a data notification without data):
/// `from == to`, the interaction's current state (`null` when unknown).
fn unchanged(
    engine: &Engine,
    interaction: Option<SmolStr>,
    action: Option<SmolStr>,
    agent: Option<&str>,
) -> Item {
    let it = interaction.as_deref().and_then(|id| engine.interaction(id));
    let now = it.map(|it| it.state().kind());
    let mut item = Item::of(
        engine,
        interaction,
        action,
        Ok(interaction_core::Step {
            outcome: Outcome::Applied,
            from: now,
            to: now,
            reason: it.and_then(|it| it.state().end_reason()),
            agent: None,
        }),
        agent,
    );
    item.outcome = Ok(Outcome::Applied);
    item
}

/// [`prepare_request`] and [`apply`] at once.
pub fn handle_request(engine: &mut Engine, request: &Request<'_>) -> Handled {
    apply(engine, prepare_request(request), request.identity)
}

/// [`prepare_message`] and [`apply`] at once.
pub fn handle_message(engine: &mut Engine, request: &Request<'_>) -> Handled {
    apply(engine, prepare_message(request), request.identity)
}
