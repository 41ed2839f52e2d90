//! The CTI Broker endpoints as pure functions (MODEL.md section 9): a request to the broker or
//! an event it pushed in; the response, the items and the changed [`Subscriptions`] out.
//!
//! [`prepare_request`] / [`prepare_event`] read only the request; [`apply`] reads and changes
//! the engine and the subscriptions (an event is mapped from the call's current state there);
//! [`handle_request`] and [`handle_event`] are both at once.
//!
//! | request | response | items |
//! |---|---|---|
//! | `POST /api/command` | `202`, or `500 {"message"}` (anywhere365-cti-broker.txt, "Fire Commands") | one |
//! | `POST /api/subscribe` (a JSON object or no body) | `201` with `Location: api/subscribe/{id}`, the id from the caller's [`IdSource`]; `500 {"message"}` | one, `subscribe` |
//! | `DELETE /api/subscribe/{id}` | `202`, or `404 {"message"}` | one, `unsubscribe` |
//! | an event POSTed to the subscriber | `200`, no body, when it was read (the engine's verdict is the receiver's business: the broker would send it again for nothing); `400 {"message"}` when the body is not an event | one |
//! | another path | `404 {"message"}` | one, refused `unsupported` `path` |
//! | another method on a known path | `405 {"message"}` | one, refused `unsupported` `method` |

use interaction_core::{Engine, Error};
use interaction_wire::{body_or_null, printable};

/// The HTTP exchange types of these endpoints (`interaction_wire::http`), re-exported so that a
/// service names them through this crate alone: the request in, the `Handled` out, the ids
/// the caller supplies.
pub use interaction_wire::{
    Body, Handled, IdKind, IdSource, Item, Outgoing, Request, Response, SmolStr,
};
use serde_json::json;

use crate::{
    Command, CommandItem, Endpoint, Event, EventInput, EventItem, SubscriptionId, Subscriptions,
    command_response, decode_command, decode_event, decode_subscribe, endpoint, event_item,
    map_event, subscribe_response, unsubscribe_response, wire::EventType,
};

/// A request or an event, read as far as it can be without the engine and the subscriptions.
/// It owns its data, so it can be made on another thread.
#[derive(Debug)]
pub enum Prepared {
    /// A path or method the broker does not serve, with the answer to give.
    Refused {
        /// The action label (`event` for an event POSTed with another method).
        action: Option<SmolStr>,
        /// Why.
        error: Error,
        /// The answer.
        response: Response,
    },
    /// An event that decoded: how it maps depends on the call's state.
    Event(Event),
    /// An event that did not decode (its item does not depend on the engine).
    RefusedEvent(EventItem),
    /// `POST /api/command`, decoded.
    Command(CommandItem),
    /// `POST /api/subscribe`, its body checked.
    Subscribe(Result<(), Error>),
    /// `DELETE /api/subscribe/{id}`.
    Unsubscribe(String),
}

/// Reads a request to the broker (a command, a subscribe, an unsubscribe).
pub fn prepare_request(request: &Request<'_>) -> Prepared {
    let Some(endpoint) = endpoint(request.target) else {
        return Prepared::Refused {
            action: None,
            error: Error::unsupported("path", printable(request.target)),
            response: refused(404, "Not found"),
        };
    };
    if !request.is(endpoint.method()) {
        return Prepared::Refused {
            action: None,
            error: Error::unsupported(
                "method",
                printable(&format!(
                    "{} {}",
                    request.method.to_ascii_uppercase(),
                    request.target
                )),
            ),
            response: refused(405, "Method not allowed"),
        };
    }
    let body = body_or_null(request.body);
    match endpoint {
        Endpoint::Command => Prepared::Command(decode_command(body)),
        Endpoint::Subscribe => Prepared::Subscribe(decode_subscribe(body)),
        Endpoint::Unsubscribe(id) => Prepared::Unsubscribe(id),
    }
}

/// Reads an event the broker POSTed to the subscriber.
pub fn prepare_event(request: &Request<'_>) -> Prepared {
    if !request.is("POST") {
        return Prepared::Refused {
            action: Some(SmolStr::new_static("event")),
            error: Error::unsupported("method", request.method.to_ascii_uppercase()),
            response: refused(405, "Method not allowed"),
        };
    }
    let body = body_or_null(request.body);
    match decode_event(body) {
        Ok(event) => Prepared::Event(event),
        Err(_) => Prepared::RefusedEvent(event_item(body, &Engine::new(), &Subscriptions::new())),
    }
}

