//! The replay tool on the bundled Anywhere365 CTI Broker traces: `docs/traces/anywhere365-day.jsonl`
//! (a subscriber's day: logins, a failed login, inbound calls hunted and answered, hold and
//! retrieve, a successful and a failed transfer, a stale Disconnected, an outbound call, commands
//! with good and bad numbers, an unsubscribe and a refused event after it) and
//! `docs/traces/anywhere365-bad-input.jsonl` (one refusal of each kind). Snapshots of both output
//! formats, and the behaviour they show, asserted.

// Test helpers may unwrap and panic: a failing test should fail loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use interaction_cli::{Format, Record, replay_str};
use interaction_core::Presence;
use serde_json::json;

mod common;
use common::{assert_rejected_lines_change_nothing, at, read, replay, replay_each_line};

const DAY: &str = "docs/traces/anywhere365-day.jsonl";
const BAD: &str = "docs/traces/anywhere365-bad-input.jsonl";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
const ALICE: &str = "sip:alice@contoso.com";
const BOB: &str = "sip:bob@contoso.com";
const CAROL: &str = "sip:carol@contoso.com";

fn kind(records: &[Record], line: usize) -> Option<&'static str> {
    at(records, line).error.as_ref().map(|e| e.kind)
}

fn transition(record: &Record) -> (&str, Option<&str>, Option<&str>) {
    (record.outcome, record.from, record.to)
}

#[test]
fn anywhere365_day_json() {
    insta::assert_snapshot!(replay(DAY, Format::Json));
}

#[test]
fn anywhere365_day_text() {
    insta::assert_snapshot!(replay(DAY, Format::Text));
}

#[test]
fn anywhere365_bad_input_json() {
    insta::assert_snapshot!(replay(BAD, Format::Json));
}

#[test]
fn anywhere365_bad_input_text() {
    insta::assert_snapshot!(replay(BAD, Format::Text));
}

#[test]
fn the_subscription_is_created_with_its_location_and_ended_with_202_then_404() {
    let records = replay_str(&read(DAY));
    let subscribe = at(&records, 1);
    assert_eq!(subscribe.action.as_deref(), Some("subscribe"));
    assert_eq!(
        subscribe.effects,
        [json!({"type": "response", "status": 201, "body": null,
                "headers": {"Location": format!("api/subscribe/{SUBSCRIPTION}")}})]
    );
    let unsubscribe = at(&records, 32);
    assert_eq!(unsubscribe.outcome, "applied");
    assert_eq!(unsubscribe.effects[0].to_json()["status"], 202);
    // An event of the ended subscription is refused, naming it.
    let late = at(&records, 33);
    assert_eq!(kind(&records, 33), Some("invalid_field"));
    assert!(late.error.as_ref().unwrap().message.contains(SUBSCRIPTION));
    assert_eq!(late.from, None, "the refused Hunting created nothing");
    // A second DELETE: 404.
    assert_eq!(kind(&records, 34), Some("invalid_field"));
    assert_eq!(at(&records, 34).effects[0].to_json()["status"], 404);
}

#[test]
fn logins_commands_and_a_failed_login() {
    let records = replay_str(&read(DAY));
    // AgentLogin by name (the vendor sample's shape, as JSON) and by number: 202.
    for line in [2, 4, 6] {
        let record = at(&records, line);
        assert_eq!(record.action.as_deref(), Some("log_in"));
        assert_eq!(
            record.effects,
            [json!({"type": "response", "status": 202, "body": null})]
        );
    }
    // Bob's LoggedIn with callId "failed": logged out, and reported.
    let failed = at(&records, 5);
    assert_eq!(
        (failed.action.as_deref(), failed.outcome),
        (Some("log_out"), "applied")
    );
    assert_eq!(
        failed.effects,
        [json!({"type": "login_failed", "agent": BOB})]
    );
    assert_eq!(failed.interaction, None, "a login's callId is not a call");
    // HeartBeat and a good Dial: 202, nothing else.
    for line in [24, 25] {
        assert_eq!(at(&records, line).effects[0].to_json()["status"], 202);
    }
    // Dials with numbers that are not E.164 `tel:+`: 500, naming `number`.
    for line in [27, 28] {
        let record = at(&records, line);
        assert_eq!(kind(&records, line), Some("invalid_field"));
        assert_eq!(record.effects[0].to_json()["status"], 500);
        assert!(
            record.effects[0].to_json()["body"]["message"]
                .as_str()
                .unwrap()
                .contains("`number`")
        );
    }
}

