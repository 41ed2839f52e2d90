//! `docs/lifecycle.md` holds the diagram and table generated from the transition table; this
//! test fails when the two differ, so the picture can never go stale. To regenerate the doc
//! after changing the table: `UPDATE_LIFECYCLE_DOC=1 cargo test -p interaction-cli --test lifecycle_doc`.

// Test helpers may unwrap and panic: a failing test should fail loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use interaction_cli::diagram::{DiagramFormat, diagram, lifecycle_markdown, table_markdown};
use interaction_core::{ActionKind, StateKind};

const START: &str = "<!-- generated:start -->\n";
const END: &str = "<!-- generated:end -->";

fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/lifecycle.md")
}

#[test]
fn the_lifecycle_doc_matches_the_transition_table() {
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc.find(START).expect("start marker") + START.len();
    let end = doc.find(END).expect("end marker");
    let generated = lifecycle_markdown();
    if std::env::var_os("UPDATE_LIFECYCLE_DOC").is_some() {
        let updated = format!("{}{generated}{}", &doc[..start], &doc[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &doc[start..end],
        generated,
        "docs/lifecycle.md is stale: run UPDATE_LIFECYCLE_DOC=1 cargo test -p interaction-cli --test lifecycle_doc"
    );
}

#[test]
fn the_table_and_diagrams_name_every_action_and_state() {
    let table = table_markdown();
    let mermaid = diagram(DiagramFormat::Mermaid);
    let dot = diagram(DiagramFormat::Dot);
    for kind in ActionKind::ALL {
        assert!(
            table.contains(&format!("| `{}` |", kind.name())),
            "table lacks {kind}"
        );
        assert!(mermaid.contains(kind.name()), "mermaid lacks {kind}");
        assert!(dot.contains(kind.name()), "dot lacks {kind}");
    }
    for state in StateKind::ALL {
        assert!(
            mermaid.contains(&format!("--> {}", state.name())),
            "nothing leads to {state}"
        );
    }
    assert!(mermaid.starts_with("stateDiagram-v2\n"));
    assert!(dot.starts_with("digraph lifecycle {") && dot.trim_end().ends_with('}'));
}

#[test]
fn the_diagram_follows_the_table_rows() {
    let mermaid = diagram(DiagramFormat::Mermaid);
    // A few rows of MODEL.md section 3, read back from the generated picture.
    for edge in [
        "[*] --> queued: dispatch",
        "[*] --> dialing: dial",
        "queued --> offered: offer",
        "offered --> queued: reject, revoke, disconnect (offered agent)",
        "held --> connected: retrieve, transferred",
        "in_workbin --> connected: pull",
        "dialing --> connected: answer",
        "ended --> [*]",
    ] {
        assert!(
            mermaid.contains(edge),
            "missing edge `{edge}` in\n{mermaid}"
        );
    }
    assert!(
        !mermaid.contains("ended --> queued"),
        "ended must be absorbing"
    );
}
