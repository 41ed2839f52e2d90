//! Bad input, systematically: the VCC Interactions API (`docs/vcc.md`). For every field of the
//! Invoke envelope and request (with its `routingdata`), the Register body and the callback
//! element (with its `params`), a valid message from `docs/traces/vcc-day.jsonl` is mutated: the
//! field missing or `null`, of the wrong JSON type, over-long, holding control characters, an
//! unknown enum value. Each mutated message is replayed where the trace would apply the valid
//! one; it must give the documented outcome (a refusal of the documented kind whose message
//! names the field), never panic, leave the engine as it was, and leave the rest of the trace
//! replaying exactly as it does without it. `docs/bad-input.md` lists the table.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use interaction_cli::{Record, Replayer};
use serde_json::{Value, json};

const DAY: &str = "docs/traces/vcc-day.jsonl";
const SECTION: &str = "vcc";

/// The cases the adapter gets wrong (see the ignored test).
const BUGS: &[Bug] = &[];

#[test]
fn every_field_of_every_vcc_wire_type() {
    assert_table(SECTION, &table(), BUGS);
}

#[test]
fn the_doc_lists_the_vcc_table() {
    check_doc(SECTION, &table(), BUGS);
}

fn table() -> Vec<Row> {
    let mut rows = invoke_rows();
    rows.extend(register_rows());
    rows.extend(callback_rows());
    rows
}

