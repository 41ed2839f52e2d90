//! The lifecycle diagram and table, generated from the transition table
//! ([`interaction_core::table::TRANSITIONS`]), so that the pictures can never go stale:
//! `interactions diagram` prints them, and `docs/lifecycle.md` is checked against them by a test.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use interaction_core::StateKind;
use interaction_core::table::{self, Rule, TRANSITIONS, To};

/// The diagram formats `interactions diagram --format` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// A Mermaid `stateDiagram-v2` (renders on GitHub and in most Markdown viewers).
    Mermaid,
    /// A Graphviz `digraph` (`dot -Tsvg`).
    Dot,
}

/// The name of the pseudo-state a creating action starts from, in the diagrams.
const NEW: &str = "[*]";

/// The diagram's edges: from a state (`None`: a new interaction) to a state, with the actions
/// that take it; in lifecycle order (states as [`StateKind::ALL`] lists them).
fn edges() -> BTreeMap<(Option<StateKind>, StateKind), Vec<String>> {
    let mut edges: BTreeMap<(Option<StateKind>, StateKind), Vec<String>> = BTreeMap::new();
    let mut add = |from: Option<StateKind>, to: StateKind, label: String| {
        edges.entry((from, to)).or_default().push(label);
    };
    for rule in TRANSITIONS {
        let name = rule.action.name();
        if rule.creates() {
            if let To::State(to) = rule.to {
                add(None, to, name.to_owned());
            }
            continue;
        }
        for from in rule.from.iter() {
            match rule.to {
                To::State(to) => add(Some(from), to, name.to_owned()),
                To::Same => add(Some(from), from, name.to_owned()),
                To::Disconnect if from == StateKind::Offered => add(
                    Some(from),
                    StateKind::Queued,
                    format!("{name} (offered agent)"),
                ),
                To::Disconnect => {
                    add(Some(from), StateKind::Ended, format!("{name} (owner)"));
                    if wraps(from) {
                        add(
                            Some(from),
                            StateKind::WrapUp,
                            format!("{name} (owner, wrap-up)"),
                        );
                    }
                }
                To::EndOrWrapUp => {
                    add(Some(from), StateKind::Ended, name.to_owned());
                    if wraps(from) {
                        add(Some(from), StateKind::WrapUp, format!("{name} (wrap-up)"));
                    }
                }
            }
        }
    }
    edges
}

/// Whether an action that ends the media leads from `from` to `wrap_up` when the interaction
/// requires after-call work: read from the table ([`table::step_with_wrap_up`]).
fn wraps(from: StateKind) -> bool {
    table::step_with_wrap_up(from, interaction_core::ActionKind::Release) == Some(StateKind::WrapUp)
}

/// The lifecycle diagram in `format`, one edge per (from, to) pair labelled with every action
/// that takes it, in the table's order.
pub fn diagram(format: DiagramFormat) -> String {
    let mut out = String::new();
    match format {
        DiagramFormat::Mermaid => {
            out.push_str("stateDiagram-v2\n");
            for ((from, to), labels) in edges() {
                let from = from.map_or(NEW, StateKind::name);
                let _ = writeln!(out, "    {from} --> {}: {}", to.name(), labels.join(", "));
            }
            let _ = writeln!(out, "    {} --> {NEW}", StateKind::Ended.name());
        }
        DiagramFormat::Dot => {
            out.push_str(
                "digraph lifecycle {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n",
            );
            out.push_str("    \"new\" [shape=point];\n");
            for ((from, to), labels) in edges() {
                let from = from.map_or("new", StateKind::name);
                let _ = writeln!(
                    out,
                    "    \"{from}\" -> \"{}\" [label=\"{}\"];",
                    to.name(),
                    labels.join("\\n")
                );
            }
            out.push_str("}\n");
        }
    }
    out
}

/// The transition table as Markdown: one row per action, read from [`TRANSITIONS`].
pub fn table_markdown() -> String {
    let mut out = String::from(
        "| action | from | to | taken by | provider permission (agents) |\n|---|---|---|---|---|\n",
    );
    for rule in TRANSITIONS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            rule.action.name(),
            from_cell(rule),
            to_cell(rule),
            rule.actors.names().collect::<Vec<_>>().join(", "),
            rule.permission
                .map_or("-".to_owned(), |p| format!("`{}`", p.key())),
        );
    }
    out
}

fn from_cell(rule: Rule) -> String {
    if rule.creates() {
        return "(new)".to_owned();
    }
    let states: Vec<String> = rule
        .from
        .iter()
        .map(|s| format!("`{}`", s.name()))
        .collect();
    let mut cell = states.join(", ");
    if rule.outbound_only {
        cell.push_str(" (outbound only)");
    }
    cell
}

fn to_cell(rule: Rule) -> String {
    match rule.to {
        To::State(s) => format!("`{}`", s.name()),
        To::Same => "(unchanged)".to_owned(),
        To::Disconnect => {
            "`queued` (offered agent), `ended` or `wrap_up` (owner), else ignored".to_owned()
        }
        To::EndOrWrapUp => "`ended`, or `wrap_up` (owned, wrap-up required)".to_owned(),
    }
}

/// The generated part of `docs/lifecycle.md`: the Mermaid diagram and the table.
pub fn lifecycle_markdown() -> String {
    format!(
        "```mermaid\n{}```\n\n{}",
        diagram(DiagramFormat::Mermaid),
        table_markdown()
    )
}
