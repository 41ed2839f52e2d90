//! Replaying a trace through the gateway (MODEL.md section 8).
//!
//! A [`Replayer`] owns one [`Gateway`]. Each trace line becomes one HTTP request for its
//! vendor's endpoints ([`interaction_gateway::Route::of_trace`]: the line's `api` and `path`;
//! its `as` is the request's identity; its `content_type` and `headers` its header fields; its
//! `body` the body), which the gateway handles; one [`Record`] per item of the answer comes out
//! (an Invoke with three requests gives three records, a callback array of two gives two), in
//! input order, whatever the outcome. A line that cannot be read as a record still gives one
//! `rejected` record, and the next line is processed. The vendor protocols are the vendor
//! crates'; this module only maps items to records.

use std::borrow::Cow;

use interaction_core::{
    ActionKind, ActionSet, AgentId, AgentState, EndReason, Engine, Error, StateKind, Timer,
};
use interaction_gateway::{Gateway, Route};
use interaction_wire::{IdKind, IdSource, Item, Request, SmolStr};
use serde::Serialize;

use crate::Settings;
use crate::trace;

/// One effect of a [`Record`] (MODEL.md section 8, `effects`): `notification`,
/// `transferred`, `redistribute`, `response`, `login_failed`, written in the form
/// [`interaction_wire::ItemEffect::to_json`] gives.
pub type RecordEffect = interaction_wire::ItemEffect;

/// One output record: what one item of one trace line did (MODEL.md section 8). Serialized as
/// one JSON object per line by `interactions replay --format json`; the field names and the
/// string values are a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The trace line, 1-based.
    pub line: usize,
    /// The item within the line, 0-based.
    pub item: usize,
    /// The record's `api`, when it could be read (borrowed for the four known names; a refused
    /// line's unknown name is owned, cut at [`MAX_LABEL_BYTES`]).
    pub api: Option<Cow<'static, str>>,
    /// The interaction id, when the item names one (a refused item's, cut at
    /// [`MAX_LABEL_BYTES`]).
    pub interaction: Option<SmolStr>,
    /// The action: a core action name, `register`, `log_in`, `log_out`, or the vendor's
    /// unrecognised value; `null` when the item could not be read that far.
    pub action: Option<SmolStr>,
    /// `applied`, `duplicate`, `ignored` or `rejected`.
    pub outcome: &'static str,
    /// The interaction's state before (`null` when it did not exist or no interaction is named).
    pub from: Option<&'static str>,
    /// The interaction's state after (for a rejected item: unchanged, so equal to `from`).
    pub to: Option<&'static str>,
    /// The end reason, when `to` is `ended`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The error, when rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordError>,
    /// The effects, each written `{"type": ...}`.
    pub effects: Vec<RecordEffect>,
    /// What a person should know that is no effect ([`interaction_wire::Note`], each written
    /// `{"type": ...}`): a personal-queue interaction offered or assigned to another agent.
    /// Omitted when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<interaction_wire::Note>,
    /// The routing data of the interaction the record created ([`interaction_core::Routing`]:
    /// `{"links"?, "personal_queue"?, "skills"?}`), on the record of its creation only; omitted
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing: Option<Box<interaction_core::Routing>>,
    /// What the record's agent may do next on the interaction ([`Engine::allowed`]): the acting
    /// agent, else the trace's `as` agent, else the owner or offered agent. Empty once ended.
    pub allowed: Vec<&'static str>,
    /// What the vendor platform itself said the agent may do (GWS `capabilities`), verbatim,
    /// beside our `allowed`, so that a difference between the platform and the model is visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
    /// The agent the record's input changed (MODEL.md section 10): an agent action's agent,
    /// or the agent whose role on the interaction changed (offered, connected, released ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    /// That agent's state after it: `{"session", "availability", "reason" (or null),
    /// "activity"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_state: Option<AgentState>,
    /// The timer whose firing this record is (MODEL.md section 10): `offer_timeout`,
    /// `wrap_up_timeout`, `agent_heartbeat_timeout`; its `line` is the line whose `at` moved
    /// the clock past the deadline, and it comes before that line's own records. Omitted for
    /// a record of a trace line's request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer: Option<Timer>,
    /// `"platform"` on a timer's record (MODEL.md section 10: a timer's action is the
    /// platform's); omitted otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<&'static str>,
    /// The agent the record's interaction left for `agent` (a transfer), with its state after
    /// it: not written in JSON (MODEL.md section 10 names one agent a record); the text
    /// timeline shows it, and the text summary's per-agent times count it.
    #[serde(skip)]
    pub left: Option<(AgentId, AgentState)>,
    /// The replay's clock at this record (milliseconds since the Unix epoch, from the lines'
    /// `at`; a timer's record: its deadline) with `--clock at`; `None` without. Not written: the text summary's per-agent
    /// times are computed from it.
    #[serde(skip)]
    pub clock: Option<u64>,
}

