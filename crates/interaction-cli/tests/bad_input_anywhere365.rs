//! Bad input, systematically: the Anywhere365 CTI Broker (`docs/anywhere365.md`). For every
//! member of the event the broker pushes, the command body, the subscribe body and the
//! unsubscribe path, a valid message from `docs/traces/anywhere365-day.jsonl` is mutated: the
//! member missing or `null`, of the wrong JSON type, over-long, holding control characters, an
//! unknown enum value. Each mutated message is replayed where the trace would apply the valid
//! one; it must give the documented outcome (a refusal of the documented kind whose message
//! names the member), never panic, leave the engine as it was, and leave the rest of the trace
//! replaying exactly as it does without it (which also shows that the subscriptions, adapter
//! state outside the engine, did not change). `docs/bad-input.md` lists the table.

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

const DAY: &str = "docs/traces/anywhere365-day.jsonl";
const SECTION: &str = "anywhere365";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

/// The cases the adapter gets wrong (see the ignored test).
const BUGS: &[Bug] = &[];

#[test]
fn every_field_of_every_anywhere365_wire_type() {
    assert_table(SECTION, &table(), BUGS);
}

#[test]
fn the_doc_lists_the_anywhere365_table() {
    check_doc(SECTION, &table(), BUGS);
}

fn table() -> Vec<Row> {
    let mut rows = event_rows();
    rows.extend(command_rows());
    rows.extend(subscription_rows());
    rows
}

/// `ImAddress`, a sip address, required: the same rules in events and commands.
fn im_address_row(base: &Base) -> Row {
    Row::new(
        base,
        "/body/ImAddress",
        "ImAddress",
        "sip address, required, <= 256 bytes",
    )
    .missing(refused(MISSING))
    .empty(refused(MISSING))
    .wrong_for_string()
    .long(
        format!("sip:{}@contoso.com", "a".repeat(250)),
        refused(INVALID),
    )
    .long(
        format!("sip:alice@{}.com", "d".repeat(64)),
        refused(INVALID),
    )
    .controls_in("sip:al{}ice@contoso.com", refused(INVALID))
    .values(
        &[
            json!("alice@contoso.com"),
            json!("sips:alice@contoso.com"),
            json!("sip:alice"),
            json!("sip:@contoso.com"),
            json!("sip:alice@contoso.com:5060"),
            json!("sip:alice@contoso.com;transport=tcp"),
            json!("sip:alice@-contoso.com"),
            json!("sip:al ice@contoso.com"),
            json!("sip:alice@@contoso.com"),
            json!("sip:al%zzice@contoso.com"),
            json!("tel:+31612345678"),
        ],
        refused(INVALID),
    )
    .value(json!("SIP:alice@contoso.com"), Expect::Accepted)
}

/// An enumeration sent as a number or a name.
fn enum_row(base: &Base, pointer: &'static str, field: &'static str, kind: &str) -> Row {
    Row::new(base, pointer, field, kind).wrong(
        &[json!(true), json!([3]), json!({"x": 1})],
        refused(MALFORMED),
    )
}