/// The Invoke envelope and one request: a dispatch (with a user-data member added to its
/// `routingdata`) and a release.
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn invoke_rows() -> Vec<Row> {
    let dispatch = Base::new("Invoke dispatch (day:21)", DAY, 21)
        .set("/body/requests/0/routingdata/subject", json!("Case 20481"));
    let release = Base::new("Invoke release (day:17)", DAY, 17);
    vec![
        Row::new(&dispatch, "/path", "path", "trace `path`: a known endpoint")
            .values(
                &[json!("/interactions/Transfer"), json!("/v2/interactions/Invoke"), json!("/interactions"), json!("")],
                refused(UNSUPPORTED),
            )
            .values(&[json!("HTTPS://host.example.com/INTERACTIONS/invoke/?x=1")], Expect::Accepted)
            .controls_in("/interactions/Inv{}oke", refused(UNSUPPORTED)),
        id_row(&dispatch, "/body/provider", "provider", false, 256)
            .value(json!("NoSuchProvider"), refused("unknown_provider")),
        Row::new(&dispatch, "/body/requests", "requests", "list of requests, required")
            .missing(refused(MISSING))
            .wrong(&[json!({}), json!("dispatch"), json!(5)], refused(MALFORMED))
            .value(json!([]), refused(INVALID)),
        Row::new(&dispatch, "/body/requests/0", "requests[0]", "request object")
            .removed(refused_naming(INVALID, "requests"))
            .wrong(
                &[json!(5), json!("dispatch"), json!([]), Value::Null],
                refused(MALFORMED),
            ),
        Row::new(
            &dispatch,
            "/body/requests/0/action",
            "action",
            "enum dispatch|release, optional (dispatch)",
        )
        .missing(Expect::Accepted)
        .wrong_for_string()
        .values(
            &[json!(""), json!("Dispatch"), json!("DISPATCH"), json!("transfer"), json!("dispatch ")],
            refused(UNSUPPORTED),
        )
        .controls_in("dis{}patch", refused(UNSUPPORTED))
        .long("d".repeat(300), refused(UNSUPPORTED)),
        id_row(&dispatch, "/body/requests/0/requestid", "requestid", false, 246)
            .long("r".repeat(246), Expect::Accepted),
        id_row(&dispatch, "/body/requests/0/externalid", "externalid", true, 256)
            .long("e".repeat(256), Expect::Accepted),
        id_row(&dispatch, "/body/requests/0/route", "route", true, 256)
            .long("n".repeat(256), Expect::Accepted),
        Row::new(&dispatch, "/body/requests/0/routingdata", "routingdata", "object, required (dispatch)")
            .missing(refused_naming(MISSING, "routingdata.interactiontype"))
            .value(json!({}), refused_naming(MISSING, "routingdata.interactiontype"))
            .wrong(&[json!(5), json!("nonlive"), json!(["nonlive"])], refused(MALFORMED)),
        Row::new(
            &dispatch,
            "/body/requests/0/routingdata/interactiontype",
            "routingdata.interactiontype",
            "enum live|nonlive|chat, required (dispatch)",
        )
        .missing(refused(MISSING))
        .empty(refused(MISSING))
        .wrong_for_string()
        .values(
            &[json!("email"), json!("Live"), json!("NONLIVE"), json!("voice"), json!("chat ")],
            refused(INVALID),
        )
        .controls_in("non{}live", refused(INVALID))
        .long("l".repeat(300), refused(INVALID)),
        Row::new(
            &dispatch,
            "/body/requests/0/routingdata/subject",
            "routingdata.subject",
            "user data: any JSON value, optional",
        )
        .missing(Expect::Accepted)
        .values(
            &[json!(5), json!(true), json!(["x"]), json!({"x": "y"})],
            Expect::Accepted,
        )
        .long("s".repeat(10_000), Expect::Accepted)
        .controls_in("a{}b", Expect::Accepted)
        .deep(refused(MALFORMED))
        .exempt("over-long and control characters: a user-data value is free JSON kept verbatim; no limit or character rule is documented"),
        // The release: the provider must be the dispatch's; the id must be known.
        id_row(&release, "/body/provider", "provider", false, 256)
            .removed(refused_naming("provider_mismatch", "provider"))
            .null(refused_naming("provider_mismatch", "provider"))
            .value(json!("ReleaseOnlyProvider"), refused_naming("provider_mismatch", "provider")),
        Row::new(&release, "/body/requests/0/action", "action", "enum dispatch|release")
            .removed(refused_naming(MISSING, "route"))
            .values(&[json!("Release"), json!("hangup")], refused(UNSUPPORTED)),
        // A release does not use the dispatch members; their JSON types are still checked.
        Row::new(&release, "/body/requests/0/route", "route", "name, not used by a release")
            .wrong_for_string()
            .long("n".repeat(257), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("over-long and control characters: a release does not use `route`; only its JSON type is checked"),
        Row::new(&release, "/body/requests/0/routingdata", "routingdata", "object, not used by a release")
            .wrong(&[json!(5), json!("nonlive")], refused(MALFORMED))
            .value(json!({"interactiontype": "email"}), Expect::Accepted)
            .value(json!({"interactiontype": 5}), refused_naming(MALFORMED, "routingdata.interactiontype")),
        id_row(&release, "/body/requests/0/requestid", "requestid", false, 246)
            .long("r".repeat(246), Expect::Accepted),
        id_row(&release, "/body/requests/0/externalid", "externalid", true, 256)
            .value(json!("no-such-interaction"), refused_naming("unknown_interaction", "no-such-interaction")),
    ]
}

/// The Register body, re-registering the day's first provider with its own settings after line
/// 20 (an upsert: the valid body changes nothing).
fn register_rows() -> Vec<Row> {
    let register = Base::new("Register (day:1, after line 20)", DAY, 1).after(20);
    let endpoint = "https://endpoint.example.com/";
    let mut rows = vec![
        Row::new(&register, "/body", "register body", "object")
            .wrong(&[json!([]), json!("x"), json!(5), json!(true)], refused(MALFORMED)),
        id_row(&register, "/body/provider", "provider", true, 256),
        Row::new(&register, "/body/endpoint", "endpoint", "absolute https URL, optional, <= 2048 bytes")
            .missing(Expect::Accepted)
            .empty(refused(INVALID))
            .wrong_for_string()
            .long(format!("{endpoint}{}", "a".repeat(2049 - endpoint.len())), refused(INVALID))
            .long(format!("{endpoint}{}", "a".repeat(2048 - endpoint.len())), Expect::Accepted)
            .controls_in("https://endpoint.example.com/a{}b", refused(INVALID))
            .values(
                &[
                    json!("http://endpoint.example.com/routingendpoint"),
                    json!("endpoint.example.com/routingendpoint"),
                    json!("https://"),
                    json!("https://user:pw@endpoint.example.com/"),
                    json!("https://endpoint.example.com:0/"),
                    json!("https://endpoint.example.com:65536/"),
                    json!("https://endpoint example.com/"),
                    json!("ftp://endpoint.example.com/"),
                ],
                refused(INVALID),
            ),
        Row::new(&register, "/body/headers", "headers", "map of header name to value, optional")
            .missing(Expect::Accepted)
            .value(json!({}), Expect::Accepted)
            .wrong(&[json!("x"), json!(["x-header1", "value1"]), json!(5), json!(true)], refused(MALFORMED)),
        Row::new(&register, "/body/headers/x-header1", "headers.x-header1", "header value: a string without CR, LF, NUL")
            .removed(Expect::Accepted)
            .wrong(&[json!(5), json!(true), json!(["v"]), json!({"v": 1}), Value::Null], refused(INVALID))
            .values(&[json!("a\rb"), json!("a\nb"), json!("a\u{0}b"), json!("v\r\nX-Injected: 1")], refused(INVALID))
            .values(&[json!("a\u{7}b"), json!("a\tb"), json!("")], Expect::Accepted)
            .long("v".repeat(10_000), Expect::Accepted)
            .exempt("over-long: no limit is documented; control characters other than CR, LF and NUL: docs/vcc.md refuses only those (RFC 9110 section 5.5)"),
        Row::new(&register, "/body/headers/x-header1", "headers.", "header name: an RFC 9110 token")
            .renamed("x header", refused(INVALID))
            .renamed("x:header", refused(INVALID))
            .renamed("", refused(INVALID))
            .renamed("x\u{7}header", refused(INVALID))
            .renamed("x\nheader", refused(INVALID))
            .renamed("\u{e9}t\u{e9}", refused(INVALID))
            .renamed("X-Custom_Header.1~!#$%&'*+^`|", Expect::Accepted),
        Row::new(&register, "/body/agentactionspermitted", "agentactionspermitted", "map of permission to 0|1, optional (defaults)")
            .missing(Expect::Accepted)
            .value(json!({}), Expect::Accepted)
            .wrong(&[json!("release"), json!([1]), json!(5)], refused(MALFORMED)),
        Row::new(&register, "/body/agentactionspermitted/hold", "agentactionspermitted", "permission key: release|hold|transferToAgent|transferToRoute")
            .renamed("Hold", refused(UNSUPPORTED))
            .renamed("conference", refused(UNSUPPORTED))
            .renamed("transfer_to_agent", refused(UNSUPPORTED))
            .renamed("", refused(UNSUPPORTED))
            .renamed("ho\u{7}ld", refused(UNSUPPORTED)),
    ];
    for (pointer, field) in [
        (
            "/body/agentactionspermitted/release",
            "agentactionspermitted.release",
        ),
        (
            "/body/agentactionspermitted/hold",
            "agentactionspermitted.hold",
        ),
        (
            "/body/agentactionspermitted/transferToAgent",
            "agentactionspermitted.transferToAgent",
        ),
        (
            "/body/agentactionspermitted/transferToRoute",
            "agentactionspermitted.transferToRoute",
        ),
    ] {
        rows.push(
            Row::new(&register, pointer, field, "flag: the number 0 or 1")
                .removed(Expect::Accepted)
                .value(json!(0), Expect::Accepted)
                .wrong(
                    &[
                        json!("1"),
                        json!(true),
                        json!([1]),
                        json!({"v": 1}),
                        Value::Null,
                    ],
                    refused(INVALID),
                )
                .values(
                    &[json!(2), json!(-1), json!(1.0), json!(0.5), json!(1e300)],
                    refused(INVALID),
                ),
        );
    }
    rows
}

/// The callback element: an AssignToAgent (also without `AgentId`, naming the agent by `Agent`)
/// and a Release.
fn callback_rows() -> Vec<Row> {
    let assign = Base::new("callback AssignToAgent (day:22)", DAY, 22);
    let by_name = Base::new("callback AssignToAgent without AgentId (day:22)", DAY, 22)
        .without("/body/0/params/AgentId");
    let release = Base::new("callback Release (day:19)", DAY, 19);
    let mut rows = vec![
        Row::new(&assign, "/body", "callback body", "array of notifications")
            .wrong(
                &[
                    json!({"notification": "Release"}),
                    json!("x"),
                    json!(5),
                    Value::Null,
                ],
                refused(MALFORMED),
            )
            .value(json!([]), refused_naming(INVALID, "callback")),
        Row::new(&assign, "/body/0", "[0]", "notification object")
            .removed(refused_naming(INVALID, "callback"))
            .wrong(
                &[json!(5), json!("AssignToAgent"), json!([]), Value::Null],
                refused(MALFORMED),
            ),
        Row::new(
            &by_name,
            "/body/0/params/Agent",
            "params.Agent",
            "id, used when AgentId is absent",
        )
        .missing(refused_naming(MISSING, "params.AgentId"))
        .empty(refused(MISSING))
        .wrong_for_string()
        .long("a".repeat(257), refused(INVALID))
        .controls_in("a{}b", refused(INVALID)),
        id_row(
            &assign,
            "/body/0/params/AgentId",
            "params.AgentId",
            false,
            256,
        )
        .long("9".repeat(256), Expect::Accepted),
        // With AgentId given, Agent (the user name) is not used; its JSON type is still checked.
        Row::new(&assign, "/body/0/params/Agent", "params.Agent", "user name, not used beside AgentId")
            .missing(Expect::Accepted)
            .empty(Expect::Accepted)
            .wrong_for_string()
            .long("a".repeat(257), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("empty, over-long and control characters when AgentId is given: `Agent` is then not used (docs/vcc.md); only its JSON type is checked"),
    ];
    for base in [&assign, &release] {
        rows.extend([
            Row::new(
                base,
                "/body/0/notification",
                "notification",
                "enum AssignToAgent|Release, required",
            )
            .missing(refused(MISSING))
            .wrong_for_string()
            .values(
                &[
                    json!(""),
                    json!("assigntoagent"),
                    json!("Assign"),
                    json!("Transfer"),
                    json!("Release "),
                ],
                refused(UNSUPPORTED),
            )
            .controls_in("Rel{}ease", refused(UNSUPPORTED))
            .long("N".repeat(300), refused(UNSUPPORTED)),
            id_row(base, "/body/0/objectid", "objectid", true, 256).value(
                json!("no-such-interaction"),
                refused_naming("unknown_interaction", "no-such-interaction"),
            ),
            id_row(base, "/body/0/notificationid", "notificationid", true, 241)
                .long("n".repeat(241), Expect::Accepted),
            Row::new(base, "/body/0/params", "params", "object, required")
                .missing(refused(MISSING))
                .value(json!({}), refused_naming(MISSING, "params.AccountName"))
                .wrong(&[json!("x"), json!(5), json!(["x"])], refused(MALFORMED)),
            id_row(
                base,
                "/body/0/params/AccountName",
                "params.AccountName",
                true,
                256,
            ),
        ]);
    }
    rows
}
// ---- The harness ----
//
// The same in each `bad_input_*.rs` (integration test files are separate crates, and
// `tests/common/` belongs to the replay tests). A table is a list of [`Row`]s: one field of one
// base message, with the cases generated for it. [`check_table`] runs every case; [`render`]
// writes the table for `docs/bad-input.md`.

/// `missing_field`.
const MISSING: &str = "missing_field";
/// `malformed`.
const MALFORMED: &str = "malformed";
/// `invalid_field`.
const INVALID: &str = "invalid_field";
/// `unsupported`.
const UNSUPPORTED: &str = "unsupported";

/// Control characters put into a text value: BEL, NUL, LF, ESC (a terminal escape), DEL and
/// the C1 control NEL.
const CONTROLS: [&str; 6] = ["\u{7}", "\u{0}", "\n", "\u{1b}[31m", "\u{7f}", "\u{85}"];

/// A valid message to mutate: line `line` of `trace` (a repository path) with `patches`
/// applied, replayed as line `line` after the trace's lines `1..=after`. The lines after
/// `after` (the base line itself excepted) are the continuation.
#[derive(Clone)]
struct Base {
    name: String,
    trace: &'static str,
    line: usize,
    after: usize,
    patches: Vec<(&'static str, Mutation)>,
}

#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
impl Base {
    fn new(name: &str, trace: &'static str, line: usize) -> Base {
        Base {
            name: name.to_owned(),
            trace,
            line,
            after: line - 1,
            patches: Vec::new(),
        }
    }

    /// Replays the base after the trace's lines `1..=after` instead of `1..line`.
    fn after(mut self, after: usize) -> Base {
        self.after = after;
        self
    }

    /// The base with `pointer` set to `value` (a variant of the trace's message).
    fn set(mut self, pointer: &'static str, value: Value) -> Base {
        self.patches.push((pointer, Mutation::Set(value)));
        self
    }

    /// The base without the member at `pointer`.
    fn without(mut self, pointer: &'static str) -> Base {
        self.patches.push((pointer, Mutation::Remove));
        self
    }

    /// Its trace line, as JSON.
    fn message(&self, lines: &[String]) -> Value {
        let text = &lines[self.line - 1];
        let mut message: Value = serde_json::from_str(text).unwrap();
        for (pointer, mutation) in &self.patches {
            mutate(&mut message, pointer, mutation);
        }
        message
    }
}

/// A change to one member of a trace line.
#[derive(Clone, Debug)]
#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
enum Mutation {
    /// The member removed (an array element: taken out).
    Remove,
    /// The member set to a value.
    Set(Value),
    /// The member kept under another key (an unknown map key).
    RenameKey(String),
}

/// What a case must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Not rejected (an optional member removed, a value with no rule).
    Accepted,
    /// Rejected with this kind; the message names this field (`None`: the row's field).
    Refused(&'static str, Option<&'static str>),
}

/// Rejected with `kind`, naming the row's field.
const fn refused(kind: &'static str) -> Expect {
    Expect::Refused(kind, None)
}

/// Rejected with `kind`, naming `field`.
const fn refused_naming(kind: &'static str, field: &'static str) -> Expect {
    Expect::Refused(kind, Some(field))
}

/// One generated case.
struct Case {
    label: String,
    mutation: Mutation,
    expect: Expect,
}

/// A field of a base message and the cases generated for it.
struct Row {
    base: Base,
    pointer: String,
    field: String,
    kind: String,
    cases: Vec<Case>,
    exempt: Option<&'static str>,
}

#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
impl Row {
    /// A row with no cases yet. `pointer` is a JSON pointer into the trace line (`/body/...`,
    /// `/as`, `/path`); `field` the wire name a message must give; `kind` says what the field is.
    fn new(base: &Base, pointer: impl Into<String>, field: impl Into<String>, kind: &str) -> Row {
        Row {
            base: base.clone(),
            pointer: pointer.into(),
            field: field.into(),
            kind: kind.to_owned(),
            cases: Vec::new(),
            exempt: None,
        }
    }

    /// Adds a case (or replaces the case of the same label).
    fn case(mut self, label: impl Into<String>, mutation: Mutation, expect: Expect) -> Row {
        let label = label.into();
        let case = Case {
            label,
            mutation,
            expect,
        };
        // A later case replaces an earlier one with the same label: a row built by `id_row`
        // can change what one of its cases must give.
        match self.cases.iter_mut().find(|c| c.label == case.label) {
            Some(old) => *old = case,
            None => self.cases.push(case),
        }
        self
    }

    /// The member removed, and set to `null`.
    fn missing(self, expect: Expect) -> Row {
        self.removed(expect).null(expect)
    }

    fn removed(self, expect: Expect) -> Row {
        self.case("missing", Mutation::Remove, expect)
    }

    fn null(self, expect: Expect) -> Row {
        self.case("null", Mutation::Set(Value::Null), expect)
    }

    /// The empty string.
    fn empty(self, expect: Expect) -> Row {
        self.value(json!(""), expect)
    }

    /// Each value, labelled by its JSON text.
    fn values(mut self, values: &[Value], expect: Expect) -> Row {
        for v in values {
            self = self.value(v.clone(), expect);
        }
        self
    }

    fn value(self, value: Value, expect: Expect) -> Row {
        let label = label_of(&value);
        self.case(label, Mutation::Set(value), expect)
    }

    /// Values of the wrong JSON type.
    fn wrong(self, values: &[Value], expect: Expect) -> Row {
        self.values(values, expect)
    }

    /// A string of the wrong type for a string member: a number, a boolean, an array, an
    /// object.
    fn wrong_for_string(self) -> Row {
        self.wrong(
            &[json!(5), json!(true), json!(["x"]), json!({"x": "y"})],
            refused(MALFORMED),
        )
    }

    /// An over-long value (or one at the limit), labelled by its length in bytes.
    fn long(self, value: String, expect: Expect) -> Row {
        let label = format!("{} bytes", value.len());
        self.case(label, Mutation::Set(Value::String(value)), expect)
    }

    /// `template` with `{}` replaced by each of [`CONTROLS`].
    fn controls_in(mut self, template: &str, expect: Expect) -> Row {
        for c in CONTROLS {
            self = self.value(json!(template.replace("{}", c)), expect);
        }
        self
    }

    /// A value nested 200 levels deep (the decoders stop at 128).
    fn deep(self, expect: Expect) -> Row {
        let mut v = json!("x");
        for _ in 0..200 {
            v = json!([v]);
        }
        self.case("nested 200 deep", Mutation::Set(v), expect)
    }

    /// The member kept under the key `key`.
    fn renamed(self, key: &str, expect: Expect) -> Row {
        let label = format!("key {}", label_of(&json!(key)));
        self.case(label, Mutation::RenameKey(key.to_owned()), expect)
    }

    fn exempt(mut self, reason: &'static str) -> Row {
        self.exempt = Some(reason);
        self
    }
}

/// An id: required (`missing_field` when absent, `null` or empty) or optional (accepted when
/// absent or `null`, `missing_field` when empty); `malformed` of the wrong type; `invalid_field`
/// over `limit` bytes or with a control character; accepted at `limit` bytes when
/// `at_limit_ok`.
#[allow(
    dead_code,
    reason = "the harness is the same in each bad_input file; not every table uses every builder"
)]
fn id_row(
    base: &Base,
    pointer: impl Into<String>,
    field: impl Into<String>,
    required: bool,
    limit: usize,
) -> Row {
    let (absent, what) = if required {
        (refused(MISSING), "required")
    } else {
        (Expect::Accepted, "optional")
    };
    Row::new(
        base,
        pointer,
        field,
        &format!("id, {what}, <= {limit} bytes"),
    )
    .missing(absent)
    .empty(refused(MISSING))
    .wrong_for_string()
    .long("x".repeat(limit + 1), refused(INVALID))
    .controls_in("a{}b", refused(INVALID))
}

