//! GWS v2 records: `/me/interactions` operations and CometD notifications
//! (`shared/spec/gws-v2-interactions.txt`; the mapping is in `docs/gws.md`).
//!
//! * `"path": "/me/interactions/{id}"` (also `/api/v2/me/...`, and the media paths
//!   `/api/v2/me/{calls,chats,emails,workitems}/{id}`): one operation by the trace's `as` agent,
//!   one record with its wire `response` effect in the style the page gives that operation.
//!   `GetWorkbinContent` is a read: `applied`, nothing changes, the response lists the workbin.
//! * `"path": "/v2/me/interactions"` (or `/v2/me/calls`, ...): one CometD notification, a
//!   platform fact for the `as` agent, weighed against the interaction's current state. The
//!   resource's `capabilities` go into the record beside `allowed`.

use interaction_core::{Error, Outcome};
use interaction_gws::{self as gws, Endpoint, Fact, Request, Style};
use serde_json::Value as Json;

use super::{Labels, RecordEffect, Replayer, Respond, response_effect};
use crate::Record;
use crate::trace::{self, Method};

/// A GWS line, decoded as far as it can be without the engine.
#[derive(Debug)]
pub(crate) enum Ready {
    /// A method other than POST (with the operation's interaction, when the path names one),
    /// or a path that is no GWS endpoint.
    Refused {
        interaction: Option<String>,
        error: Error,
    },
    /// An operation on `/me/{collection}/{id}`, decoded.
    Operation {
        collection: gws::Collection,
        id: String,
        decoded: gws::OperationItem,
    },
    /// A CometD notification, decoded (what it does depends on the interaction's state).
    Notification(gws::NotificationItem),
}

/// Decodes a GWS record's body with the adapter ([`interaction_gws`]).
pub(crate) fn prepare(rec: &trace::Record<'_>) -> Ready {
    let endpoint = gws::endpoint(&rec.path);
    if rec.method != Method::Post {
        let interaction = match endpoint {
            Some(Endpoint::Operation { id, .. }) => Some(id),
            _ => None,
        };
        return Ready::Refused {
            interaction,
            error: Error::unsupported("method", "DELETE"),
        };
    }
    let body = rec.body.get().as_bytes();
    match endpoint {
        Some(Endpoint::Operation { collection, id }) => {
            let decoded = gws::decode_operation(&id, rec.as_agent.as_deref(), body);
            Ready::Operation {
                collection,
                id,
                decoded,
            }
        }
        Some(Endpoint::Channel(_)) => {
            Ready::Notification(gws::decode_notification(body, rec.as_agent.as_deref()))
        }
        None => Ready::Refused {
            interaction: None,
            error: trace::unsupported_path(&rec.path),
        },
    }
}

impl Replayer {
    pub(crate) fn replay_gws(
        &mut self,
        item: &mut Labels<'_>,
        ready: Ready,
        out: &mut Vec<Record>,
    ) {
        match ready {
            Ready::Refused { interaction, error } => {
                item.interaction = interaction;
                out.push(self.apply(item, Err(error), None));
            }
            Ready::Operation {
                collection,
                id,
                decoded,
            } => out.push(self.gws_operation(item, collection, id, decoded)),
            Ready::Notification(decoded) => out.push(self.gws_notification(item, decoded)),
        }
    }

    /// One `/me/.../{id}` operation.
    fn gws_operation(
        &mut self,
        item: &mut Labels<'_>,
        collection: gws::Collection,
        id: String,
        decoded: gws::OperationItem,
    ) -> Record {
        item.action = decoded.action;
        item.interaction = Some(id);
        let style = decoded
            .operation
            .map_or(Style::Status, gws::Operation::style);
        let respond = responder(style);
        // A media path reaches only its media (a chat is not under /me/calls/{id}).
        let checked = decoded.result.and_then(|request| {
            let id = match &request {
                Request::Apply(input) => input.interaction.as_str(),
                Request::WorkbinContent { interaction, .. } => interaction.as_str(),
            };
            match self.engine.interaction(id) {
                Some(it) => collection.check(id, it.media()).map(|()| request),
                None => Ok(request),
            }
        });
        match checked {
            Ok(Request::Apply(input)) => self.apply(item, Ok(input), Some(respond)),
            Ok(Request::WorkbinContent { agent, workbin, .. }) => {
                let mut record = self.unchanged_record(item, Some(agent.as_str()));
                record.effects.push(RecordEffect::Json(response_effect(
                    gws::workbin_content_response(&self.engine, workbin.as_str()),
                )));
                record
            }
            Err(e) => self.apply(item, Err(e), Some(respond)),
        }
    }

    /// One CometD notification on a `/v2/me/...` channel.
    fn gws_notification(
        &mut self,
        item: &mut Labels<'_>,
        decoded: gws::NotificationItem,
    ) -> Record {
        item.interaction = decoded.interaction;
        item.action = decoded.label;
        let fact = decoded.result.and_then(|note| {
            let current = self.engine.interaction(note.interaction.as_str());
            note.into_fact(current)
        });
        let mut record = match fact {
            Ok(Fact::Apply(input)) => {
                item.action = Some(input.action.kind().name().to_owned());
                self.apply(item, Ok(input), None)
            }
            Ok(Fact::Unchanged) => self.unchanged_record(item, None),
            Err(e) => self.apply(item, Err(e), None),
        };
        record.capabilities = decoded.capabilities;
        record
    }

    /// An `applied` record that changed nothing (a read, or a data notification without data):
    /// `from == to`, the interaction's current state (`null` when unknown).
    fn unchanged_record(&self, item: &mut Labels<'_>, agent: Option<&str>) -> Record {
        let mut record = Self::session_record(item);
        record.interaction = item.interaction.take().map(super::clip_label);
        let it = record
            .interaction
            .as_deref()
            .and_then(|id| self.engine.interaction(id));
        let now = it.map(|it| it.state().kind().name());
        record.outcome = Outcome::Applied.name();
        record.from = now;
        record.to = now;
        record.reason = it
            .and_then(|it| it.state().end_reason())
            .map(interaction_core::EndReason::name);
        record.allowed = self.allowed_for(record.interaction.as_deref(), agent.or(item.as_agent));
        record
    }
}

/// The wire response of an operation in `style` (gws-v2-interactions.txt, each operation's
/// "Output").
fn responder(style: Style) -> Respond {
    fn status(result: Result<(), &Error>) -> (u16, Json) {
        gws::response(Style::Status, result)
    }
    fn status_code(result: Result<(), &Error>) -> (u16, Json) {
        gws::response(Style::StatusCode, result)
    }
    fn cancel(result: Result<(), &Error>) -> (u16, Json) {
        gws::response(Style::Cancel, result)
    }
    match style {
        Style::Status => status,
        Style::StatusCode => status_code,
        Style::Cancel => cancel,
    }
}
