//! Replaying a trace through the engine (MODEL.md section 8).
//!
//! A [`Replayer`] owns one [`Engine`]. Each trace line goes in through
//! [`Replayer::replay_line`]; one [`Record`] per item comes out (an Invoke with three requests
//! gives three records, a callback array of two gives two), in input order, whatever the outcome.
//! A line that cannot be read still gives one `rejected` record, and the next line is processed.

use interaction_core::{
    ActionSet, AgentId, Effect, Engine, Error, Input, Notification, Outcome, StateKind, Step,
    Target,
};
use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::Settings;
use crate::trace::{self, Api, CoreRequest, Method};

mod anywhere365;
mod gws;
mod vcc;

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
    /// line's unknown name is owned).
    pub api: Option<Cow<'static, str>>,
    /// The interaction id, when the item names one.
    pub interaction: Option<String>,
    /// The action: a core action name, `register`, `log_in`, `log_out`, or the vendor's
    /// unrecognised value; `null` when the item could not be read that far.
    pub action: Option<String>,
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
    /// The effects, each written `{"type": ...}`: `notification`, `transferred`,
    /// `redistribute`, `response`, `login_failed` ([`RecordEffect::to_json`] gives that form).
    pub effects: Vec<RecordEffect>,
    /// What the record's agent may do next on the interaction ([`Engine::allowed`]): the acting
    /// agent, else the trace's `as` agent, else the owner or offered agent. Empty once ended.
    pub allowed: Vec<&'static str>,
    /// What the vendor platform itself said the agent may do (GWS `capabilities`), verbatim,
    /// beside our `allowed`, so that a difference between the platform and the model is visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
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

/// Replays trace lines through one engine.
#[derive(Debug, Default)]
pub struct Replayer {
    engine: Engine,
    settings: Settings,
    effects: Vec<Effect>,
    /// Anywhere365 subscriptions seen in the trace (adapter state, not interaction state).
    pub(crate) anywhere365: interaction_anywhere365::Subscriptions,
}

/// The labels of an item, known before it is applied.
pub(crate) struct Labels<'a> {
    pub(crate) line: usize,
    pub(crate) item: usize,
    pub(crate) api: Api,
    pub(crate) action: Option<String>,
    pub(crate) interaction: Option<String>,
    pub(crate) as_agent: Option<&'a str>,
}

/// How a request's wire response is made from its verdict (the adapter's response function):
/// the status and the body.
pub type Respond = fn(Result<(), &Error>) -> (u16, Json);

/// One effect of a [`Record`] (MODEL.md section 8, `effects`), kept in the form it was made in
/// and turned into its output JSON only when the record is written or asked for it
/// ([`RecordEffect::to_json`], `Serialize`). The replay's ordered half (the engine's thread)
/// so builds no JSON for the common effects; `--jobs` writes records on other threads.
#[derive(Debug, Clone)]
pub enum RecordEffect {
    /// An engine effect: `notification`, `transferred` or `redistribute`.
    Core(Effect),
    /// A request's wire response: `respond` applied to the verdict (`error`: `None` when the
    /// request was accepted).
    Response {
        /// The adapter's response function.
        respond: Respond,
        /// The refusal, if any.
        error: Option<Error>,
    },
    /// Any other effect, already in its output form.
    Json(Json),
}

impl RecordEffect {
    /// The output form: `{"type": "notification", "provider": ..., "notification": ...,
    /// "agent": ...}`, `{"type": "transferred", "from": ..., "to": ...}`, `{"type":
    /// "redistribute", "target": {"route": ...}}`, `{"type": "response", "status": ...,
    /// "body": ...}`, ...
    pub fn to_json(&self) -> Json {
        match self {
            RecordEffect::Core(effect) => effect_json(effect),
            RecordEffect::Response { respond, error } => {
                response_effect(respond(error.as_ref().map_or(Ok(()), Err)))
            }
            RecordEffect::Json(json) => json.clone(),
        }
    }
}

