//! The replay tool against a hostile user (issue 11): no line lost or merged, nothing raw
//! reaches a terminal or a message, a closed output is quiet, usage errors are refused at once,
//! and labels stay bounded. Each test is one class of defect.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Cursor, Read, Write};
use std::process::{Command, Stdio};

use interaction_cli::{Format, Record, replay_to};
use interaction_core::text::needs_escape;

mod common;

const CALL: &str = r#"{"api": "core", "body": {"action": "log_in", "agent": "a1"}}"#;

fn records(bytes: &[u8]) -> Vec<Record> {
    interaction_cli::replay_bytes(bytes)
}

fn text_output(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    replay_to(Cursor::new(bytes), &mut out, Format::Text).unwrap();
    String::from_utf8(out).unwrap()
}

fn assert_malformed(record: &Record, line: usize, says: &str) {
    assert_eq!(record.line, line);
    assert_eq!(record.outcome, "rejected", "{record:?}");
    let error = record.error.as_ref().unwrap();
    assert_eq!(error.kind, "malformed", "{record:?}");
    assert!(
        error.message.contains(says),
        "{:?} lacks {says:?}",
        error.message
    );
}

// ---------------------------------------------------------------------------------------------
// Lines lost or merged
// ---------------------------------------------------------------------------------------------

#[test]
fn anything_after_the_object_makes_the_line_one_malformed_record() {
    for tail in [
        "garbage",
        "}}}",
        CALL,
        " {\"api\": \"core\"}",
        "\u{a0}",
        "\r\r x",
    ] {
        let trace = format!("{CALL}{tail}\n{CALL}\n");
        let got = records(trace.as_bytes());
        assert_eq!(got.len(), 2, "{tail:?}: {got:?}");
        assert_malformed(&got[0], 1, "trace line:");
        assert_eq!(got[1].outcome, "applied", "the next line is processed");
    }
    // JSON whitespace after the object is fine.
    let got = records(format!("{CALL} \t \r\n").as_bytes());
    assert_eq!(got[0].outcome, "applied");
}

#[test]
fn crlf_ends_a_line_and_a_lone_cr_never_does() {
    let lf = records(format!("{CALL}\n{CALL}\n").as_bytes());
    let crlf = records(format!("{CALL}\r\n{CALL}\r\n").as_bytes());
    assert_eq!(lf, crlf);
    // A file with `\r` line endings holds one line: refused as a whole, not silently cut.
    let cr = records(format!("{CALL}\r{CALL}\r{CALL}\r").as_bytes());
    assert_eq!(cr.len(), 1);
    assert_malformed(
        &cr[0],
        1,
        "text after the record's JSON object, at column 62",
    );
}

// ---------------------------------------------------------------------------------------------
// Lines refused for the right reason, and never skipped
// ---------------------------------------------------------------------------------------------

#[test]
fn a_byte_order_mark_starts_a_trace_but_no_line() {
    let got = records(format!("\u{feff}{CALL}\n\u{feff}{CALL}\n").as_bytes());
    assert_eq!(got[0].outcome, "applied", "{got:?}");
    assert_malformed(&got[1], 2, "byte-order mark (U+FEFF) at column 1");
}

