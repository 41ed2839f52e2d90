//! Consult calls and their originals: the GWS adapter's own state (MODEL.md section 9: an
//! adapter keeps what the engine does not model, serde-able, in the gateway's snapshot).
//!
//! GWS voice has two-step operations: `InitiateTransfer` and `InitiateConference` on a call
//! (the original) place it on hold and create a second call, the consult call, "in the dialing
//! state" (InitiateConference); `CompleteTransfer` / `CompleteConference`, posted on either call
//! (optionally naming the consult call by `consultCallUri`), finish it. The consult call's
//! resource names its original: `"callType":"Consult"`, `"parentCallUri":
//! "http://.../api/v2/me/calls/<original>"`, `"parentCallPath": "/calls/<original>"`
//! (CompleteConference's notification sample). The engine holds each call as its own
//! interaction; [`Consults`] pairs them, so that:
//!
//! * the held original of a consult *transfer* offers no `retrieve` (InitiateTransfer's
//!   notification sample: the held original lists `SwapCalls` and `CompleteTransfer`, not
//!   `Retrieve`; a conference consultation's held original still lists `Retrieve`,
//!   InitiateConference's sample);
//! * the consult call's first record says whose consult it is ([`Note::ConsultCall`]);
//! * the end of the original after a completed transfer says the customer went on with the
//!   consulted party ([`Note::TransferCompleted`]), and the end of the consult call after a
//!   completed conference that the consulted party joined the original
//!   ([`Note::ConferenceCompleted`]).
//!
//! A pair is forgotten when its original ends, when its consult call ends without a
//! completion, and when the original is retrieved before any consult call appeared (the
//! initiation came to nothing). At most [`MAX_PAIRS`] are kept; beyond that a new pair is not
//! recorded (its calls behave as unpaired calls do).

use std::collections::BTreeMap;

use interaction_core::{AgentId, InteractionId, Name, StateKind};
use interaction_wire::Note;
use serde::{Deserialize, Serialize};

/// The most pairs [`Consults`] keeps (a pair held 330.9 bytes at 4 096 pairs:
/// `memory/gws_state` in benches/benches/memory.rs, docs/PERFORMANCE.md).
pub const MAX_PAIRS: usize = 65_536;

/// Which two-step operation a consult call is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultKind {
    /// `InitiateTransfer` / `CompleteTransfer`.
    Transfer,
    /// `InitiateConference` / `CompleteConference`.
    Conference,
}

impl ConsultKind {
    /// `transfer`, `conference`.
    pub const fn name(self) -> &'static str {
        match self {
            ConsultKind::Transfer => "transfer",
            ConsultKind::Conference => "conference",
        }
    }
}

/// An original call and its consult call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    /// The original call (the customer's).
    pub original: InteractionId,
    /// The agent who initiated the consultation (whose channel showed the consult call).
    pub agent: AgentId,
    /// What it is for: from the `Initiate...` request, or the `Complete...` one; `None` when
    /// only the consult call's `parentCallUri` was seen.
    pub kind: Option<ConsultKind>,
    /// The consult call, once a notification named it.
    pub consult: Option<InteractionId>,
    /// The consulted party: the `Initiate...` request's `destination.phoneNumber`, else the
    /// consult call's `dnis`.
    pub party: Option<Name>,
    /// Whether a `CompleteTransfer` / `CompleteConference` was accepted for the pair.
    pub completed: bool,
    /// The consulted party when it is one of the agents: the agent on whose channel the
    /// consult call showed (its callee). A completed transfer then moves the original to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consulted: Option<AgentId>,
}

/// The pairs, by original call, with the consult calls' index (rebuilt on restore).
/// Serialized as the list of pairs, in original-call order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consults {
    pairs: BTreeMap<InteractionId, Pair>,
    /// Consult call -> original call.
    consults: BTreeMap<InteractionId, InteractionId>,
}

impl Consults {
    /// No pairs.
    pub fn new() -> Consults {
        Consults::default()
    }

    /// How many pairs are kept.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs, in original-call order.
    pub fn iter(&self) -> impl Iterator<Item = &Pair> {
        self.pairs.values()
    }

    /// The pair `call` is the original or the consult call of.
    pub fn pair_of(&self, call: &str) -> Option<&Pair> {
        match self.pairs.get(call) {
            Some(pair) => Some(pair),
            None => self.consults.get(call).and_then(|o| self.pairs.get(o)),
        }
    }

