//! Shared plumbing for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{Error, ErrorKind};

/// The bytes of `tests/fixtures/{name}`: the vendor's example payloads, copied verbatim from
/// shared/spec/vcc-interactions-invoke.txt and vcc-interactions-register.txt.
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
