//! The replay tool on the bundled traces: snapshots of its output, and the invariants a person
//! reading the output relies on.

// Test helpers may unwrap and panic: a failing test should fail loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Cursor;
use std::process::Command;

use interaction_cli::trace::decode_line;
use interaction_cli::{Format, replay_str, replay_to};
use interaction_gateway::core::{CoreRequest, decode_core};

mod common;
use common::{assert_rejected_lines_change_nothing, find, read, replay, repo_file};

#[test]
fn vcc_day_json() {
    insta::assert_snapshot!(replay("docs/traces/vcc-day.jsonl", Format::Json));
}

#[test]
fn vcc_day_text() {
    insta::assert_snapshot!(replay("docs/traces/vcc-day.jsonl", Format::Text));
}

#[test]
fn vcc_bad_input_json() {
    insta::assert_snapshot!(replay("docs/traces/vcc-bad-input.jsonl", Format::Json));
}

#[test]
fn vcc_bad_input_text() {
    insta::assert_snapshot!(replay("docs/traces/vcc-bad-input.jsonl", Format::Text));
}

#[test]
fn every_item_of_every_line_gives_one_record_in_order() {
    for trace in [
        "docs/traces/vcc-day.jsonl",
        "docs/traces/vcc-bad-input.jsonl",
    ] {
        let text = read(trace);
        let records = replay_str(&text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        let mut seen_lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        seen_lines.dedup();
        assert_eq!(seen_lines.len(), lines, "{trace}: a line gave no record");
        let positions: Vec<(usize, usize)> = records.iter().map(|r| (r.line, r.item)).collect();
        let mut sorted = positions.clone();
        sorted.sort_unstable();
        assert_eq!(positions, sorted, "{trace}: records out of input order");
    }
}

#[test]
fn the_providers_day_replays_as_the_model_says() {
    let records = replay_str(&read("docs/traces/vcc-day.jsonl"));
    let outcome = |line, item| find(&records, line, item).outcome;
    let kind = |line, item| find(&records, line, item).error.as_ref().map(|e| e.kind);

    // The documented Register example, then an Invoke dispatch: created queued.
    assert_eq!(outcome(1, 0), "applied");
    let dispatch = find(&records, 3, 0);
    assert_eq!((dispatch.from, dispatch.to), (None, Some("queued")));
    // The same requestid again: a duplicate, nothing emitted but the response.
    assert_eq!(outcome(4, 0), "duplicate");
    // An Invoke with two requests gives two records.
    assert_eq!(
        find(&records, 5, 1).interaction.as_deref(),
        Some("88381696")
    );
    // The documented AssignToAgent callback connects 5464 and notifies the provider.
    let assign = find(&records, 6, 0);
    assert_eq!(
        (assign.from, assign.to),
        (Some("queued"), Some("connected"))
    );
    assert_eq!(assign.effects[0].to_json()["notification"], "AssignToAgent");
    assert_eq!(assign.effects[0].to_json()["agent"], "5464");
    // The same notificationid again: duplicate, no second notification.
    assert_eq!(outcome(7, 0), "duplicate");
    assert!(find(&records, 7, 0).effects.is_empty());
    // A callback with `Agent` but no `AgentId` assigns by user name.
    assert!(find(&records, 10, 1).allowed.contains(&"release"));
    // The transferring agent may not release what it handed over.
    assert_eq!(kind(13, 0), Some("not_owner"));
    // The provider's own release: ended, and no Release notification back to it.
    let release = find(&records, 17, 0);
    assert_eq!(
        (release.to, release.reason),
        (Some("ended"), Some("released"))
    );
    assert!(
        release
            .effects
            .iter()
            .all(|e| e.to_json()["type"] == "response")
    );
    // A late AssignToAgent for the released interaction.
    assert_eq!(kind(18, 0), Some("already_ended"));
    // The platform's Release callback notifies; the provider's late release is refused.
    assert_eq!(
        find(&records, 19, 0).effects[0].to_json()["notification"],
        "Release"
    );
    assert_eq!(kind(20, 0), Some("already_ended"));
    // ReleaseOnlyProvider permits release only: hold is refused, release goes through.
    assert_eq!(kind(23, 0), Some("not_permitted"));
    assert_eq!(find(&records, 24, 0).to, Some("ended"));
    // A reject sends the work back to its route for redistribution.
    let reject = find(&records, 27, 0);
    assert_eq!(reject.to, Some("queued"));
    assert_eq!(reject.effects[0].to_json()["type"], "redistribute");
    assert_eq!(
        reject.effects[0].to_json()["target"]["route"],
        "Route Interaction NR"
    );

    // Issue 13. The Full dispatch sample: its record shows its routing data, once.
    let full = find(&records, 32, 0);
    let routing = full.routing.as_deref().unwrap();
    assert_eq!(routing.links.len(), 4);
    assert_eq!(
        routing
            .personal_agent()
            .map(interaction_core::AgentId::as_str),
        Some("AgentUsername")
    );
    assert_eq!(routing.skills.len(), 3);
    // A dispatch without externalid lives on the line's drawn id; its resend is a duplicate
    // that names no interaction.
    assert_eq!(
        find(&records, 34, 0).interaction.as_deref(),
        Some("dispatch-34-1")
    );
    let resend = find(&records, 35, 0);
    assert_eq!(
        (resend.outcome, resend.interaction.as_deref()),
        ("duplicate", None)
    );
    // Assigned to another agent than its personal queue's: noted, applied as any assignment.
    let other = find(&records, 36, 0);
    assert_eq!((other.outcome, other.routing.is_none()), ("applied", true));
    assert_eq!(
        serde_json::to_value(&other.notes).unwrap(),
        serde_json::json!([{"type": "personal_queue_other_agent",
            "personal_agent": "AgentUsername", "agent": "5465"}])
    );
    // Offered to another agent (a core record): noted; assigned to its own agent, named by
    // the callback's `Agent` beside its `AgentId`: not.
    assert_eq!(find(&records, 38, 0).notes.len(), 1);
    assert!(find(&records, 39, 0).notes.is_empty());
    assert_eq!(find(&records, 40, 0).to, Some("connected"));
    assert_eq!(find(&records, 41, 0).reason, Some("released"));
}

#[test]
fn a_rejected_line_leaves_the_engine_exactly_as_it_was_and_the_next_line_runs() {
    for trace in [
        "docs/traces/vcc-day.jsonl",
        "docs/traces/vcc-bad-input.jsonl",
    ] {
        assert_rejected_lines_change_nothing(trace);
    }
    // The bad-input trace ends with a good dispatch: processing went on to the end.
    let records = replay_str(&read("docs/traces/vcc-bad-input.jsonl"));
    let last = records.last().unwrap();
    assert_eq!((last.outcome, last.to), ("applied", Some("queued")));
}

#[test]
fn every_kind_of_bad_input_gets_its_typed_error() {
    let records = replay_str(&read("docs/traces/vcc-bad-input.jsonl"));
    let kinds: std::collections::BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| e.kind))
        .collect();
    for expected in [
        "malformed",
        "missing_field",
        "invalid_field",
        "unsupported",
        "unknown_interaction",
        "already_exists",
        "already_ended",
        "not_owner",
        "not_permitted",
        "unknown_provider",
        "provider_mismatch",
    ] {
        assert!(
            kinds.contains(expected),
            "no `{expected}` in the bad-input trace"
        );
    }
    // Every rejection's message is non-empty and says something specific.
    for r in records.iter().filter(|r| r.outcome == "rejected") {
        let e = r.error.as_ref().unwrap();
        assert!(
            e.message.len() > 10,
            "line {}: thin message {:?}",
            r.line,
            e.message
        );
    }
}

