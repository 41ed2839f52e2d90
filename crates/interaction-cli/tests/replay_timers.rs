//! The replay tool with a clock (MODEL.md section 10) on the bundled `docs/traces/timers-day.jsonl`:
//! a ring-no-answer redistributed to another agent, after-call work that a wrap-up timeout
//! completes, an agent made `not_ready` (`no_answer`) by two ring-no-answers in a row, a line
//! whose `at` is earlier than the clock (which keeps it). Run as the README says:
//! `--clock at --offer-timeout 20000 --max-no-answer 2 --wrap-up live --wrap-up-timeout 60000`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::NonZeroUsize;
use std::process::Command;

use interaction_cli::{Clock, Format, Options, Record, Replayer, Settings, prepare, replay};
use interaction_core::{EngineSettings, Media, MediaSet};

mod common;
use common::{read, repo_file};

const DAY: &str = "docs/traces/timers-day.jsonl";

fn settings() -> Settings {
    Settings {
        engine: EngineSettings {
            offer_timeout: Some(20_000),
            max_no_answer: Some(2),
            wrap_up: MediaSet::of(&[Media::Live]),
            wrap_up_timeout: Some(60_000),
            agent_heartbeat_timeout: Some(30_000),
            ..EngineSettings::default()
        },
        ..Settings::default()
    }
}

fn output(format: Format, jobs: usize, clock: Clock) -> String {
    let options = Options {
        format,
        jobs: NonZeroUsize::new(jobs).unwrap(),
        settings: settings(),
        clock,
    };
    let mut out = Vec::new();
    replay(read(DAY).as_bytes(), &mut out, &options).unwrap();
    String::from_utf8(out).unwrap()
}

fn records(text: &str, clock: Clock) -> Vec<Record> {
    let mut replayer = Replayer::with_settings(settings()).with_clock(clock);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        replayer.apply_prepared(prepare(i + 1, line, &settings()), &mut out);
    }
    out
}

fn timers(records: &[Record]) -> Vec<(usize, usize, &str, &str)> {
    records
        .iter()
        .filter_map(|r| {
            r.timer.map(|t| {
                (
                    r.line,
                    r.item,
                    t.name(),
                    r.interaction.as_deref().unwrap_or("-"),
                )
            })
        })
        .collect()
}

#[test]
fn timers_day_json() {
    insta::assert_snapshot!(output(Format::Json, 1, Clock::At));
}

#[test]
fn timers_day_text() {
    insta::assert_snapshot!(output(Format::Text, 1, Clock::At));
}

#[test]
fn the_output_is_the_same_for_any_number_of_jobs() {
    for format in [Format::Json, Format::Text] {
        let one = output(format, 1, Clock::At);
        assert_eq!(output(format, 2, Clock::At), one);
        assert_eq!(output(format, 3, Clock::At), one);
    }
}

#[test]
fn timers_fire_at_the_line_that_moved_the_clock_past_them_before_its_own_records() {
    let records = records(&read(DAY), Clock::At);
    assert_eq!(
        timers(&records),
        [
            (6, 0, "offer_timeout", "call-1"),
            (9, 0, "offer_timeout", "call-2"),
            (14, 0, "wrap_up_timeout", "call-1"),
        ]
    );
    // The line's own record follows, numbered after the timer's.
    let own = records.iter().find(|r| r.line == 6 && r.item == 1).unwrap();
    assert_eq!(own.action.as_deref(), Some("offer"));
    let revoke = records.iter().find(|r| r.line == 6 && r.item == 0).unwrap();
    let json = serde_json::to_value(revoke).unwrap();
    assert_eq!(json["action"], "revoke");
    assert_eq!(json["actor"], "platform");
    assert_eq!(json["timer"], "offer_timeout");
    assert_eq!(json["effects"][0]["type"], "redistribute");
    // The second ring-no-answer in a row: not ready, reason no_answer.
    let second = records.iter().find(|r| r.line == 9 && r.item == 0).unwrap();
    let state = serde_json::to_value(second.agent_state.as_ref().unwrap()).unwrap();
    assert_eq!(state["availability"], "not_ready");
    assert_eq!(state["reason"], "no_answer");
    // The wrap-up timeout completes the call the agent left in wrap-up.
    let completed = records
        .iter()
        .find(|r| r.line == 14 && r.item == 0)
        .unwrap();
    assert_eq!(
        (completed.action.as_deref(), completed.to, completed.reason),
        (Some("complete"), Some("ended"), Some("completed"))
    );
    // Nothing the trace sends is refused.
    assert!(records.iter().all(|r| r.error.is_none()), "{records:#?}");
}

