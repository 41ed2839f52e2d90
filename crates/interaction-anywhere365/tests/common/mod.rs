//! Shared plumbing for the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use interaction_anywhere365::{EventInput, Subscriptions, event_item};
use interaction_core::{Effect, Engine, Error, ErrorKind, Presence, Step};
use serde_json::{Value, json};

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

/// An engine and the subscriptions, driven the way the replay tool drives them.
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

    pub(crate) fn event_bytes(&mut self, body: &[u8]) -> Applied {
        let before = (self.engine.clone(), self.subscriptions.clone());
        let item = event_item(body, &self.engine, &self.subscriptions);
        let mut effects = Vec::new();
        let result = item.result.and_then(|input| match input {
            EventInput::Apply(input) => self.engine.apply(input, &mut effects).map(Some),
            EventInput::LogIn(agent) => {
                self.engine.log_in(agent).unwrap();
                Ok(None)
            }
            EventInput::LogOut(agent) | EventInput::LoginFailed(agent) => {
                self.engine.log_out(agent).unwrap();
                Ok(None)
            }
        });
        if result.is_ok() {
            if let Some(sub) = &item.subscription {
                self.subscriptions.confirm(sub);
            }
        } else {
            assert_eq!(self.engine, before.0, "a refused event changed the engine");
            assert_eq!(
                self.subscriptions, before.1,
                "a refused event changed the subscriptions"
            );
            assert!(effects.is_empty());
        }
        Applied {
            action: item.action,
            result,
            effects,
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
