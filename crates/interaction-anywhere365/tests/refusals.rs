//! The bad-input table: every refusal, its error kind, and a message that names the member.
//! Bad input never panics, and a refused event changes neither the engine nor the
//! subscriptions (the `Broker` harness asserts it on every refusal).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{ALICE, Broker, CALL, assert_refused, event, fixture, nested_arrays, with, without};
use interaction_anywhere365::decode_command;
use interaction_core::{Error, ErrorKind};
use serde_json::{Value, json};

const HUNTING: u64 = 3;
const LONG: usize = 257;

/// The event is refused; returns the error (the harness checks that nothing changed).
#[track_caller]
fn event_refused(body: &Value) -> Error {
    let mut broker = Broker::new();
    broker.event(body).error()
}

#[track_caller]
fn event_bytes_refused(body: &[u8]) -> Error {
    let mut broker = Broker::new();
    broker.event_bytes(body).error()
}

#[track_caller]
fn command_refused(body: &str) -> Error {
    decode_command(body.as_bytes()).result.expect_err(body)
}

fn dial(number: &Value) -> String {
    json!({"ImAddress": ALICE, "commandType": "Dial", "number": number}).to_string()
}

// ---- Event bodies ----

#[test]
fn event_body_not_json() {
    for body in [
        &b""[..],
        b"{",
        b"not json",
        b"{} {}",
        b"{\"eventType\": \"\xff\"}",
    ] {
        assert_refused(
            &event_bytes_refused(body),
            ErrorKind::Malformed,
            &["event body"],
        );
    }
    // The page's own "Payload" template.
    assert_refused(
        &event_bytes_refused(&fixture("event-payload.txt")),
        ErrorKind::Malformed,
        &["event body", "key must be a string"],
    );
}