fn refused(status: u16, message: &str) -> Response {
    Response::json(status, json!({ "message": message }))
}

/// The action a refused event of type `event_type` is labelled with: the action that type
/// usually maps to, as [`event_item`] labels it (a test holds the two together).
pub fn usual_label(event_type: EventType) -> &'static str {
    match event_type {
        EventType::LoggedIn => "log_in",
        EventType::LoggedOff => "log_out",
        EventType::Hunting => "offer",
        EventType::Connected => "accept",
        EventType::Disconnected => "disconnect",
        EventType::OnHold => "hold",
        EventType::Retrieve => "retrieve",
    }
}

/// Applies a prepared request or event to `engine` and `subscriptions`, taking a subscription
/// id from `ids` for a subscribe. `identity` is the request's authenticated caller, whose
/// `allowed` an item lists when it names no acting agent.
pub fn apply(
    engine: &mut Engine,
    subscriptions: &mut Subscriptions,
    prepared: Prepared,
    identity: Option<&str>,
    ids: &mut dyn IdSource,
) -> Handled {
    match prepared {
        Prepared::Refused {
            action,
            error,
            response,
        } => Handled::single(
            Item::of(engine, None, action, Err(error), identity).responding(response),
        ),
        Prepared::Event(event) => {
            let result = map_event(&event, engine, subscriptions);
            let action = match &result {
                Ok(input) => input.label(),
                Err(_) => usual_label(event.event_type),
            };
            let call_id = event
                .call
                .as_ref()
                .map(interaction_core::InteractionId::to_smol_str);
            let item = event_outcome(
                engine,
                SmolStr::new_static(action),
                call_id,
                result,
                identity,
            );
            confirm(subscriptions, Some(&event.subscription), &item);
            Handled::new(Response::empty(200), vec![item])
        }
        Prepared::RefusedEvent(item) => {
            let response = match &item.result {
                Err(e) => refused(400, &e.to_string()),
                Ok(_) => Response::empty(200),
            };
            Handled::new(
                response,
                vec![apply_event(engine, subscriptions, item, identity)],
            )
        }
        Prepared::Command(command) => Handled::single(apply_command(engine, command, identity)),
        Prepared::Subscribe(checked) => {
            // The id is drawn for a body that reads only: a refused request takes nothing
            // from the caller's id source (the gateway's counters are part of its snapshot).
            let subscribed = checked.and_then(|()| {
                let id = SubscriptionId::parse(&ids.next_id(IdKind::Subscription), "id")?;
                subscriptions.subscribe(id.clone())?;
                Ok(id)
            });
            let response = wire_response(subscribe_response(subscribed.as_ref()));
            Handled::single(Item::session("subscribe", subscribed.map(|_| ())).responding(response))
        }
        Prepared::Unsubscribe(id) => {
            let result = subscriptions.unsubscribe(&id).map(|_| ());
            let response = wire_response(unsubscribe_response(result.as_ref().copied()));
            Handled::single(Item::session("unsubscribe", result).responding(response))
        }
    }
}

/// One event, decoded and mapped against the engine as it is now, then applied. A
/// subscription seen on an accepted event becomes known ([`Subscriptions::confirm`]).
fn apply_event(
    engine: &mut Engine,
    subscriptions: &mut Subscriptions,
    event: EventItem,
    identity: Option<&str>,
) -> Item {
    let EventItem {
        action,
        call_id,
        subscription,
        result,
    } = event;
    let item = event_outcome(engine, action, call_id, result, identity);
    confirm(subscriptions, subscription.as_ref(), &item);
    item
}

/// Makes `subscription` known ([`Subscriptions::confirm`]) when `item`, its event's, was
/// accepted. (It reads the item in place: an item is a few hundred bytes, and this is every
/// event's path.)
fn confirm(
    subscriptions: &mut Subscriptions,
    subscription: Option<&crate::SubscriptionId>,
    item: &Item,
) {
    if item.error().is_none()
        && let Some(subscription) = subscription
    {
        subscriptions.confirm(subscription);
    }
}

