//! Bad input, systematically: GWS v2 (`docs/gws.md`). For every operation's body (its
//! `operationName` and its argument), the request's path id and `as`, and every member of the
//! CometD notification envelope and of its resource (`call`, `chat`, `email`, `workitem`), a
//! valid message from `docs/traces/gws-day.jsonl` is mutated: the member missing or `null`, of
//! the wrong JSON type, over-long, holding control characters, an unknown enum value. Each
//! mutated message is replayed where the trace would apply the valid one; it must give the
//! documented outcome (a refusal of the documented kind whose message names the member), never
//! panic, leave the engine as it was, and leave the rest of the trace replaying exactly as it
//! does without it. `docs/bad-input.md` lists the table.

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

const DAY: &str = "docs/traces/gws-day.jsonl";
const SECTION: &str = "gws";

/// The cases the adapter gets wrong (see the ignored test).
const BUGS: &[Bug] = &[];

#[test]
fn every_field_of_every_gws_wire_type() {
    assert_table(SECTION, &table(), BUGS);
}

#[test]
fn the_doc_lists_the_gws_table() {
    check_doc(SECTION, &table(), BUGS);
}

fn table() -> Vec<Row> {
    let mut rows = operation_rows();
    rows.extend(notification_rows());
    rows
}

/// An operation of the day: its trace line, `operationName`, the request path without the id,
/// and its argument (`None` for operations without one).
struct Op {
    line: usize,
    name: &'static str,
    path: &'static str,
    argument: Option<&'static str>,
}

const OPS: [Op; 12] = [
    Op {
        line: 2,
        name: "Accept",
        path: "/api/v2/me/chats/",
        argument: None,
    },
    Op {
        line: 4,
        name: "UpdateUserData",
        path: "/me/interactions/",
        argument: Some("userData"),
    },
    Op {
        line: 5,
        name: "AttachUserData",
        path: "/me/interactions/",
        argument: Some("userData"),
    },
    Op {
        line: 6,
        name: "DeleteUserData",
        path: "/me/interactions/",
        argument: Some("userData"),
    },
    Op {
        line: 9,
        name: "Transfer",
        path: "/me/interactions/",
        argument: Some("userId"),
    },
    Op {
        line: 9,
        name: "SingleStepTransfer",
        path: "/me/interactions/",
        argument: Some("userId"),
    },
    Op {
        line: 15,
        name: "Complete",
        path: "/me/interactions/",
        argument: None,
    },
    Op {
        line: 19,
        name: "PlaceInWorkbin",
        path: "/api/v2/me/emails/",
        argument: Some("workbin"),
    },
    Op {
        line: 21,
        name: "GetWorkbinContent",
        path: "/me/interactions/",
        argument: Some("workbin"),
    },
    Op {
        line: 25,
        name: "Cancel",
        path: "/me/interactions/",
        argument: None,
    },
    Op {
        line: 27,
        name: "Reject",
        path: "/api/v2/me/workitems/",
        argument: None,
    },
    Op {
        line: 31,
        name: "PlaceInQueue",
        path: "/me/interactions/",
        argument: Some("queueName"),
    },
];

