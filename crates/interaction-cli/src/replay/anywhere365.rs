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

use interaction_anywhere365::{self as a365, Command, Endpoint, EventInput};
use interaction_core::Error;
use serde_json::{Value as Json, json};

use super::{Labels, Replayer, response_effect};
use crate::Record;
use crate::trace::{self, Method};

impl Replayer {
    pub(crate) fn replay_anywhere365(
        &mut self,
        item: &mut Labels<'_>,
        rec: &trace::Record<'_>,
        out: &mut Vec<Record>,
    ) {
        let body = rec.body.get().as_bytes();
        let method = method_name(rec.method);
        if rec.path == "callback" {
            if rec.method == Method::Post {
                out.push(self.replay_event(item, body));
            } else {
                item.action = Some("event".to_owned());
                out.push(self.apply(item, Err(Error::unsupported("method", method)), None));
            }
            return;
        }
        let Some(endpoint) = a365::endpoint(&rec.path) else {
            let e = Error::unsupported("path", rec.path.clone());
            out.push(self.apply(item, Err(e), None));
            return;
        };
        if endpoint.method() != method {
            let e = Error::unsupported("method", format!("{method} {}", rec.path));
            out.push(self.apply(item, Err(e), None));
            return;
        }
        out.push(match endpoint {
            Endpoint::Command => self.replay_command(item, body),
            Endpoint::Subscribe => self.replay_subscribe(item, body),
            Endpoint::Unsubscribe(id) => self.replay_unsubscribe(item, &id),
        });
    }

    /// One event: decoded and mapped against the engine as it is now, then applied.
    fn replay_event(&mut self, item: &mut Labels<'_>, body: &[u8]) -> Record {
        let event = a365::event_item(body, &self.engine, &self.anywhere365);
        item.action = Some(event.action);
        item.interaction = event.call_id;
        let record = match event.result {
            Ok(EventInput::Apply(input)) => self.apply(item, Ok(input), None),
            Ok(EventInput::LogIn(agent)) => {
                self.engine.log_in(agent);
                Self::session_record(item)
            }
            Ok(EventInput::LogOut(agent)) => {
                self.engine.log_out(agent);
                Self::session_record(item)
            }
            Ok(EventInput::LoginFailed(agent)) => {
                let effect = json!({"type": "login_failed", "agent": agent.as_str()});
                self.engine.log_out(agent);
                let mut record = Self::session_record(item);
                record.effects.push(effect);
                record
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
    fn replay_command(&mut self, item: &mut Labels<'_>, body: &[u8]) -> Record {
        let command = a365::decode_command(body);
        item.action = Some(command.action);
        match command.result {
            Ok(command) => {
                match command {
                    Command::AgentLogin { agent } => self.engine.log_in(agent),
                    Command::AgentLogout { agent } => self.engine.log_out(agent),
                    Command::Dial { .. } | Command::HeartBeat { .. } => {}
                }
                let mut record = Self::session_record(item);
                record
                    .effects
                    .push(response_json(a365::command_response(Ok(()))));
                record
            }
            Err(e) => self.apply(item, Err(e), Some(command_response)),
        }
    }

    /// `POST /api/subscribe`: the id is derived from the line number.
    fn replay_subscribe(&mut self, item: &mut Labels<'_>, body: &[u8]) -> Record {
        item.action = Some("subscribe".to_owned());
        let id = a365::SubscriptionId::numbered(item.line);
        let subscribed =
            a365::decode_subscribe(body).and_then(|()| self.anywhere365.subscribe(id.clone()));
        match subscribed {
            Ok(()) => {
                let mut record = Self::session_record(item);
                record
                    .effects
                    .push(response_json(a365::subscribe_response(Ok(&id))));
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
                record
                    .effects
                    .push(response_json(a365::unsubscribe_response(Ok(()))));
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