/// A value's label: a string as Rust writes it (every control character escaped), anything
/// else as its JSON text; long ones cut in the middle.
fn label_of(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("{s:?}"),
        // JSON escapes only the C0 controls; DEL and the C1 controls must show too.
        other => other
            .to_string()
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    };
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 48 {
        let head: String = chars[..28].iter().collect();
        let tail: String = chars[chars.len() - 12..].iter().collect();
        format!("{head}...{tail} ({} bytes)", text.len())
    } else {
        text
    }
}

fn mutate(message: &mut Value, pointer: &str, mutation: &Mutation) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let container = message
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the base message"));
    match container {
        Value::Object(map) => match mutation {
            Mutation::Remove => {
                map.shift_remove(key);
            }
            Mutation::Set(v) => {
                map.insert(key.to_owned(), v.clone());
            }
            Mutation::RenameKey(new) => {
                let v = map.shift_remove(key).unwrap();
                map.insert(new.clone(), v);
            }
        },
        Value::Array(items) => {
            let index: usize = key.parse().unwrap();
            match mutation {
                Mutation::Remove => {
                    items.remove(index);
                }
                Mutation::Set(v) => items[index] = v.clone(),
                Mutation::RenameKey(_) => panic!("{pointer}: an array has no keys"),
            }
        }
        _ => panic!("{pointer}: {parent} is not an object or an array"),
    }
}

