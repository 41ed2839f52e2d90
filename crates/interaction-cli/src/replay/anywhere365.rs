//! Anywhere365 CTI Broker records: events (`"path": "callback"`), commands and subscriptions
//! (`shared/spec/anywhere365-cti-broker.txt`; the mapping is in `docs/anywhere365.md`).
//!
//! * `POST callback`: one event the broker pushed to the subscriber, decoded and mapped by
//!   [`a365::event_item`] against the engine's current state, then applied: a platform fact on
//!   the call, or a log in / log out of the agent. A subscription seen on an accepted event
//!   becomes known ([`a365::Subscriptions::confirm`]).
//! * `POST /api/command`: [`a365::decode_command`]; AgentLogin / AgentLogout log the agent in or
//!   out; every command is answered `202`, or `500` naming the refused field.
//! * `POST /api/subscribe`: the subscription gets the id
//!   [`a365::SubscriptionId::numbered`]`(line)`, the trace line number of the request
//!   (`00000000-0000-0000-0000-000000000001` for line 1), and is answered `201` with the
//!   `Location` header in the response effect's `headers`.
//! * `DELETE /api/subscribe/{id}`: `202`, or `404` when the id is not a live subscription.

use interaction_anywhere365::wire::EventType;
use interaction_anywhere365::{self as a365, Command, Endpoint, EventInput};
use interaction_core::{Engine, Error};
use serde_json::{Value as Json, json};

use super::{Labels, RecordEffect, Replayer, response_effect};
use crate::Record;
use crate::trace::{self, Method};

/// An Anywhere365 line, decoded as far as it can be without the engine.
#[derive(Debug)]
pub(crate) enum Ready {
    /// A path or method the broker does not serve.
    Refused {
        action: Option<String>,
        error: Error,
    },
    /// An event that decoded: how it maps depends on the call's state, read when it is applied.
    Event(a365::Event),
    /// An event that did not decode: its item does not depend on the engine
    /// ([`a365::event_item`] only reads the engine to map a decoded event).
    RefusedEvent(a365::EventItem),
    /// `POST /api/command`, decoded.
    Command(a365::CommandItem),
    /// `POST /api/subscribe`, its body checked.
    Subscribe(Result<(), Error>),
    /// `DELETE /api/subscribe/{id}`.
    Unsubscribe(String),
}

/// Decodes an Anywhere365 record's body with the adapter ([`interaction_anywhere365`]).
pub(crate) fn prepare(rec: &trace::Record<'_>) -> Ready {
    let body = rec.body.get().as_bytes();
    let method = method_name(rec.method);
    if rec.path == "callback" {
        if rec.method != Method::Post {
            return Ready::Refused {
                action: Some("event".to_owned()),
                error: Error::unsupported("method", method),
            };
        }
        return match a365::decode_event(body) {
            Ok(event) => Ready::Event(event),
            Err(_) => Ready::RefusedEvent(a365::event_item(
                body,
                &Engine::new(),
                &a365::Subscriptions::new(),
            )),
        };
    }
    let Some(endpoint) = a365::endpoint(&rec.path) else {
        return Ready::Refused {
            action: None,
            error: trace::unsupported_path(&rec.path),
        };
    };
    if endpoint.method() != method {
        return Ready::Refused {
            action: None,
            error: Error::unsupported(
                "method",
                interaction_wire::printable(&format!("{method} {}", rec.path)),
            ),
        };
    }
    match endpoint {
        Endpoint::Command => Ready::Command(a365::decode_command(body)),
        Endpoint::Subscribe => Ready::Subscribe(a365::decode_subscribe(body)),
        Endpoint::Unsubscribe(id) => Ready::Unsubscribe(id),
    }
}

/// The action a refused event of type `event_type` is labelled with: the action that type
/// usually maps to, as [`a365::event_item`] labels it (a test holds the two together).
fn usual_label(event_type: EventType) -> &'static str {
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

impl Replayer {
    pub(crate) fn replay_anywhere365(
        &mut self,
        item: &mut Labels<'_>,
        ready: Ready,
        out: &mut Vec<Record>,
    ) {
        out.push(match ready {
            Ready::Refused { action, error } => {
                item.action = action;
                self.apply(item, Err(error), None)
            }
            Ready::Event(event) => {
                let result = a365::map_event(&event, &self.engine, &self.anywhere365);
                let action = match &result {
                    Ok(input) => input.label(),
                    Err(_) => usual_label(event.event_type),
                };
                self.replay_event(
                    item,
                    a365::EventItem {
                        action: action.to_owned(),
                        call_id: event.call.as_ref().map(|c| c.as_str().to_owned()),
                        subscription: Some(event.subscription),
                        result,
                    },
                )
            }
            Ready::RefusedEvent(event) => self.replay_event(item, event),
            Ready::Command(command) => self.replay_command(item, command),
            Ready::Subscribe(checked) => self.replay_subscribe(item, checked),
            Ready::Unsubscribe(id) => self.replay_unsubscribe(item, &id),
        });
    }

