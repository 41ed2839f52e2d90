//! The invariants our fuzzing checks, as plain functions over bytes.
//!
//! Each public function is one fuzz target's body: `fuzz/fuzz_targets/<name>.rs` calls it from
//! cargo-fuzz on nightly (with coverage guidance), and `tests/corpus.rs` calls it on every file
//! of the committed corpus `fuzz/corpus/<name>/` under a stable `cargo test`, so CI exercises
//! every target without nightly. A function returns normally when every invariant holds and
//! panics (a fuzzer finding, a failing test) when one breaks.
//!
//! | target | input | invariants |
//! |---|---|---|
//! | [`engine_actions`] | an [`engine::Case`] of arbitrary operations | see [`engine`] |
//! | [`vcc_decode`] | selector byte + a VCC Invoke, Register or callback body | no panic; decoded items apply without breaking the engine; wire types round-trip; sent to the endpoint |
//! | [`vcc_call`] | a VCC Calls API body | no panic; the request type round-trips; sent to the endpoint |
//! | [`gws_operation`] | a GWS `/me/interactions/{id}` body | no panic; the wire type round-trips; sent to the endpoint |
//! | [`gws_notification`] | a GWS CometD notification | no panic; the wire type round-trips; sent to the endpoint |
//! | [`anywhere365_event`] | an Anywhere365 event | no panic; the wire type round-trips; sent to the endpoint |
//! | [`anywhere365_command`] | an Anywhere365 command | no panic; the wire type round-trips; sent to the endpoint |
//! | [`http_request`] | a whole HTTP request: method, target, headers, body | no panic; the identity from HTTP Basic; routed by `Route::of_http` and sent to the endpoint |
//! | [`trace_lines`] | arbitrary trace bytes | split as the replay splits them, every line gives its records (labels bounded, messages escaped); a line all of whose records are rejected leaves the engine unchanged; a line with text after its object (a second object, garbage, control characters) is one `malformed` record |
//!
//! "Sent to the endpoint" means the body is POSTed, as a service receives it, to the vendor's
//! public endpoint through [`interaction_gateway::Gateway::handle`], on the gateway the bundled
//! day trace of that vendor left, so that the mapping onto a live engine (not only the
//! decoding) meets the fuzzed input; any bytes reach it, JSON or not.

// This crate's job is to panic when an invariant breaks: the fuzzer and the corpus test catch it.
#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    clippy::indexing_slicing
)]

pub mod engine;

use interaction_anywhere365 as a365;
use interaction_cli::Replayer;
use interaction_core::{Engine, Error, Input};
use interaction_gateway::{Gateway, Route};
use interaction_gws as gws;
use interaction_vcc as vcc;
use interaction_wire::Request;

pub use engine::engine_actions;

/// Parses `bytes` as `T`; if that works, encoding and parsing again must give the same value.
fn round_trip<T>(bytes: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(first) = serde_json::from_slice::<T>(bytes) {
        let text = serde_json::to_vec(&first).expect("a parsed wire value encodes");
        let again: T = serde_json::from_slice(&text).expect("an encoded wire value parses");
        assert_eq!(first, again, "round trip changed the value");
    }
}

/// Applies one decoded item: a refusal must leave the engine exactly as it was.
fn apply(engine: &mut Engine, input: Result<Input, Error>) {
    let Ok(input) = input else { return };
    let before = engine.clone();
    let mut effects = Vec::new();
    if engine.apply(input, &mut effects).is_err() {
        assert_eq!(*engine, before, "a refused input changed the engine");
        assert!(effects.is_empty(), "a refused input emitted effects");
    }
}

/// VCC Interactions decoders: the first byte picks Invoke, Register or callbacks.
pub fn vcc_decode(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let mut engine = Engine::new();
    match selector % 3 {
        0 => {
            if let Ok(items) = vcc::decode_invoke(body) {
                for (n, item) in items.into_iter().enumerate() {
                    let drawn =
                        || interaction_core::InteractionId::parse(&format!("drawn-{n}"), "id");
                    apply(&mut engine, item.result.and_then(|i| i.into_input(drawn)));
                }
            }
            round_trip::<vcc::wire::Invocation>(body);
            replay_body(
                "docs/traces/vcc-day.jsonl",
                Route::Vcc,
                "/interactions/Invoke",
                None,
                body,
            );
        }
        1 => {
            if let Ok((name, settings)) = vcc::decode_register(body) {
                let _ = engine.register_provider(name, settings);
            }
            round_trip::<vcc::wire::Registration>(body);
            replay_body(
                "docs/traces/vcc-day.jsonl",
                Route::Vcc,
                "/interactions/register",
                None,
                body,
            );
        }
        _ => {
            if let Ok(items) = vcc::decode_callbacks(body) {
                for item in items {
                    apply(&mut engine, item.result);
                }
            }
            round_trip::<Vec<vcc::wire::Notification>>(body);
            replay_body(
                "docs/traces/vcc-day.jsonl",
                Route::VccCallback,
                "/callback/vcc",
                None,
                body,
            );
        }
    }
}

