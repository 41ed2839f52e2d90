//! The GWS adapter's own state (MODEL.md section 9: an adapter keeps what the engine does not
//! model, serde-able, beside the engine; the gateway keeps it in its snapshot as `"gws"`):
//! the consult calls paired with their originals ([`Consults`]) and the answers that carried a
//! `referenceId` ([`References`]).

use std::collections::{HashMap, VecDeque};

use interaction_core::InteractionId;
use interaction_wire::{Note, SmolStr};
use serde::{Deserialize, Serialize};

use crate::Consults;

/// Everything the GWS endpoints keep between requests. `Default` is empty; serde as `{"consults":
/// [..], "references": [..]}` (either may be absent: none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterState {
    /// The consult calls and their originals.
    #[serde(default)]
    pub consults: Consults,
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

/// The most answers [`References`] remembers; the oldest is forgotten first.
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
