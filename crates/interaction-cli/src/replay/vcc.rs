//! VCC records: Interactions API Invoke and Register requests, and callbacks
//! (`shared/spec/vcc-interactions-*.txt`; the mapping is in `docs/vcc.md`).

use interaction_core::Error;
use interaction_vcc as vcc;

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
                let e = Error::unsupported("path", rec.path.clone());
                out.push(self.apply(item, Err(e), None));
            }
        }
    }
}
