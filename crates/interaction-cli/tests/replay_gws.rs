//! The replay tool on the bundled GWS traces: snapshots of its output, and the behaviour a
//! contact-center engineer reading it relies on (docs/gws.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_cli::{Format, Record, RecordEffect, Replayer, replay_str};
use interaction_core::Value;
use serde_json::json;

mod common;
use common::{assert_rejected_lines_change_nothing, at, read, replay, response};

const DAY: &str = "docs/traces/gws-day.jsonl";
const BAD: &str = "docs/traces/gws-bad-input.jsonl";

fn error_kind(record: &Record) -> Option<&'static str> {
    record.error.as_ref().map(|e| e.kind)
}

#[test]
fn gws_day_json() {
    insta::assert_snapshot!(replay(DAY, Format::Json));
}

#[test]
fn gws_day_text() {
    insta::assert_snapshot!(replay(DAY, Format::Text));
}

#[test]
fn gws_bad_input_json() {
    insta::assert_snapshot!(replay(BAD, Format::Json));
}

#[test]
fn gws_bad_input_text() {
    insta::assert_snapshot!(replay(BAD, Format::Text));
}

#[test]
fn every_line_gives_one_record_in_order() {
    for trace in [DAY, BAD] {
        let text = read(trace);
        let records = replay_str(&text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(records.len(), lines, "{trace}: one record per line");
        let order: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{trace}: out of order"
        );
        assert!(records.iter().all(|r| r.api.as_deref() == Some("gws")));
    }
}

#[test]
fn the_chat_is_offered_accepted_annotated_transferred_and_completed() {
    let records = replay_str(&read(DAY));
    // 1: the invitation creates the chat offered to 1001; the platform's capabilities sit beside
    // ours, and they agree.
    let invited = at(&records, 1);
    assert_eq!(
        (invited.action.as_deref(), invited.from, invited.to),
        (Some("offer"), None, Some("offered"))
    );
    assert_eq!(
        invited.capabilities,
        Some(vec!["Accept".to_owned(), "Reject".to_owned()])
    );
    assert_eq!(invited.allowed, ["accept", "reject"]);
    // 2: Accept on the chats media path answers as the 8.5 chat pages do (ChatAccept).
    let accept = at(&records, 2);
    assert_eq!(accept.to, Some("connected"));
    assert_eq!(response(accept), (200, json!({"statusCode": 0})));
    assert_eq!(accept.capabilities, None, "requests carry no capabilities");
    // 3: the Chatting that confirms it restates the state: applied, nothing changes.
    let chatting = at(&records, 3);
    assert_eq!(
        (chatting.outcome, chatting.from, chatting.to),
        ("applied", Some("connected"), Some("connected"))
    );
    assert!(
        chatting
            .capabilities
            .as_ref()
            .unwrap()
            .contains(&"SendMessage".to_owned())
    );
    // 8: a ParticipantsUpdated without userData changes nothing and is recorded as such.
    let parts = at(&records, 8);
    assert_eq!(
        (parts.action.as_deref(), parts.outcome),
        (Some("ParticipantsUpdated"), "applied")
    );
    assert_eq!(parts.from, parts.to);
    // 9: Transfer to 1002 answers in the StatusCode style; the chat is offered to 1002.
    let transfer = at(&records, 9);
    assert_eq!(
        (transfer.action.as_deref(), transfer.to),
        (Some("transfer_to_agent"), Some("offered"))
    );
    assert_eq!(response(transfer), (200, json!({"statusCode": 0})));
    assert!(transfer.allowed.is_empty(), "1001 no longer holds it");
    // 11: 1001 may not accept what was offered to 1002 (Status style, 403).
    let refused = at(&records, 11);
    assert_eq!(error_kind(refused), Some("not_owner"));
    assert_eq!(response(refused).0, 403);
    assert_eq!(response(refused).1["status"], "error");
    // 12: 1002 accepts.
    assert_eq!(at(&records, 12).to, Some("connected"));
    // 14: 1001's Complete is refused with the not_owner statusCode 5.
    let refused = at(&records, 14);
    assert_eq!(error_kind(refused), Some("not_owner"));
    assert_eq!(response(refused).1["statusCode"], 5);
    // 15-17: 1002 completes; the Completed notification restates it; a late Chatting is refused.
    let complete = at(&records, 15);
    assert_eq!(
        (complete.to, complete.reason),
        (Some("ended"), Some("completed"))
    );
    assert_eq!(response(complete), (200, json!({"statusCode": 0})));
    let restated = at(&records, 16);
    assert_eq!(
        (restated.outcome, restated.from, restated.to),
        ("applied", Some("ended"), Some("ended"))
    );
    let late = at(&records, 17);
    assert_eq!(error_kind(late), Some("already_ended"));
    assert!(late.allowed.is_empty());
}