#[test]
fn event_body_not_an_object() {
    for (body, kind) in [
        ("[]", "an array"),
        (r#""Hunting""#, "a string"),
        ("null", "null"),
        ("3", "a number"),
        ("true", "a boolean"),
    ] {
        assert_refused(
            &event_bytes_refused(body.as_bytes()),
            ErrorKind::Malformed,
            &["event body", "JSON object", kind],
        );
    }
}

#[test]
fn event_members_missing() {
    for member in ["eventType", "SubscriptionId", "ImAddress", "callId"] {
        let body = without(event(HUNTING, ALICE, CALL), member);
        assert_refused(
            &event_refused(&body),
            ErrorKind::MissingField,
            &[&format!("`{member}`")],
        );
        let null = with(event(HUNTING, ALICE, CALL), member, Value::Null);
        assert_refused(
            &event_refused(&null),
            ErrorKind::MissingField,
            &[&format!("`{member}`")],
        );
        let empty = with(event(HUNTING, ALICE, CALL), member, json!(""));
        let kind = if member == "eventType" {
            ErrorKind::Unsupported
        } else {
            ErrorKind::MissingField
        };
        assert_refused(&event_refused(&empty), kind, &[member]);
    }
    // The member names are case-sensitive, as the page spells them.
    let renamed = json!({"subscriptionId": "s", "ImAddress": ALICE, "eventType": 0});
    assert_refused(
        &event_refused(&renamed),
        ErrorKind::MissingField,
        &["`SubscriptionId`"],
    );
}

#[test]
fn event_members_of_the_wrong_type() {
    for (member, value) in [
        ("SubscriptionId", json!(5)),
        ("SubscriptionId", json!(["s"])),
        ("ImAddress", json!({"sip": "a"})),
        ("ImAddress", json!(true)),
        ("eventType", json!(true)),
        ("eventType", json!([3])),
        ("eventType", json!({"code": 3})),
        ("SessionType", json!(false)),
        ("SessionType", json!([0])),
        ("callId", json!(42)),
        ("ani", json!(31_612_345_678_u64)),
    ] {
        let body = with(event(HUNTING, ALICE, CALL), member, value.clone());
        assert_refused(
            &event_refused(&body),
            ErrorKind::Malformed,
            &[&format!("{member}:")],
        );
    }
    // A LoggedIn's callId must be a string too.
    let login = with(event(0, ALICE, ""), "callId", json!(false));
    assert_refused(&event_refused(&login), ErrorKind::Malformed, &["callId:"]);
}

#[test]
fn unknown_event_types() {
    for value in [
        json!(2),
        json!(8),
        json!(255),
        json!(-3),
        json!(1e3),
        json!("Ringing"),
        json!("connected"),
        json!("3"),
    ] {
        let body = with(event(HUNTING, ALICE, CALL), "eventType", value.clone());
        assert_refused(
            &event_refused(&body),
            ErrorKind::Unsupported,
            &["eventType"],
        );
    }
}

#[test]
fn bad_session_types() {
    for value in [
        json!(2),
        json!(-1),
        json!(0.5),
        json!("inbound"),
        json!("Internal"),
    ] {
        let body = with(event(HUNTING, ALICE, CALL), "SessionType", value);
        assert_refused(
            &event_refused(&body),
            ErrorKind::InvalidField,
            &["`SessionType`", "0 (Inbound) or 1 (Outbound)"],
        );
    }
}

#[test]
fn bad_sip_addresses() {
    for address in [
        "agentname@domain.com",
        "alice",
        "tel:+31880000000",
        "sips:alice@contoso.com",
        "sip:alice",
        "sip:@contoso.com",
        "sip:alice@",
        "sip:alice@contoso.com:5061",
        "sip:alice@contoso..com",
        "sip:al ice@contoso.com",
        "mailto:alice@contoso.com",
    ] {
        let body = with(event(HUNTING, ALICE, CALL), "ImAddress", json!(address));
        assert_refused(
            &event_refused(&body),
            ErrorKind::InvalidField,
            &["`ImAddress`", "sip:user@domain"],
        );
        let command = json!({"ImAddress": address, "commandType": 0}).to_string();
        assert_refused(
            &command_refused(&command),
            ErrorKind::InvalidField,
            &["`ImAddress`"],
        );
    }
}

#[test]
fn over_long_and_control_character_ids() {
    let long = "x".repeat(LONG);
    let long_sip = format!("sip:{}@contoso.com", "a".repeat(LONG));
    for (member, value) in [
        ("SubscriptionId", long.clone()),
        ("SubscriptionId", "sub\r\nX-Evil: 1".to_owned()),
        ("callId", long.clone()),
        ("callId", "call\u{0}".to_owned()),
        ("ImAddress", long_sip.clone()),
        ("ImAddress", "sip:alice\t@contoso.com".to_owned()),
        ("ani", long.clone()),
        ("ani", "+31\n6".to_owned()),
    ] {
        let body = with(event(HUNTING, ALICE, CALL), member, json!(value));
        assert_refused(
            &event_refused(&body),
            ErrorKind::InvalidField,
            &[&format!("`{member}`")],
        );
    }
    assert_refused(
        &command_refused(&json!({"ImAddress": long_sip, "commandType": 0}).to_string()),
        ErrorKind::InvalidField,
        &["`ImAddress`", "at most 256"],
    );
}

#[test]
fn deeply_nested_json() {
    let deep = nested_arrays(10_000);
    // In a member the adapter does not read: skipped, the event goes through.
    let body = format!(
        r#"{{"SubscriptionId": "s", "SessionType": 0, "ImAddress": "{ALICE}", "eventType": 3, "callId": "{CALL}", "extra": {deep}}}"#
    );
    let mut broker = Broker::new();
    broker.event_bytes(body.as_bytes()).step();
    // In a member it reads, or as the body itself: refused, malformed.
    for member in ["ani", "SessionType", "callId", "eventType"] {
        let body = format!(
            r#"{{"SubscriptionId": "s", "SessionType": 0, "ImAddress": "{ALICE}", "eventType": 3, "callId": "{CALL}", "{member}": {deep}}}"#
        );
        assert_refused(
            &event_bytes_refused(body.as_bytes()),
            ErrorKind::Malformed,
            &[member],
        );
    }
    assert_refused(
        &event_bytes_refused(deep.as_bytes()),
        ErrorKind::Malformed,
        &["event body"],
    );
    let deep_objects = format!("{}{{}}{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let command = format!(r#"{{"ImAddress": "{ALICE}", "commandType": 0, "x": {deep_objects}}}"#);
    assert!(decode_command(command.as_bytes()).result.is_ok());
    let command = format!(r#"{{"ImAddress": "{ALICE}", "commandType": 4, "number": {deep}}}"#);
    assert_refused(
        &command_refused(&command),
        ErrorKind::Malformed,
        &["number"],
    );
}

#[test]
fn unknown_members_are_tolerated_and_the_last_duplicate_wins() {
    let mut broker = Broker::new();
    let body = format!(
        r#"{{"SubscriptionId": "s", "SessionType": 0, "ImAddress": "sip:nobody@contoso.com", "ImAddress": "{ALICE}", "eventType": 3, "callId": "{CALL}", "queue": "Sales", "skills": [1, {{"a": null}}]}}"#
    );
    broker.event_bytes(body.as_bytes()).step();
    let it = broker.engine.interaction(CALL).unwrap();
    assert_eq!(it.state().offered_to().unwrap().as_str(), ALICE);
}

// ---- Command bodies ----

#[test]
fn command_body_not_json_or_not_an_object() {
    for body in ["", "{", "[]", "\"AgentLogin\"", "null", "0"] {
        assert_refused(
            &command_refused(body),
            ErrorKind::Malformed,
            &["command body"],
        );
    }
    for name in ["command-sample.txt", "command-payload.txt"] {
        let item = decode_command(&fixture(name));
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Malformed,
            &["command body"],
        );
    }
}

#[test]
fn command_members_missing_or_of_the_wrong_type() {
    assert_refused(
        &command_refused(&json!({"ImAddress": ALICE}).to_string()),
        ErrorKind::MissingField,
        &["`commandType`"],
    );
    assert_refused(
        &command_refused(&json!({"commandType": 0}).to_string()),
        ErrorKind::MissingField,
        &["`ImAddress`"],
    );
    assert_refused(
        &command_refused(&json!({"ImAddress": "", "commandType": 0}).to_string()),
        ErrorKind::MissingField,
        &["`ImAddress`"],
    );
    assert_refused(
        &command_refused(&json!({"ImAddress": ALICE, "commandType": null}).to_string()),
        ErrorKind::MissingField,
        &["`commandType`"],
    );
    for (member, value) in [
        ("ImAddress", json!(7)),
        ("commandType", json!(true)),
        ("commandType", json!({"name": "Dial"})),
        ("number", json!(31_880_000_000_u64)),
        ("number", json!(["tel:+31880000000"])),
    ] {
        let mut body = json!({"ImAddress": ALICE, "commandType": 4, "number": "tel:+31880000000"});
        body[member] = value;
        assert_refused(
            &command_refused(&body.to_string()),
            ErrorKind::Malformed,
            &[&format!("{member}:")],
        );
    }
}

#[test]
fn unknown_command_types() {
    for (value, label) in [
        (json!(2), "2"),
        (json!(3), "3"),
        (json!(13), "13"),
        (json!(-1), "-1"),
        (json!("Transfer"), "Transfer"),
        (json!("agentlogin"), "agentlogin"),
        (json!("0"), "0"),
    ] {
        let body = json!({"ImAddress": ALICE, "commandType": value}).to_string();
        let item = decode_command(body.as_bytes());
        assert_eq!(item.action, label);
        assert_refused(
            &item.result.unwrap_err(),
            ErrorKind::Unsupported,
            &["commandType", label],
        );
    }
}

#[test]
fn bad_e164_numbers() {
    for number in [
        "+31880000000",
        "31880000000",
        "tel:31880000000",
        "tel:+",
        "tel:+1234567890123456",
        "tel:+31 880 000 000",
        "tel:+31-880-000-000",
        "tel:+(31)880000000",
        "tel:+031880000000",
        "tel:+3188000000x",
        "tel:+31880000000;ext=12",
        "sip:+31880000000@contoso.com",
    ] {
        assert_refused(
            &command_refused(&dial(&json!(number))),
            ErrorKind::InvalidField,
            &["`number`", "E.164"],
        );
    }
    for missing in [Value::Null, json!("")] {
        assert_refused(
            &command_refused(&dial(&missing)),
            ErrorKind::MissingField,
            &["`number`"],
        );
    }
    let without_number = json!({"ImAddress": ALICE, "commandType": 4}).to_string();
    assert_refused(
        &command_refused(&without_number),
        ErrorKind::MissingField,
        &["`number`"],
    );
}
