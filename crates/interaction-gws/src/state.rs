//! The GWS adapter's own state (MODEL.md section 9: an adapter keeps what the engine does not
//! model, serde-able, beside the engine; the gateway keeps it in its snapshot as `"gws"`):
//! the consult calls paired with their originals ([`Consults`]), the callees of calls between
//! two agents ([`Callees`]) and the answers that carried a `referenceId` ([`References`]).

use std::collections::{BTreeMap, HashMap, VecDeque};

use interaction_core::{AgentId, InteractionId};
use interaction_wire::{Note, SmolStr};
use serde::{Deserialize, Serialize};

use crate::Consults;

/// Everything the GWS endpoints keep between requests. `Default` is empty; serde as `{"consults":
/// [..], "callees": {..}, "references": [..]}` (any may be absent: none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterState {
    /// The consult calls and their originals.
    #[serde(default)]
    pub consults: Consults,
    /// The callees of calls between two agents.
    #[serde(default)]
    pub callees: Callees,
    /// The answers that carried a `referenceId`, newest last.
    #[serde(default)]
    pub references: References,
}

impl AdapterState {
    /// Nothing kept.
    pub fn new() -> AdapterState {
        AdapterState::default()
    }
}

/// The most calls [`Callees`] keeps a callee of; beyond it a new one is not recorded (its
/// notifications then read as any agent's do).
pub const MAX_CALLEES: usize = 65_536;

/// The callee of each call between two agents the adapter saw: the agent whose channel showed
/// another agent's dialing call ringing, invited or answered (an internal or consult call,
/// CallsDial on the caller's channel, CallsAnswer on the callee's). Its later notifications
/// about the call are its own view of the caller's call (docs/gws.md, "State changes"), not a
/// transfer to it. Forgotten when the callee's leg or the call ends. Serialized as a map of call
/// id to agent id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<InteractionId, AgentId>")]
pub struct Callees {
    #[serde(flatten)]
    callees: BTreeMap<InteractionId, AgentId>,
}

impl TryFrom<BTreeMap<InteractionId, AgentId>> for Callees {
    type Error = String;

    fn try_from(callees: BTreeMap<InteractionId, AgentId>) -> Result<Self, String> {
        if callees.len() > MAX_CALLEES {
            return Err(format!(
                "{} callees, more than {MAX_CALLEES}",
                callees.len()
            ));
        }
        Ok(Callees { callees })
    }
}

impl Callees {
    /// None.
    pub fn new() -> Callees {
        Callees::default()
    }

    /// How many calls have a callee kept.
    pub fn len(&self) -> usize {
        self.callees.len()
    }

    /// Whether none has.
    pub fn is_empty(&self) -> bool {
        self.callees.is_empty()
    }

    /// The callee of `call`.
    pub fn get(&self, call: &str) -> Option<&AgentId> {
        self.callees.get(call)
    }

    /// Whether `agent` is the callee of `call`.
    pub fn is_callee(&self, call: &str, agent: &AgentId) -> bool {
        self.callees.get(call) == Some(agent)
    }

    /// `agent`'s channel showed `call`, another agent's dialing call, ringing or answered.
    pub(crate) fn alerted(&mut self, call: &InteractionId, agent: &AgentId) {
        if self.callees.len() < MAX_CALLEES || self.callees.contains_key(call.as_str()) {
            self.callees.insert(call.clone(), agent.clone());
        }
    }

    /// The callee's leg, or the call, ended.
    pub(crate) fn forget(&mut self, call: &str) {
        self.callees.remove(call);
    }
}

/// The most answers [`References`] remembers; the oldest is forgotten first (an answer held
/// 218.0 bytes with the list full: `memory/gws_state` in benches/benches/memory.rs).
pub const MAX_REFERENCES: usize = 4096;

/// A request whose answer carried a `referenceId` ("The reference identifier is used to link
/// the notification to the original request that created it", WorkitemMessageType).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    /// The `referenceId`, as the answer wrote it (the caller's id, `IdKind::Reference`).
    pub reference: SmolStr,
    /// What the request's record shows as its action (`Create`, `complete`, `place_in_workbin`).
    pub action: SmolStr,
    /// The interaction the request named, when it named one (`Create` names none).
    pub interaction: Option<InteractionId>,
}

/// The answers that carried a `referenceId`, so that a notification repeating one is linked to
/// its request (WorkitemCreate: the answer `{"statusCode":0,"referenceId":8}`, then the new
/// workitem's notification with `"referenceId":8`). The ids are the caller's
/// ([`interaction_wire::IdSource`]): a notification links to a request only when the platform's
/// number and the caller's agree (a service that forwards the operation to GWS and hands the
/// server's `referenceId` back as its id does that). At most [`MAX_REFERENCES`], oldest
/// forgotten first; a reference given again replaces the older answer. Serialized as the list
/// of [`Answered`], oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    order: VecDeque<SmolStr>,
    answered: HashMap<SmolStr, Answered>,
}

impl References {
    /// None.
    pub fn new() -> References {
        References::default()
    }

    /// How many answers are remembered.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The answer that carried `reference`.
    pub fn get(&self, reference: &str) -> Option<&Answered> {
        self.answered.get(reference)
    }

    /// The answers, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Answered> {
        self.order.iter().filter_map(|r| self.answered.get(r))
    }

    /// Remembers an answer.
    pub(crate) fn answered(&mut self, answered: Answered) {
        if self.answered.contains_key(answered.reference.as_str()) {
            self.order.retain(|r| r != &answered.reference);
        } else if self.order.len() >= MAX_REFERENCES
            && let Some(oldest) = self.order.pop_front()
        {
            self.answered.remove(oldest.as_str());
        }
        self.order.push_back(answered.reference.clone());
        self.answered.insert(answered.reference.clone(), answered);
    }

    /// The note of a notification that repeats `reference`, when an answer carried it.
    pub(crate) fn note(&self, reference: &str) -> Option<Note> {
        let answered = self.answered.get(reference)?;
        Some(Note::Answers {
            reference: answered.reference.clone(),
            action: answered.action.clone(),
            interaction: answered.interaction.clone(),
        })
    }
}

impl Serialize for References {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Reads the list, oldest first; more than [`MAX_REFERENCES`] is refused (this library could
/// not have written it), a reference listed twice keeps its last answer.
impl<'de> Deserialize<'de> for References {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let list = Vec::<Answered>::deserialize(deserializer)?;
        if list.len() > MAX_REFERENCES {
            return Err(D::Error::custom(format_args!(
                "{} answered references, more than {MAX_REFERENCES}",
                list.len()
            )));
        }
        let mut references = References::new();
        for answered in list {
            references.answered(answered);
        }
        Ok(references)
    }
}
