//! VCC records: Interactions API Invoke and Register requests, and callbacks
//! (`shared/spec/vcc-interactions-*.txt`), and Calls API requests (`shared/spec/vcc-calls.txt`);
//! the mapping is in `docs/vcc.md`.

use interaction_core::{ActionKind, Error, InteractionId, ProviderName, ProviderSettings};
use interaction_vcc as vcc;
use serde_json::json;

use super::{Labels, RecordEffect, Replayer, response_effect};
use crate::Record;
use crate::trace::{self, Method};

/// A VCC line, decoded as far as it can be without the engine.
#[derive(Debug)]
pub(crate) enum Ready {
    /// A method other than POST, or a path that is no VCC endpoint: refused.
    Refused(Error),
    /// A callback array.
    Callbacks(Result<Vec<vcc::CallbackItem>, Error>),
    /// `POST /interactions/Invoke`.
    Invoke(Result<Vec<vcc::InvokeItem>, Error>),
    /// `POST /interactions/register`.
    Register(Result<(ProviderName, ProviderSettings), Error>),
    /// `POST /v0/{accountKey}/calls`: the body checked against its content type and decoded;
    /// the checks against the agents' state are made when it is applied.
    Call {
        path: vcc::CallsPath,
        call: Result<vcc::PlaceCall, Error>,
    },
}

/// Decodes a VCC record's body with the adapter ([`interaction_vcc`]); a Register under
/// `policy`.
pub(crate) fn prepare(rec: &trace::Record<'_>, policy: vcc::RegisterPolicy) -> Ready {
    let body = rec.body.get().as_bytes();
    if rec.method != Method::Post {
        return Ready::Refused(Error::unsupported("method", "DELETE"));
    }
    if rec.path == "callback" {
        return Ready::Callbacks(vcc::decode_callbacks(body));
    }
    match vcc::endpoint(&rec.path) {
        Some(vcc::Endpoint::Invoke) => Ready::Invoke(vcc::decode_invoke(body)),
        Some(vcc::Endpoint::Register) => Ready::Register(vcc::decode_register_with(body, policy)),
        None => match vcc::calls_path(&rec.path) {
            Some(path) => Ready::Call {
                path,
                call: rec
                    .content_type
                    .as_deref()
                    .map_or(Ok(()), vcc::check_content_type)
                    .and_then(|()| vcc::decode_call(body)),
            },
            None => Ready::Refused(trace::unsupported_path(&rec.path)),
        },
    }
}

impl Replayer {
    pub(crate) fn replay_vcc(
        &mut self,
        item: &mut Labels<'_>,
        ready: Ready,
        out: &mut Vec<Record>,
    ) {
        match ready {
            Ready::Refused(e) | Ready::Callbacks(Err(e)) => {
                out.push(self.apply(item, Err(e), None));
            }
            Ready::Callbacks(Ok(items)) => {
                for (i, cb) in items.into_iter().enumerate() {
                    item.item = i;
                    item.action = Some(cb.action);
                    item.interaction = cb.objectid;
                    out.push(self.apply(item, cb.result, None));
                }
            }
            Ready::Invoke(Ok(items)) => {
                for (i, req) in items.into_iter().enumerate() {
                    item.item = i;
                    item.action = Some(req.action);
                    item.interaction = req.externalid;
                    out.push(self.apply(item, req.result, Some(vcc::response)));
                }
            }
            Ready::Invoke(Err(e)) => out.push(self.apply(item, Err(e), Some(vcc::response))),
            Ready::Register(registered) => {
                item.action = Some("register".to_owned());
                match registered
                    .and_then(|(name, settings)| self.engine.register_provider(name, settings))
                {
                    Ok(_) => {
                        let mut r = Self::session_record(item);
                        r.effects.push(RecordEffect::Response {
                            respond: vcc::response,
                            error: None,
                        });
                        out.push(r);
                    }
                    Err(e) => out.push(self.apply(item, Err(e), Some(vcc::response))),
                }
            }
            Ready::Call { path, call } => out.push(self.replay_vcc_call(item, &path, call)),
        }
    }

    /// `POST /v0/{accountKey}/calls` (click-to-dial): one record, action `dial`.
    ///
    /// The body is validated ([`vcc::decode_call`]) and checked against the agent sessions
    /// ([`vcc::check_call`]); a refusal is a rejected record with no interaction and a 400
    /// response effect carrying the page's message. Otherwise the call is the core `dial` (by
    /// the API client) on the call id [`call_id`], which the record reports as its
    /// `interaction`, with a 201 response effect whose body is the page's call resource.
    ///
    /// A record's `content_type` (absent: JSON) is checked first ([`vcc::check_content_type`]):
    /// another type is refused with the page's 415.
    fn replay_vcc_call(
        &mut self,
        item: &mut Labels<'_>,
        path: &vcc::CallsPath,
        call: Result<vcc::PlaceCall, Error>,
    ) -> Record {
        item.action = Some(ActionKind::Dial.name().to_owned());
        let placed = call
            .and_then(|call| vcc::check_call(&self.engine, &call).map(|()| call))
            .and_then(|call| Ok((InteractionId::parse(&call_id(item.line), "id")?, call)));
        let (id, call) = match placed {
            Ok(placed) => placed,
            Err(e) => {
                let mut record = self.apply(item, Err(e.clone()), None);
                record
                    .effects
                    .push(RecordEffect::Json(response_effect(vcc::calls_response(
                        Err(&e),
                    ))));
                return record;
            }
        };
        item.interaction = Some(id.as_str().to_owned());
        let mut record = self.apply(item, Ok(call.input(id.clone())), None);
        let response = match &record.error {
            None => vcc::calls_response(Ok(&call.created(&id, path))),
            // The engine refused the dial: the derived id is already taken (an earlier `core`
            // record used it). A 400 with the engine's message, as for any other refusal.
            Some(e) => (400, json!({ "message": e.message })),
        };
        record
            .effects
            .push(RecordEffect::Json(response_effect(response)));
        record
    }
}

/// The id of the call a Calls API request on trace line `line` (1-based) places: `call-{line}`.
///
/// The vendor's platform draws the id (a GUID in the page's 201 sample) and the trace does not
/// hold the response, so the replay derives one deterministically from where the request is:
/// later `core` records in the same trace answer, hold and release the call by this id.
fn call_id(line: usize) -> String {
    format!("call-{line}")
}
