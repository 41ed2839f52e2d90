//! `interactions replay --jobs N` prints exactly what `--jobs 1` prints, and `interactions
//! generate` writes a trace that replays without a refusal.

// Tests may unwrap: a failing test should fail loudly.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::io::Cursor;
use std::num::NonZeroUsize;

use interaction_cli::generate::Generator;
use interaction_cli::{Format, Options, ReplayError, Summary, replay, replay_to};

const TRACES: [&str; 7] = [
    "docs/traces/vcc-day.jsonl",
    "docs/traces/vcc-bad-input.jsonl",
    "docs/traces/vcc-calls.jsonl",
    "docs/traces/gws-day.jsonl",
    "docs/traces/gws-bad-input.jsonl",
    "docs/traces/anywhere365-day.jsonl",
    "docs/traces/anywhere365-bad-input.jsonl",
];

fn options(format: Format, jobs: usize) -> Options {
    Options {
        format,
        jobs: NonZeroUsize::new(jobs).unwrap(),
        ..Options::default()
    }
}

fn run(text: &str, format: Format, jobs: usize) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = replay(Cursor::new(text), &mut out, &options(format, jobs)).unwrap();
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
    let summary = replay(Cursor::new(&bytes), &mut out, &options(Format::Json, 2)).unwrap();
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
    assert!(summary.created >= 1500);
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

/// A reader that gives `text` in small reads, then fails (a disk or a pipe going away).
struct FailsAfter {
    text: Vec<u8>,
    at: usize,
}

impl std::io::Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.text.len() {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.text.len() - self.at).min(4000);
        buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A read error mid-file: every job count writes exactly what one job writes up to the error
/// (the lines read whole before it, none after), and the error names the same line and byte.
#[test]
fn a_read_error_mid_file_loses_no_line_read_before_it_whatever_the_jobs() {
    let text = generated(3000, 5);
    // Fail inside a line, well past the first chunk of 4096 lines.
    let cut = text.match_indices('\n').nth(9000).unwrap().0 + 20;
    let lines_before = text[..cut].matches('\n').count();
    let mut first: Option<(Vec<u8>, usize, u64)> = None;
    for format in [Format::Json, Format::Text] {
        first = None;
        for jobs in [1, 2, 4, 7] {
            let input = std::io::BufReader::with_capacity(
                1 << 12,
                FailsAfter {
                    text: text.as_bytes()[..cut].to_vec(),
                    at: 0,
                },
            );
            let mut out = Vec::new();
            let err = replay(input, &mut out, &options(format, jobs)).unwrap_err();
            let ReplayError::Read { line, offset, .. } = err else {
                panic!("--jobs {jobs}: {err}");
            };
            assert_eq!(line, lines_before + 1, "--jobs {jobs}");
            assert!(err.to_string().contains(&format!("line {line}")), "{err}");
            match &first {
                None => first = Some((out, line, offset)),
                Some((want, want_line, want_offset)) => {
                    assert!(out == *want, "{format:?} --jobs {jobs}: the output differs");
                    assert_eq!((line, offset), (*want_line, *want_offset));
                }
            }
        }
        let (out, _, _) = first.as_ref().unwrap();
        let expected_records = {
            let mut whole = Vec::new();
            let prefix: String = text.split_inclusive('\n').take(lines_before).collect();
            replay_to(Cursor::new(prefix), &mut whole, format).unwrap();
            whole
        };
        if format == Format::Json {
            assert!(
                *out == expected_records,
                "the records of every line before the error"
            );
        }
    }
    assert!(first.is_some());
}