#[test]
fn the_agents_sessions_at_the_end_of_the_day() {
    let replayer = replay_each_line(DAY, |line, _, after, _| {
        if line == 5 {
            assert_eq!(after.presence(BOB), Some(Presence::LoggedOut));
        }
    });
    let engine = replayer.engine();
    assert_eq!(
        engine.presence(ALICE),
        Some(Presence::LoggedOut),
        "AgentLogout"
    );
    assert_eq!(
        engine.presence(BOB),
        Some(Presence::LoggedIn),
        "the second login worked"
    );
    assert_eq!(
        engine.presence(CAROL),
        Some(Presence::LoggedOut),
        "LoggedOff"
    );
}

#[test]
fn an_inbound_call_is_hunted_answered_held_retrieved_and_transferred() {
    let records = replay_str(&read(DAY));
    let first = at(&records, 9);
    assert_eq!(
        (first.action.as_deref(), transition(first)),
        (Some("offer"), ("applied", None, Some("offered")))
    );
    assert_eq!(
        transition(at(&records, 10)),
        ("applied", Some("offered"), Some("connected"))
    );
    assert_eq!(at(&records, 10).action.as_deref(), Some("accept"));
    // Hold and retrieve by Alice.
    assert_eq!(
        transition(at(&records, 11)),
        ("applied", Some("connected"), Some("held"))
    );
    assert_eq!(at(&records, 12).action.as_deref(), Some("retrieve"));
    // OnHold by Alice, Retrieve by Bob: a completed transfer from Alice to Bob.
    let transfer = at(&records, 14);
    assert_eq!(transfer.action.as_deref(), Some("transferred"));
    assert_eq!(
        transition(transfer),
        ("applied", Some("held"), Some("connected"))
    );
    assert_eq!(
        transfer.effects,
        [json!({"type": "transferred", "from": ALICE, "to": BOB})]
    );
    // Alice's Disconnected afterwards is stale.
    let stale = at(&records, 15);
    assert_eq!(
        transition(stale),
        ("ignored", Some("connected"), Some("connected"))
    );
    // Bob's ends the call.
    let end = at(&records, 23);
    assert_eq!((end.to, end.reason), (Some("ended"), Some("disconnected")));
}

#[test]
fn a_missed_offer_is_redistributed_and_a_failed_transfer_is_a_retrieve() {
    let records = replay_str(&read(DAY));
    // Alice does not answer: her Disconnected withdraws the offer.
    let missed = at(&records, 17);
    assert_eq!(
        transition(missed),
        ("applied", Some("offered"), Some("queued"))
    );
    assert_eq!(
        missed.effects,
        [json!({"type": "redistribute", "target": null})]
    );
    // Carol is hunted and answers.
    assert_eq!(
        transition(at(&records, 18)),
        ("applied", Some("queued"), Some("offered"))
    );
    assert_eq!(at(&records, 19).action.as_deref(), Some("accept"));
    // OnHold then Retrieve by Carol herself: the transfer failed, she took the call back.
    let back = at(&records, 21);
    assert_eq!(back.action.as_deref(), Some("retrieve"));
    assert_eq!(
        transition(back),
        ("applied", Some("held"), Some("connected"))
    );
    assert!(back.effects.is_empty(), "no transfer is reported");
    assert_eq!(at(&records, 22).reason, Some("disconnected"));
}

