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

use common::bad_input::*;

use serde_json::{Value, json};

const DAY: &str = "docs/traces/anywhere365-day.jsonl";
const SECTION: &str = "anywhere365";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

/// Known bugs: cases the table expects to fail, listed in docs/bad-input.md (none at present;
/// `assert_bugs` in common/bad_input.rs checks that each still fails).
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
