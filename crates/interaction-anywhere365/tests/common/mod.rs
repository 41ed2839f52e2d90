//! Shared plumbing for the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use interaction_anywhere365::Subscriptions;
use interaction_anywhere365::endpoint::handle_event;
use interaction_core::{Effect, Engine, Error, ErrorKind, Presence, Step};
use interaction_wire::{IdKind, IdSource, Request};
use serde_json::{Value, json};

/// Events draw no ids.
struct NoIds;

impl IdSource for NoIds {
    fn next_id(&mut self, kind: IdKind) -> String {
        panic!("an event asked for a {kind:?} id")
    }
}

/// The subscription every test event comes from.
pub(crate) const SUB: &str = "296854af-2ba7-45d0-b460-085dc1843b3d";
pub(crate) const ALICE: &str = "sip:alice@contoso.com";
pub(crate) const BOB: &str = "sip:bob@contoso.com";
pub(crate) const CAROL: &str = "sip:carol@contoso.com";
pub(crate) const CALL: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// The bytes of `tests/fixtures/{name}`: the vendor's samples, verbatim.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Asserts that `err` has kind `kind` and that its message holds every one of `needles`.
#[track_caller]
pub(crate) fn assert_refused(err: &Error, kind: ErrorKind, needles: &[&str]) {
    assert_eq!(err.kind(), kind, "wrong kind for: {err}");
    let message = err.to_string();
    for needle in needles {
        assert!(
            message.contains(needle),
            "message {message:?} does not name {needle:?}"
        );
    }
}

/// An event body: `eventType` `event_type` for `agent` on `call`, inbound, from [`SUB`].
pub(crate) fn event(event_type: u64, agent: &str, call: &str) -> Value {
    json!({
        "SubscriptionId": SUB,
        "SessionType": 0,
        "ImAddress": agent,
        "eventType": event_type,
        "callId": call,
        "ani": "+31612345678"
    })
}

/// `body` with member `name` set to `value` (`Value::Null` to set it to null).
pub(crate) fn with(mut body: Value, name: &str, value: Value) -> Value {
    body[name] = value;
    body
}

/// `body` without member `name`.
pub(crate) fn without(mut body: Value, name: &str) -> Value {
    if let Some(map) = body.as_object_mut() {
        map.remove(name);
    }
    body
}

/// `n` nested JSON arrays: `[[[...]]]`.
pub(crate) fn nested_arrays(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// What one event did.
#[derive(Debug)]
pub(crate) struct Applied {
    /// The item's label.
    pub(crate) action: interaction_wire::SmolStr,
    /// The engine's step, `None` for a session event; or the refusal.
    pub(crate) result: Result<Option<Step>, Error>,
    /// The effects the engine emitted.
    pub(crate) effects: Vec<Effect>,
}

impl Applied {
    /// The step, which must be there.
    #[track_caller]
    pub(crate) fn step(&self) -> Step {
        self.result.clone().unwrap().unwrap()
    }

    /// The refusal, which must be there.
    #[track_caller]
    pub(crate) fn error(&self) -> Error {
        self.result.clone().unwrap_err()
    }
}

/// An engine and the subscriptions, driven through the crate's public endpoint.
#[derive(Debug, Default)]
pub(crate) struct Broker {
    pub(crate) engine: Engine,
    pub(crate) subscriptions: Subscriptions,
}

impl Broker {
    pub(crate) fn new() -> Self {
        Broker::default()
    }

    /// Decodes, maps and applies one event body; refusals change nothing (checked).
    pub(crate) fn event(&mut self, body: &Value) -> Applied {
        let bytes = serde_json::to_vec(body).unwrap();
        self.event_bytes(&bytes)
    }

    /// Sends `body` to the public event endpoint ([`handle_event`]), as the broker POSTs it.
    pub(crate) fn event_bytes(&mut self, body: &[u8]) -> Applied {
        let before = (self.engine.clone(), self.subscriptions.clone());
        let request = Request::post("/callback/anywhere365", body);
        let mut handled = handle_event(
            &mut self.engine,
            &mut self.subscriptions,
            &request,
            &mut NoIds,
        );
        assert_eq!(handled.items.len(), 1, "one event, one item");
        let item = handled.items.remove(0);
        let result = match item.outcome {
            Ok(outcome) => {
                assert_eq!(
                    handled.response.status, 200,
                    "an accepted event is answered 200"
                );
                Ok(item.interaction.is_some().then_some(Step {
                    outcome,
                    from: item.from,
                    to: item.to,
                    reason: item.reason,
                    agent: item.agent,
                    left: item.left.map(|left| left.0),
                }))
            }
            Err(e) => {
                assert_eq!(self.engine, before.0, "a refused event changed the engine");
                assert_eq!(
                    self.subscriptions, before.1,
                    "a refused event changed the subscriptions"
                );
                assert!(item.effects.is_empty());
                // 200 for an event read but refused (the engine's verdict is the receiver's
                // business), 400 for a body that is not an event.
                assert!(matches!(handled.response.status, 200 | 400));
                Err(e)
            }
        };
        Applied {
            action: item.action.unwrap_or_default(),
            result,
            effects: item.effects,
        }
    }

    /// The state of `call`, by name.
    pub(crate) fn state(&self, call: &str) -> Option<&'static str> {
        self.engine
            .interaction(call)
            .map(|it| it.state().kind().name())
    }

    pub(crate) fn presence(&self, agent: &str) -> Option<Presence> {
        self.engine.presence(agent)
    }
}