#[test]
fn user_data_ends_as_update_attach_delete_and_the_platform_left_it() {
    let mut replayer = Replayer::new();
    let mut records = Vec::new();
    for (i, line) in read(DAY).lines().enumerate().take(8) {
        replayer.replay_line(i + 1, line, &mut records);
    }
    let data = replayer
        .engine()
        .interaction("00001aCHAT0001")
        .unwrap()
        .user_data();
    let data = serde_json::to_value(data).unwrap();
    assert_eq!(
        data,
        json!({
            "CustomerName": "Jo Doe",
            "CustomerSegment": "Gold",
            "Priority": 2,
            "Subject": "Order 1182 not delivered",
            "field1": "value1",
            "field3": {"fieldA": "valueA", "fieldB": "valueB"}
        })
    );
    assert_eq!(
        replayer
            .engine()
            .interaction("00001aCHAT0001")
            .unwrap()
            .user_data()
            .get("Priority"),
        Some(&Value::Number(interaction_core::Number::from_u64(2)))
    );
}

#[test]
fn the_workbin_read_lists_the_email_and_changes_nothing() {
    let text = read(DAY);
    let mut replayer = Replayer::new();
    let mut records = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate().take(20) {
        replayer.replay_line(i + 1, line, &mut records);
    }
    assert_eq!(at(&records, 19).to, Some("in_workbin"));
    let before = replayer.engine().clone();
    records.clear();
    replayer.replay_line(21, lines[20], &mut records);
    assert_eq!(replayer.engine(), &before, "a read changes nothing");
    let read = &records[0];
    assert_eq!(
        (read.action.as_deref(), read.outcome, read.from, read.to),
        (
            Some("get_workbin_content"),
            "applied",
            Some("in_workbin"),
            Some("in_workbin")
        )
    );
    assert_eq!(
        response(read),
        (
            200,
            json!({"status": "ok", "interactions": [{"id": "00001aEMAIL0001", "state": "InWorkbin",
                "workbin": "Personal Workbin", "userData": {"Subject": "Invoice 7731"}}]})
        )
    );
    // GWS lists no capability for an interaction in a workbin (WorkbinAddInteractionToGW):
    // the profile leaves none.
    assert!(read.allowed.is_empty());
}

