//! The two output formats of `interactions replay`: JSON Lines for tools, a timeline for people.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::replay::Record;

/// `--format`: how records are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON object per record and line (MODEL.md section 8).
    #[default]
    Json,
    /// A timeline a person can read, then a summary.
    Text,
}

/// Counts gathered over a replay, for the text summary and `--strict`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Trace lines read (blank lines included).
    pub lines: usize,
    /// Records produced.
    pub records: usize,
    /// Records by outcome name.
    pub outcomes: BTreeMap<&'static str, usize>,
    /// Rejected records by error kind.
    pub rejections: BTreeMap<&'static str, usize>,
    /// Interactions the replay created: records `applied` with no state before and one after.
    /// Exact, in constant memory whatever the trace (MODEL.md section 11: a refused record's id
    /// is not counted, nor kept).
    pub created: usize,
    /// Per-agent figures, gathered with `--clock at` only (from each record's clock): empty
    /// otherwise. One entry per agent a record's `agent_state` names: bounded by the engine's
    /// `max_agents`.
    pub agents: BTreeMap<String, AgentFigures>,
    /// The replay's clock at its last record (`--clock at`), in milliseconds.
    pub clock: Option<u64>,
}

/// What the text summary says of one agent (`--clock at`): the time, in milliseconds, it spent
/// in each state from the record that first showed its state to the end of the replay, and
/// how many of its offers timed out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentFigures {
    /// Logged in, holding nothing busy or in wrap-up, and `ready` (an offer ringing included).
    pub ready_ms: u64,
    /// Logged in, holding nothing busy or in wrap-up, `not_ready` (any reason).
    pub not_ready_ms: u64,
    /// Busy: owning an interaction `connected`, `held` or `dialing`.
    pub busy_ms: u64,
    /// In wrap-up: owning an interaction in `wrap_up`, or availability `after_call_work`.
    pub wrap_up_ms: u64,
    /// Ring-no-answers: the agent's offers revoked by `offer_timeout`.
    pub offers_timed_out: usize,
    /// The bucket the agent is in now and since when.
    current: Option<(Bucket, u64)>,
}

/// Which figure an agent state counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Ready,
    NotReady,
    Busy,
    WrapUp,
    /// Logged out, or availability not told.
    Other,
}

impl Bucket {
    fn of(state: &interaction_core::AgentState) -> Bucket {
        use interaction_core::{Activity, Availability, Session};
        match (state.session, state.activity, state.availability) {
            (Session::LoggedOut, ..) => Bucket::Other,
            (_, Activity::Busy, _) => Bucket::Busy,
            (_, Activity::WrapUp, _) | (_, _, Availability::AfterCallWork) => Bucket::WrapUp,
            (_, _, Availability::Ready) => Bucket::Ready,
            (_, _, Availability::NotReady) => Bucket::NotReady,
            (_, _, Availability::Unknown) => Bucket::Other,
        }
    }
}

impl AgentFigures {
    /// Closes the current interval at `now` and opens `next` from it.
    fn step(&mut self, now: u64, next: Option<Bucket>) {
        if let Some((bucket, since)) = self.current {
            let spent = now.saturating_sub(since);
            match bucket {
                Bucket::Ready => self.ready_ms += spent,
                Bucket::NotReady => self.not_ready_ms += spent,
                Bucket::Busy => self.busy_ms += spent,
                Bucket::WrapUp => self.wrap_up_ms += spent,
                Bucket::Other => {}
            }
        }
        self.current = next.map(|b| (b, now));
    }
}

impl Summary {
    /// Counts one record.
    pub fn add(&mut self, record: &Record) {
        self.records += 1;
        if let Some(now) = record.clock {
            self.clock = Some(now);
            let left = record.left.as_ref().map(|(agent, state)| (agent, state));
            let named = record.agent.as_ref().zip(record.agent_state.as_ref());
            for (agent, state) in left.into_iter().chain(named) {
                let figures = match self.agents.get_mut(agent.as_str()) {
                    Some(f) => f,
                    None => self.agents.entry(agent.as_str().to_owned()).or_default(),
                };
                figures.step(now, Some(Bucket::of(state)));
            }
            if let Some(agent) = &record.agent
                && record.timer == Some(interaction_core::Timer::OfferTimeout)
                && let Some(figures) = self.agents.get_mut(agent.as_str())
            {
                figures.offers_timed_out += 1;
            }
        }
        *self.outcomes.entry(record.outcome).or_default() += 1;
        if let Some(e) = &record.error {
            *self.rejections.entry(e.kind).or_default() += 1;
        }
        if record.outcome == "applied" && record.from.is_none() && record.to.is_some() {
            self.created += 1;
        }
    }

    /// How many records were rejected.
    pub fn rejected(&self) -> usize {
        self.outcomes.get("rejected").copied().unwrap_or(0)
    }
}