/// What replaying a base with (or without) a mutated line gave.
struct Run {
    /// The mutated line's records (empty without one).
    records: Vec<Record>,
    /// The engine after the mutated line equals the engine before it.
    unchanged: bool,
    /// The records of the base message and the continuation, replayed after it.
    rest: Vec<Record>,
}

fn replay_base(lines: &[String], base: &Base, mutated: Option<&str>) -> Run {
    let mut replayer = Replayer::new();
    let mut ignored = Vec::new();
    for n in 1..=base.after {
        replayer.replay_line(n, &lines[n - 1], &mut ignored);
    }
    let before = replayer.engine().clone();
    let mut records = Vec::new();
    if let Some(text) = mutated {
        replayer.replay_line(base.line, text, &mut records);
    }
    let unchanged = *replayer.engine() == before;
    let mut rest = Vec::new();
    let message = base.message(lines).to_string();
    replayer.replay_line(base.line, &message, &mut rest);
    for n in base.after + 1..=lines.len() {
        if n != base.line {
            replayer.replay_line(n, &lines[n - 1], &mut rest);
        }
    }
    Run {
        records,
        unchanged,
        rest,
    }
}

/// A known bug: the case `case` of the row `field` on the base `base` does not do what the
/// docs say (a `case` ending in `*` names every case whose label starts with the rest). It is
/// left out of the table's test and run by an ignored test instead.
struct Bug {
    base: &'static str,
    field: &'static str,
    case: &'static str,
    what: &'static str,
}