#[test]
fn bytes_that_are_not_utf8_are_refused_saying_where() {
    let mut trace = Vec::new();
    trace.extend_from_slice(br#"{"api": "core", "body": {"action": "log_in", "agent": "a"#);
    trace.push(0xff);
    trace.extend_from_slice(b"\"}}\n\xfe\xfe\n");
    trace.extend_from_slice(CALL.as_bytes());
    let got = records(&trace);
    assert_eq!(got.len(), 3);
    assert_malformed(
        &got[0],
        1,
        "not UTF-8: byte 0xFF at column 57 (inside a JSON string)",
    );
    assert_malformed(
        &got[1],
        2,
        "not UTF-8: byte 0xFE at column 1 (outside any JSON string)",
    );
    assert_eq!(got[2].outcome, "applied");
}

#[test]
fn only_json_whitespace_makes_a_line_blank() {
    for (space, code) in [
        ("\u{a0}", "U+00A0"),
        ("\u{2028}", "U+2028"),
        ("\u{b}", "U+000B"),
        ("\u{c}", "U+000C"),
        ("\u{85}", "U+0085"),
        (" \u{3000}", "U+3000"),
    ] {
        let got = records(format!("{space}\n{CALL}\n").as_bytes());
        assert_eq!(got.len(), 2, "{code}");
        assert_malformed(&got[0], 1, code);
    }
    let got = records(format!(" \t\r\n\n{CALL}\n").as_bytes());
    assert_eq!(got.len(), 1, "blank lines give no record");
    assert_eq!(got[0].line, 3);
}

#[test]
fn a_line_over_the_bound_is_one_record_and_the_next_is_read() {
    let mut trace = Vec::with_capacity(interaction_cli::MAX_LINE_BYTES + 200);
    trace.extend_from_slice(br#"{"api": "core", "body": ""#);
    trace.resize(interaction_cli::MAX_LINE_BYTES + 10, b'x');
    trace.extend_from_slice(b"\"}\n");
    trace.extend_from_slice(CALL.as_bytes());
    let got = records(&trace);
    assert_eq!(got.len(), 2);
    assert_malformed(&got[0], 1, "bytes long; at most 16777216 are allowed");
    assert_eq!(got[1].outcome, "applied");
}

// ---------------------------------------------------------------------------------------------
// Nothing raw reaches a terminal or a message
// ---------------------------------------------------------------------------------------------

#[test]
fn no_raw_control_or_format_character_reaches_the_text_timeline() {
    let evil = "\u{1b}[2J\r\n    9.0   core  forged  log_in  applied\u{202e}";
    let lines = [
        format!(r#"{{"api": {}, "body": {{}}}}"#, serde_json::json!(evil)),
        format!(
            r#"{{"api": "core", "body": {{"action": {}, "interaction": "i"}}}}"#,
            serde_json::json!(evil)
        ),
        format!(
            r#"{{"api": "core", "body": {{"action": "dispatch", "interaction": "i", "actor": "platform", "route": "r", "media": {}}}}}"#,
            serde_json::json!(evil)
        ),
        format!(
            r#"{{"api": "core", "body": {{"action": "hold", {}: 1}}}}"#,
            serde_json::json!(evil)
        ),
        format!(
            r#"{{"api": "core", {}: 5, "body": {{}}}}"#,
            serde_json::json!(evil)
        ),
        format!(
            r#"{{"api": "core", "method": {}, "body": {{}}}}"#,
            serde_json::json!(evil)
        ),
        format!(
            r#"{{"api": "core", "body": {{"action": "dispatch", "interaction": "bidi{}", "actor": "platform", "route": "r", "media": "chat"}}}}"#,
            "\u{202e}"
        ),
    ];
    let trace = lines.join("\n");
    let text = text_output(trace.as_bytes());
    for c in text.chars() {
        assert!(
            c == '\n' || !needs_escape(c),
            "raw {c:?} in the timeline:\n{text}"
        );
    }
    // One timeline row per record: no forged row.
    let is_row = |l: &&str| {
        let t = l.trim_start();
        l.len() - t.len() <= 5
            && t.split_once(' ').is_some_and(|(n, _)| {
                n.contains('.') && n.replace('.', "").bytes().all(|b| b.is_ascii_digit())
            })
    };
    let rows = text.lines().filter(is_row).count();
    assert_eq!(rows, lines.len(), "{text}");
    for record in records(trace.as_bytes()) {
        if let Some(e) = &record.error {
            assert!(
                !e.message.chars().any(needs_escape),
                "raw character in {:?}",
                e.message
            );
        }
    }
}

#[test]
fn a_core_key_is_measured_as_the_user_wrote_it() {
    let keyed = |key: &str| {
        format!(
            r#"{{"api": "core", "body": {{"action": "dispatch", "interaction": "k", "actor": "platform", "route": "r", "media": "chat", "key": "{key}"}}}}"#
        )
    };
    let got = records(keyed(&"k".repeat(256)).as_bytes());
    assert_eq!(got[0].outcome, "applied");
    let got = records(keyed(&"k".repeat(257)).as_bytes());
    let message = &got[0].error.as_ref().unwrap().message;
    assert!(message.contains("`key`: is 257 bytes long"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Memory bounded by settings, not by the input
// ---------------------------------------------------------------------------------------------

#[test]
fn a_refused_label_is_clipped_and_marked() {
    let huge = "x".repeat(100_000);
    let line = format!(
        r#"{{"api": "vcc", "path": "/interactions/Invoke", "body": {{"requests": [{{"externalid": "{huge}", "route": "r", "routingdata": {{"interactiontype": "chat"}}}}]}}}}"#
    );
    let api_line = format!(r#"{{"api": "{huge}", "body": {{}}}}"#);
    let got = records(format!("{line}\n{api_line}\n").as_bytes());
    let label = got[0].interaction.as_deref().unwrap();
    assert_eq!(label.len(), 256 + '…'.len_utf8());
    assert!(label.ends_with('…'));
    let api = got[1].api.as_deref().unwrap();
    assert!(api.len() <= 256 + 3 && api.ends_with('…'), "{api}");
}

#[test]
fn the_summary_counts_created_interactions_not_refused_ids() {
    let mut trace = String::new();
    for i in 0..1000 {
        trace += r#"{"api": "core", "body": {"action": "hold", "actor": "platform", "interaction": "ghost-"#;
        trace += &i.to_string();
        trace += "\"}}\n";
    }
    trace.push_str(
        r#"{"api": "core", "body": {"action": "dispatch", "interaction": "real", "actor": "platform", "route": "r", "media": "chat"}}"#,
    );
    let mut out = Vec::new();
    let summary = replay_to(Cursor::new(trace), &mut out, Format::Text).unwrap();
    assert_eq!(summary.created, 1);
    assert_eq!(summary.rejected(), 1000);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("1 interactions created")
    );
}

// ---------------------------------------------------------------------------------------------
// Exit status and streams (the binary)
// ---------------------------------------------------------------------------------------------

fn interactions() -> Command {
    Command::new(env!("CARGO_BIN_EXE_interactions"))
}

fn long_trace() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("hostile-{}.jsonl", std::process::id()));
    if !path.exists() {
        let out = interactions()
            .args(["generate", "--interactions", "20000"])
            .output()
            .unwrap();
        assert!(out.status.success());
        std::fs::write(&path, out.stdout).unwrap();
    }
    path
}

#[test]
fn jobs_beyond_the_bound_are_a_usage_error_at_once() {
    for jobs in ["0", "257", "1000000000000", "-1", "x"] {
        let started = std::time::Instant::now();
        let out = interactions()
            .args(["replay", "docs/traces/vcc-day.jsonl", "--jobs", jobs])
            .current_dir(common::repo_file(""))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--jobs {jobs}");
        assert!(started.elapsed().as_secs() < 10);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error:"), "{stderr}");
        assert!(out.stdout.is_empty(), "nothing replayed");
    }
}

#[test]
fn a_closed_output_exits_quietly_the_same_way_for_every_format_and_job_count() {
    let trace = long_trace();
    for format in ["json", "text"] {
        for jobs in ["1", "2"] {
            let mut child = interactions()
                .args([
                    "replay",
                    trace.to_str().unwrap(),
                    "--format",
                    format,
                    "--jobs",
                    jobs,
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdout = child.stdout.take().unwrap();
            let mut first = [0u8; 64];
            stdout.read_exact(&mut first).unwrap();
            drop(stdout);
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{format} --jobs {jobs}");
            assert!(
                out.stderr.is_empty(),
                "{format} --jobs {jobs}: {:?}",
                out.stderr
            );
        }
    }
}

#[test]
fn a_full_output_is_an_error_and_never_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let trace = common::repo_file("docs/traces/vcc-day.jsonl");
    for args in [
        vec!["diagram"],
        vec!["diagram", "--format", "dot"],
        vec!["generate", "--interactions", "10"],
        vec!["replay", trace.to_str().unwrap()],
        vec![
            "replay",
            trace.to_str().unwrap(),
            "--format",
            "text",
            "--jobs",
            "2",
        ],
    ] {
        let out = interactions()
            .args(&args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn engine_bounds_are_replay_options() {
    let mut file = tempfile();
    for i in 0..3 {
        writeln!(
            file.1,
            r#"{{"api": "core", "body": {{"action": "dispatch", "interaction": "d{i}", "actor": "platform", "route": "r", "media": "chat"}}}}"#
        )
        .unwrap();
    }
    drop(file.1);
    let out = interactions()
        .args([
            "replay",
            file.0.to_str().unwrap(),
            "--max-live",
            "2",
            "--format",
            "text",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("max_live"), "{text}");
    assert!(text.contains("2 interactions created"), "{text}");
    let bad = interactions()
        .args([
            "replay",
            file.0.to_str().unwrap(),
            "--share-namespace",
            "vcc,core",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!(
        "hostile-bounds-{}-{:?}.jsonl",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}