/// The `error` member of a rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordError {
    /// The public error kind (MODEL.md section 5), for example `not_owner`.
    pub kind: &'static str,
    /// A message for people, naming the field or state.
    pub message: String,
}

impl From<&Error> for RecordError {
    fn from(e: &Error) -> Self {
        RecordError {
            kind: e.kind().name(),
            message: e.to_string(),
        }
    }
}

impl Record {
    /// The record of `item`, item `index` of trace line `line` of `api`: its labels cut at
    /// [`MAX_LABEL_BYTES`].
    pub fn of(line: usize, index: usize, api: &'static str, item: Item) -> Record {
        let Item {
            interaction,
            action,
            outcome,
            from,
            to,
            reason,
            effects: core_effects,
            login_failed,
            response,
            allowed,
            capabilities,
            agent,
            agent_state,
            left,
            notes,
            routing,
            timer,
            deadline,
            api: _,
        } = item;
        let mut effects = Vec::with_capacity(core_effects.len() + 2);
        effects.extend(core_effects.into_iter().map(RecordEffect::Core));
        effects.extend(login_failed.map(RecordEffect::LoginFailed));
        effects.extend(response.map(RecordEffect::Response));
        let (outcome, error) = match &outcome {
            Ok(outcome) => (outcome.name(), None),
            Err(e) => ("rejected", Some(RecordError::from(e))),
        };
        Record {
            line,
            item: index,
            api: Some(Cow::Borrowed(api)),
            interaction: interaction.map(clip_short),
            action: action.map(clip_short),
            outcome,
            from: from.map(StateKind::name),
            to: to.map(StateKind::name),
            reason: reason.map(EndReason::name),
            error,
            effects,
            notes,
            routing,
            allowed: names(allowed),
            capabilities,
            agent,
            agent_state,
            actor: timer.map(|_| "platform"),
            timer,
            left: left.map(|l| *l),
            clock: deadline,
        }
    }
}

/// Where the engine's clock comes from (`interactions replay --clock`, MODEL.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// No clock: time stays 0 and no timer falls due (`--clock none`, the default).
    #[default]
    None,
    /// Each line's `at` (`--clock at`): before a line is applied, the clock moves to its `at`
    /// (an earlier `at`, or none, keeps the clock) and the timers due fire, as records of that
    /// line; a line whose `at` is not an RFC 3339 time keeps the clock too, and its first record
    /// carries a note saying so ([`interaction_wire::Note::AtNotRead`]).
    At,
}

/// Replays trace lines through one gateway.
#[derive(Debug, Default)]
pub struct Replayer {
    gateway: Gateway,
    settings: Settings,
    clock: Clock,
}

/// The ids a trace line's requests need, derived from where the line is, so that a replay
/// gives the same ids every time (the vendor platforms draw them; the trace holds only the
/// requests): a Calls API call `call-{line}`, an Anywhere365 subscription
/// `00000000-0000-0000-0000-{line:012}`, a provider notification `notification-{line}-{n}`,
/// the interaction of a VCC dispatch without `externalid` `dispatch-{line}-{n}` (`n` counting
/// from 1 the line's dispatches without `externalid`, in order). Later records in the same
/// trace name a call or such a dispatch by its derived id.
#[derive(Debug, Clone, Copy)]
pub struct LineIds {
    line: usize,
    notifications: usize,
    interactions: usize,
}

impl LineIds {
    /// The ids of trace line `line` (1-based).
    pub fn new(line: usize) -> LineIds {
        LineIds {
            line,
            notifications: 0,
            interactions: 0,
        }
    }
}

impl IdSource for LineIds {
    fn next_id(&mut self, kind: IdKind) -> String {
        match kind {
            IdKind::Call => format!("call-{}", self.line),
            IdKind::Interaction => {
                self.interactions += 1;
                format!("dispatch-{}-{}", self.line, self.interactions)
            }
            IdKind::Subscription => interaction_anywhere365::SubscriptionId::numbered(self.line)
                .as_str()
                .to_owned(),
            IdKind::Notification => {
                self.notifications += 1;
                format!("notification-{}-{}", self.line, self.notifications)
            }
            IdKind::Reference => self.line.to_string(),
        }
    }
}

impl Replayer {
    /// A replayer with an empty engine and the default settings.
    pub fn new() -> Self {
        Replayer::default()
    }

    /// A replayer with an empty engine under `settings`.
    pub fn with_settings(settings: Settings) -> Self {
        Replayer {
            gateway: Gateway::with_settings(settings.clone()),
            settings,
            clock: Clock::None,
        }
    }