impl Bug {
    fn names(&self, row: &Row, case: &Case) -> bool {
        let label = match self.case.strip_suffix('*') {
            Some(prefix) => case.label.starts_with(prefix),
            None => case.label == self.case,
        };
        label && self.base == row.base.name && self.field == row.field
    }
}

fn is_bug(bugs: &[Bug], row: &Row, case: &Case) -> bool {
    bugs.iter().any(|b| b.names(row, case))
}

/// Runs every case of `rows` (only the known bugs when `only_bugs`, else all but them) and
/// returns the failures; panics if a known bug names no case.
fn check_table(rows: &[Row], bugs: &[Bug], only_bugs: bool) -> Vec<String> {
    let mut traces: HashMap<&str, Vec<String>> = HashMap::new();
    let mut failures = Vec::new();
    for row in rows {
        let lines = traces.entry(row.base.trace).or_insert_with(|| {
            common::read(row.base.trace)
                .lines()
                .map(str::to_owned)
                .collect()
        });
        let reference = replay_base(lines, &row.base, None);
        let base_records: Vec<&Record> = reference
            .rest
            .iter()
            .filter(|r| r.line == row.base.line)
            .collect();
        if base_records.is_empty() || base_records.iter().any(|r| r.outcome == "rejected") {
            failures.push(format!(
                "{}: the base message is not accepted: {base_records:?}",
                row.base.name
            ));
            continue;
        }
        for case in &row.cases {
            if is_bug(bugs, row, case) != only_bugs {
                continue;
            }
            let mut message = row.base.message(lines);
            mutate(&mut message, &row.pointer, &case.mutation);
            let text = message.to_string();
            let id = format!("{} `{}` [{}]", row.base.name, row.field, case.label);
            let run = catch_unwind(AssertUnwindSafe(|| {
                replay_base(lines, &row.base, Some(&text))
            }));
            match run {
                Err(_) => failures.push(format!("{id}: panicked on {text}")),
                Ok(run) => {
                    if let Some(why) = verdict(row, case, &run, &reference) {
                        failures.push(format!("{id}: {why}\n    line: {text}"));
                    }
                }
            }
        }
    }
    for bug in bugs {
        assert!(
            rows.iter()
                .any(|row| row.cases.iter().any(|case| bug.names(row, case))),
            "the known bug {} `{}` [{}] names no case of the table",
            bug.base,
            bug.field,
            bug.case
        );
    }
    failures
}

