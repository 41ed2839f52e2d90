//! Shared plumbing for the replay tests: reading a file of the repository, replaying a trace,
//! finding a record, and the check that a rejected line leaves the engine as it was.

// Test helpers may unwrap and panic: a failing test should fail loudly. Not every test file
// uses every helper.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub(crate) mod bad_input;

use std::io::Cursor;
use std::path::PathBuf;

use interaction_cli::{Format, Record, RecordEffect, Replayer, replay_to};
use interaction_core::Engine;

/// `path`, relative to the repository root (`docs/traces/vcc-day.jsonl`).
pub(crate) fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The text of the repository file `path`.
pub(crate) fn read(path: &str) -> String {
    let file = repo_file(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The whole job, as `interactions replay FILE --format F` prints it.
pub(crate) fn replay(path: &str, format: Format) -> String {
    let mut out = Vec::new();
    replay_to(Cursor::new(read(path)), &mut out, format).unwrap();
    String::from_utf8(out).unwrap()
}

/// The record of item `item` of line `line`.
pub(crate) fn find(records: &[Record], line: usize, item: usize) -> &Record {
    records
        .iter()
        .find(|r| r.line == line && r.item == item)
        .unwrap_or_else(|| panic!("no record {line}.{item}"))
}

/// The one record of `line`.
#[track_caller]
pub(crate) fn at(records: &[Record], line: usize) -> &Record {
    let mut found = records.iter().filter(|r| r.line == line);
    let record = found
        .next()
        .unwrap_or_else(|| panic!("no record for line {line}"));
    assert!(
        found.next().is_none(),
        "line {line} gave more than one record"
    );
    record
}

/// The response effect of a record: `(status, body)`.
#[track_caller]
pub(crate) fn response(record: &Record) -> (u64, serde_json::Value) {
    let effect = record
        .effects
        .iter()
        .map(RecordEffect::to_json)
        .find(|e| e["type"] == "response")
        .unwrap_or_else(|| panic!("line {}: no response", record.line));
    (effect["status"].as_u64().unwrap(), effect["body"].clone())
}

/// Replays the repository file `trace` line by line on a fresh replayer, calling
/// `check(line number, engine before the line, engine after it, the line's records)` after
/// each line; returns the replayer.
pub(crate) fn replay_each_line(
    trace: &str,
    mut check: impl FnMut(usize, &Engine, &Engine, &[Record]),
) -> Replayer {
    let mut replayer = Replayer::new();
    for (index, line) in read(trace).lines().enumerate() {
        let before = replayer.engine().clone();
        let mut records = Vec::new();
        replayer.replay_line(index + 1, line, &mut records);
        check(index + 1, &before, replayer.engine(), &records);
    }
    replayer
}

/// Asserts that every line of `trace` whose records are all rejected left the engine exactly
/// as it was and answered with responses only, and that `trace` holds such lines.
#[track_caller]
pub(crate) fn assert_rejected_lines_change_nothing(trace: &str) {
    let mut rejected = 0;
    replay_each_line(trace, |line, before, after, records| {
        if records.iter().all(|r| r.outcome == "rejected") {
            rejected += 1;
            assert_eq!(after, before, "{trace}:{line} changed the engine");
            assert!(
                records
                    .iter()
                    .all(|r| r.effects.iter().all(|e| e.to_json()["type"] == "response"))
            );
        }
    });
    assert!(rejected > 0, "{trace} should hold refusals");
}
