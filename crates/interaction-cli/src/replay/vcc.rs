//! VCC records: Interactions API Invoke and Register requests, and callbacks
//! (`shared/spec/vcc-interactions-*.txt`), and Calls API requests (`shared/spec/vcc-calls.txt`);
//! the mapping is in `docs/vcc.md`.

use interaction_core::{ActionKind, Error, InteractionId};
use interaction_vcc as vcc;
use serde_json::json;

use super::{Labels, Replayer, response_effect};
use crate::Record;
use crate::trace::{self, Method};

impl Replayer {
    pub(crate) fn replay_vcc(
        &mut self,
        item: &mut Labels<'_>,
        rec: &trace::Record<'_>,
        out: &mut Vec<Record>,
    ) {
        let body = rec.body.get().as_bytes();
        if rec.method != Method::Post {
            out.push(self.apply(item, Err(Error::unsupported("method", "DELETE")), None));
            return;
        }
        if rec.path == "callback" {
            match vcc::decode_callbacks(body) {
                Ok(items) => {
                    for (i, cb) in items.into_iter().enumerate() {
                        item.item = i;
                        item.action = Some(cb.action);
                        item.interaction = cb.objectid;
                        out.push(self.apply(item, cb.result, None));
                    }
                }
                Err(e) => out.push(self.apply(item, Err(e), None)),
            }
            return;
        }
        match vcc::endpoint(&rec.path) {
            Some(vcc::Endpoint::Invoke) => match vcc::decode_invoke(body) {
                Ok(items) => {
                    for (i, req) in items.into_iter().enumerate() {
                        item.item = i;
                        item.action = Some(req.action);
                        item.interaction = req.externalid;
                        out.push(self.apply(item, req.result, Some(vcc::response)));
                    }
                }
                Err(e) => out.push(self.apply(item, Err(e), Some(vcc::response))),
            },
            Some(vcc::Endpoint::Register) => {
                item.action = Some("register".to_owned());
                match vcc::decode_register(body) {
                    Ok((name, settings)) => {
                        self.engine.register_provider(name, settings);
                        let mut r = Self::session_record(item);
                        r.effects.push(response_effect(vcc::response(Ok(()))));
                        out.push(r);
                    }
                    Err(e) => out.push(self.apply(item, Err(e), Some(vcc::response))),
                }
            }
            None => {
                if let Some(path) = vcc::calls_path(&rec.path) {
                    let content_type = rec.content_type.as_deref();
                    out.push(self.replay_vcc_call(item, &path, content_type, body));
                } else {
                    let e = Error::unsupported("path", rec.path.clone());
                    out.push(self.apply(item, Err(e), None));
                }
            }
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
        content_type: Option<&str>,
        body: &[u8],
    ) -> Record {
        item.action = Some(ActionKind::Dial.name().to_owned());
        let placed = content_type
            .map_or(Ok(()), vcc::check_content_type)
            .and_then(|()| vcc::decode_call(body))
            .and_then(|call| vcc::check_call(&self.engine, &call).map(|()| call))
            .and_then(|call| Ok((InteractionId::parse(&call_id(item.line), "id")?, call)));
        let (id, call) = match placed {
            Ok(placed) => placed,
            Err(e) => {
                let mut record = self.apply(item, Err(e.clone()), None);
                record
                    .effects
                    .push(response_effect(vcc::calls_response(Err(&e))));
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
        record.effects.push(response_effect(response));
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