#[test]
fn email_workitem_and_call_follow_their_notifications() {
    let records = replay_str(&read(DAY));
    let to = |line| at(&records, line).to;
    let action = |line| at(&records, line).action.clone().unwrap();
    // The email: first seen Processing (connected), parked, pulled back out, completed.
    assert_eq!(
        (action(18), at(&records, 18).from, to(18)),
        ("assign".into(), None, Some("connected"))
    );
    assert_eq!(
        (action(20), at(&records, 20).from),
        ("place_in_workbin".into(), Some("in_workbin"))
    );
    assert_eq!((action(22), to(22)), ("pull".into(), Some("connected")));
    // An outbound email cancelled: Cancel's own success body.
    let cancel = at(&records, 25);
    assert_eq!(
        (cancel.to, cancel.reason),
        (Some("ended"), Some("cancelled"))
    );
    assert_eq!(response(cancel), (200, json!({"status": 0})));
    // The workitem (CometD envelope form): invited, rejected, revoked (restated), invited to
    // 1001, accepted by its Processing, placed in a queue, taken by 1002, completed.
    assert_eq!((action(26), to(26)), ("offer".into(), Some("offered")));
    let reject = at(&records, 27);
    assert_eq!(reject.to, Some("queued"));
    assert_eq!(
        reject.effects[0].to_json(),
        json!({"type": "redistribute", "target": null})
    );
    let revoked = at(&records, 28);
    assert_eq!(
        (revoked.action.as_deref(), revoked.from, revoked.to),
        (Some("revoke"), Some("queued"), Some("queued"))
    );
    assert_eq!((action(30), to(30)), ("accept".into(), Some("connected")));
    assert_eq!(
        (action(31), to(31)),
        ("place_in_queue".into(), Some("queued"))
    );
    assert_eq!((action(32), to(32)), ("assign".into(), Some("connected")));
    assert_eq!(
        (action(34), at(&records, 34).outcome),
        ("complete".into(), "applied")
    );
    // The call: established, held, retrieved, released.
    let seq: Vec<_> = (35..=38).map(|l| (action(l), to(l).unwrap())).collect();
    assert_eq!(
        seq,
        [
            ("assign".into(), "connected"),
            ("hold".into(), "held"),
            ("retrieve".into(), "connected"),
            ("release".into(), "ended")
        ]
    );
    // A notification's record carries the platform's capabilities when the message has them;
    // a request's never does.
    let text = read(DAY);
    for (line, record) in text.lines().zip(&records) {
        let is_request =
            line.contains(r#""path": "/me/"#) || line.contains(r#""path": "/api/v2/me/"#);
        let has_capabilities = !is_request && line.contains(r#""capabilities""#);
        assert_eq!(
            record.capabilities.is_some(),
            has_capabilities,
            "line {}",
            record.line
        );
    }
}

#[test]
fn a_rejected_line_leaves_the_engine_exactly_as_it_was() {
    for trace in [DAY, BAD] {
        assert_rejected_lines_change_nothing(trace);
    }
}

#[test]
fn every_kind_of_bad_input_gets_its_typed_error_and_the_replay_goes_on() {
    let records = replay_str(&read(BAD));
    let kinds: std::collections::BTreeSet<&str> = records.iter().filter_map(error_kind).collect();
    for expected in [
        "malformed",
        "missing_field",
        "invalid_field",
        "unsupported",
        "unknown_interaction",
        "invalid_transition",
        "not_owner",
    ] {
        assert!(kinds.contains(expected), "no `{expected}` in {BAD}");
    }
    for r in records.iter().filter(|r| r.outcome == "rejected") {
        let e = r.error.as_ref().unwrap();
        assert!(
            e.message.len() > 10,
            "line {}: thin message {:?}",
            r.line,
            e.message
        );
        // A refused request still answers, in its operation's style.
        if let Some(effect) = r
            .effects
            .iter()
            .map(RecordEffect::to_json)
            .find(|e| e["type"] == "response")
        {
            assert!(effect["status"].as_u64().unwrap() >= 400, "line {}", r.line);
            let body = &effect["body"];
            let status_style = body["status"] == "error" && body["errorDescription"].is_string();
            let code_style = body["statusCode"].as_u64().is_some_and(|c| c > 0)
                && body["statusMessage"].is_string();
            assert!(status_style || code_style, "line {}: {body}", r.line);
        }
    }
    // Named refusals from the bad-input list.
    let message = |needle: &str| {
        records
            .iter()
            .filter_map(|r| r.error.as_ref())
            .any(|e| e.message.contains(needle))
    };
    for needle in [
        "missing required field `operationName`",
        "unsupported operationName `Fly`",
        "missing required field `as`",
        "userData: expected a JSON object, got an array",
        "userData.deep: recursion limit exceeded",
        "invalid `id`: is 300 bytes long",
        "invalid `id`: contains a control character",
        "unsupported state `Sleeping`",
        "unsupported messageType `CalendarStateChangeMessage`",
        "missing required field `chat.id`",
        "invalid `call.callType`",
    ] {
        assert!(message(needle), "no refusal says {needle:?}");
    }
    // The deeply nested unknown member is tolerated, and the last line still completes the chat.
    assert!(
        records
            .iter()
            .any(|r| r.outcome == "applied" && r.action.as_deref() == Some("update_user_data"))
    );
    let last = records.last().unwrap();
    assert_eq!(
        (last.outcome, last.to, last.reason),
        ("applied", Some("ended"), Some("completed"))
    );
}