    /// Whether GWS withholds `Retrieve` from `call`: it is the original of a consult transfer
    /// not yet completed (InitiateTransfer's held original lists `SwapCalls` instead).
    pub fn retrieve_withheld(&self, call: &str) -> bool {
        self.pairs
            .get(call)
            .is_some_and(|p| p.kind == Some(ConsultKind::Transfer) && !p.completed)
    }

    /// An `Initiate...` request on `original` by `agent` was accepted. A consult call is not
    /// made an original too (a call is in one pair, in one role): consulting from a consult
    /// call pairs nothing.
    pub(crate) fn initiate(
        &mut self,
        original: InteractionId,
        agent: AgentId,
        kind: ConsultKind,
        party: Option<Name>,
    ) {
        if self.consults.contains_key(original.as_str()) {
            return;
        }
        if let Some(pair) = self.pairs.get_mut(original.as_str()) {
            pair.kind = Some(kind);
            // The initiating agent is never its own consulted party.
            if pair.consulted.as_ref() == Some(&agent) {
                pair.consulted = None;
            }
            pair.agent = agent;
            pair.completed = false;
            if party.is_some() {
                pair.party = party;
            }
            return;
        }
        if self.pairs.len() >= MAX_PAIRS {
            return;
        }
        self.pairs.insert(
            original.clone(),
            Pair {
                original,
                agent,
                kind: Some(kind),
                consult: None,
                party,
                completed: false,
                consulted: None,
            },
        );
    }

    /// The callee `agent` of `consult` answered it (its working state on its own channel):
    /// when `consult` is a live pair's consult call and `agent` did not initiate it, `agent` is
    /// the consulted party.
    pub(crate) fn answered_by(&mut self, consult: &str, agent: &AgentId) {
        if let Some(pair) = self.pair_of_consult(consult)
            && &pair.agent != agent
        {
            pair.consulted = Some(agent.clone());
        }
    }

    /// The callee `agent` of `consult` hung up its leg: it is no longer the consulted party.
    pub(crate) fn left_by(&mut self, consult: &str, agent: &AgentId) {
        if let Some(pair) = self.pair_of_consult(consult)
            && pair.consulted.as_ref() == Some(agent)
        {
            pair.consulted = None;
        }
    }

    /// The pair `consult` is the consult call of, while the original's transfer is not yet
    /// done with it.
    fn pair_of_consult(&mut self, consult: &str) -> Option<&mut Pair> {
        let original = self.consults.get(consult)?;
        self.pairs
            .get_mut(original.as_str())
            .filter(|pair| pair.consult.as_ref().map(InteractionId::as_str) == Some(consult))
    }

    /// Takes the pair of `original` out (a completed transfer moved it to its consulted
    /// agent).
    pub(crate) fn take(&mut self, original: &str) -> Option<Pair> {
        self.remove(original)
    }

    /// The agent the customer moves to when `original` ends for `agent`: the consulted agent of
    /// a completed transfer `agent` initiated.
    pub fn moves_to(&self, original: &str, agent: &str) -> Option<&AgentId> {
        let pair = self.pairs.get(original)?;
        let completed = pair.completed && pair.kind == Some(ConsultKind::Transfer);
        (completed && pair.agent.as_str() == agent)
            .then_some(pair.consulted.as_ref())
            .flatten()
    }

    /// A notification on `agent`'s channel named `consult`'s original (`parentCallUri`).
    /// Returns whether the pair is new knowledge (the first time `consult` is linked).
    pub(crate) fn link(
        &mut self,
        consult: &InteractionId,
        original: &InteractionId,
        agent: &AgentId,
        dnis: Option<&Name>,
    ) -> bool {
        if consult == original || self.consults.contains_key(consult.as_str()) {
            return false;
        }
        // A call is the original of one pair or the consult of one, not both.
        if self.pairs.contains_key(consult.as_str())
            || self.consults.contains_key(original.as_str())
        {
            return false;
        }
        if let Some(pair) = self.pairs.get_mut(original.as_str()) {
            if let Some(old) = pair.consult.replace(consult.clone()) {
                self.consults.remove(old.as_str());
            }
            if pair.party.is_none() {
                pair.party = dnis.cloned();
            }
        } else {
            if self.pairs.len() >= MAX_PAIRS {
                return false;
            }
            self.pairs.insert(
                original.clone(),
                Pair {
                    original: original.clone(),
                    agent: agent.clone(),
                    kind: None,
                    consult: Some(consult.clone()),
                    party: dnis.cloned(),
                    completed: false,
                    consulted: None,
                },
            );
        }
        self.consults.insert(consult.clone(), original.clone());
        true
    }

