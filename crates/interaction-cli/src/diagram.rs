//! The lifecycle diagram and table, generated from the transition table
//! ([`interaction_core::table::TRANSITIONS`]), so that the pictures can never go stale:
//! `interactions diagram` prints them, and `docs/lifecycle.md` is checked against them by a test.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use interaction_core::table::{self, Rule, TRANSITIONS, To};
use interaction_core::{AGENT_TRANSITIONS, Availability, Session, StateKind, Timer};

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
    // The timers' platform actions (MODEL.md section 10), from the state that arms them.
    for timer in Timer::ALL {
        if let (Some(from), Some(action)) = (timer.armed_in(), timer.action())
            && let Some(to) = table::step(from, action)
        {
            add(Some(from), to, format!("{} [{timer}]", timer.action_name()));
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
        To::EndOrWrapUp => {
            "`ended`, or `wrap_up` (owned, wrap-up required, not by a provider)".to_owned()
        }
    }
}

/// The agent's states in the agent diagram: `logged_out`, and while logged in each
/// availability.
const AGENT_STATES: [(Session, Availability); 5] = [
    (Session::LoggedOut, Availability::Unknown),
    (Session::LoggedIn, Availability::Unknown),
    (Session::LoggedIn, Availability::Ready),
    (Session::LoggedIn, Availability::NotReady),
    (Session::LoggedIn, Availability::AfterCallWork),
];

fn agent_state_name(state: (Session, Availability)) -> &'static str {
    match state {
        (Session::LoggedOut, _) => "logged_out",
        (Session::LoggedIn, availability) => availability.name(),
    }
}

/// The agent diagram (MODEL.md section 10) as a Mermaid `stateDiagram-v2`, read from
/// [`AGENT_TRANSITIONS`]: `logged_out`, and the availabilities of a logged-in agent (`unknown`
/// is also where an agent seen acting starts); the timers' edges marked `[timer]`.
pub fn agent_diagram() -> String {
    let mut edges: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let index = |state: (Session, Availability)| {
        AGENT_STATES
            .iter()
            .position(|s| *s == state)
            .unwrap_or_default()
    };
    for rule in AGENT_TRANSITIONS {
        let to = match rule.session {
            Session::LoggedOut => (Session::LoggedOut, Availability::Unknown),
            Session::LoggedIn => (Session::LoggedIn, rule.availability),
        };
        for (i, from) in AGENT_STATES.iter().enumerate() {
            let legal = match from.0 {
                Session::LoggedOut => rule.from_logged_out,
                Session::LoggedIn => rule.from_logged_in,
            };
            if legal {
                edges
                    .entry((i, index(to)))
                    .or_default()
                    .push(rule.action.name().to_owned());
            }
        }
    }
    let logged_out = index((Session::LoggedOut, Availability::Unknown));
    let not_ready = index((Session::LoggedIn, Availability::NotReady));
    for (i, from) in AGENT_STATES.iter().enumerate() {
        if from.0 == Session::LoggedIn {
            if i != not_ready {
                edges.entry((i, not_ready)).or_default().push(format!(
                    "max_no_answer x {} [{}]",
                    Timer::OfferTimeout.action_name(),
                    Timer::OfferTimeout
                ));
            }
            edges.entry((i, logged_out)).or_default().push(format!(
                "{} [{}]",
                Timer::AgentHeartbeatTimeout.action_name(),
                Timer::AgentHeartbeatTimeout
            ));
        }
    }
    let mut out = String::from("stateDiagram-v2\n");
    let _ = writeln!(out, "    {NEW} --> logged_out: log_out (never seen)");
    let _ = writeln!(out, "    {NEW} --> unknown: log_in, seen acting");
    for ((from, to), labels) in edges {
        let name = |i: usize| AGENT_STATES.get(i).copied().map_or("?", agent_state_name);
        let _ = writeln!(
            out,
            "    {} --> {}: {}",
            name(from),
            name(to),
            labels.join(", ")
        );
    }
    out
}

/// The generated part of `docs/lifecycle.md`: the interaction diagram and table, then the
/// agent diagram.
pub fn lifecycle_markdown() -> String {
    format!(
        "```mermaid\n{}```\n\n{}\n### Agents\n\n```mermaid\n{}```\n",
        diagram(DiagramFormat::Mermaid),
        table_markdown(),
        agent_diagram()
    )
}
