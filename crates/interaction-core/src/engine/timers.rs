//! Timers without a clock (MODEL.md section 10; the quinn-proto pattern): the caller passes the
//! time in, the engine says when it next needs to be called.
//!
//! Every armed timer is one entry of an ordered map keyed by `(deadline, sequence)`, with the
//! subject's key beside it in a map by interaction or agent, so that cancelling one (an offer
//! accepted, a wrap-up completed, a log out) removes it at once: nothing stale is kept, memory is
//! bounded by what is armed (at most one timer per live interaction and one per agent), and
//! [`Engine::poll_timeout`](crate::Engine::poll_timeout) is exact. Timers that fall due at the
//! same millisecond fire in the order they were armed (the sequence), so a replay, and an
//! engine restored from a snapshot, fire them identically.

use std::collections::BTreeMap;

use hashbrown::HashMap;

use crate::action::ActionKind;
use crate::engine::agents::AgentActionKind;
use crate::id::{AgentId, InteractionId};

/// A timer's kind (MODEL.md section 10). Public snake_case names: a timer's record carries
/// `"timer": "offer_timeout" | "wrap_up_timeout" | "agent_heartbeat_timeout"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Timer {
    /// Ring-no-answer: an offer not accepted within
    /// [`EngineSettings::offer_timeout`](crate::EngineSettings::offer_timeout) is revoked and
    /// the interaction redistributed.
    OfferTimeout,
    /// An interaction in `wrap_up` for
    /// [`EngineSettings::wrap_up_timeout`](crate::EngineSettings::wrap_up_timeout) completes
    /// itself.
    WrapUpTimeout,
    /// An agent under heartbeat ([`Engine::heartbeat`](crate::Engine::heartbeat)) that sends
    /// none within
    /// [`EngineSettings::agent_heartbeat_timeout`](crate::EngineSettings::agent_heartbeat_timeout)
    /// is logged out.
    AgentHeartbeatTimeout,
}

impl Timer {
    /// Every timer kind.
    pub const ALL: [Timer; 3] = [
        Timer::OfferTimeout,
        Timer::WrapUpTimeout,
        Timer::AgentHeartbeatTimeout,
    ];

    /// The public name: `offer_timeout`, `wrap_up_timeout`, `agent_heartbeat_timeout`.
    pub const fn name(self) -> &'static str {
        match self {
            Timer::OfferTimeout => "offer_timeout",
            Timer::WrapUpTimeout => "wrap_up_timeout",
            Timer::AgentHeartbeatTimeout => "agent_heartbeat_timeout",
        }
    }

    /// The interaction state whose entry arms the timer (and whose exit cancels it): `offered`
    /// for [`Timer::OfferTimeout`], `wrap_up` for [`Timer::WrapUpTimeout`]; `None` for the
    /// agent's [`Timer::AgentHeartbeatTimeout`].
    pub const fn armed_in(self) -> Option<crate::StateKind> {
        match self {
            Timer::OfferTimeout => Some(crate::StateKind::Offered),
            Timer::WrapUpTimeout => Some(crate::StateKind::WrapUp),
            Timer::AgentHeartbeatTimeout => None,
        }
    }

    /// The interaction action the timer takes when it fires, as the platform: `revoke` for
    /// [`Timer::OfferTimeout`], `complete` for [`Timer::WrapUpTimeout`]; `None` for the agent's
    /// [`Timer::AgentHeartbeatTimeout`], which logs the agent out ([`AgentActionKind::LogOut`]).
    pub const fn action(self) -> Option<ActionKind> {
        match self {
            Timer::OfferTimeout => Some(ActionKind::Revoke),
            Timer::WrapUpTimeout => Some(ActionKind::Complete),
            Timer::AgentHeartbeatTimeout => None,
        }
    }

    /// The name of the action the timer takes when it fires: `revoke`, `complete` (its
    /// [`Timer::action`]) or `log_out`.
    pub const fn action_name(self) -> &'static str {
        match self.action() {
            Some(kind) => kind.name(),
            None => AgentActionKind::LogOut.name(),
        }
    }
}