#[test]
fn an_outbound_call_appears_connected_on_its_first_event() {
    let records = replay_str(&read(DAY));
    let outbound = at(&records, 26);
    assert_eq!(outbound.action.as_deref(), Some("assign"));
    assert_eq!(transition(outbound), ("applied", None, Some("connected")));
    assert!(
        outbound.allowed.contains(&"cancel"),
        "an outbound call may be cancelled"
    );
    assert_eq!(at(&records, 29).reason, Some("disconnected"));
    let replayer = replay_each_line(DAY, |_, _, _, _| {});
    let call = replayer
        .engine()
        .interaction("2d8f6b31-7c4a-4b9e-a2f5-3e9c1d7b5a03")
        .unwrap();
    assert_eq!(call.direction().name(), "outbound");
    assert_eq!(
        call.user_data()["ani"],
        interaction_core::Value::String("+31880000000".into())
    );
}

#[test]
fn every_line_gives_one_record_in_order() {
    for trace in [DAY, BAD] {
        let text = read(trace);
        let records = replay_str(&text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(records.len(), lines, "{trace}: one record per line");
        let positions: Vec<usize> = records.iter().map(|r| r.line).collect();
        let mut sorted = positions.clone();
        sorted.sort_unstable();
        assert_eq!(positions, sorted, "{trace}: records out of input order");
        assert!(
            records
                .iter()
                .all(|r| r.api.as_deref() == Some("anywhere365"))
        );
    }
}

#[test]
fn a_rejected_line_leaves_the_engine_exactly_as_it_was_and_the_next_line_runs() {
    for trace in [DAY, BAD] {
        assert_rejected_lines_change_nothing(trace);
    }
    // The bad-input trace ends with a good Disconnected: the replay went on to the end.
    let records = replay_str(&read(BAD));
    let last = records.last().unwrap();
    assert_eq!((last.outcome, last.to), ("applied", Some("ended")));
}

#[test]
fn every_kind_of_bad_input_gets_its_typed_error_naming_the_field() {
    let records = replay_str(&read(BAD));
    let kinds: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| e.kind))
        .collect();
    for expected in [
        "malformed",
        "missing_field",
        "invalid_field",
        "unsupported",
        "unknown_interaction",
        "invalid_transition",
        "not_owner",
    ] {
        assert!(
            kinds.contains(expected),
            "no `{expected}` in the bad-input trace"
        );
    }
    let message = |line| at(&records, line).error.as_ref().unwrap().message.clone();
    for (line, needle) in [
        (1, "subscribe body"),
        (3, "command body"),
        (4, "`commandType`"),
        (5, "commandType `7`"),
        (7, "`ImAddress`"),
        (8, "ImAddress:"),
        (9, "`number`"),
        (10, "E.164"),
        (11, "eventType `2`"),
        (12, "`SubscriptionId`"),
        (13, "`SessionType`"),
        (14, "`callId`"),
        (15, "`ImAddress`"),
        (16, "eventType:"),
        (17, "ani:"),
        (20, "`SessionType`"),
        (21, ALICE),
        (22, "OnHold"),
        (26, "not-a-subscription"),
    ] {
        assert!(
            message(line).contains(needle),
            "line {line}: {:?} does not name {needle:?}",
            message(line)
        );
    }
    // Requests are answered as the page documents: 500 for a refused command or subscribe,
    // 404 for an unknown unsubscribe; events get no response.
    assert_eq!(at(&records, 1).effects[0].to_json()["status"], 500);
    assert_eq!(at(&records, 4).effects[0].to_json()["status"], 500);
    assert_eq!(at(&records, 26).effects[0].to_json()["status"], 404);
    assert!(at(&records, 11).effects.is_empty());
    // The deep nesting in an unknown member is skipped: that Hunting went through.
    assert_eq!(
        transition(at(&records, 18)),
        ("applied", None, Some("offered"))
    );
    // Line 2 subscribed without a body: its events use the id of line 2.
    assert_eq!(
        at(&records, 2).effects[0].to_json()["headers"]["Location"],
        "api/subscribe/00000000-0000-0000-0000-000000000002"
    );
}