#[test]
fn lines_that_are_not_records_are_malformed_and_do_not_stop_the_replay() {
    let mut input = b"not json\n[1,2]\n\n".to_vec();
    input.extend_from_slice(b"\xff\xfe{\"api\": \"core\"}\n");
    input.extend_from_slice(br#"{"api": "core", "body": {"action": "log_in", "agent": "5464"}}"#);
    let mut out = Vec::new();
    let summary = replay_to(Cursor::new(input), &mut out, Format::Json).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "the blank line gives no record");
    for (l, expected_line) in lines.iter().zip([1, 2, 4]) {
        assert_eq!(l["line"], expected_line);
        assert_eq!(l["outcome"], "rejected");
        assert_eq!(l["error"]["kind"], "malformed");
    }
    assert_eq!(lines[3]["outcome"], "applied");
    assert_eq!(summary.rejected(), 3);
}

#[test]
fn every_core_example_in_the_docs_decodes() {
    let doc = read("docs/trace-format.md");
    let start = doc.find("<!-- core-examples:start -->").unwrap();
    let end = doc.find("<!-- core-examples:end -->").unwrap();
    let mut actions = std::collections::BTreeSet::new();
    for line in doc[start..end].lines().filter(|l| l.starts_with('{')) {
        let record = decode_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        match decode_core(record.body).unwrap_or_else(|e| panic!("{line}: {e}")) {
            CoreRequest::Apply(input) => actions.insert(input.action.kind().name()),
            CoreRequest::Agent { action, .. } => actions.insert(action.kind().name()),
        };
    }
    for kind in interaction_core::ActionKind::ALL {
        assert!(
            actions.contains(kind.name()),
            "docs have no example of `{kind}`"
        );
    }
    for kind in interaction_core::AgentActionKind::ALL {
        assert!(
            actions.contains(kind.name()),
            "docs have no example of `{kind}`"
        );
    }
}