impl core::fmt::Display for Timer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a fired timer acted on, and what the step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FiredStep {
    /// An interaction timer (`offer_timeout`, `wrap_up_timeout`): the platform action's step.
    /// For a ring-no-answer, [`crate::Step::agent`] is the agent the offer was revoked from;
    /// its state ([`crate::Engine::agent_state`]) says whether this was its `max_no_answer`th
    /// in a row (availability `not_ready`, reason `no_answer`).
    Interaction {
        /// The interaction.
        interaction: InteractionId,
        /// The vendor API it belongs to (MODEL.md section 11), read before the step (an ended
        /// interaction may be forgotten at once).
        api: crate::Api,
        /// The step: `offered` to `queued`, or `wrap_up` to `ended(completed)`.
        step: crate::Step,
    },
    /// An agent timer (`agent_heartbeat_timeout`): the `log_out`'s step.
    Agent {
        /// The agent.
        agent: AgentId,
        /// The step: `logged_in` to `logged_out`.
        step: crate::AgentStep,
    },
}

/// One timer fired by [`Engine::handle_timeout`](crate::Engine::handle_timeout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    /// Which timer.
    pub timer: Timer,
    /// When it was due, in the caller's monotonic milliseconds (at or before the `now` it was
    /// fired at, never after).
    pub deadline: u64,
    /// What it acted on and the step taken (an action of the platform).
    pub step: FiredStep,
    /// The state, right after this timer, of the agent it changed (the agent a ring-no-answer
    /// was offered to, the agent logged out); `None` when it changed none.
    pub agent_state: Option<crate::AgentState>,
    /// Where its effects are in the caller's effects buffer (a ring-no-answer's
    /// `redistribute`, a VCC provider's notification): `effects[range]`.
    pub effects: core::ops::Range<usize>,
}

/// The order of armed timers: the deadline, then the arming sequence.
pub(super) type Key = (u64, u64);

/// What an armed timer acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Armed {
    /// An interaction's offer or wrap-up timer.
    Interaction(Timer, InteractionId),
    /// An agent's heartbeat timer.
    Agent(AgentId),
}

/// The engine's clock and armed timers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Timers {
    /// The clock: the latest time an input or `handle_timeout` brought, in milliseconds.
    pub(super) now: u64,
    /// The next arming sequence number.
    pub(super) next: u64,
    /// Every armed timer, in firing order.
    pub(super) queue: BTreeMap<Key, Armed>,
    /// The key of each interaction's armed timer (at most one: an interaction is offered or in
    /// wrap-up, not both).
    pub(super) interactions: HashMap<InteractionId, Key>,
    /// The key of each agent's heartbeat timer.
    pub(super) agents: HashMap<AgentId, Key>,
}

impl Timers {
    /// Moves the clock to `now` when later; an earlier time keeps it.
    pub(super) fn advance(&mut self, now: u64) {
        self.now = self.now.max(now);
    }

    /// The earliest deadline armed.
    pub(super) fn next_deadline(&self) -> Option<u64> {
        self.queue
            .first_key_value()
            .map(|(&(deadline, _), _)| deadline)
    }

    /// The key of a timer due `after` milliseconds from the clock; `None` when that is past
    /// the end of time (`u64::MAX` milliseconds): such a timer never falls due, so it is not
    /// armed. The sequence saturates (2^64 arms are out of reach; a restore refuses a counter
    /// at its end).
    fn key(&mut self, after: u64) -> Option<Key> {
        let deadline = self.now.checked_add(after)?;
        let key = (deadline, self.next);
        self.next = self.next.saturating_add(1);
        Some(key)
    }

    /// Arms `timer` for `id`, `after` milliseconds from the clock, replacing its armed one (a
    /// deadline past the end of time cancels it instead: it would never fall due).
    pub(super) fn arm_interaction(&mut self, id: &InteractionId, timer: Timer, after: u64) {
        let Some(key) = self.key(after) else {
            self.cancel_interaction(id.as_str());
            return;
        };
        let old = self.interactions.insert(id.clone(), key);
        let armed = match old.and_then(|old| self.queue.remove(&old)) {
            // Reuse the id the old entry held.
            Some(Armed::Interaction(_, held)) => Armed::Interaction(timer, held),
            _ => Armed::Interaction(timer, id.clone()),
        };
        let replaced = self.queue.insert(key, armed);
        debug_assert!(replaced.is_none(), "two timers share a key");
    }