    /// A `Complete...` request on `call` (either call of a pair), naming `consult` when it
    /// gave `consultCallUri`, was accepted. Nothing happens for a call in no pair.
    pub(crate) fn complete(&mut self, call: &str, consult: Option<&str>, kind: ConsultKind) {
        let original = consult
            .and_then(|c| self.consults.get(c))
            .or_else(|| self.consults.get(call))
            .cloned();
        let key = original.as_ref().map_or(call, InteractionId::as_str);
        if let Some(pair) = self.pairs.get_mut(key) {
            pair.kind = Some(kind);
            pair.completed = true;
        }
    }

    /// `call` went from `from` to `to` by an applied step: forgets the pairs that ended, and
    /// returns the note the step's record carries.
    pub(crate) fn settled(
        &mut self,
        call: &str,
        from: Option<StateKind>,
        to: Option<StateKind>,
    ) -> Option<Note> {
        let ended = matches!(to, Some(StateKind::Ended | StateKind::WrapUp)) && from != to;
        if let Some(pair) = self.pairs.get(call) {
            let transfer = pair.completed && pair.kind == Some(ConsultKind::Transfer);
            let abandoned = pair.consult.is_none()
                && from == Some(StateKind::Held)
                && to == Some(StateKind::Connected);
            if !ended && !abandoned {
                return None;
            }
            let pair = self.remove(call)?;
            return (ended && transfer).then_some(Note::TransferCompleted {
                consult: pair.consult,
                party: pair.party,
                agent: None,
            });
        }
        let original = self.consults.get(call)?.clone();
        if !ended {
            return None;
        }
        let pair = self.pairs.get(original.as_str())?;
        match (pair.completed, pair.kind) {
            // The original's own end is still to come, and says where the customer went; the
            // pair keeps its consult call (ended: it links nothing again) until then.
            (true, Some(ConsultKind::Transfer)) => None,
            (true, Some(ConsultKind::Conference)) => {
                let pair = self.remove(original.as_str())?;
                Some(Note::ConferenceCompleted {
                    original: pair.original,
                    party: pair.party,
                })
            }
            // The consultation ended without a completion: the original is on its own again.
            _ => {
                self.remove(original.as_str());
                None
            }
        }
    }

    /// Removes the pair of `original` and its consult call's index entry.
    fn remove(&mut self, original: &str) -> Option<Pair> {
        let pair = self.pairs.remove(original)?;
        if let Some(consult) = &pair.consult {
            self.consults.remove(consult.as_str());
        }
        Some(pair)
    }
}

impl Serialize for Consults {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.pairs.values())
    }
}

/// Reads the list of pairs, rebuilding the consult index. A list longer than [`MAX_PAIRS`],
/// an original listed twice, or a call that is both an original and a consult call (or the
/// consult of two pairs) is refused: this library could not have written it.
impl<'de> Deserialize<'de> for Consults {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let list = Vec::<Pair>::deserialize(deserializer)?;
        if list.len() > MAX_PAIRS {
            return Err(D::Error::custom(format_args!(
                "{} consult pairs, more than {MAX_PAIRS}",
                list.len()
            )));
        }
        let mut consults = Consults::new();
        for pair in list {
            if consults.pairs.contains_key(pair.original.as_str())
                || consults.consults.contains_key(pair.original.as_str())
            {
                return Err(D::Error::custom(format_args!(
                    "call `{}` is in two consult pairs",
                    pair.original
                )));
            }
            if let Some(consult) = &pair.consult
                && (consult == &pair.original
                    || consults.pairs.contains_key(consult.as_str())
                    || consults
                        .consults
                        .insert(consult.clone(), pair.original.clone())
                        .is_some())
            {
                return Err(D::Error::custom(format_args!(
                    "call `{consult}` is in two consult pairs"
                )));
            }
            consults.pairs.insert(pair.original.clone(), pair);
        }
        Ok(consults)
    }
}