/// Why a case failed, if it did.
fn verdict(row: &Row, case: &Case, run: &Run, reference: &Run) -> Option<String> {
    if run.records.is_empty() {
        return Some("no record".to_owned());
    }
    match case.expect {
        Expect::Accepted => run
            .records
            .iter()
            .find(|r| r.outcome == "rejected")
            .map(|r| format!("expected accepted, got {:?}", r.error)),
        Expect::Refused(kind, field) => {
            let field = field.unwrap_or(&row.field);
            for r in &run.records {
                let Some(error) = r.error.as_ref().filter(|_| r.outcome == "rejected") else {
                    return Some(format!(
                        "expected {kind} naming `{field}`, got {}",
                        r.outcome
                    ));
                };
                if error.kind != kind || !names(&error.message, field) {
                    return Some(format!(
                        "expected {kind} naming `{field}`, got {} {:?}",
                        error.kind, error.message
                    ));
                }
                if error.message.chars().any(char::is_control) {
                    return Some(format!("raw control character in {:?}", error.message));
                }
                if r.effects.iter().any(|e| e["type"] != "response") {
                    return Some(format!("a refusal with effects {:?}", r.effects));
                }
            }
            if !run.unchanged {
                return Some("the refusal changed the engine".to_owned());
            }
            if run.rest != reference.rest {
                return Some(
                    "the rest of the trace replays differently after the refusal".to_owned(),
                );
            }
            None
        }
    }
}

