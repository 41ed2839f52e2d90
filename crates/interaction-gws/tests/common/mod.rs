//! Shared plumbing for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{Engine, Error, ErrorKind, Input, Step};
use interaction_gws::{Fact, Request, decode_notification, decode_operation};

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

/// A small harness: one engine, notifications and operations applied as the replay does.
#[derive(Default)]
pub(crate) struct Desk {
    pub(crate) engine: Engine,
    pub(crate) effects: Vec<interaction_core::Effect>,
}

impl Desk {
    /// Applies a notification body received on `agent`'s channel.
    pub(crate) fn notify(&mut self, agent: &str, body: &str) -> Result<Option<Step>, Error> {
        let note = decode_notification(body.as_bytes(), Some(agent)).result?;
        match note.fact(self.engine.interaction(note.interaction.as_str()))? {
            Fact::Apply(input) => {
                self.effects.clear();
                self.engine.apply(input, &mut self.effects).map(Some)
            }
            Fact::Unchanged => Ok(None),
        }
    }

    /// Applies an operation body by `agent` on `id`.
    pub(crate) fn operate(&mut self, agent: &str, id: &str, body: &str) -> Result<Step, Error> {
        match decode_operation(id, Some(agent), body.as_bytes()).result? {
            Request::Apply(input) => {
                self.effects.clear();
                self.engine.apply(input, &mut self.effects)
            }
            Request::WorkbinContent { .. } => panic!("a read: {body}"),
        }
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
