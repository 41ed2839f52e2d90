//! The replay tool on `docs/traces/vcc-calls.jsonl`: VCC Calls API requests (click-to-dial,
//! shared/spec/vcc-calls.txt) between core records that log agents in and out and run the
//! outbound lifecycle. Snapshots of both output formats, and the behaviour they show, asserted.

// Test helpers may unwrap and panic: a failing test should fail loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use interaction_cli::{Format, Record, replay_str};
use serde_json::json;

mod common;
use common::{at, read, replay_each_line, response};

const TRACE: &str = "docs/traces/vcc-calls.jsonl";

/// The whole job, as `interactions replay FILE --format F` prints it.
fn replay(format: Format) -> String {
    common::replay(TRACE, format)
}

fn records() -> Vec<Record> {
    replay_str(&read(TRACE))
}

/// Line `line` is a rejected `dial` of kind `kind`, naming no interaction, answered 400 with
/// `message`.
#[track_caller]
fn refused(records: &[Record], line: usize, kind: &str, message: &str) {
    let r = at(records, line);
    assert_eq!(
        (r.api.as_deref(), r.action.as_deref(), r.outcome),
        (Some("vcc"), Some("dial"), "rejected"),
        "line {line}"
    );
    assert_eq!(r.error.as_ref().unwrap().kind, kind, "line {line}");
    assert_eq!(
        r.interaction, None,
        "line {line}: a refused call gets no id"
    );
    assert_eq!((r.from, r.to), (None, None));
    assert_eq!(
        response(r),
        (400, json!({ "message": message })),
        "line {line}"
    );
}

#[test]
fn vcc_calls_json() {
    insta::assert_snapshot!(replay(Format::Json));
}

#[test]
fn vcc_calls_text() {
    insta::assert_snapshot!(replay(Format::Text));
}

#[test]
fn a_call_is_placed_answered_held_and_released() {
    let records = records();
    let dial = at(&records, 4);
    assert_eq!(dial.interaction.as_deref(), Some("call-4"));
    assert_eq!(
        (dial.action.as_deref(), dial.outcome, dial.from, dial.to),
        (Some("dial"), "applied", None, Some("dialing"))
    );
    assert_eq!(
        dial.allowed,
        [
            "release",
            "update_user_data",
            "attach_user_data",
            "delete_user_data"
        ]
    );
    let (status, body) = response(dial);
    assert_eq!(status, 201);
    assert_eq!(
        body.to_string(),
        json!({
            "id": "call-4",
            "links": [{
                "href": "https://***.newvoicemedia.com/V0/a1b2c3d4e5/Calls/call-4",
                "rel": "_self"
            }],
            "from": {"agentId": "1234"},
            "to": {"telephoneNumber": "02072068888"},
            "regarding": null,
            "status": "Active",
            "recordingStatus": "Stopped",
            "application": null,
            "dispositionCode": null
        })
        .to_string()
    );
    for (line, from, to) in [
        (5, "dialing", "connected"),
        (7, "connected", "held"),
        (9, "held", "connected"),
        (10, "connected", "ended"),
    ] {
        let r = at(&records, line);
        assert_eq!(r.interaction.as_deref(), Some("call-4"));
        assert_eq!(
            (r.outcome, r.from, r.to),
            ("applied", Some(from), Some(to)),
            "line {line}"
        );
    }
    assert_eq!(at(&records, 10).reason, Some("released"));
}

#[test]
fn busy_agents_cannot_call_or_be_called() {
    let records = records();
    // 1234 is connected on call-4, then holds it.
    refused(
        &records,
        6,
        "agent_busy",
        "Unable to place call - Agent number busy",
    );
    refused(
        &records,
        8,
        "agent_unavailable",
        "Unable to place call - dialed Agent is not currently available",
    );
    // Once call-4 is released, 1234 calls 4567: the page's agent-to-agent example.
    let r = at(&records, 11);
    assert_eq!((r.outcome, r.to), ("applied", Some("dialing")));
    assert_eq!(response(r).1["to"], json!({"agentId": "4567"}));
    // A group call answered by 5464 makes 5464 busy.
    let group = at(&records, 14);
    assert_eq!((group.outcome, group.to), ("applied", Some("dialing")));
    assert_eq!(
        response(group).1["from"],
        json!({"groups": ["030", "200", "400"]})
    );
    assert!(group.allowed.is_empty(), "no agent holds a group call yet");
    assert_eq!(at(&records, 15).to, Some("connected"));
    refused(
        &records,
        16,
        "agent_busy",
        "Unable to place call - Agent number busy",
    );
}

#[test]
fn unknown_and_unavailable_agents() {
    let records = records();
    refused(
        &records,
        18,
        "unknown_agent",
        "Unable to place call - Agent Id is unknown",
    );
    refused(
        &records,
        20,
        "agent_unavailable",
        "Unable to place call - dialed Agent is not currently available",
    );
    refused(
        &records,
        21,
        "unknown_agent",
        "Unable to place call - invalid Agent Id.",
    );
    refused(
        &records,
        22,
        "agent_unavailable",
        "Unable to place call - dialed Agent is not currently available",
    );
    refused(
        &records,
        23,
        "agent_unavailable",
        "Unable to place call to Agent. Please try again",
    );
}