    /// Cancels `id`'s armed timer, if any.
    pub(super) fn cancel_interaction(&mut self, id: &str) {
        if let Some(key) = self.interactions.remove(id) {
            self.queue.remove(&key);
        }
    }

    /// The deadline of `id`'s armed timer, with its kind.
    pub(super) fn interaction(&self, id: &str) -> Option<(Timer, u64)> {
        let key = self.interactions.get(id)?;
        match self.queue.get(key) {
            Some(Armed::Interaction(timer, _)) => Some((*timer, key.0)),
            _ => None,
        }
    }

    /// Arms (or re-arms) `agent`'s heartbeat timer `after` milliseconds from the clock (a
    /// deadline past the end of time cancels it instead).
    /// Returns whether it is armed.
    pub(super) fn arm_agent(&mut self, agent: &AgentId, after: u64) -> bool {
        let Some(key) = self.key(after) else {
            self.cancel_agent(agent.as_str());
            return false;
        };
        let old = self.agents.insert(agent.clone(), key);
        let armed = match old.and_then(|old| self.queue.remove(&old)) {
            Some(Armed::Agent(held)) => Armed::Agent(held),
            _ => Armed::Agent(agent.clone()),
        };
        let replaced = self.queue.insert(key, armed);
        debug_assert!(replaced.is_none(), "two timers share a key");
        true
    }

    /// Cancels `agent`'s heartbeat timer, if any.
    pub(super) fn cancel_agent(&mut self, agent: &str) {
        if let Some(key) = self.agents.remove(agent) {
            self.queue.remove(&key);
        }
    }

    /// The deadline of `agent`'s heartbeat timer.
    pub(super) fn agent(&self, agent: &str) -> Option<u64> {
        self.agents.get(agent).map(|key| key.0)
    }

    /// Takes every timer due at the clock out of the queue, in firing order; `None` when none
    /// is due. Their subjects' keys stay in the maps until [`Timers::disarm`].
    pub(super) fn take_due(&mut self) -> Option<BTreeMap<Key, Armed>> {
        if self.next_deadline()? > self.now {
            return None;
        }
        let later = match self.now.checked_add(1) {
            Some(after) => self.queue.split_off(&(after, 0)),
            None => BTreeMap::new(),
        };
        Some(core::mem::replace(&mut self.queue, later))
    }

    /// Removes the subject's key of a timer taken by [`Timers::take_due`]; `false` (the timer
    /// is not to fire) when the subject has been re-armed or cancelled since.
    pub(super) fn disarm(&mut self, key: Key, armed: &Armed) -> bool {
        // One lookup in the common case: removed, and put back only when it was another key.
        let held = match armed {
            Armed::Interaction(_, id) => self.interactions.remove(id.as_str()),
            Armed::Agent(agent) => self.agents.remove(agent.as_str()),
        };
        match (held, armed) {
            (Some(held), _) if held == key => true,
            (None, _) => false,
            (Some(other), Armed::Interaction(_, id)) => {
                self.interactions.insert(id.clone(), other);
                false
            }
            (Some(other), Armed::Agent(agent)) => {
                self.agents.insert(agent.clone(), other);
                false
            }
        }
    }

    /// Rebuilds the maps beside the queue (a restore).
    #[cfg(feature = "serde")]
    pub(super) fn reindex(&mut self) {
        self.interactions.clear();
        self.agents.clear();
        for (key, armed) in &self.queue {
            match armed {
                Armed::Interaction(_, id) => {
                    self.interactions.insert(id.clone(), *key);
                }
                Armed::Agent(agent) => {
                    self.agents.insert(agent.clone(), *key);
                }
            }
        }
    }
}