/// Equal when the output forms are.
impl PartialEq for RecordEffect {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

/// Equal when the output form is `other`: `record.effects == [json!({"type": ...})]`.
impl PartialEq<Json> for RecordEffect {
    fn eq(&self, other: &Json) -> bool {
        self.to_json() == *other
    }
}

/// Writes [`RecordEffect::to_json`]'s form, member by member, without building it.
impl Serialize for RecordEffect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            RecordEffect::Core(Effect::Notify {
                provider,
                notification,
                ..
            }) => {
                let agent = match notification {
                    Notification::AssignToAgent { agent } => Some(agent),
                    Notification::Release => None,
                };
                let mut map = serializer.serialize_map(Some(3 + usize::from(agent.is_some())))?;
                map.serialize_entry("type", "notification")?;
                map.serialize_entry("provider", provider.as_str())?;
                map.serialize_entry("notification", notification.name())?;
                if let Some(agent) = agent {
                    map.serialize_entry("agent", agent.as_str())?;
                }
                map.end()
            }
            RecordEffect::Core(Effect::Transferred { from, to, .. }) => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", "transferred")?;
                map.serialize_entry("from", &from.as_ref().map(AgentId::as_str))?;
                map.serialize_entry("to", to.as_str())?;
                map.end()
            }
            RecordEffect::Response { respond, error } => {
                let (status, body) = respond(error.as_ref().map_or(Ok(()), Err));
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("type", "response")?;
                map.serialize_entry("status", &status)?;
                map.serialize_entry("body", &body)?;
                map.end()
            }
            other => other.to_json().serialize(serializer),
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
            engine: Engine::with_settings(settings.engine),
            settings,
            ..Replayer::default()
        }
    }

    /// The engine, as the replay has left it.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Replays one trace line (`line_no` is 1-based) and appends its records to `out`.
    /// A blank line gives no record.
    ///
    /// This is [`prepare`] (the part that reads only the line) followed by
    /// [`Replayer::apply_prepared`] (the part that reads and changes the engine):
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

    /// Applies one line made ready by [`prepare`] and appends its records to `out`: the engine,
    /// the Anywhere365 subscriptions and the labels that depend on them are read and changed
    /// here, in line order.
    pub fn apply_prepared(&mut self, prepared: Prepared, out: &mut Vec<Record>) {
        let Prepared {
            line,
            as_agent,
            kind,
        } = prepared;
        let mut item = Labels {
            line,
            item: 0,
            api: Api::Core,
            action: None,
            interaction: None,
            as_agent: as_agent.as_deref(),
        };
        match kind {
            Ready::Blank => {}
            Ready::Refused { api, error } => {
                out.push(rejected_record(line, 0, api, None, None, &error));
            }
            Ready::Core {
                action,
                interaction,
                decoded,
            } => {
                item.action = action;
                item.interaction = interaction;
                match decoded {
                    Ok(CoreRequest::Apply(input)) => {
                        out.push(self.apply(&mut item, Ok(input), None));
                    }
                    Ok(CoreRequest::LogIn(agent)) => match self.engine.log_in(agent) {
                        Ok(()) => out.push(Self::session_record(&mut item)),
                        Err(e) => out.push(self.apply(&mut item, Err(e), None)),
                    },
                    Ok(CoreRequest::LogOut(agent)) => match self.engine.log_out(agent) {
                        Ok(()) => out.push(Self::session_record(&mut item)),
                        Err(e) => out.push(self.apply(&mut item, Err(e), None)),
                    },
                    Err(e) => out.push(self.apply(&mut item, Err(e), None)),
                }
            }
            Ready::Vcc(ready) => {
                item.api = Api::Vcc;
                self.replay_vcc(&mut item, ready, out);
            }
            Ready::Gws(ready) => {
                item.api = Api::Gws;
                self.replay_gws(&mut item, ready, out);
            }
            Ready::Anywhere365(ready) => {
                item.api = Api::Anywhere365;
                self.replay_anywhere365(&mut item, ready, out);
            }
        }
    }

    /// Applies one decoded (or refused) item and makes its record.
    ///
    /// The record takes the item's `action` and `interaction` labels (they are not copied:
    /// this runs on the replay's ordered path); set them again before the next item.
    pub(crate) fn apply(
        &mut self,
        item: &mut Labels<'_>,
        input: Result<Input, Error>,
        respond: Option<Respond>,
    ) -> Record {
        // An agent id clone copies at most 24 bytes (ids up to 23 bytes are inline).
        let actor_agent = input.as_ref().ok().and_then(|i| i.actor.agent()).cloned();
        self.effects.clear();
        let result: Result<Step, Error> =
            input.and_then(|i| self.engine.apply(i, &mut self.effects));
        let interaction = item.interaction.take().map(clip_label);
        let action = item.action.take().map(clip_label);
        let mut record = match &result {
            Ok(step) => Record {
                line: item.line,
                item: item.item,
                api: Some(Cow::Borrowed(item.api.name())),
                interaction,
                action,
                outcome: step.outcome.name(),
                from: step.from.map(StateKind::name),
                to: step.to.map(StateKind::name),
                reason: step.reason.map(interaction_core::EndReason::name),
                error: None,
                effects: self.effects.drain(..).map(RecordEffect::Core).collect(),
                allowed: Vec::new(),
                capabilities: None,
            },
            Err(e) => {
                let now = self.state_of(interaction.as_deref());
                let mut r = rejected_record(
                    item.line,
                    item.item,
                    Some(Cow::Borrowed(item.api.name())),
                    interaction,
                    action,
                    e,
                );
                r.from = now;
                r.to = now;
                r
            }
        };
        if let Some(respond) = respond {
            record.effects.push(RecordEffect::Response {
                respond,
                error: result.as_ref().err().cloned(),
            });
        }
        record.allowed = self.allowed_for(
            record.interaction.as_deref(),
            actor_agent.as_ref().map(AgentId::as_str).or(item.as_agent),
        );
        record
    }

    /// A record for an input that touches no interaction (register, log_in, log_out). It takes
    /// the item's `action` label, as [`Replayer::apply`] does.
    pub(crate) fn session_record(item: &mut Labels<'_>) -> Record {
        Record {
            line: item.line,
            item: item.item,
            api: Some(Cow::Borrowed(item.api.name())),
            interaction: None,
            action: item.action.take().map(clip_label),
            outcome: Outcome::Applied.name(),
            from: None,
            to: None,
            reason: None,
            error: None,
            effects: Vec::new(),
            allowed: Vec::new(),
            capabilities: None,
        }
    }

    fn state_of(&self, interaction: Option<&str>) -> Option<&'static str> {
        interaction
            .and_then(|id| self.engine.interaction(id))
            .map(|it| it.state().kind().name())
    }

    fn allowed_for(&self, interaction: Option<&str>, agent: Option<&str>) -> Vec<&'static str> {
        let Some(id) = interaction else {
            return Vec::new();
        };
        let Some(it) = self.engine.interaction(id) else {
            return Vec::new();
        };
        let holder = it
            .state()
            .owner()
            .or(it.state().offered_to())
            .map(interaction_core::AgentId::as_str);
        match agent.or(holder) {
            Some(agent) => names(self.engine.allowed(id, agent)),
            None => Vec::new(),
        }
    }
}