/// VCC Calls API request bodies (`POST /v0/{accountKey}/calls`).
pub fn vcc_call(data: &[u8]) {
    let _ = vcc::decode_call(data);
    round_trip::<vcc::calls::wire::CallRequest>(data);
    replay_body(
        "docs/traces/vcc-calls.jsonl",
        Route::Vcc,
        "/v0/a1b2c3d4e5/calls",
        None,
        data,
    );
}

/// GWS agent operations (`POST /api/v2/me/interactions/{id}`).
pub fn gws_operation(data: &[u8]) {
    let _ = gws::decode_operation("00001aCHAT0001", Some("1001"), data);
    round_trip::<gws::wire::OperationRequest>(data);
    replay_body(
        "docs/traces/gws-day.jsonl",
        Route::Gws,
        "/api/v2/me/interactions/03W0GH2KD56YV000",
        Some("1001"),
        data,
    );
}

/// GWS CometD notifications (`/v2/me/interactions`).
pub fn gws_notification(data: &[u8]) {
    let _ = gws::decode_notification(data, Some("1001"));
    round_trip::<gws::wire::CometdMessage>(data);
    round_trip::<gws::wire::Notification>(data);
    replay_body(
        "docs/traces/gws-day.jsonl",
        Route::GwsMessage,
        "/v2/me/interactions",
        Some("1001"),
        data,
    );
}

/// Anywhere365 events (`"path": "callback"`).
pub fn anywhere365_event(data: &[u8]) {
    let _ = a365::decode_event(data);
    let _ = a365::event_item(data, &Engine::new(), &a365::Subscriptions::default());
    round_trip::<a365::wire::Event>(data);
    replay_body(
        "docs/traces/anywhere365-day.jsonl",
        Route::Anywhere365Event,
        "/callback/anywhere365",
        None,
        data,
    );
}

/// Anywhere365 commands (`POST /api/command`).
pub fn anywhere365_command(data: &[u8]) {
    let _ = a365::decode_command(data);
    round_trip::<a365::wire::Command>(data);
    replay_body(
        "docs/traces/anywhere365-day.jsonl",
        Route::Anywhere365,
        "/api/command",
        None,
        data,
    );
}

/// A whole HTTP request: the first line `METHOD TARGET`, then `Name: value` header lines, an
/// empty line, and the body (any bytes). The identity is the HTTP Basic user of the headers
/// ([`interaction_wire::basic_user`]), the route the target's ([`Route::of_http`], as the
/// webhook example routes its vendor requests; a target no endpoint serves is the service's
/// own 404). The target is sent as written, an absolute form too (the webhook's axum hands it
/// the path and query only), and a `GET /interactions/{id}` goes to the gateway (the webhook
/// answers those reads itself). The request goes to [`Gateway::handle`] on the gateway the
/// bundled day trace of its vendor left (the VCC one for `/core`), with the checks of the
/// other targets' "sent to the endpoint".
/// A head that is not UTF-8 ends the check: an HTTP server hands no such text on.
pub fn http_request(data: &[u8]) {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let mut lines = head.split('\n');
    let start = lines.next().unwrap_or_default();
    let (method, target) = start.split_once(' ').unwrap_or((start, "/"));
    let headers: Vec<(&str, &str)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect();
    let user = interaction_wire::basic_user(&headers);
    let Some(route) = Route::of_http(target) else {
        return;
    };
    let trace = match route {
        Route::Gws | Route::GwsMessage => "docs/traces/gws-day.jsonl",
        Route::Anywhere365 | Route::Anywhere365Event => "docs/traces/anywhere365-day.jsonl",
        _ => "docs/traces/vcc-day.jsonl",
    };
    let request = Request {
        method,
        target,
        headers: &headers,
        body,
        identity: user.as_deref(),
    };
    send(trace, route, &request);
}

