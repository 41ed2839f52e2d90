//! `interactions replay --jobs N` prints exactly what `--jobs 1` prints, and `interactions
//! generate` writes a trace that replays without a refusal.

// Tests may unwrap: a failing test should fail loudly.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Cursor;
use std::num::NonZeroUsize;

use interaction_cli::generate::Generator;
use interaction_cli::{Format, Summary, replay_parallel, replay_to};

const TRACES: [&str; 7] = [
    "docs/traces/vcc-day.jsonl",
    "docs/traces/vcc-bad-input.jsonl",
    "docs/traces/vcc-calls.jsonl",
    "docs/traces/gws-day.jsonl",
    "docs/traces/gws-bad-input.jsonl",
    "docs/traces/anywhere365-day.jsonl",
    "docs/traces/anywhere365-bad-input.jsonl",
];

fn run(text: &str, format: Format, jobs: usize) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let jobs = NonZeroUsize::new(jobs).unwrap();
    let summary = replay_parallel(Cursor::new(text), &mut out, format, jobs).unwrap();
    (out, summary)
}

fn sequential(text: &str, format: Format) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = replay_to(Cursor::new(text), &mut out, format).unwrap();
    (out, summary)
}

fn generated(interactions: usize, seed: u64) -> String {
    let mut out = Vec::new();
    Generator::new(interactions, seed)
        .write_to(&mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_bundled_trace_replays_the_same_with_several_jobs() {
    for trace in TRACES {
        let text = common::read(trace);
        for format in [Format::Json, Format::Text] {
            let expected = sequential(&text, format);
            for jobs in [1, 2, 3] {
                let got = run(&text, format, jobs);
                assert!(
                    got.0 == expected.0,
                    "{trace} {format:?} --jobs {jobs}: the output differs"
                );
                assert_eq!(got.1, expected.1, "{trace} {format:?} --jobs {jobs}");
            }
        }
    }
}

#[test]
fn a_generated_trace_of_several_chunks_replays_the_same_with_several_jobs() {
    // About 9 000 lines: more than two chunks of the parallel replay.
    let text = generated(2000, 3);
    for format in [Format::Json, Format::Text] {
        let expected = sequential(&text, format);
        for jobs in [2, 4] {
            let got = run(&text, format, jobs);
            assert!(
                got.0 == expected.0,
                "{format:?} --jobs {jobs}: the output differs"
            );
            assert_eq!(got.1, expected.1);
        }
    }
}

#[test]
fn a_trace_without_a_final_newline_with_blank_crlf_and_non_utf8_lines_replays_the_same() {
    let mut bytes = common::read("docs/traces/gws-day.jsonl").into_bytes();
    bytes.extend_from_slice(b"\r\n\n\xff\xfe not utf-8\n{\"api\": \"core\"}\r\n");
    bytes.extend_from_slice(b"{\"api\": \"nope\"}");
    let expected = {
        let mut out = Vec::new();
        let s = replay_to(Cursor::new(&bytes), &mut out, Format::Json).unwrap();
        (out, s)
    };
    let mut out = Vec::new();
    let summary = replay_parallel(
        Cursor::new(&bytes),
        &mut out,
        Format::Json,
        NonZeroUsize::new(2).unwrap(),
    )
    .unwrap();
    assert!(out == expected.0);
    assert_eq!(summary, expected.1);
}

#[test]
fn a_generated_trace_replays_without_a_refusal_and_mixes_every_vendor() {
    let text = generated(1500, 11);
    let (_, summary) = sequential(&text, Format::Json);
    assert_eq!(summary.rejected(), 0, "{summary:?}");
    assert!(summary.outcomes.get("duplicate").copied().unwrap_or(0) > 0);
    assert!(summary.outcomes.get("ignored").copied().unwrap_or(0) > 0);
    assert!(summary.interactions.len() >= 1500);
    for api in [
        "\"api\": \"vcc\"",
        "\"api\": \"gws\"",
        "\"api\": \"anywhere365\"",
        "\"api\": \"core\"",
    ] {
        assert!(text.contains(api), "{api}");
    }
    assert!(text.contains("/calls\""), "VCC Calls requests");
}

#[test]
fn generate_is_deterministic_for_a_seed() {
    assert_eq!(generated(400, 5), generated(400, 5));
    assert_ne!(generated(400, 5), generated(400, 6));
}