/// One trace line made ready for [`Replayer::apply_prepared`] by [`prepare`]: the envelope and
/// the body decoded into the adapters' types, everything that can be known without the engine.
/// It owns its data, so lines can be prepared on other threads.
#[derive(Debug)]
pub struct Prepared {
    line: usize,
    as_agent: Option<String>,
    kind: Ready,
}

/// What a prepared line holds, by api.
#[derive(Debug)]
enum Ready {
    /// A blank line: no record.
    Blank,
    /// A line whose envelope could not be read: one `rejected` record.
    Refused {
        api: Option<Cow<'static, str>>,
        error: Error,
    },
    /// An `"api": "core"` record.
    Core {
        action: Option<String>,
        interaction: Option<String>,
        decoded: Result<CoreRequest, Error>,
    },
    Vcc(vcc::Ready),
    Gws(gws::Ready),
    Anywhere365(anywhere365::Ready),
}

/// Reads trace line `line_no` (1-based), as the bytes between two line endings (MODEL.md
/// section 12: the ending, `\n` or `\r\n`, taken off), as far as it can be read without the
/// engine ([`prepare`]). A byte-order mark at the start of the trace (line 1) is skipped; a
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
            as_agent: None,
            kind: Ready::Blank,
        };
    }
    match std::str::from_utf8(line) {
        Ok(text) => prepare(line_no, text, settings),
        Err(e) => Prepared {
            line: line_no,
            as_agent: None,
            kind: Ready::Refused {
                api: None,
                error: trace::not_utf8(line, &e),
            },
        },
    }
}