    /// The same replayer with its clock from `clock`.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The engine, as the replay has left it.
    pub fn engine(&self) -> &Engine {
        self.gateway.engine()
    }

    /// The gateway, as the replay has left it.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// Replays one trace line (`line_no` is 1-based) and appends its records to `out`.
    /// A blank line gives no record.
    ///
    /// This is [`prepare`] (the part that reads only the line) followed by
    /// [`Replayer::apply_prepared`] (the part that reads and changes the gateway):
    /// `interactions replay --jobs N` runs the first on many lines at once and the second in
    /// line order, so its output is the same.
    pub fn replay_line(&mut self, line_no: usize, line: &str, out: &mut Vec<Record>) {
        self.replay_line_bytes(line_no, line.as_bytes(), out);
    }

    /// [`Replayer::replay_line`] on a line's bytes (its ending taken off), which need not be
    /// UTF-8 ([`prepare_bytes`]).
    pub fn replay_line_bytes(&mut self, line_no: usize, line: &[u8], out: &mut Vec<Record>) {
        let prepared = prepare_bytes(line_no, line, &self.settings);
        self.apply_prepared(prepared, out);
    }

    /// Applies one line made ready by [`prepare`] and appends its records to `out`: the
    /// gateway is read and changed here, in line order.
    pub fn apply_prepared(&mut self, prepared: Prepared, out: &mut Vec<Record>) {
        let Prepared { line, kind, at } = prepared;
        let mut ids = LineIds::new(line);
        let mut index = 0;
        let mut clock = None;
        let mut unread = None;
        if self.clock == Clock::At {
            match at {
                At::None => {}
                At::Millis(now) => {
                    let fired = self.gateway.handle_timeout_with(now, &mut ids);
                    for item in fired.items {
                        let api = record_api(&item);
                        out.push(Record::of(line, index, api, item));
                        index += 1;
                    }
                }
                At::Invalid(error) => unread = Some(error.to_string()),
            }
            clock = Some(self.gateway.engine().now());
        }
        let first = out.len();
        match kind {
            Ready::Blank => {}
            Ready::Refused { api, error } => {
                let mut record = refused(line, api, &error);
                record.item = index;
                out.push(record);
            }
            Ready::Request { api, prepared } => {
                let handled = self.gateway.apply(*prepared, &mut ids);
                out.extend(
                    handled
                        .items
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| Record::of(line, index + i, api, item)),
                );
            }
        }
        if clock.is_some() {
            // A timer's record is at its deadline (set by `Record::of`); the line's own at the
            // clock the line brought.
            for record in out.iter_mut().skip(first) {
                record.clock = clock;
            }
        }
        if let (Some(message), Some(record)) = (unread, out.get_mut(first)) {
            record
                .notes
                .push(interaction_wire::Note::AtNotRead { message });
        }
    }
}

/// The `api` of a timer's record: the vendor API of the interaction it acted on (read when it
/// fired: [`Item::api`]); `anywhere365` for a missed heartbeat (the heartbeat is Anywhere365's
/// `HeartBeat` command).
fn record_api(item: &Item) -> &'static str {
    match (item.timer, item.api) {
        (Some(Timer::AgentHeartbeatTimeout), _) => interaction_core::Api::Anywhere365.name(),
        (_, Some(api)) => api.name(),
        (_, None) => interaction_core::Api::Core.name(),
    }
}

/// The one record of a line refused before its request was applied.
fn refused(line: usize, api: Option<Cow<'static, str>>, error: &Error) -> Record {
    Record {
        line,
        item: 0,
        api,
        interaction: None,
        action: None,
        outcome: "rejected",
        from: None,
        to: None,
        reason: None,
        error: Some(RecordError::from(error)),
        effects: Vec::new(),
        notes: Vec::new(),
        routing: None,
        allowed: Vec::new(),
        capabilities: None,
        agent: None,
        agent_state: None,
        timer: None,
        actor: None,
        left: None,
        clock: None,
    }
}

/// One trace line made ready for [`Replayer::apply_prepared`] by [`prepare`]: the envelope read
/// and the request decoded by its vendor's endpoint, everything that can be known without the
/// gateway's state. It owns its data, so lines can be prepared on other threads.
#[derive(Debug)]
pub struct Prepared {
    line: usize,
    kind: Ready,
    at: At,
}

/// A prepared line's `at`, read for `--clock at` ([`trace::at_millis`]).
#[derive(Debug)]
enum At {
    /// The line has no `at` (or could not be read that far).
    None,
    /// Milliseconds since the Unix epoch.
    Millis(u64),
    /// Not an RFC 3339 time.
    Invalid(Error),
}