#[test]
fn core_records_name_the_bad_argument() {
    let cases = [
        (
            r#"{"action": "offer", "interaction": "i", "actor": "platform"}"#,
            "missing_field",
            "agent",
        ),
        (
            r#"{"action": "hold", "interaction": "i", "actor": "someone"}"#,
            "invalid_field",
            "actor",
        ),
        (
            r#"{"action": "hold", "interaction": "i"}"#,
            "missing_field",
            "actor",
        ),
        (
            r#"{"action": "hold", "actor": "platform"}"#,
            "missing_field",
            "interaction",
        ),
        (
            r#"{"action": "fly", "interaction": "i", "actor": "platform"}"#,
            "unsupported",
            "fly",
        ),
        (
            r#"{"action": "dispatch", "interaction": "i", "actor": "platform", "route": "R", "media": "fax"}"#,
            "invalid_field",
            "media",
        ),
        (
            r#"{"action": "hold", "interaction": "i", "actor": "platform", "agnet": "x"}"#,
            "malformed",
            "agnet",
        ),
        (
            r#"{"action": "update_user_data", "interaction": "i", "actor": "platform", "user_data": [1]}"#,
            "malformed",
            "user_data",
        ),
    ];
    for (body, kind, named) in cases {
        let line = format!(r#"{{"api": "core", "body": {body}}}"#);
        let record = decode_line(&line).unwrap();
        let err = decode_core(record.body).unwrap_err();
        assert_eq!(err.kind().name(), kind, "{body}");
        assert!(err.to_string().contains(named), "{body}: {err}");
    }
}

fn interactions(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_interactions"))
        .args(args)
        .current_dir(repo_file(""))
        .output()
        .unwrap()
}

#[test]
fn exit_status_follows_the_model() {
    let ok = interactions(&["replay", "docs/traces/vcc-day.jsonl"]);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(ok.stdout).unwrap(),
        replay("docs/traces/vcc-day.jsonl", Format::Json),
        "the binary prints what the library replays"
    );
    let strict = interactions(&["replay", "docs/traces/vcc-day.jsonl", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "the day holds refusals");
    let missing = interactions(&["replay", "docs/traces/no-such-file.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("no-such-file")
    );
    let usage = interactions(&["replay", "docs/traces/vcc-day.jsonl", "--format", "xml"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn strict_passes_a_clean_trace() {
    let dir = std::env::temp_dir().join(format!("interactions-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("clean.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"api": "core", "body": {"action": "dispatch", "interaction": "i-1", "actor": "platform", "route": "R", "media": "live"}}"#,
            "\n",
            r#"{"api": "core", "body": {"action": "assign", "interaction": "i-1", "actor": "platform", "agent": "a"}}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = interactions(&[
        "replay",
        file.to_str().unwrap(),
        "--strict",
        "--format",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("queued -> connected"), "{text}");
    assert!(text.contains("outcomes: applied 2"), "{text}");
}