/// The record of a line longer than [`crate::MAX_LINE_BYTES`]: `len` bytes, none of them kept.
pub(crate) fn too_long(line_no: usize, len: u64) -> Prepared {
    Prepared {
        line: line_no,
        as_agent: None,
        kind: Ready::Refused {
            api: None,
            error: Error::malformed(format!(
                "trace line: {len} bytes long; at most {} are allowed",
                crate::MAX_LINE_BYTES
            )),
        },
    }
}

/// Reads the text of trace line `line_no` (1-based) as far as it can be read without the
/// engine: the envelope ([`trace::decode_line`]) and the body, parsed once by its adapter.
/// Pure: it reads nothing but the line, so any number of lines can be prepared at once. A line
/// that is not one record (not JSON, trailing characters after the object, an unknown `api`)
/// gives one refused record.
pub fn prepare(line_no: usize, line: &str, settings: &Settings) -> Prepared {
    let mut prepared = Prepared {
        line: line_no,
        as_agent: None,
        kind: Ready::Blank,
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
    prepared.kind = match rec.api {
        Api::Core => Ready::Core {
            action: trace::core_action_name(rec.body),
            interaction: trace::core_interaction(rec.body),
            decoded: if rec.method == Method::Post {
                trace::decode_core(rec.body)
            } else {
                Err(Error::unsupported("method", "DELETE"))
            },
        },
        Api::Vcc => Ready::Vcc(vcc::prepare(&rec, settings.register)),
        Api::Gws => Ready::Gws(gws::prepare(&rec)),
        Api::Anywhere365 => Ready::Anywhere365(anywhere365::prepare(&rec)),
    };
    prepared.as_agent = rec.as_agent;
    prepared
}

/// The longest label a record keeps (its `interaction`, `action` or `api`), in bytes: an id's
/// bound ([`interaction_core::MAX_ID_LEN`]). A refused item's label is what the input sent,
/// unchecked; a longer one is cut at a character boundary and marked with `…`, so that a
/// record never carries (or keeps) a megabyte of input.
pub const MAX_LABEL_BYTES: usize = interaction_core::MAX_ID_LEN;

/// `label` cut to [`MAX_LABEL_BYTES`] and marked, when longer.
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
    set.iter().map(interaction_core::ActionKind::name).collect()
}

fn rejected_record(
    line: usize,
    item: usize,
    api: Option<Cow<'static, str>>,
    interaction: Option<String>,
    action: Option<String>,
    e: &Error,
) -> Record {
    Record {
        line,
        item,
        api,
        interaction,
        action,
        outcome: "rejected",
        from: None,
        to: None,
        reason: None,
        error: Some(RecordError::from(e)),
        effects: Vec::new(),
        allowed: Vec::new(),
        capabilities: None,
    }
}

pub(crate) fn response_effect((status, body): (u16, Json)) -> Json {
    json!({"type": "response", "status": status, "body": body})
}

fn target_json(target: Option<&Target>) -> Json {
    match target {
        Some(Target::Route(n)) => json!({"route": n.as_str()}),
        Some(Target::Queue(n)) => json!({"queue": n.as_str()}),
        None => Json::Null,
    }
}

/// The output form of a core effect (MODEL.md section 8, `effects`).
pub fn effect_json(effect: &Effect) -> Json {
    match effect {
        Effect::Notify {
            provider,
            notification,
            ..
        } => match notification {
            Notification::AssignToAgent { agent } => json!({
                "type": "notification", "provider": provider.as_str(),
                "notification": notification.name(), "agent": agent.as_str()
            }),
            Notification::Release => json!({
                "type": "notification", "provider": provider.as_str(),
                "notification": notification.name()
            }),
        },
        Effect::Transferred { from, to, .. } => json!({
            "type": "transferred", "from": from.as_ref().map(interaction_core::AgentId::as_str), "to": to.as_str()
        }),
        Effect::Redistribute { target, .. } => json!({
            "type": "redistribute", "target": target_json(target.as_ref())
        }),
    }
}