#[test]
fn every_request_rule_refuses_with_the_pages_message() {
    let records = records();
    for (line, kind, message) in [
        (
            24,
            "invalid_field",
            "Either agent id or groups required, not both",
        ),
        (
            25,
            "invalid_field",
            "Either telephone number or agent id required, not both",
        ),
        (
            26,
            "missing_field",
            "Either telephone number or agent id required",
        ),
        (27, "missing_field", "Agent Id must be specified"),
        (
            28,
            "invalid_field",
            "Telephone number not supported in this context",
        ),
        (
            29,
            "invalid_field",
            "Telephone number exceeds 30 characters",
        ),
        (
            30,
            "invalid_field",
            "Unable to place call - number is invalid",
        ),
        (31, "invalid_field", "Agent Id exceeds 11 digits"),
        (32, "invalid_field", "Agent Id must contain digits only"),
        (33, "invalid_field", "Reference exceeded 2000 characters"),
        (
            34,
            "invalid_field",
            "Reference contained invalid characters",
        ),
        (35, "invalid_field", "Application exceeded 32 characters"),
        (
            36,
            "invalid_field",
            "Application contains non-alphanumeric characters",
        ),
        (
            37,
            "invalid_field",
            "Consent must be one of Unknown, OneParty, TwoParty",
        ),
        (
            38,
            "invalid_field",
            "Presented CLID must be a telephone number of at most 30 characters",
        ),
    ] {
        refused(&records, line, kind, message);
    }
    // The record's own message names the field; the response carries the page's words.
    assert_eq!(
        at(&records, 29).error.as_ref().unwrap().message,
        "invalid `to.telephoneNumber`: Telephone number exceeds 30 characters"
    );
    // The wrong JSON type: malformed, the message naming the path, in the 400 too.
    for (line, named) in [(39, "from.agentId"), (40, "Calls body")] {
        let r = at(&records, line);
        let error = r.error.as_ref().unwrap();
        assert_eq!(error.kind, "malformed");
        assert!(error.message.contains(named), "{}", error.message);
        assert_eq!(response(r), (400, json!({ "message": error.message })));
    }
}

#[test]
fn every_optional_member_is_echoed_and_an_unanswered_call_can_be_released() {
    let records = records();
    let r = at(&records, 41);
    assert_eq!((r.outcome, r.to), ("applied", Some("dialing")));
    let (status, body) = response(r);
    assert_eq!(status, 201);
    assert_eq!(
        body.to_string(),
        json!({
            "id": "call-41",
            "links": [{"href": "/V0/a1b2c3d4e5/Calls/call-41", "rel": "_self"}],
            "from": {"presentedClid": "08008888888", "agentId": "1234", "consent": "OneParty"},
            "to": {"telephoneNumber": "02072068888", "consent": "OneParty"},
            "regarding": {"reference": "0012400000ATTUQ"},
            "status": "Active",
            "recordingStatus": "Stopped",
            "application": "appName",
            "dispositionCode": null
        })
        .to_string()
    );
    let release = at(&records, 42);
    assert_eq!(
        (release.from, release.to, release.reason),
        (Some("dialing"), Some("ended"), Some("released"))
    );
}

#[test]
fn a_taken_call_id_is_refused_by_the_engine() {
    let records = records();
    assert_eq!(at(&records, 43).to, Some("dialing"));
    let r = at(&records, 44);
    assert_eq!(r.interaction.as_deref(), Some("call-44"));
    let error = r.error.as_ref().unwrap();
    assert_eq!(error.kind, "already_exists");
    assert_eq!((r.from, r.to), (Some("dialing"), Some("dialing")));
    assert_eq!(response(r), (400, json!({ "message": error.message })));
}

#[test]
fn a_refused_call_changes_nothing_and_every_line_gives_one_record() {
    let mut rejected = 0;
    replay_each_line(TRACE, |line, before, after, out| {
        assert_eq!(out.len(), 1, "line {line}");
        if out[0].outcome == "rejected" {
            rejected += 1;
            assert_eq!(after, before, "line {line} changed the engine");
        }
    });
    assert_eq!(rejected, 27);
}

#[test]
fn a_content_type_other_than_json_is_refused_with_415_unread() {
    let records = records();
    let r = at(&records, 45);
    assert_eq!((r.action.as_deref(), r.outcome), (Some("dial"), "rejected"));
    assert_eq!(r.error.as_ref().unwrap().kind, "unsupported");
    assert_eq!(
        response(r),
        (
            415,
            json!({ "message": "The requested resource does not support content type 'multipart/form-data'." })
        )
    );
}