/// Arbitrary trace bytes, line by line, through the replay tool, split as `interactions
/// replay` splits them ([`interaction_cli::LineReader`]). Each line is also replayed with text
/// after its object (a second object, garbage) and with control characters, which must make it
/// exactly one `malformed` record.
///
/// The same lines also go through a replayer with a clock (`--clock at`) and every timer set,
/// tiny: any `at` a line holds (an RFC 3339 time, or anything else) gives records for that line
/// only, the timers it makes fall due first, and no panic.
pub fn trace_lines(data: &[u8]) {
    let mut replayer = Replayer::new();
    let mut timed =
        Replayer::with_settings(timed_settings()).with_clock(interaction_cli::Clock::At);
    let mut lines = interaction_cli::LineReader::new(data);
    let mut buffer = Vec::new();
    while let Ok(Some(span)) = lines.read_into(&mut buffer) {
        let line_no = lines.lines();
        match span {
            interaction_cli::Span::Kept { start, end } => {
                let line = &buffer[start..end];
                check_line(&mut replayer, line_no, line);
                check_trailing(line_no, line);
                check_clocked_line(&mut timed, line_no, line);
            }
            interaction_cli::Span::TooLong { .. } => {}
        }
        buffer.clear();
    }
}

/// Every timer on, at a millisecond or two, with wrap-up for every media: the settings of the
/// clocked replayer of [`trace_lines`].
fn timed_settings() -> interaction_cli::Settings {
    use interaction_core::{EngineSettings, Media, MediaSet};
    interaction_cli::Settings {
        engine: EngineSettings {
            offer_timeout: Some(1),
            max_no_answer: Some(1),
            wrap_up: MediaSet::of(&[Media::Live, Media::Nonlive, Media::Chat]),
            wrap_up_timeout: Some(2),
            agent_heartbeat_timeout: Some(1),
            ..EngineSettings::default()
        },
        ..interaction_cli::Settings::default()
    }
}

/// One line through the clocked replayer: a line that is not blank gives at least one record,
/// every record is the line's, timer records (first) are applied platform actions, the clock
/// never goes back.
fn check_clocked_line(replayer: &mut Replayer, line_no: usize, line: &[u8]) {
    let before = replayer.engine().now();
    let mut records = Vec::new();
    replayer.replay_line_bytes(line_no, line, &mut records);
    assert!(replayer.engine().now() >= before, "the clock went back");
    if !is_blank(line_no, line) {
        assert!(
            !records.is_empty(),
            "line {line_no} gave no record with the clock"
        );
    }
    let mut own = false;
    for (i, record) in records.iter().enumerate() {
        assert_eq!((record.line, record.item), (line_no, i), "{record:?}");
        match record.timer {
            Some(_) => {
                assert!(!own, "a timer's record after the line's own: {records:?}");
                assert_eq!(record.outcome, "applied", "{record:?}");
                assert_eq!(record.actor, Some("platform"));
            }
            None => own = true,
        }
        serde_json::to_string(record).expect("a record serializes");
    }
}

/// A line that reads as one JSON object, followed by anything but JSON whitespace (a second
/// object, `}}}`, a control character), is one `rejected` / `malformed` record (MODEL.md
/// section 12), whose message carries no raw control character.
fn check_trailing(line_no: usize, line: &[u8]) {
    if serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line).is_err() {
        return;
    }
    for tail in [
        &b"{}"[..],
        b"}}}",
        b"x",
        b"\x1b[2J",
        b"\r{\"api\":\"core\"}",
    ] {
        let mut bad = line.to_vec();
        bad.extend_from_slice(tail);
        let mut replayer = Replayer::new();
        let mut records = Vec::new();
        replayer.replay_line_bytes(line_no, &bad, &mut records);
        assert_eq!(records.len(), 1, "trailing {tail:?} gave {records:?}");
        let error = records[0].error.as_ref().expect("refused");
        assert_eq!(error.kind, "malformed", "trailing {tail:?}: {error:?}");
        assert!(
            *replayer.engine() == Engine::new(),
            "a refused line changed the engine"
        );
    }
}