/// The operations: for each, `operationName`, its argument, the path id and `as`.
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn operation_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for op in &OPS {
        let base = Base::new(&format!("{} (day:{})", op.name, op.line), DAY, op.line)
            .set("/body/operationName", json!(op.name));
        let (first, rest) = op.name.split_at(2);
        rows.push(
            Row::new(
                &base,
                "/body/operationName",
                "operationName",
                "enum: the operation, required",
            )
            .missing(refused(MISSING))
            .wrong_for_string()
            .values(
                &[
                    json!(""),
                    json!(op.name.to_lowercase()),
                    json!(op.name.to_uppercase()),
                    json!(format!("{} ", op.name)),
                    json!("Hold"),
                ],
                refused(UNSUPPORTED),
            )
            .controls_in(&format!("{first}{{}}{rest}"), refused(UNSUPPORTED))
            .long("O".repeat(300), refused(UNSUPPORTED)),
        );
        if let Some(argument) = op.argument {
            let pointer = format!("/body/{argument}");
            rows.push(match argument {
                "userData" => Row::new(&base, pointer, argument, "object of user data, required")
                    .missing(refused(MISSING))
                    .value(json!({}), Expect::Accepted)
                    .wrong(
                        &[json!("field1"), json!(["field1"]), json!(5), json!(true)],
                        refused(MALFORMED),
                    ),
                "userId" => id_row(&base, pointer, argument, true, 256)
                    .value(json!("1001"), refused(INVALID)),
                _ => id_row(&base, pointer, argument, true, 256),
            });
        }
        if op.argument == Some("userData") {
            rows.push(
                Row::new(&base, "/body/userData/field2", "userData.field2", "a user-data value: any JSON")
                    .values(&[json!(5), json!(true), Value::Null, json!(["x"]), json!({"x": "y"})], Expect::Accepted)
                    .long("v".repeat(10_000), Expect::Accepted)
                    .controls_in("a{}b", Expect::Accepted)
                    .deep(refused(MALFORMED))
                    .exempt("over-long and control characters: a user-data value is free JSON kept verbatim; no limit or character rule is documented"),
            );
        }
        let unknown = if op.name == "GetWorkbinContent" {
            Expect::Accepted
        } else {
            refused_naming("unknown_interaction", "no-such-interaction")
        };
        rows.push(
            Row::new(
                &base,
                "/path",
                "id",
                "the path's interaction id, <= 256 bytes",
            )
            .value(
                json!(format!("{}{}", op.path, "i".repeat(257))),
                refused(INVALID),
            )
            .values(
                &CONTROLS.map(|c| json!(format!("{}a{c}b", op.path))),
                refused(INVALID),
            )
            .value(json!(op.path), refused_naming(UNSUPPORTED, "path"))
            .value(json!(format!("{}no-such-interaction", op.path)), unknown),
        );
        rows.push(
            Row::new(
                &base,
                "/as",
                "as",
                "the acting agent (trace `as`), required",
            )
            .missing(refused(MISSING))
            .empty(refused(MISSING))
            .long("a".repeat(257), refused(INVALID))
            .controls_in("10{}01", refused(INVALID)),
        );
    }
    let accept = Base::new("Accept (day:2)", DAY, 2);
    rows.push(
        Row::new(&accept, "/body", "operation body", "a JSON object").wrong(
            &[
                json!("Accept"),
                json!(5),
                json!([{"operationName": "Accept"}]),
                Value::Null,
            ],
            refused(MALFORMED),
        ),
    );
    rows.push(
        Row::new(
            &accept,
            "/path",
            "path",
            "trace `path`: an operation path or a channel",
        )
        .values(
            &[
                json!("/me/devices/x"),
                json!("/api/v1/me/interactions/x"),
                json!("/me/interactions"),
                json!(""),
            ],
            refused(UNSUPPORTED),
        )
        .controls_in("/api/v2/me/cha{}ts/00001aCHAT0001", refused(UNSUPPORTED)),
    );
    // The trace envelope's members of the wrong JSON type: once, not per operation.
    rows.push(Row::new(&accept, "/as", "as", "trace envelope `as`: a string").wrong_for_string());
    rows.push(
        Row::new(&accept, "/path", "path", "trace envelope `path`: a string").wrong(
            &[json!(5), json!(["/me/interactions/x"])],
            refused(MALFORMED),
        ),
    );
    rows.push(
        Row::new(&accept, "/path", "path", "a media path of another media").values(
            &[
                json!("/api/v2/me/calls/00001aCHAT0001"),
                json!("/api/v2/me/emails/00001aCHAT0001"),
            ],
            refused(INVALID),
        ),
    );
    rows.push(
        Row::new(
            &accept,
            "/body/userData",
            "userData",
            "an argument Accept does not read",
        )
        .values(&[json!(5), json!("x")], Expect::Accepted),
    );
    rows
}

/// A first-sight notification of the day: its trace line, the pointer to its envelope (`/body`,
/// or `/body/data` in a CometD wrapper), its resource member, direction member, state, and a
/// `userData` key it carries.
struct Note {
    line: usize,
    id: &'static str,
    envelope: &'static str,
    message_type: &'static str,
    resource: &'static str,
    direction: &'static str,
    state: &'static str,
    user_data_key: &'static str,
}

const FIRST_SIGHT: [Note; 4] = [
    Note {
        line: 1,
        id: "00001aCHAT0001",
        envelope: "/body",
        message_type: "ChatStateChangeMessage",
        resource: "chat",
        direction: "chatType",
        state: "Invited",
        user_data_key: "CustomerName",
    },
    Note {
        line: 18,
        id: "00001aEMAIL0001",
        envelope: "/body",
        message_type: "EmailStateChangeMessage",
        resource: "email",
        direction: "emailType",
        state: "Processing",
        user_data_key: "Subject",
    },
    Note {
        line: 26,
        id: "03W0GH2KD56YV000",
        envelope: "/body/data",
        message_type: "WorkitemStateChangeMessage",
        resource: "workitem",
        direction: "workitemType",
        state: "Invited",
        user_data_key: "ClaimId",
    },
    Note {
        line: 35,
        id: "007B02A5C8E1A001",
        envelope: "/body",
        message_type: "CallStateChangeMessage",
        resource: "call",
        direction: "callType",
        state: "Established",
        user_data_key: "ANI",
    },
];