/// The item of one event's mapping (`result`), applied to `engine`.
fn event_outcome(
    engine: &mut Engine,
    action: SmolStr,
    call_id: Option<SmolStr>,
    result: Result<EventInput, Error>,
    identity: Option<&str>,
) -> Item {
    match result {
        Ok(EventInput::Apply(input)) => {
            let agent = input.actor.agent().cloned();
            let mut effects = Vec::new();
            let step = engine.apply(input, &mut effects).map_err(Error::from);
            let who = agent
                .as_ref()
                .map(interaction_core::AgentId::as_str)
                .or(identity);
            Item::applied(engine, call_id, Some(action), step, effects, who)
        }
        Ok(EventInput::LogIn(agent)) => session(engine, action, engine_log_in, agent, identity),
        Ok(EventInput::LogOut(agent)) => session(engine, action, engine_log_out, agent, identity),
        Ok(EventInput::LoginFailed(agent)) => {
            let failed = agent.clone();
            let mut item = session(engine, action, engine_log_out, agent, identity);
            if item.error().is_none() {
                item.login_failed = Some(failed);
            }
            item
        }
        Err(e) => Item::of(engine, call_id, Some(action), Err(e), identity),
    }
}

fn engine_log_in(engine: &mut Engine, agent: interaction_core::AgentId) -> Result<(), Error> {
    engine.log_in(agent).map_err(Error::from)
}

fn engine_log_out(engine: &mut Engine, agent: interaction_core::AgentId) -> Result<(), Error> {
    engine.log_out(agent).map_err(Error::from)
}

/// A log in or out: an item naming no interaction, refused when the engine is full of agents.
fn session(
    engine: &mut Engine,
    action: SmolStr,
    change: fn(&mut Engine, interaction_core::AgentId) -> Result<(), Error>,
    agent: interaction_core::AgentId,
    identity: Option<&str>,
) -> Item {
    match change(engine, agent.clone()) {
        Ok(()) => Item::of_agent(engine, action, agent, Ok(())),
        Err(e) => Item::of(engine, None, Some(action), Err(e), identity),
    }
}

/// `POST /api/command`: AgentLogin and AgentLogout drive the agent's session; a HeartBeat
/// (and the AgentLogin) re-arms the agent's heartbeat timer when
/// `EngineSettings::agent_heartbeat_timeout` is set ([`Engine::heartbeat`]; MODEL.md section
/// 10: an agent with no HeartBeat is logged out); Dial is checked and answered.
fn apply_command(engine: &mut Engine, command: CommandItem, identity: Option<&str>) -> Item {
    let CommandItem { action, result } = command;
    let mut changed = None;
    let result = result.and_then(|command| match command {
        Command::AgentLogin { agent } => {
            changed = Some(agent.clone());
            engine.log_in(agent.clone())?;
            // The login is the session's first beat (MODEL.md section 10).
            engine.heartbeat(&agent);
            Ok(())
        }
        Command::AgentLogout { agent } => {
            changed = Some(agent.clone());
            engine.log_out(agent).map_err(Error::from)
        }
        Command::HeartBeat { agent } => {
            engine.heartbeat(&agent);
            Ok(())
        }
        Command::Dial { .. } => Ok(()),
    });
    let response = wire_response(command_response(result.as_ref().copied()));
    match (result, changed) {
        (Ok(()), Some(agent)) => Item::of_agent(engine, action, agent, Ok(())).responding(response),
        (Ok(()), None) => Item::session(action, Ok(())).responding(response),
        (Err(e), _) => Item::of(engine, None, Some(action), Err(e), identity).responding(response),
    }
}

/// A broker [`crate::Response`] as a [`Response`]: its `Location` as a header.
fn wire_response(response: crate::Response) -> Response {
    let mut wire = match response.body {
        serde_json::Value::Null => Response::empty(response.status),
        body => Response::json(response.status, body),
    };
    if let Some(location) = response.location {
        wire = wire.with_header("Location", location);
    }
    wire
}

/// [`prepare_request`] and [`apply`] at once.
pub fn handle_request(
    engine: &mut Engine,
    subscriptions: &mut Subscriptions,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    apply(
        engine,
        subscriptions,
        prepare_request(request),
        request.identity,
        ids,
    )
}

/// [`prepare_event`] and [`apply`] at once.
pub fn handle_event(
    engine: &mut Engine,
    subscriptions: &mut Subscriptions,
    request: &Request<'_>,
    ids: &mut dyn IdSource,
) -> Handled {
    apply(
        engine,
        subscriptions,
        prepare_event(request),
        request.identity,
        ids,
    )
}