/// The events: a Hunting creating a call (every member read), a Connected on a known call
/// (`SessionType` not needed), a LoggedIn (`callId` is the login result) and a LoggedOff
/// (`callId` not read).
fn event_rows() -> Vec<Row> {
    let hunting = Base::new("Hunting, first sight (day:16)", DAY, 16);
    let connected = Base::new("Connected, offered (day:19)", DAY, 19);
    let logged_in = Base::new("LoggedIn (day:8)", DAY, 8);
    let logged_off = Base::new("LoggedOff (day:30)", DAY, 30);
    vec![
        Row::new(&hunting, "/body", "event body", "a JSON object")
            .wrong(&[json!("x"), json!(5), json!([]), Value::Null], refused(MALFORMED)),
        enum_row(&hunting, "/body/eventType", "eventType", "enum 0, 1, 3..7 or its name, required")
            .missing(refused(MISSING))
            .values(
                &[json!(2), json!(8), json!(-1), json!(3.5), json!(1e300), json!(18_446_744_073_709_551_615_u64), json!("hunting"), json!("3"), json!(""), json!("Hunting ")],
                refused(UNSUPPORTED),
            )
            .controls_in("Hunt{}ing", refused(UNSUPPORTED))
            .long("H".repeat(300), refused(UNSUPPORTED))
            .value(json!("Hunting"), Expect::Accepted),
        id_row(&hunting, "/body/SubscriptionId", "SubscriptionId", true, 256)
            .value(json!("11111111-2222-3333-4444-555555555555"), Expect::Accepted),
        im_address_row(&hunting),
        enum_row(&hunting, "/body/SessionType", "SessionType", "enum 0 Inbound, 1 Outbound or its name, required to create a call")
            .missing(refused(MISSING))
            .values(&[json!(2), json!(-1), json!(0.5), json!("inbound"), json!("0"), json!("")], refused(INVALID))
            .controls_in("In{}bound", refused(INVALID))
            .values(&[json!("Inbound"), json!(1), json!("Outbound")], Expect::Accepted),
        id_row(&hunting, "/body/callId", "callId", true, 256)
            .long("c".repeat(256), Expect::Accepted),
        id_row(&hunting, "/body/ani", "ani", false, 256)
            .empty(Expect::Accepted),
        Row::new(&hunting, "/body/extra", "extra", "an unknown member: not read")
            .values(&[json!(5), json!("a\u{7}b"), json!({"x": [1, {"y": null}]})], Expect::Accepted)
            .deep(Expect::Accepted),
        Row::new(&connected, "/body/SessionType", "SessionType", "enum; not needed on a known call")
            .missing(Expect::Accepted)
            .values(&[json!(2), json!("inbound")], refused(INVALID))
            .wrong(&[json!(true)], refused(MALFORMED)),
        id_row(&connected, "/body/callId", "callId", true, 256)
            .value(json!("no-such-call"), Expect::Accepted),
        im_address_row(&connected),
        Row::new(&logged_in, "/body/callId", "callId", "the login result: free text, optional")
            .missing(Expect::Accepted)
            .values(&[json!("failed"), json!("Login FAILED: busy")], Expect::Accepted)
            .wrong_for_string()
            .long("c".repeat(10_000), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("over-long and control characters: the LoggedIn `callId` is the login result, free text searched for \"failed\"; no limit or character rule is documented"),
        Row::new(&logged_in, "/body/SessionType", "SessionType", "enum; not needed")
            .missing(Expect::Accepted),
        im_address_row(&logged_in),
        Row::new(&logged_off, "/body/callId", "callId", "not read")
            .missing(Expect::Accepted)
            .wrong_for_string()
            .long("c".repeat(10_000), Expect::Accepted)
            .controls_in("a{}b", Expect::Accepted)
            .exempt("over-long and control characters: a LoggedOff does not read `callId`; only its JSON type is checked"),
        im_address_row(&logged_off),
    ]
}

/// The commands: a Dial (its `number`), an AgentLogin, a HeartBeat.
fn command_rows() -> Vec<Row> {
    let dial = Base::new("Dial (day:25)", DAY, 25);
    let login = Base::new("AgentLogin (day:6)", DAY, 6);
    let heartbeat = Base::new("HeartBeat (day:24)", DAY, 24);
    vec![
        Row::new(&dial, "/path", "path", "trace `path`: a known endpoint")
            .values(&[json!("/api/commands"), json!("/api/v1/command"), json!("/command/api"), json!("")], refused(UNSUPPORTED))
            .values(&[json!("API/Command/"), json!("https://broker.example.com/api/command?x=1")], Expect::Accepted)
            .controls_in("/api/com{}mand", refused(UNSUPPORTED)),
        Row::new(&dial, "/body", "command body", "a JSON object")
            .wrong(&[json!("{'ImAddress' : 'sip:agentname@domain.com', 'commandType' : 'AgentLogin', 'number' : }"), json!(5), json!([]), Value::Null], refused(MALFORMED)),
        enum_row(&dial, "/body/commandType", "commandType", "enum 0, 1, 4, 14 or its name, required")
            .missing(refused(MISSING))
            .values(
                &[json!(2), json!(13), json!(-1), json!(4.5), json!(1e300), json!("dial"), json!("4"), json!("Transfer"), json!(""), json!("Dial ")],
                refused(UNSUPPORTED),
            )
            .controls_in("Di{}al", refused(UNSUPPORTED))
            .long("D".repeat(300), refused(UNSUPPORTED))
            .value(json!(4), Expect::Accepted),
        im_address_row(&dial),
        Row::new(&dial, "/body/number", "number", "tel:+ and 1 to 15 digits, required (Dial)")
            .missing(refused(MISSING))
            .empty(refused(MISSING))
            .wrong(&[json!(31_880_000_000_u64), json!(true), json!(["tel:+31880000000"]), json!({"x": "y"})], refused(MALFORMED))
            .long(format!("tel:+{}", "3".repeat(16)), refused(INVALID))
            .long(format!("tel:+{}", "3".repeat(15)), Expect::Accepted)
            .controls_in("tel:+3188{}0000000", refused(INVALID))
            .values(
                &[
                    json!("+31880000000"),
                    json!("tel:31880000000"),
                    json!("tel:+0031880000000"),
                    json!("tel:+31 88 000 0000"),
                    json!("tel:+31880000000;ext=1"),
                    json!("tel:+"),
                    json!("tel:+3188000000\u{665}"),
                    json!("sip:+31880000000@contoso.com"),
                ],
                refused(INVALID),
            )
            .value(json!("TEL:+31880000000"), Expect::Accepted),
        Row::new(&login, "/body/number", "number", "not used by AgentLogin; a string if given")
            .values(&[json!("anything"), json!(""), json!("a\u{7}b")], Expect::Accepted)
            .wrong(&[json!(5), json!(["x"])], refused(MALFORMED))
            .exempt("every value: AgentLogin does not use `number` (\"optional for other commands\"); only its JSON type is checked"),
        enum_row(&login, "/body/commandType", "commandType", "enum 0, 1, 4, 14 or its name, required")
            .missing(refused(MISSING))
            .values(&[json!("AgentLogin")], Expect::Accepted)
            .values(&[json!("agentlogin"), json!("0"), json!(0.0)], refused(UNSUPPORTED)),
        im_address_row(&login),
        im_address_row(&heartbeat),
    ]
}

/// `POST /api/subscribe` (its body) and `DELETE /api/subscribe/{id}` (the id).
fn subscription_rows() -> Vec<Row> {
    let subscribe = Base::new("subscribe (day:1)", DAY, 1);
    let unsubscribe = Base::new("unsubscribe (day:32)", DAY, 32);
    let path = "/api/subscribe/";
    vec![
        Row::new(
            &unsubscribe,
            "/method",
            "method",
            "trace envelope `method`: POST or DELETE, any case",
        )
        .values(&[json!("delete"), json!("Delete")], Expect::Accepted)
        .values(
            &[json!("POST"), json!("GET"), json!(""), json!("DEL\u{7}ETE")],
            refused(UNSUPPORTED),
        )
        .removed(refused(UNSUPPORTED))
        .wrong(&[json!(5)], refused(MALFORMED)),
        Row::new(
            &subscribe,
            "/body",
            "subscribe body",
            "a JSON object or none; not read",
        )
        .missing(Expect::Accepted)
        .values(&[json!({}), json!({"callbackUrl": 5})], Expect::Accepted)
        .wrong(
            &[json!("x"), json!(5), json!([]), json!(true)],
            refused(MALFORMED),
        ),
        Row::new(&unsubscribe, "/path", "id", "the path's subscription id")
            .value(
                json!(format!("{path}11111111-2222-3333-4444-555555555555")),
                refused(INVALID),
            )
            .value(
                json!(format!("{path}{}", "s".repeat(257))),
                refused(INVALID),
            )
            .values(
                &CONTROLS.map(|c| json!(format!("{path}0000{c}0001"))),
                refused(INVALID),
            )
            .value(json!(path), refused_naming(UNSUPPORTED, "method"))
            .value(
                json!(format!("{path}{SUBSCRIPTION}/x")),
                refused_naming(UNSUPPORTED, "path"),
            ),
    ]
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