/// `message` names `field`: the name stands alone, not inside a longer name (`from` is not
/// named by `from.agentId`; a full stop ending a sentence is not a longer name).
fn names(message: &str, field: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    message.match_indices(field).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let mut after = message[i + field.len()..].chars();
        let ends = field.ends_with(['.', '['])
            || match after.next() {
                None => true,
                Some('.') => after.next().is_none_or(char::is_whitespace),
                Some(c) => !word(c) && c != '[',
            };
        !before.is_some_and(word) && ends
    })
}

/// The table as Markdown: one line per row, its cases grouped by what they must give.
fn render(rows: &[Row], bugs: &[Bug]) -> String {
    let cases: usize = rows.iter().map(|r| r.cases.len()).sum();
    let mut out = format!(
        "{} rows, {cases} cases.\n\n| base message | field | what it is | cases: expected |\n|---|---|---|---|\n",
        rows.len()
    );
    for row in rows {
        let mut groups: Vec<(Expect, Vec<String>)> = Vec::new();
        for case in &row.cases {
            let text = case.label.replace('|', "\\|");
            let mut label = if text.contains('`') {
                format!("`` {text} ``")
            } else {
                format!("`{text}`")
            };
            if is_bug(bugs, row, case) {
                label.push_str(" (bug)");
            }
            match groups.iter_mut().find(|(e, _)| *e == case.expect) {
                Some((_, labels)) => labels.push(label),
                None => groups.push((case.expect, vec![label])),
            }
        }
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(expect, labels)| {
                let expect = match expect {
                    Expect::Accepted => "accepted".to_owned(),
                    Expect::Refused(kind, None) => format!("**{kind}**"),
                    Expect::Refused(kind, Some(f)) => format!("**{kind}** `{f}`"),
                };
                format!("{}: {expect}", labels.join(", "))
            })
            .collect();
        let kind = match row.exempt {
            Some(reason) => format!("{}; exempt: {reason}", row.kind),
            None => row.kind.clone(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {kind} | {} |",
            row.base.name,
            row.field,
            groups.join("; ")
        );
    }
    let mut whats: Vec<&str> = Vec::new();
    for bug in bugs {
        if !whats.contains(&bug.what) {
            whats.push(bug.what);
        }
    }
    if !whats.is_empty() {
        out.push_str("\nKnown bugs (the ignored test; `*` ends a label prefix):\n\n");
    }
    for what in whats {
        let cases: Vec<String> = bugs
            .iter()
            .filter(|b| b.what == what)
            .map(|b| format!("{} `{}` `{}`", b.base, b.field, b.case))
            .collect();
        let _ = writeln!(out, "- {what}. Cases: {}.", cases.join("; "));
    }
    out
}

