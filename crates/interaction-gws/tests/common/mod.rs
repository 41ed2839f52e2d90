//! Shared plumbing for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{Engine, Error, ErrorKind, Input, Step};
use interaction_gws::endpoint::{handle_message, handle_request};
use interaction_gws::{Fact, Request, decode_notification, decode_operation};
use interaction_wire::{Handled, Item, Request as WireRequest};

/// The bytes of `tests/fixtures/{name}` (see `tests/fixtures/README.md` for where each comes
/// from).
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture parsed as a `serde_json::Value`.
pub(crate) fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
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

/// `n` nested JSON arrays: `[[[...]]]`.
pub(crate) fn nested_arrays(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// `n` nested JSON objects: `{"a":{"a":...{}}}`.
pub(crate) fn nested_objects(n: usize) -> String {
    format!("{}{{}}{}", r#"{"a":"#.repeat(n), "}".repeat(n))
}

/// The input an operation body decodes to (panics when it is refused or a read).
#[track_caller]
pub(crate) fn operation_input(id: &str, agent: &str, body: &str) -> Input {
    match decode_operation(id, Some(agent), body.as_bytes()).result {
        Ok(Request::Apply(input)) => input,
        other => panic!("{body}: {other:?}"),
    }
}

/// A small harness: one engine, notifications and operations sent through the crate's public
/// endpoints ([`handle_message`], [`handle_request`]) as a service receives them.
#[derive(Default)]
pub(crate) struct Desk {
    pub(crate) engine: Engine,
    pub(crate) state: interaction_gws::AdapterState,
    pub(crate) effects: Vec<interaction_core::Effect>,
}

/// `referenceId`s for the answers that carry one: 1, 2, ...
pub(crate) struct References(pub(crate) u64);

impl interaction_wire::IdSource for References {
    fn next_id(&mut self, _: interaction_wire::IdKind) -> String {
        self.0 += 1;
        self.0.to_string()
    }
}

/// `id` percent-encoded as a path segment (every byte but the unreserved ones).
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The one item of `handled`, its effects kept in `effects`, as a step or the refusal.
fn step_of(handled: Handled, effects: &mut Vec<interaction_core::Effect>) -> Result<Step, Error> {
    let [item] = <[Item; 1]>::try_from(handled.items).expect("one item");
    *effects = item.effects;
    item.outcome.map(|outcome| Step {
        outcome,
        from: item.from,
        to: item.to,
        reason: item.reason,
        agent: item.agent,
        left: item.left.map(|left| left.0),
    })
}

impl Desk {
    /// Sends a notification body on `agent`'s channel; `None` when it changes nothing (a data
    /// notification without data).
    pub(crate) fn notify(&mut self, agent: &str, body: &str) -> Result<Option<Step>, Error> {
        let unchanged = matches!(self.fact(agent, body), Ok(Fact::Unchanged));
        let request = WireRequest {
            identity: Some(agent),
            ..WireRequest::post("/v2/me/interactions", body.as_bytes())
        };
        let handled = handle_message(
            &mut self.engine,
            &mut self.state,
            &request,
            &mut References(0),
        );
        assert_eq!(
            handled.response.status, 200,
            "a notification read is answered 200"
        );
        step_of(handled, &mut self.effects).map(|step| (!unchanged).then_some(step))
    }

    /// Sends an operation body by `agent` on `id` (`POST /api/v2/me/interactions/{id}`).
    pub(crate) fn operate(&mut self, agent: &str, id: &str, body: &str) -> Result<Step, Error> {
        let target = format!("/api/v2/me/interactions/{}", segment(id));
        let request = WireRequest {
            identity: Some(agent),
            ..WireRequest::post(&target, body.as_bytes())
        };
        let handled = handle_request(
            &mut self.engine,
            &mut self.state,
            &request,
            &mut References(0),
        );
        let step = step_of(handled, &mut self.effects);
        assert!(
            step.is_ok() || self.effects.is_empty(),
            "a refusal with effects"
        );
        step
    }

    /// The input a notification body maps to now, without applying it.
    pub(crate) fn fact(&self, agent: &str, body: &str) -> Result<Fact, Error> {
        let note = decode_notification(body.as_bytes(), Some(agent)).result?;
        note.fact(self.engine.interaction(note.interaction.as_str()))
    }
}

/// A `StatusChange` body for `state` on resource `key` (`chat`, `workitem`, ...).
pub(crate) fn status(message_type: &str, key: &str, id: &str, state: &str) -> String {
    format!(
        r#"{{"messageType": "{message_type}", "notificationType": "StatusChange", "{key}": {{"id": "{id}", "state": "{state}"}}}}"#
    )
}

/// A `StatusChange` on a chat.
pub(crate) fn chat(id: &str, state: &str) -> String {
    status("ChatStateChangeMessage", "chat", id, state)
}