#[test]
fn without_a_clock_no_timer_fires() {
    let records = records(&read(DAY), Clock::None);
    assert!(timers(&records).is_empty());
    // Without the timers, the calls still ring and the manual complete ends call-2.
    assert!(
        records
            .iter()
            .all(|r| r.timer.is_none() && r.clock.is_none())
    );
}

#[test]
fn an_at_that_is_not_rfc_3339_keeps_the_clock_and_the_line_is_applied_with_a_note() {
    let trace = concat!(
        r#"{"api": "core", "at": "2026-11-20T09:00:00Z", "body": {"action": "log_in", "agent": "a0"}}"#,
        "\n",
        r#"{"api": "core", "at": "yesterday", "body": {"action": "log_in", "agent": "a1"}}"#,
        "\n",
        r#"{"api": "core", "at": "20261120T090001Z", "body": {"action": "log_in", "agent": "a3"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T10:00:00.250+01:00", "body": {"action": "log_in", "agent": "a2"}}"#,
    );
    let records = records(trace, Clock::At);
    assert_eq!(records.len(), 4);
    assert!(
        records.iter().all(|r| r.outcome == "applied"),
        "{records:#?}"
    );
    let nine = Some(1_795_165_200_000);
    for unread in [&records[1], &records[2]] {
        // Applied at the clock as it was, with a note saying why.
        assert_eq!(unread.clock, nine);
        let note = serde_json::to_value(&unread.notes).unwrap();
        assert_eq!(note[0]["type"], "at_not_read", "{note}");
        assert!(
            note[0]["message"].as_str().unwrap().contains("`at`"),
            "{note}"
        );
    }
    // An offset is read: 10:00:00.250+01:00 is 09:00:00.250Z.
    assert_eq!(records[3].clock, Some(1_795_165_200_250));
    assert!(records[3].notes.is_empty());
    // Without the clock, `at` stays informational: no note.
    assert!(
        records_without_clock(trace)
            .iter()
            .all(|r| r.notes.is_empty())
    );
}

/// A transfer changes two agents: the one the interaction left is shown and counted too.
#[test]
fn a_transfer_moves_the_time_of_both_agents() {
    let trace = concat!(
        r#"{"api": "core", "at": "2026-11-20T09:00:00Z", "body": {"action": "log_in", "agent": "A"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:00:00Z", "body": {"action": "log_in", "agent": "B"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:01:00Z", "body": {"action": "assign", "interaction": "c1", "actor": "platform", "agent": "A", "media": "live", "direction": "inbound"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:02:00Z", "body": {"action": "transferred", "interaction": "c1", "actor": "platform", "agent": "B"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:10:00Z", "body": {"action": "release", "interaction": "c1", "actor": {"agent": "B"}}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:20:00Z", "body": {"action": "log_out", "agent": "A"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:20:00Z", "body": {"action": "log_out", "agent": "B"}}"#,
    );
    let options = Options {
        format: Format::Text,
        jobs: NonZeroUsize::MIN,
        settings: Settings::default(),
        clock: Clock::At,
    };
    let mut out = Vec::new();
    replay(trace.as_bytes(), &mut out, &options).unwrap();
    let text = String::from_utf8(out).unwrap();
    let summary: Vec<&str> = text.lines().filter(|l| l.starts_with("agent ")).collect();
    assert_eq!(
        summary,
        [
            "agent A: ready 0.000 s, not ready 0.000 s, busy 60.000 s, wrap-up 0.000 s, offers timed out 0",
            "agent B: ready 0.000 s, not ready 0.000 s, busy 480.000 s, wrap-up 0.000 s, offers timed out 0",
        ]
    );
    // The timeline shows both agents on the transfer's record.
    assert!(text.contains("agent A: logged_in, unknown, idle"), "{text}");
}

fn records_without_clock(trace: &str) -> Vec<Record> {
    records(trace, Clock::None)
}