/// Checks that `docs/bad-input.md` holds `render(rows)` between the markers of `section`;
/// with `BAD_INPUT_BLESS=1` in the environment, writes it there instead.
fn check_doc(section: &str, rows: &[Row], bugs: &[Bug]) {
    let begin = format!("<!-- begin {section} (generated by its test) -->\n");
    let end = format!("<!-- end {section} -->");
    let path = common::repo_file("docs/bad-input.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc.find(&begin).unwrap_or_else(|| panic!("no {begin}")) + begin.len();
    let stop = start
        + doc[start..]
            .find(&end)
            .unwrap_or_else(|| panic!("no {end}"));
    let table = render(rows, bugs);
    if std::env::var_os("BAD_INPUT_BLESS").is_some() {
        let new = format!("{}{table}{}", &doc[..start], &doc[stop..]);
        std::fs::write(&path, new).unwrap();
    } else {
        assert!(
            doc[start..stop] == table,
            "docs/bad-input.md, section {section}, differs from the table; run with \
             BAD_INPUT_BLESS=1 to rewrite it. Expected:\n{table}"
        );
    }
}

/// Runs the table (all but the known bugs) and fails with every failure.
fn assert_table(section: &str, rows: &[Row], bugs: &[Bug]) {
    let cases: usize = rows.iter().map(|r| r.cases.len()).sum();
    eprintln!("{section}: {} rows, {cases} cases", rows.len());
    let failures = check_table(rows, bugs, false);
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs only the known bugs: each must fail until it is fixed.
#[allow(dead_code, reason = "not every table has known bugs")]
fn assert_bugs(rows: &[Row], bugs: &[Bug]) {
    let failures = check_table(rows, bugs, true);
    assert!(
        failures.is_empty(),
        "{} known bugs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