/// Writes one record as a JSON line.
///
/// # Errors
/// The writer's IO error.
pub fn write_json(out: &mut impl Write, record: &Record) -> io::Result<()> {
    // `io::Error::from` keeps the writer's own error (a closed pipe stays `BrokenPipe`).
    serde_json::to_writer(&mut *out, record).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The header of the text timeline.
pub const TEXT_HEADER: &str = "line.item api         interaction           action             transition               outcome";

/// Formats one record as a timeline line (and, when it has any, indented lines for its error,
/// effects and what its agent may do next).
pub fn text_line(record: &Record) -> String {
    let transition = match (record.from, record.to) {
        _ if record.outcome == "rejected" => format!("{} (unchanged)", record.from.unwrap_or("-")),
        (None, Some(to)) => format!("(new) -> {to}"),
        (Some(from), Some(to)) if from == to => format!("{from} (same)"),
        (Some(from), Some(to)) => format!("{from} -> {to}"),
        _ => "-".to_owned(),
    };
    let mut s = format!(
        "{:>5}.{:<3} {:<11} {:<21} {:<18} {:<24} {}",
        record.line,
        record.item,
        clip(record.api.as_deref().unwrap_or("?"), 11),
        clip(record.interaction.as_deref().unwrap_or("-"), 21),
        clip(record.action.as_deref().unwrap_or("?"), 18),
        transition,
        record.outcome,
    );
    if let Some(reason) = record.reason {
        let _ = write!(s, " ({reason})");
    }
    if let Some(timer) = record.timer {
        let _ = write!(s, " [timer {timer}]");
    }
    let left = record.left.as_ref().map(|(agent, state)| (agent, state));
    let named = record.agent.as_ref().zip(record.agent_state.as_ref());
    for (agent, state) in left.into_iter().chain(named) {
        let availability = match &state.reason {
            Some(reason) => format!("{} ({})", state.availability.name(), show(reason.as_str())),
            None => state.availability.name().to_owned(),
        };
        let _ = write!(
            s,
            "\n          agent {}: {}, {}, {}",
            show(agent.as_str()),
            state.session.name(),
            availability,
            state.activity.name()
        );
    }
    if let Some(e) = &record.error {
        let _ = write!(s, "\n          ! {}: {}", e.kind, show(&e.message));
    }
    for effect in &record.effects {
        let _ = write!(s, "\n          > {}", show(&effect_text(&effect.to_json())));
    }
    for note in &record.notes {
        let _ = write!(s, "\n          note: {}", show(&note_text(note)));
    }
    if let Some(routing) = &record.routing {
        let _ = write!(s, "\n          routing: {}", show(&routing_text(routing)));
    }
    if !record.allowed.is_empty() {
        let _ = write!(s, "\n          allowed: {}", record.allowed.join(", "));
    }
    if let Some(capabilities) = &record.capabilities {
        let listed = if capabilities.is_empty() {
            "(none)".to_owned()
        } else {
            show(&capabilities.join(", ")).into_owned()
        };
        let _ = write!(s, "\n          capabilities (platform): {listed}");
    }
    s
}

/// An effect in words: `notify P: AssignToAgent (agent A)`, `response 400 {"message": ...}`,
/// `response 201 (Location: ...)`, `transferred from A to B`, `redistribute at route R`,
/// `login failed: A`.
fn effect_text(effect: &serde_json::Value) -> String {
    let text = |key: &str| effect[key].as_str().unwrap_or("?").to_owned();
    match effect["type"].as_str() {
        Some("notification") => match effect["agent"].as_str() {
            Some(agent) => format!(
                "notify {}: {} (agent {agent})",
                text("provider"),
                text("notification")
            ),
            None => format!("notify {}: {}", text("provider"), text("notification")),
        },
        Some("response") => {
            let mut text = format!("response {}", effect["status"]);
            if let Some(headers) = effect["headers"].as_object() {
                for (name, value) in headers {
                    let _ = write!(text, " ({name}: {})", value.as_str().unwrap_or("?"));
                }
            }
            if !effect["body"].is_null() {
                let _ = write!(text, " {}", effect["body"]);
            }
            text
        }
        Some("login_failed") => format!("login failed: {}", text("agent")),
        Some("transferred") => format!(
            "transferred from {} to {}",
            effect["from"].as_str().unwrap_or("(nobody)"),
            text("to")
        ),
        Some("redistribute") => match effect["target"].as_object().and_then(|t| t.iter().next()) {
            Some((kind, name)) => {
                format!("redistribute at {kind} {}", name.as_str().unwrap_or("?"))
            }
            None => "redistribute (no named target)".to_owned(),
        },
        _ => effect.to_string(),
    }
}

/// A note in words: `personal queue of X, given to Y`.
fn note_text(note: &interaction_wire::Note) -> String {
    match note {
        interaction_wire::Note::PersonalQueueOtherAgent {
            personal_agent,
            agent,
        } => format!("personal queue of {personal_agent}, given to {agent}"),
        interaction_wire::Note::AtNotRead { message } => {
            format!("clock kept: {message}")
        }
        interaction_wire::Note::ConsultCall { original } => {
            format!("consult call of {original}")
        }
        interaction_wire::Note::TransferCompleted {
            consult,
            party,
            agent,
        } => format!(
            "transfer completed: the customer went on with {}{}{}",
            party.as_ref().map_or("the consulted party", |p| p.as_str()),
            agent
                .as_ref()
                .map(|a| format!(", agent {a}"))
                .unwrap_or_default(),
            consult
                .as_ref()
                .map(|c| format!(" (consult call {c})"))
                .unwrap_or_default()
        ),
        interaction_wire::Note::ConferenceCompleted { original, party } => format!(
            "conference completed: {} joined {original}",
            party.as_ref().map_or("the consulted party", |p| p.as_str()),
        ),
        interaction_wire::Note::Participants { participants } => {
            let names: Vec<&str> = participants
                .iter()
                .map(interaction_core::Name::as_str)
                .collect();
            format!("parties now: {}", names.join(", "))
        }
        interaction_wire::Note::Answers {
            reference,
            action,
            interaction,
        } => match interaction {
            Some(interaction) => {
                format!("answers request {reference} ({action} on {interaction})")
            }
            None => format!("answers request {reference} ({action})"),
        },
    }
}

/// Routing data in words: `links: clid +44..., url "Click me" http://...; personal queue
/// AgentUsername (20 s logged in, 30 s logged out); skills: a (mandatory), b (optional), c
/// (mandatory for 60 s)`.
fn routing_text(routing: &interaction_core::Routing) -> String {
    let mut parts = Vec::new();
    if !routing.links.is_empty() {
        let links: Vec<String> = routing
            .links
            .iter()
            .map(|link| {
                let value = match &link.value {
                    interaction_core::Value::String(text) => text.clone(),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                match &link.label {
                    Some(label) => format!("{} {label:?} {value}", link.kind.name()),
                    None => format!("{} {value}", link.kind.name()),
                }
            })
            .collect();
        parts.push(format!("links: {}", links.join(", ")));
    }
    if let Some(queue) = &routing.personal_queue {
        let mut timeouts = Vec::new();
        if let Some(secs) = queue.logged_in_timeout_secs {
            timeouts.push(format!("{secs} s logged in"));
        }
        if let Some(secs) = queue.logged_out_timeout_secs {
            timeouts.push(format!("{secs} s logged out"));
        }
        let mut text = format!("personal queue {}", queue.agent);
        if !timeouts.is_empty() {
            let _ = write!(text, " ({})", timeouts.join(", "));
        }
        parts.push(text);
    }
    if !routing.skills.is_empty() {
        let skills: Vec<String> = routing
            .skills
            .iter()
            .map(|skill| match skill.expiry_after_secs {
                None => format!("{} (mandatory)", skill.name),
                Some(0) => format!("{} (optional)", skill.name),
                Some(secs) => format!("{} (mandatory for {secs} s)", skill.name),
            })
            .collect();
        parts.push(format!("skills: {}", skills.join(", ")));
    }
    parts.join("; ")
}

/// `s` fitted to `width` characters (cut with `…`), escaped first ([`show`]): labels can echo
/// what a refused input sent.
fn clip(s: &str, width: usize) -> String {
    let s = show(s);
    if s.chars().count() <= width {
        s.into_owned()
    } else {
        let head: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// The longest text the timeline prints in one field (a message, an effect), in characters.
const SHOWN_CHARS: usize = 2048;

/// Every field a person reads goes through here: the core's one escaping function
/// ([`interaction_core::text::escape`]), so that no control, line-separator or invisible
/// formatting character the input sent reaches the terminal (no ESC sequence, no forged row,
/// no reordered text).
fn show(s: &str) -> std::borrow::Cow<'_, str> {
    interaction_core::text::escape(s, SHOWN_CHARS)
}

/// The text summary printed after the timeline: the counts, then (with `--clock at`) one line
/// per agent with its times in seconds.
pub fn text_summary(summary: &Summary) -> String {
    let mut text = counts_summary(summary);
    if let Some(end) = summary.clock {
        for (agent, figures) in &summary.agents {
            let mut f = figures.clone();
            f.step(end, None);
            let secs = |ms: u64| format!("{}.{:03} s", ms / 1000, ms % 1000);
            let _ = writeln!(
                text,
                "agent {}: ready {}, not ready {}, busy {}, wrap-up {}, offers timed out {}",
                clip(agent, 64),
                secs(f.ready_ms),
                secs(f.not_ready_ms),
                secs(f.busy_ms),
                secs(f.wrap_up_ms),
                f.offers_timed_out
            );
        }
    }
    text
}

fn counts_summary(summary: &Summary) -> String {
    let join = |m: &BTreeMap<&'static str, usize>| {
        if m.is_empty() {
            "none".to_owned()
        } else {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        "\nsummary: {} lines, {} records, {} interactions created\noutcomes: {}\nrejected by kind: {}\n",
        summary.lines,
        summary.records,
        summary.created,
        join(&summary.outcomes),
        join(&summary.rejections),
    )
}