/// Whether a line gives no record: only JSON whitespace (a byte-order mark on line 1 aside).
fn is_blank(line_no: usize, line: &[u8]) -> bool {
    let line = match line_no {
        1 => line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line),
        _ => line,
    };
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Replays one line and checks the replay's promises for it (MODEL.md sections 8, 11, 12): a
/// line that is not blank gives at least one record, every record is labelled with the line,
/// serializes, has labels of at most 256 bytes (and a mark) and messages with no raw control or
/// formatting character, and a line all of whose records are rejected leaves the engine exactly
/// as it was.
fn check_line(replayer: &mut Replayer, line_no: usize, line: &[u8]) {
    let before = replayer.engine().clone();
    let mut records = Vec::new();
    replayer.replay_line_bytes(line_no, line, &mut records);
    if is_blank(line_no, line) {
        assert!(records.is_empty(), "a blank line gave records");
        return;
    }
    assert!(!records.is_empty(), "line {line_no} gave no record");
    for r in &records {
        assert_eq!(r.line, line_no);
        for label in [
            r.interaction.as_deref(),
            r.action.as_deref(),
            r.api.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                label.len() <= 256 + '…'.len_utf8(),
                "a label of {} bytes",
                label.len()
            );
        }
        if let Some(e) = &r.error {
            assert!(
                !e.message.chars().any(interaction_core::text::needs_escape),
                "a raw character in {:?}",
                e.message
            );
        }
        assert!(
            ["applied", "duplicate", "ignored", "rejected"].contains(&r.outcome),
            "unknown outcome {}",
            r.outcome
        );
        assert_eq!(
            r.error.is_some(),
            r.outcome == "rejected",
            "error iff rejected"
        );
        serde_json::to_string(r).expect("a record serializes");
    }
    if records.iter().all(|r| r.outcome == "rejected") {
        assert_eq!(
            *replayer.engine(),
            before,
            "line {line_no}: a rejected line changed the engine"
        );
    }
}

/// The gateway after the bundled trace `trace` (a path from the repository root), replayed
/// once per process and cloned for each input.
fn warmed(trace: &str) -> Gateway {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Gateway>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().expect("cache lock");
    cache
        .entry(trace.to_owned())
        .or_insert_with(|| {
            let mut replayer = Replayer::new();
            let mut sink = Vec::new();
            for (at, line) in bundled(trace).lines().enumerate() {
                replayer.replay_line(at + 1, line, &mut sink);
                sink.clear();
            }
            replayer.gateway().clone()
        })
        .clone()
}

/// Sends `data` as the body of `POST target` (by agent `identity`) to the public endpoint of
/// `route` on the gateway left by the bundled trace `trace`, and checks what the endpoint
/// promises (MODEL.md sections 9 and 12): at least one item; an HTTP status the vendor could
/// send (200 to 599) and a body that serializes; messages with no raw control or formatting
/// character; and, when every item is refused, the engine
/// and the subscriptions exactly as they were, and nothing to send.
fn replay_body(trace: &str, route: Route, target: &str, identity: Option<&str>, data: &[u8]) {
    let request = Request {
        method: "POST",
        target,
        headers: &[("Content-Type", "application/json")],
        body: data,
        identity,
    };
    send(trace, route, &request);
}

/// [`replay_body`]'s checks, for any request.
fn send(trace: &str, route: Route, request: &Request<'_>) {
    let mut gateway = warmed(trace);
    let before = gateway.clone();
    let handled = gateway.handle(route, request);
    assert!(!handled.items.is_empty(), "a request gave no item");
    assert!(
        (200..=599).contains(&handled.response.status),
        "status {}",
        handled.response.status
    );
    serde_json::to_vec(&handled.response.body).expect("a response body serializes");
    for item in &handled.items {
        if let Some(e) = item.error() {
            let message = e.to_string();
            assert!(
                !message.chars().any(interaction_core::text::needs_escape),
                "a raw character in {message:?}"
            );
        }
    }
    if handled.items.iter().all(|i| i.error().is_some()) {
        assert_eq!(gateway, before, "a refused request changed the gateway");
        assert!(
            handled.outgoing.is_empty(),
            "a refused request sent something"
        );
    }
}

/// A bundled trace's text, read once per process.
fn bundled(path: &str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().expect("cache lock");
    cache.entry(path.to_owned()).or_insert_with(|| {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path);
        let text = std::fs::read_to_string(&full).unwrap_or_default();
        Box::leak(text.into_boxed_str())
    })
}