#[test]
fn the_summary_gives_each_agent_its_times_from_the_clock() {
    let text = output(Format::Text, 1, Clock::At);
    let summary: Vec<&str> = text.lines().filter(|l| l.starts_with("agent ")).collect();
    assert_eq!(
        summary,
        [
            "agent 5464: ready 210.000 s, not ready 40.000 s, busy 30.000 s, wrap-up 20.000 s, offers timed out 2",
            "agent 5465: ready 177.000 s, not ready 0.000 s, busy 60.000 s, wrap-up 60.000 s, offers timed out 0",
        ]
    );
}

#[test]
fn the_readme_command_replays_the_trace_with_its_timers() {
    let out = Command::new(env!("CARGO_BIN_EXE_interactions"))
        .args(["replay", "--format", "text", "--clock", "at"])
        .args(["--offer-timeout", "20000", "--max-no-answer", "2"])
        .args(["--wrap-up", "live", "--wrap-up-timeout", "60000"])
        .arg(repo_file(DAY))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, output(Format::Text, 1, Clock::At));
    assert!(text.contains("[timer wrap_up_timeout]"));
}

fn records_with(text: &str, settings: &Settings) -> Vec<Record> {
    let mut replayer = Replayer::with_settings(settings.clone()).with_clock(Clock::At);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        replayer.apply_prepared(prepare(i + 1, line, settings), &mut out);
    }
    out
}

/// A vendor interaction's timer record carries its vendor API, even when the interaction is
/// forgotten the moment it ends (`--max-ended 0`); a missed Anywhere365 heartbeat logs the agent
/// out in a record of its own (`interaction: null`).
#[test]
fn vendor_timers_carry_their_api_and_a_missed_heartbeat_logs_the_agent_out() {
    let day = read("docs/traces/anywhere365-day.jsonl");
    for max_ended in [0, 100] {
        let settings = Settings {
            engine: EngineSettings {
                wrap_up: MediaSet::of(&[Media::Live]),
                wrap_up_timeout: Some(1_000),
                agent_heartbeat_timeout: Some(90_000),
                max_ended,
                ..EngineSettings::default()
            },
            ..Settings::default()
        };
        let records = records_with(&day, &settings);
        let timed: Vec<&Record> = records.iter().filter(|r| r.timer.is_some()).collect();
        assert!(
            timed
                .iter()
                .any(|r| r.timer == Some(interaction_core::Timer::WrapUpTimeout)),
            "no wrap-up timeout in {timed:#?}"
        );
        for r in &timed {
            assert_eq!(
                r.api.as_deref(),
                Some("anywhere365"),
                "max_ended {max_ended}: {r:?}"
            );
            assert_eq!(r.outcome, "applied");
        }
        let heartbeat = timed
            .iter()
            .find(|r| r.timer == Some(interaction_core::Timer::AgentHeartbeatTimeout))
            .expect("alice sends no HeartBeat for 90 s");
        let json = serde_json::to_value(heartbeat).unwrap();
        assert_eq!(json["action"], "log_out");
        assert_eq!(json["interaction"], serde_json::Value::Null);
        assert_eq!(json["agent_state"]["session"], "logged_out");
        assert_eq!(json["actor"], "platform");
        assert_eq!(json["timer"], "agent_heartbeat_timeout");
    }
}

/// Time never goes back: an earlier `at` keeps the clock, so a timer armed on that line runs
/// from the later time.
#[test]
fn an_earlier_at_arms_from_the_clock_it_kept() {
    let trace = concat!(
        r#"{"api": "core", "at": "2026-11-20T09:01:00Z", "body": {"action": "log_in", "agent": "A"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:00:00Z", "body": {"action": "offer", "interaction": "c1", "actor": "platform", "agent": "A", "media": "live", "direction": "inbound"}}"#,
        "\n",
        // 09:01:19: 20 s after 09:00 has gone, but not 20 s after the kept 09:01.
        r#"{"api": "core", "at": "2026-11-20T09:01:19Z", "body": {"action": "log_in", "agent": "B"}}"#,
        "\n",
        r#"{"api": "core", "at": "2026-11-20T09:01:20Z", "body": {"action": "log_in", "agent": "C"}}"#,
    );
    let records = records(trace, Clock::At);
    assert_eq!(timers(&records), [(4, 0, "offer_timeout", "c1")]);
}

#[test]
fn a_timer_without_a_clock_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_interactions"))
        .args(["replay", "--offer-timeout", "20000"])
        .arg(repo_file(DAY))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--offer-timeout needs a clock"), "{stderr}");
    assert!(out.stdout.is_empty());
}
