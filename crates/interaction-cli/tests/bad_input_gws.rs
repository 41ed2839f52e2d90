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

use common::bad_input::*;

use serde_json::{Value, json};

const DAY: &str = "docs/traces/gws-day.jsonl";
const SECTION: &str = "gws";

/// Known bugs: cases the table expects to fail, listed in docs/bad-input.md (none at present;
/// `assert_bugs` in common/bad_input.rs checks that each still fails).
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
                    json!("Fly"),
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
                    &[json!(""), json!(note.message_type.to_lowercase()), json!("CalendarStateChangeMessage"), json!(format!("{} ", note.message_type))],
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
                    &[json!(""), json!(note.state.to_lowercase()), json!("Sleeping"), json!(format!("{} ", note.state))],
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
            "a JSON object, or a CometD batch (an array of messages)",
        )
        .wrong(&[json!("x"), json!(5), Value::Null], refused(MALFORMED))
        // A batch of one message without `data`: that message is refused.
        .value(
            json!([{"channel": "/v2/me/workitems"}]),
            refused_naming(MISSING, "messageType"),
        )
        .value(
            json!([{"channel": "/v2/me/calendar", "data": {}}]),
            refused_naming(UNSUPPORTED, "channel"),
        )
        .value(json!(["x"]), refused_naming(MALFORMED, "CometD batch[0]")),
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
        .values(&[json!("Sleeping"), json!("")], Expect::Accepted)
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