/// The notifications: the envelope and every resource member of a first sight of each media,
/// the workbin of an InWorkbin, a data notification, and the CometD wrapper.
#[allow(
    clippy::too_many_lines,
    reason = "a table: its rows one after the other"
)]
fn notification_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for note in &FIRST_SIGHT {
        let base = Base::new(
            &format!(
                "{} {}, first sight (day:{})",
                note.resource, note.state, note.line
            ),
            DAY,
            note.line,
        );
        let env = note.envelope;
        let res = format!("{env}/{}", note.resource);
        let m = note.resource;
        let (first, rest) = note.message_type.split_at(4);
        let other_media = if m == "call" {
            "ChatStateChangeMessage"
        } else {
            "CallStateChangeMessage"
        };
        let other_resource = if m == "call" { "chat" } else { "call" };
        rows.extend([
            Row::new(&base, format!("{env}/messageType"), "messageType", "enum: the media's message, required")
                .missing(refused(MISSING))
                .wrong_for_string()
                .values(
                    &[json!(""), json!(note.message_type.to_lowercase()), json!("DeviceStateChangeMessage"), json!(format!("{} ", note.message_type))],
                    refused(UNSUPPORTED),
                )
                .controls_in(&format!("{first}{{}}{rest}"), refused(UNSUPPORTED))
                .long("M".repeat(300), refused(UNSUPPORTED))
                .value(json!(other_media), refused_naming(MISSING, other_resource)),
            Row::new(&base, format!("{env}/notificationType"), "notificationType", "StatusChange, or any other name (a data notification), required")
                .missing(refused(MISSING))
                .wrong_for_string()
                .values(
                    &[json!("PropertiesUpdated"), json!("Bogus"), json!("")],
                    refused_naming("unknown_interaction", note.id),
                ),
            Row::new(&base, res.clone(), m, "the resource object, required")
                .missing(refused(MISSING))
                .wrong(&[json!("x"), json!(5), json!(["x"])], refused(MALFORMED)),
            id_row(&base, format!("{res}/id"), format!("{m}.id"), true, 256)
                .long("i".repeat(256), Expect::Accepted),
            Row::new(&base, format!("{res}/state"), format!("{m}.state"), "enum: the resource's state, required (StatusChange)")
                .missing(refused(MISSING))
                .wrong_for_string()
                .values(
                    &[json!(""), json!(note.state.to_lowercase()), json!("Ringing"), json!(format!("{} ", note.state))],
                    refused_naming(UNSUPPORTED, "state"),
                )
                .controls_in("Inv{}ited", refused_naming(UNSUPPORTED, "state"))
                .long("S".repeat(300), refused_naming(UNSUPPORTED, "state")),
            Row::new(&base, format!("{res}/{}", note.direction), format!("{m}.{}", note.direction), "enum Inbound|Outbound|Internal|Consult, optional (inbound)")
                .missing(Expect::Accepted)
                .values(&[json!("Outbound"), json!("Internal"), json!("Consult")], Expect::Accepted)
                .wrong_for_string()
                .values(&[json!(""), json!("inbound"), json!("OUTBOUND"), json!("Sideways"), json!("Inbound ")], refused(INVALID))
                .controls_in("In{}bound", refused(INVALID))
                .long("D".repeat(300), refused(INVALID)),
            Row::new(&base, format!("{res}/capabilities"), format!("{m}.capabilities"), "list of capability names, optional")
                .missing(Expect::Accepted)
                .values(&[json!([]), json!(["NoSuchCapability"]), json!(["C".repeat(10_000)])], Expect::Accepted)
                .values(&CONTROLS.map(|c| json!([format!("Acc{c}ept")])), Expect::Accepted)
                .wrong(&[json!("Accept"), json!(5), json!({"Accept": true}), json!([5]), json!(["Accept", null])], refused(MALFORMED))
                .exempt("over-long and control characters in a name: capabilities are the platform's words, kept verbatim beside `allowed`; no limit or character rule is documented"),
            Row::new(&base, format!("{res}/userData"), format!("{m}.userData"), "object of user data, optional")
                .missing(Expect::Accepted)
                .value(json!({}), Expect::Accepted)
                .wrong(&[json!("x"), json!(["x"]), json!(5), json!(true)], refused(MALFORMED)),
            Row::new(&base, format!("{res}/userData/{}", note.user_data_key), format!("{m}.userData.{}", note.user_data_key), "a user-data value: any JSON")
                .values(&[json!(5), Value::Null, json!({"x": "y"})], Expect::Accepted)
                .long("v".repeat(10_000), Expect::Accepted)
                .controls_in("a{}b", Expect::Accepted)
                .deep(refused(MALFORMED))
                .exempt("over-long and control characters: a user-data value is free JSON kept verbatim; no limit or character rule is documented"),
            Row::new(&base, "/as", "as", "the agent whose channel carried it (trace `as`), required")
                .missing(refused(MISSING))
                .empty(refused(MISSING))
                .long("a".repeat(257), refused(INVALID))
                .controls_in("10{}01", refused(INVALID)),
        ]);
    }
    let wrapped = Base::new("workitem Invited, first sight (day:26)", DAY, 26);
    rows.extend([
        Row::new(
            &wrapped,
            "/body",
            "notification body",
            "a JSON object (a CometD batch array too is refused)",
        )
        .wrong(
            &[
                json!("x"),
                json!(5),
                json!([{"channel": "/v2/me/workitems"}]),
                Value::Null,
            ],
            refused(MALFORMED),
        ),
        Row::new(&wrapped, "/body/data", "data", "the CometD message's data")
            .removed(refused_naming(MISSING, "messageType"))
            .wrong(&[json!("x"), json!(5), json!(["x"])], refused(MALFORMED)),
        Row::new(&wrapped, "/body/channel", "channel", "not read")
            .missing(Expect::Accepted)
            .values(
                &[json!(5), json!("/v2/me/calls"), json!("a\u{7}b")],
                Expect::Accepted,
            ),
        Row::new(
            &wrapped,
            "/body/data/workitem/queueName",
            "workitem.queueName",
            "not read",
        )
        .missing(Expect::Accepted)
        .values(
            &[json!(5), json!(["x"]), json!("a\u{7}b")],
            Expect::Accepted,
        ),
        Row::new(
            &wrapped,
            "/body/data/referenceId",
            "referenceId",
            "not read",
        )
        .values(
            &[json!("x"), json!(null), json!({"x": 1})],
            Expect::Accepted,
        ),
    ]);
    // InWorkbin while the email is connected (the trace's PlaceInWorkbin request skipped): the
    // workbin comes from the notification.
    let in_workbin = Base::new("email InWorkbin (day:20, after line 18)", DAY, 20).after(18);
    rows.push(
        id_row(
            &in_workbin,
            "/body/email/workbin",
            "email.workbin",
            true,
            256,
        )
        .long("w".repeat(256), Expect::Accepted),
    );
    // A data notification on a known chat.
    let data = Base::new("chat PropertiesUpdated (day:7)", DAY, 7);
    rows.extend([
        Row::new(
            &data,
            "/body/notificationType",
            "notificationType",
            "any name but StatusChange: a data notification",
        )
        .values(
            &[json!("ParticipantsUpdated"), json!("Bogus")],
            Expect::Accepted,
        )
        .missing(refused(MISSING))
        .wrong_for_string()
        .controls_in("Bo{}gus", Expect::Accepted)
        .long("N".repeat(300), Expect::Accepted)
        .exempt("over-long and control characters: any name but StatusChange is a data notification; the name is only the record's label (escaped by printable)"),
        id_row(&data, "/body/chat/id", "chat.id", true, 256).value(
            json!("no-such-interaction"),
            refused_naming("unknown_interaction", "no-such-interaction"),
        ),
        Row::new(
            &data,
            "/body/chat/state",
            "chat.state",
            "not read by a data notification",
        )
        .missing(Expect::Accepted)
        .values(&[json!("Ringing"), json!("")], Expect::Accepted)
        .values(&[json!(5), json!(true), json!(["x"]), json!({"x": "y"})], Expect::Accepted)
        .exempt("every mutation: `state` is read only for a StatusChange (docs/gws.md, \"Only the members used are read\")"),
        Row::new(
            &data,
            "/body/chat/userData",
            "chat.userData",
            "object of user data, optional",
        )
        .missing(Expect::Accepted)
        .wrong(&[json!("x"), json!(["x"]), json!(5)], refused(MALFORMED)),
        Row::new(
            &data,
            "/body/chat/userData/CustomerSegment",
            "chat.userData.CustomerSegment",
            "a user-data value: any JSON",
        )
        .values(&[json!(5), json!({"x": "y"})], Expect::Accepted)
        .controls_in("a{}b", Expect::Accepted)
        .deep(refused(MALFORMED))
        .exempt("over-long and control characters: a user-data value is free JSON kept verbatim"),
    ]);
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
