//! Every fuzz target's function over its committed corpus (`fuzz/corpus/<target>/`), on stable:
//! CI exercises the fuzz targets without nightly. A crash a fuzzer finds is kept in the corpus
//! directory of its target (and named in `tests/regressions.rs`), so it is replayed here forever.

// Test helpers may panic: a failing test should fail loudly.
#![allow(clippy::panic)]

use std::path::PathBuf;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 9] = [
    ("engine_actions", interaction_checks::engine_actions),
    ("vcc_decode", interaction_checks::vcc_decode),
    ("vcc_call", interaction_checks::vcc_call),
    ("gws_operation", interaction_checks::gws_operation),
    ("gws_notification", interaction_checks::gws_notification),
    ("anywhere365_event", interaction_checks::anywhere365_event),
    (
        "anywhere365_command",
        interaction_checks::anywhere365_command,
    ),
    ("trace_lines", interaction_checks::trace_lines),
    ("http_request", interaction_checks::http_request),
];

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    files.sort();
    files
}

#[test]
fn every_target_passes_over_its_committed_corpus() {
    for (target, run) in TARGETS {
        let files = corpus(target);
        assert!(!files.is_empty(), "{target} has no corpus");
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            run(&data);
        }
    }
}

#[test]
fn every_fuzz_target_file_is_listed_here() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fuzz_targets");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_owned)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TARGETS.iter().map(|(name, _)| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "fuzz/fuzz_targets and this list must agree"
    );
}