/// What a prepared line holds.
#[derive(Debug)]
enum Ready {
    /// A blank line: no record.
    Blank,
    /// A line whose envelope could not be read: one `rejected` record.
    Refused {
        api: Option<Cow<'static, str>>,
        error: Error,
    },
    /// A request for the gateway, prepared by its endpoint.
    Request {
        api: &'static str,
        prepared: Box<interaction_gateway::Prepared>,
    },
}

/// Reads trace line `line_no` (1-based), as the bytes between two line endings (MODEL.md
/// section 12: the ending, `\n` or `\r\n`, taken off), as far as it can be read without the
/// gateway ([`prepare`]). A byte-order mark at the start of the trace (line 1) is skipped; a
/// line holding only JSON whitespace (space, tab, CR) is blank and gives no record; bytes
/// that are not UTF-8 give one `malformed` record saying where ([`trace::not_utf8`]). Pure, as
/// [`prepare`] is.
pub fn prepare_bytes(line_no: usize, line: &[u8], settings: &Settings) -> Prepared {
    let line = match line_no {
        1 => line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line),
        _ => line,
    };
    if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return Prepared {
            line: line_no,
            kind: Ready::Blank,
            at: At::None,
        };
    }
    match std::str::from_utf8(line) {
        Ok(text) => prepare(line_no, text, settings),
        Err(e) => Prepared {
            line: line_no,
            kind: Ready::Refused {
                api: None,
                error: trace::not_utf8(line, &e),
            },
            at: At::None,
        },
    }
}

/// The record of a line longer than [`crate::MAX_LINE_BYTES`]: `len` bytes, none of them kept.
pub(crate) fn too_long(line_no: usize, len: u64) -> Prepared {
    Prepared {
        line: line_no,
        kind: Ready::Refused {
            api: None,
            error: Error::malformed(format!(
                "trace line: {len} bytes long; at most {} are allowed",
                crate::MAX_LINE_BYTES
            )),
        },
        at: At::None,
    }
}

/// Reads the text of trace line `line_no` (1-based) as far as it can be read without the
/// gateway: the envelope ([`trace::decode_line`]), then the request it stands for, decoded by
/// its vendor's endpoint ([`Gateway::prepare`]). Pure: it reads nothing but the line, so any
/// number of lines can be prepared at once. A line that is not one record (not JSON, trailing
/// characters after the object, an unknown `api`) gives one refused record.
pub fn prepare(line_no: usize, line: &str, settings: &Settings) -> Prepared {
    let mut prepared = Prepared {
        line: line_no,
        kind: Ready::Blank,
        at: At::None,
    };
    if line
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        return prepared;
    }
    let rec = match trace::decode_line(line) {
        Ok(rec) => rec,
        Err(error) => {
            prepared.kind = Ready::Refused {
                api: trace::api_name(line).map(|api| Cow::Owned(clip_label(api))),
                error,
            };
            return prepared;
        }
    };
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(rec.headers.len() + 1);
    if let Some(content_type) = rec.content_type.as_deref() {
        headers.push(("Content-Type", content_type));
    }
    headers.extend(rec.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let request = Request {
        method: &rec.method,
        target: &rec.path,
        headers: &headers,
        body: rec.body.get().as_bytes(),
        identity: rec.as_agent.as_deref(),
    };
    prepared.at = match rec.at.as_deref().map(trace::at_millis) {
        None => At::None,
        Some(Ok(ms)) => At::Millis(ms),
        Some(Err(e)) => At::Invalid(e),
    };
    let route = Route::of_trace(rec.api, &rec.path);
    prepared.kind = Ready::Request {
        api: rec.api.name(),
        prepared: Box::new(Gateway::prepare(route, &request, settings)),
    };
    prepared
}

/// The longest label a record keeps (its `interaction`, `action` or `api`), in bytes: an id's
/// bound ([`interaction_core::MAX_ID_LEN`]). A refused item's label is what the input sent,
/// unchecked; a longer one is cut at a character boundary and marked with `…`, so that a
/// record never carries (or keeps) a megabyte of input.
pub const MAX_LABEL_BYTES: usize = interaction_core::MAX_ID_LEN;

/// `label` cut to [`MAX_LABEL_BYTES`] and marked, when longer.
/// [`clip_label`] of an item's label, which is kept as it is when short enough (no copy).
fn clip_short(label: SmolStr) -> SmolStr {
    if label.len() > MAX_LABEL_BYTES {
        SmolStr::from(clip_label(label.as_str().to_owned()))
    } else {
        label
    }
}

pub(crate) fn clip_label(mut label: String) -> String {
    if label.len() > MAX_LABEL_BYTES {
        let mut end = MAX_LABEL_BYTES;
        while !label.is_char_boundary(end) {
            end -= 1;
        }
        label.truncate(end);
        label.push('…');
    }
    label
}

fn names(set: ActionSet) -> Vec<&'static str> {
    set.iter().map(ActionKind::name).collect()
}