    /// One event, decoded and mapped against the engine as it is now, then applied.
    fn replay_event(&mut self, item: &mut Labels<'_>, event: a365::EventItem) -> Record {
        item.action = Some(event.action);
        item.interaction = event.call_id;
        let record = match event.result {
            Ok(EventInput::Apply(input)) => self.apply(item, Ok(input), None),
            Ok(EventInput::LogIn(agent)) => match self.engine.log_in(agent) {
                Ok(()) => Self::session_record(item),
                Err(e) => self.apply(item, Err(e), None),
            },
            Ok(EventInput::LogOut(agent)) => match self.engine.log_out(agent) {
                Ok(()) => Self::session_record(item),
                Err(e) => self.apply(item, Err(e), None),
            },
            Ok(EventInput::LoginFailed(agent)) => {
                let effect = json!({"type": "login_failed", "agent": agent.as_str()});
                match self.engine.log_out(agent) {
                    Ok(()) => {
                        let mut record = Self::session_record(item);
                        record.effects.push(RecordEffect::Json(effect));
                        record
                    }
                    Err(e) => self.apply(item, Err(e), None),
                }
            }
            Err(e) => self.apply(item, Err(e), None),
        };
        if record.outcome != "rejected"
            && let Some(subscription) = &event.subscription
        {
            self.anywhere365.confirm(subscription);
        }
        record
    }

    /// `POST /api/command`.
    fn replay_command(&mut self, item: &mut Labels<'_>, command: a365::CommandItem) -> Record {
        item.action = Some(command.action);
        match command.result {
            Ok(command) => {
                let session = match command {
                    Command::AgentLogin { agent } => self.engine.log_in(agent),
                    Command::AgentLogout { agent } => self.engine.log_out(agent),
                    Command::Dial { .. } | Command::HeartBeat { .. } => Ok(()),
                };
                if let Err(e) = session {
                    return self.apply(item, Err(e), Some(command_response));
                }
                let mut record = Self::session_record(item);
                record
                    .effects
                    .push(RecordEffect::Json(response_json(a365::command_response(
                        Ok(()),
                    ))));
                record
            }
            Err(e) => self.apply(item, Err(e), Some(command_response)),
        }
    }

    /// `POST /api/subscribe`: the id is derived from the line number.
    fn replay_subscribe(&mut self, item: &mut Labels<'_>, checked: Result<(), Error>) -> Record {
        item.action = Some("subscribe".to_owned());
        let id = a365::SubscriptionId::numbered(item.line);
        let subscribed = checked.and_then(|()| self.anywhere365.subscribe(id.clone()));
        match subscribed {
            Ok(()) => {
                let mut record = Self::session_record(item);
                record
                    .effects
                    .push(RecordEffect::Json(response_json(a365::subscribe_response(
                        Ok(&id),
                    ))));
                record
            }
            Err(e) => self.apply(item, Err(e), Some(subscribe_response)),
        }
    }

    /// `DELETE /api/subscribe/{id}`.
    fn replay_unsubscribe(&mut self, item: &mut Labels<'_>, id: &str) -> Record {
        item.action = Some("unsubscribe".to_owned());
        match self.anywhere365.unsubscribe(id) {
            Ok(_) => {
                let mut record = Self::session_record(item);
                record.effects.push(RecordEffect::Json(response_json(
                    a365::unsubscribe_response(Ok(())),
                )));
                record
            }
            Err(e) => self.apply(item, Err(e), Some(unsubscribe_response)),
        }
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Post => "POST",
        Method::Delete => "DELETE",
    }
}

/// A response effect; a `Location` header goes into a `headers` member beside `status` and
/// `body`.
fn response_json(response: a365::Response) -> Json {
    let mut effect = response_effect((response.status, response.body));
    if let (Some(location), Some(map)) = (response.location, effect.as_object_mut()) {
        map.insert("headers".to_owned(), json!({ "Location": location }));
    }
    effect
}

fn command_response(result: Result<(), &Error>) -> (u16, Json) {
    let response = a365::command_response(result);
    (response.status, response.body)
}

/// A refused subscribe's response (a success, with its `Location`, is made by
/// `replay_subscribe`, which knows the id).
fn subscribe_response(result: Result<(), &Error>) -> (u16, Json) {
    match result {
        Ok(()) => (201, Json::Null),
        Err(e) => {
            let response = a365::subscribe_response(Err(e));
            (response.status, response.body)
        }
    }
}

fn unsubscribe_response(result: Result<(), &Error>) -> (u16, Json) {
    let response = a365::unsubscribe_response(result);
    (response.status, response.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `usual_label` is the label [`a365::event_item`] gives a decoded event it refuses.
    #[test]
    fn a_refused_event_is_labelled_as_the_adapter_labels_it() {
        let mut subscriptions = a365::Subscriptions::new();
        let id = a365::SubscriptionId::numbered(1);
        assert!(subscriptions.subscribe(id.clone()).is_ok());
        assert!(subscriptions.unsubscribe(id.as_str()).is_ok());
        for event_type in EventType::ALL {
            let body = format!(
                r#"{{"SubscriptionId": "{}", "SessionType": 0, "ImAddress": "sip:a@b.com", "eventType": {}, "callId": "c1"}}"#,
                id.as_str(),
                event_type.code()
            );
            let item = a365::event_item(body.as_bytes(), &Engine::new(), &subscriptions);
            assert!(item.result.is_err(), "{event_type:?}");
            assert_eq!(item.action, usual_label(*event_type), "{event_type:?}");
        }
    }
}
