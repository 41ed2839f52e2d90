//! The engine: many interactions keyed by id, provider settings and agent sessions
//! (MODEL.md sections 5 and 11).
//!
//! # Using it
//!
//! * **Inputs**: [`Engine::apply`] (an [`Input`] on one interaction), [`Engine::log_in`] /
//!   [`Engine::log_out`] (agent sessions), [`Engine::register_provider`] (VCC Register).
//! * **Outputs**: `apply` returns a [`Step`] (outcome, state before and after) or the
//!   [`Refusal`] that refused the input (what the engine refuses, never a decoding error; an
//!   item holds it as [`crate::Error::Refused`]), and pushes [`Effect`]s onto the caller's
//!   buffer. Nothing else leaves the engine: no IO, no clock, no randomness that can be
//!   observed.
//! * **Queries**: [`Engine::interaction`], [`Engine::allowed`], [`Engine::provider`],
//!   [`Engine::presence`], [`Engine::live_calls`], [`Engine::workbin_content`],
//!   [`Engine::interactions`], [`Engine::forgotten`], [`Engine::live`].
//!
//! Inputs are applied one at a time, in the order given (never by timestamp).
//!
//! # Invariants
//!
//! * A refused input changes nothing: every check runs before the first write, and the write
//!   cannot fail. The engine compares equal (`==`) to what it was before.
//! * `ended` is absorbing and an id is never resurrected: later input for an ended interaction
//!   is refused `already_ended`, except a platform fact that restates the same end (a GWS
//!   `Completed` after `Complete`), which is an `applied` no-op. This holds while the ended
//!   interaction is retained (`max_ended`) and, after it is forgotten, while its fingerprint is
//!   remembered (`max_forgotten`).
//! * Memory is bounded by [`EngineSettings`]: live interactions, agents, providers, retained
//!   ended interactions, fingerprints of forgotten ones and idempotency keys each have a bound.
//!
//! # The order of checks
//!
//! For an input: 1. its idempotency key was applied with the same request: `duplicate`; with
//! another request in the key's scope: `idempotency_conflict`; 2. interaction unknown (neither
//! held nor remembered) and not created by the input: `unknown_interaction`; 3. the interaction
//! belongs to another vendor API than the input came through: `not_permitted`; 4. ended (held or
//! remembered): `already_ended`, or an applied no-op for a platform fact restating the end;
//! 5. a platform fact restating the current state: `applied`, `from == to`; 6. state not in the
//! action's `from` set, or `cancel` of an inbound interaction: `invalid_transition`; 7. the
//! actor kind may not take the action: `not_permitted`; an agent that neither owns nor is
//! offered it: `not_owner`; a provider other than the interaction's releasing it:
//! `provider_mismatch`; 8. the provider's rule forbids the agent's action: `not_permitted`;
//! 9. argument checks (`answer` of a group call naming no agent: `missing_field`; user data
//! beyond its bound: `invalid_field`); 10. a bound of [`EngineSettings`] reached
//! (`not_permitted`, [`Refusal::LimitReached`]).

mod agents;
mod interaction;
mod lifecycle;
mod memory;
#[cfg(feature = "serde")]
mod snapshot;
mod timers;

use std::collections::VecDeque;

use hashbrown::HashMap;

use crate::action::{ActionKind, Actor, Input};
use crate::api::ApiSet;
use crate::effect::Effect;
use crate::error::Refusal;
use crate::id::{AgentId, InteractionId, ProviderName};
use crate::permission::ProviderSettings;
use crate::state::{EndReason, MediaSet, State, StateKind};
use crate::store::{self, Hashed, Store};
use crate::table::rule_for;

pub use agents::{
    AGENT_TRANSITIONS, Activity, AgentAction, AgentActionKind, AgentActionSet, AgentRule,
    AgentState, Availability, Presence, Session, agent_rule_for,
};
pub use interaction::Interaction;
pub use timers::{Fired, FiredStep, Timer};

use agents::{Agent, Agents, check_room, full, named, set_presence, track_agents};
use lifecycle::{check, check_new, commit, foreign, named_after, notify_assign, restates_end};
use memory::{Forgotten, Keys, Seen, request_fingerprint};
use timers::{Armed, Timers};

/// The engine's bounds (MODEL.md sections 5 and 11), and which vendor APIs share a namespace.
/// Each bound is documented, with its memory per entry, in `docs/ARCHITECTURE.md` and
/// measured in `docs/PERFORMANCE.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct EngineSettings {
    /// How many ended interactions are kept whole for late-event detection (a late callback
    /// for one of them is refused `already_ended`). When more end, the one that ended first is
    /// forgotten: only its fingerprint is kept (`max_forgotten`). Default 100 000; 0 forgets an
    /// interaction as soon as it ends.
    pub max_ended: usize,
    /// How many forgotten ended interactions are remembered by a fingerprint (8 bytes of the
    /// id's hash, its end reason and its API): input for one of them, a late first-sight fact
    /// or a new creation included, is refused `already_ended`, so an id is never resurrected.
    /// When more are forgotten, the oldest fingerprint goes, and its id is then unknown.
    /// Default 1 000 000; 0 keeps none.
    pub max_forgotten: usize,
    /// How many idempotency keys (VCC `requestid`, `notificationid`, a core `key`) are
    /// remembered with their request, oldest forgotten first. Default 1 000 000.
    pub max_idempotency_keys: usize,
    /// How many live (not ended) interactions the engine holds; an input that would create one
    /// more is refused. Default 10 000 000.
    pub max_live: usize,
    /// How many agents the engine knows; an input that would make one more known is refused.
    /// Default 1 000 000.
    pub max_agents: usize,
    /// How many providers may be registered; a Register of one more is refused. Default 10 000.
    pub max_providers: usize,
    /// Vendor APIs that share one namespace of interactions, on purpose (a deployment where
    /// agents work VCC-routed interactions through GWS, say): input from one of them may act on
    /// interactions another of them created. Empty by default: each vendor API has its own
    /// (MODEL.md section 11).
    pub shared_apis: ApiSet,
    /// The media whose interactions require after-call work (MODEL.md section 10): the owner's
    /// or the platform's `release` (a provider's ends the interaction), or the owner's
    /// `disconnect`, of one leads to `wrap_up`, which `complete` ends. An input
    /// may say otherwise for its interaction ([`Input::wrap_up`]). Empty by default: every
    /// release ends the interaction, as before.
    pub wrap_up: MediaSet,
    /// Ring-no-answer (MODEL.md section 10), in milliseconds: an offer not accepted this long
    /// after it was made is revoked by the platform and the interaction redistributed
    /// ([`Timer::OfferTimeout`]). `None` by default: offers wait for ever.
    pub offer_timeout: Option<u64>,
    /// After this many ring-no-answers in a row, the agent becomes `not_ready` with reason
    /// `no_answer` ([`Name::NO_ANSWER`](crate::Name::NO_ANSWER)); accepting an offer (or being
    /// assigned one) starts the count again. `None` (or 0) by default: never.
    pub max_no_answer: Option<u32>,
    /// An interaction in `wrap_up` this long, in milliseconds, completes itself
    /// ([`Timer::WrapUpTimeout`]). `None` by default: wrap-up lasts until `complete`.
    pub wrap_up_timeout: Option<u64>,
    /// An agent under heartbeat ([`Engine::heartbeat`]: an Anywhere365 `HeartBeat` command, and
    /// its login) that sends none for this long, in milliseconds, is logged out
    /// ([`Timer::AgentHeartbeatTimeout`]). `None` by default: sessions never time out.
    pub agent_heartbeat_timeout: Option<u64>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            max_ended: 100_000,
            max_forgotten: 1_000_000,
            max_idempotency_keys: 1_000_000,
            max_live: 10_000_000,
            max_agents: 1_000_000,
            max_providers: 10_000,
            shared_apis: ApiSet::EMPTY,
            wrap_up: MediaSet::EMPTY,
            offer_timeout: None,
            max_no_answer: None,
            wrap_up_timeout: None,
            agent_heartbeat_timeout: None,
        }
    }
}

impl EngineSettings {
    /// The setting of `timer`, in milliseconds: [`EngineSettings::offer_timeout`],
    /// [`EngineSettings::wrap_up_timeout`] or [`EngineSettings::agent_heartbeat_timeout`];
    /// `None` when it is off.
    pub const fn timeout(&self, timer: Timer) -> Option<u64> {
        match timer {
            Timer::OfferTimeout => self.offer_timeout,
            Timer::WrapUpTimeout => self.wrap_up_timeout,
            Timer::AgentHeartbeatTimeout => self.agent_heartbeat_timeout,
        }
    }

    /// Whether any timer is set: without one, nothing ever falls due and a caller needs no
    /// clock.
    pub const fn any_timer(&self) -> bool {
        self.interaction_timers() || self.agent_heartbeat_timeout.is_some()
    }

    /// Whether any interaction timer is set (`offer_timeout`, `wrap_up_timeout`): when none
    /// is, an input costs the timers one test of this.
    const fn interaction_timers(&self) -> bool {
        self.offer_timeout.is_some() || self.wrap_up_timeout.is_some()
    }
}

/// The outcome of an input that was not refused (MODEL.md section 5). A refused input is an
/// `Err(Error)` instead: outcome `rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Outcome {
    /// The state changed, or a platform fact confirmed it (`from == to`).
    Applied,
    /// The idempotency key was applied before with the same request; nothing changed, no
    /// effect was emitted.
    Duplicate,
    /// A stale fact (MODEL.md section 3, `disconnect` from an agent that no longer holds the
    /// interaction); nothing changed.
    Ignored,
}

impl Outcome {
    /// The public name: `applied`, `duplicate`, `ignored`.
    pub const fn name(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Duplicate => "duplicate",
            Outcome::Ignored => "ignored",
        }
    }
}

/// What [`Engine::apply`] did: the outcome and the interaction's state kind before and after,
/// and the agent whose activity the step changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Applied, duplicate or ignored.
    pub outcome: Outcome,
    /// The state before; `None` when the input created the interaction (or, for a duplicate,
    /// when the interaction is not known).
    pub from: Option<StateKind>,
    /// The state after; `None` only for a duplicate of an interaction no longer known.
    pub to: Option<StateKind>,
    /// The end reason when `to` is `ended`.
    pub reason: Option<EndReason>,
    /// The agent whose role on the interaction the step changed (MODEL.md section 10: its
    /// activity may have changed with it): the agent the new state names when it changed, else
    /// the one the old state named (a release: its owner). `None` when no agent's role changed
    /// (a hold, a user-data change, a duplicate, a refusal). [`Engine::agent_state`] reads its
    /// state after the step.
    pub agent: Option<AgentId>,
    /// When the step moved the interaction from one agent to another (a transfer, a
    /// `transferred`, an offer of an offered interaction to another agent), the agent it left,
    /// whose activity may have changed too; `None` otherwise.
    pub left: Option<AgentId>,
}

/// What [`Engine::apply_agent`] did: the outcome and the agent's state before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentStep {
    /// `applied` (the state may be unchanged: a `set_ready` of a ready agent restates it).
    pub outcome: Outcome,
    /// The state before; `None` when the agent was not known.
    pub from: Option<AgentState>,
    /// The state after.
    pub to: AgentState,
}

/// Whether [`Engine::register_provider`] added a provider or replaced its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// The provider was not registered before.
    Added,
    /// The provider's settings were replaced (Register is an upsert).
    Updated,
}

/// A set of [`ActionKind`]s, as returned by [`Engine::allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ActionSet(u32);

impl ActionSet {
    /// The empty set.
    pub const EMPTY: ActionSet = ActionSet(0);

    /// The set whose bits are `bits` (bit `n` for the `ActionKind` numbered `n`); bits beyond
    /// the last kind are dropped.
    pub const fn from_bits(bits: u32) -> ActionSet {
        ActionSet(bits & ((1u32 << ActionKind::COUNT) - 1))
    }

    /// The set's bits (bit `n` for the `ActionKind` numbered `n`).
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// The kinds in both sets.
    #[must_use]
    pub const fn intersection(self, other: ActionSet) -> ActionSet {
        ActionSet(self.0 & other.0)
    }

    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: ActionKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: ActionKind) {
        self.0 |= 1 << kind as u32;
    }

    /// Takes `kind` out (a vendor profile that does not offer it: GWS's held original of a
    /// consult transfer offers `SwapCalls`, not `Retrieve`).
    pub fn remove(&mut self, kind: ActionKind) {
        self.0 &= !(1 << kind as u32);
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in [`ActionKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = ActionKind> {
        ActionKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// The engine: every interaction, provider and agent session, and the rules that move them.
///
/// With the `serde` feature the engine serializes (a snapshot) and deserializes (a restore);
/// a restored engine compares equal to the one snapshotted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Engine {
    settings: EngineSettings,
    interactions: Store<Interaction>,
    providers: HashMap<ProviderName, ProviderSettings>,
    agents: Agents,
    keys: Keys,
    /// The ended interactions held, in the order they ended.
    ended: VecDeque<InteractionId>,
    forgotten: Forgotten,
    /// The clock and the armed timers (MODEL.md section 10).
    timers: Timers,
}

impl Engine {
    /// An empty engine with the default [`EngineSettings`].
    pub fn new() -> Self {
        Engine::default()
    }

    /// An empty engine with `settings`.
    pub fn with_settings(settings: EngineSettings) -> Self {
        Engine {
            settings,
            ..Engine::default()
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> EngineSettings {
        self.settings
    }

    /// Applies one input (MODEL.md sections 3 to 5 and 11) and pushes its effects onto
    /// `effects`.
    ///
    /// Returns the [`Step`] taken: `applied`, `duplicate` or `ignored`. Effects are only pushed
    /// when the outcome is `applied`; the buffer is the caller's to reuse, so the common
    /// transitions allocate nothing.
    ///
    /// # Errors
    /// A [`Refusal`] (`idempotency_conflict`, `unknown_interaction`, `already_exists`,
    /// `already_ended`, `invalid_transition`, `not_owner`, `not_permitted`, `unknown_provider`,
    /// `provider_mismatch`; `missing_field` for [`Refusal::AgentNeeded`], `invalid_field` for
    /// [`Refusal::UserDataTooLarge`]), in the order of checks in the module docs;
    /// [`Refusal::LimitReached`] (kind `not_permitted`) when the input would create an interaction beyond `max_live` (or
    /// beyond the 4 294 967 295 slots the store numbers) or make an agent known beyond
    /// `max_agents`. The engine and `effects` are then exactly as they were.
    pub fn apply(&mut self, input: Input, effects: &mut Vec<Effect>) -> Result<Step, Refusal> {
        let Input {
            interaction: id,
            action,
            actor,
            key,
            first_sight,
            api,
            wrap_up,
            now,
        } = input;
        // The request's fingerprint, only for an input with a key.
        let fingerprint = key
            .as_ref()
            .map(|_| request_fingerprint(&id, &action, &actor, first_sight.as_ref(), api));
        if let (Some(key), Some(fingerprint)) = (&key, fingerprint) {
            match self.keys.seen(key, fingerprint) {
                Seen::New => {}
                Seen::Same => return Ok(self.duplicate(id.as_str())),
                Seen::Other => {
                    return Err(Refusal::IdempotencyConflict { key: key.clone() });
                }
            }
        }
        let kind = action.kind();
        let rule = *rule_for(kind);
        // The few settings the checks read, not the whole (larger) struct: a copy per input.
        let (shared_apis, wrap_up_media, max_agents) = (
            self.settings.shared_apis,
            self.settings.wrap_up,
            self.settings.max_agents,
        );
        // One lookup: the checks read the interaction through this reference, and the write
        // goes through it too (the maps beside it are borrowed apart).
        let hash = self.interactions.hash(id.as_str());
        let Engine {
            interactions,
            providers,
            agents,
            ..
        } = self;
        let step = if let Some(it) = interactions.get_mut_hashed(hash, id.as_str()) {
            if !shared_apis.may_act(it.api, api) {
                return Err(foreign(&id, kind, it.api, api));
            }
            let wrap_up = wrap_up.unwrap_or(wrap_up_media.contains(it.media));
            let plan = check(it, providers, &id, rule, &action, &actor, wrap_up)?;
            check_room(agents, &actor, named_after(it, &action, plan), max_agents)?;
            let step = commit(it, agents, &id, &actor, action, plan, effects);
            if let Some(now) = now {
                self.timers.advance(now);
            }
            self.follow_timers(&id, &step);
            if step.from != step.to && step.to == Some(StateKind::Ended) {
                self.retire(id);
            }
            step
        } else if let Some(gone) = self.forgotten.get(id.as_str()) {
            if !shared_apis.may_act(gone.api, api) {
                return Err(foreign(&id, kind, gone.api, api));
            }
            if matches!(actor, Actor::Platform) && restates_end(kind, gone.reason) {
                if let Some(now) = now {
                    self.timers.advance(now);
                }
                Step {
                    outcome: Outcome::Applied,
                    from: Some(StateKind::Ended),
                    to: Some(StateKind::Ended),
                    reason: Some(gone.reason),
                    agent: None,
                    left: None,
                }
            } else {
                return Err(Refusal::AlreadyEnded {
                    interaction: id,
                    reason: gone.reason,
                    action: kind,
                });
            }
        } else {
            let it = check_new(providers, &id, rule, action, &actor, first_sight, api)?;
            self.check_room_for(&it, &actor)?;
            if let Some(now) = now {
                self.timers.advance(now);
            }
            self.create(hash, id, it, &actor, effects)
        };
        if let (Some(key), Some(fingerprint)) = (key, fingerprint) {
            self.keys
                .remember(&key, fingerprint, self.settings.max_idempotency_keys);
        }
        Ok(step)
    }

    /// The step of a duplicate: nothing changes, the interaction's state as it is now.
    fn duplicate(&self, id: &str) -> Step {
        let (kind, reason) = match self.interactions.get(id) {
            Some(it) => (Some(it.state.kind()), it.state.end_reason()),
            None => match self.forgotten.get(id) {
                Some(gone) => (Some(StateKind::Ended), Some(gone.reason)),
                None => (None, None),
            },
        };
        Step {
            outcome: Outcome::Duplicate,
            from: kind,
            to: kind,
            reason,
            agent: None,
            left: None,
        }
    }

    /// Checks that creating `it` stays within `max_live`, the store's slots and `max_agents`.
    fn check_room_for(&self, it: &Interaction, actor: &Actor) -> Result<(), Refusal> {
        if self.live() >= self.settings.max_live {
            return Err(Refusal::LimitReached {
                what: "live interactions",
                setting: "max_live",
                limit: self.settings.max_live,
            });
        }
        if self.interactions.is_full() {
            return Err(Refusal::LimitReached {
                what: "interactions",
                setting: "the store's slot numbers (u32)",
                limit: store::MAX_LEN,
            });
        }
        check_room(
            &self.agents,
            actor,
            named(&it.state),
            self.settings.max_agents,
        )
    }

    /// Returns how many live (voice) interactions `agent` is on: owns while `connected`, `held`
    /// or `dialing` (a call it placed, not yet answered). Chats, nonlive work and offers do not
    /// count. Kept by every [`Engine::apply`], so this is one lookup; 0 for an agent never seen.
    /// The VCC Calls API's "Agent number busy" refusal reads it (vcc-calls.txt, "Returns HTTP
    /// Status Code 400").
    pub fn live_calls(&self, agent: &str) -> u32 {
        self.agents.get(agent).map_or(0, |a| a.live_calls)
    }

    /// Logs `agent` in (core `log_in`, Anywhere365 `LoggedIn`, `AgentLogin`, GWS
    /// `StartContactCenterSession`): [`Engine::apply_agent`] with [`AgentAction::LogIn`].
    ///
    /// # Errors
    /// [`Refusal::LimitReached`] (`not_permitted`) when `agent` is not known and the engine knows
    /// `max_agents` agents; nothing changes then.
    pub fn log_in(&mut self, agent: AgentId) -> Result<(), Refusal> {
        self.apply_agent(agent, AgentAction::LogIn).map(|_| ())
    }

    /// Logs `agent` out (core `log_out`, Anywhere365 `LoggedOff`, `AgentLogout`, GWS
    /// `EndContactCenterSession`); an agent never seen before becomes known, logged out.
    ///
    /// # Errors
    /// [`Refusal::LimitReached`] (`not_permitted`) when `agent` is not known and the engine knows
    /// `max_agents` agents; nothing changes then.
    pub fn log_out(&mut self, agent: AgentId) -> Result<(), Refusal> {
        self.apply_agent(agent, AgentAction::LogOut).map(|_| ())
    }

    /// Applies an agent action (MODEL.md section 10), read from [`AGENT_TRANSITIONS`]:
    /// `log_in` and `log_out` from any session (an unknown agent becomes known; availability
    /// back to `unknown`), `set_ready`, `set_not_ready` (with its reason) and
    /// `set_after_call_work` while logged in (an agent seen acting counts as logged in). The
    /// activity is not an action's: it follows the agent's interactions.
    ///
    /// # Errors
    /// [`Refusal::InvalidAgentTransition`] (`invalid_transition`) for an availability action of
    /// a logged-out agent; [`Refusal::UnknownAgent`] for one of an agent never seen;
    /// [`Refusal::LimitReached`] (`not_permitted`) when a log in or out would make one agent more
    /// known than `max_agents`. Nothing changes then.
    pub fn apply_agent(
        &mut self,
        agent: AgentId,
        action: AgentAction,
    ) -> Result<AgentStep, Refusal> {
        let kind = action.kind();
        let rule = agent_rule_for(kind);
        let before = self.agents.get(&agent).map(Agent::state);
        let session = before.as_ref().map(|s| s.session);
        let legal = match session {
            None | Some(Session::LoggedOut) => rule.from_logged_out,
            Some(Session::LoggedIn) => rule.from_logged_in,
        };
        if !legal {
            return Err(match session {
                None => Refusal::UnknownAgent {
                    message: format!(
                        "unknown agent `{}`: `{kind}` needs a logged-in agent",
                        crate::text::quote(agent.as_str())
                    )
                    .into(),
                    agent,
                },
                Some(session) => Refusal::InvalidAgentTransition {
                    agent,
                    action: kind,
                    session,
                },
            });
        }
        let reason = match action {
            AgentAction::SetNotReady { reason } => reason,
            _ => None,
        };
        match rule.session {
            Session::LoggedIn if matches!(kind, AgentActionKind::LogIn) => set_presence(
                &mut self.agents,
                agent.clone(),
                Presence::LoggedIn,
                self.settings.max_agents,
            )?,
            Session::LoggedOut => set_presence(
                &mut self.agents,
                agent.clone(),
                Presence::LoggedOut,
                self.settings.max_agents,
            )?,
            Session::LoggedIn => {
                // Legal only for a known agent (checked above).
                let Some(entry) = self.agents.get_mut(&agent) else {
                    return Err(full(self.settings.max_agents));
                };
                entry.availability = rule.availability;
                entry.reason = reason;
            }
        }
        if kind == AgentActionKind::LogOut {
            self.timers.cancel_agent(agent.as_str());
        }
        let to = self
            .agents
            .get(&agent)
            .map_or_else(|| Agent::SEEN.state(), Agent::state);
        Ok(AgentStep {
            outcome: Outcome::Applied,
            from: before,
            to,
        })
    }

    /// An agent's state (MODEL.md section 10): session, availability and reason, and the
    /// activity its interactions give; `None` for an agent never seen.
    pub fn agent_state(&self, agent: &str) -> Option<AgentState> {
        self.agents.get(agent).map(Agent::state)
    }

    /// Which agent actions `agent` may take now, from [`AGENT_TRANSITIONS`]: `log_in` and
    /// `log_out` always; the availability actions while logged in. An agent never seen may
    /// only log in or out.
    pub fn agent_allowed(&self, agent: &str) -> AgentActionSet {
        let session = self.agents.get(agent).map(|a| a.presence.session());
        let mut set = AgentActionSet::EMPTY;
        for rule in AGENT_TRANSITIONS {
            let legal = match session {
                Some(Session::LoggedIn) => rule.from_logged_in,
                None | Some(Session::LoggedOut) => rule.from_logged_out,
            };
            if legal {
                set.insert(rule.action);
            }
        }
        set
    }

    /// The engine's clock: the latest `now` an input that was not refused nor a duplicate
    /// ([`Input::now`]) or [`Engine::handle_timeout`] brought, in the caller's monotonic
    /// milliseconds; 0 before any.
    pub fn now(&self) -> u64 {
        self.timers.now
    }

    /// When the engine next needs [`Engine::handle_timeout`]: the earliest deadline of an armed
    /// timer, in the caller's monotonic milliseconds (it may be at or before [`Engine::now`]
    /// when the caller is late); `None` when no timer is armed (quinn-proto's `poll_timeout`).
    /// Exact: a cancelled timer is removed when it is cancelled.
    pub fn poll_timeout(&self) -> Option<u64> {
        self.timers.next_deadline()
    }

    /// The timer armed for interaction `id` and its deadline (milliseconds), if any: an
    /// `offered` interaction's [`Timer::OfferTimeout`], a `wrap_up` one's
    /// [`Timer::WrapUpTimeout`].
    pub fn timer(&self, id: &str) -> Option<(Timer, u64)> {
        self.timers.interaction(id)
    }

    /// The deadline (milliseconds) of `agent`'s heartbeat timer, if one is armed.
    pub fn heartbeat_deadline(&self, agent: &str) -> Option<u64> {
        self.timers.agent(agent)
    }

    /// How many timers are armed.
    pub fn timers_armed(&self) -> usize {
        self.timers.queue.len()
    }

    /// A heartbeat from `agent` (Anywhere365 `HeartBeat`, and its login): with
    /// [`EngineSettings::agent_heartbeat_timeout`] set and the agent logged in, (re-)arms its
    /// [`Timer::AgentHeartbeatTimeout`] that long after the clock. Returns whether it is armed;
    /// `false`, changing nothing, without the setting or for an agent not logged in (a
    /// heartbeat does not log an agent in). An agent that never sends one has no heartbeat
    /// timer: the setting only watches agents that keep their session alive this way.
    pub fn heartbeat(&mut self, agent: &AgentId) -> bool {
        let Some(after) = self.settings.agent_heartbeat_timeout else {
            return false;
        };
        let logged_in = self
            .agents
            .get(agent.as_str())
            .is_some_and(|a| a.presence.session() == Session::LoggedIn);
        logged_in && self.timers.arm_agent(agent, after)
    }

    /// Fires every timer due at `now` (monotonic milliseconds; the clock moves to `now` when
    /// later, and an earlier `now` keeps it), in deadline order and, at one deadline, in the
    /// order they were armed. Each is a platform action applied as [`Engine::apply`] applies one,
    /// through the core API (which acts on every vendor API's interactions): a ring-no-answer is a `revoke` (the
    /// interaction back to `queued`, a `redistribute` effect; the agent's run of no-answers
    /// counted, `not_ready` with reason `no_answer` at [`EngineSettings::max_no_answer`]), a
    /// wrap-up timeout a `complete`, a missed heartbeat a `log_out`. Pushes one [`Fired`] per
    /// timer onto `fired` and its effects onto `effects` ([`Fired::effects`] says which).
    ///
    /// A timer never fires before its deadline, and fires once: a step that leaves the state
    /// that armed it (an accept, a complete, a log out) cancels it, and a snapshot keeps the
    /// armed timers and the clock, so a restored engine fires the same timers at the same
    /// `now`. Call it before applying input that happened at `now`.
    pub fn handle_timeout(&mut self, now: u64, fired: &mut Vec<Fired>, effects: &mut Vec<Effect>) {
        self.timers.advance(now);
        // Everything due at once (one split of the ordered map, not one removal each); a
        // timer armed while these fire (none is, today: no timer's action arms one) is due
        // after them, so the loop looks again.
        while let Some(due) = self.timers.take_due() {
            for (key, armed) in due {
                if self.timers.disarm(key, &armed) {
                    self.fire(key.0, armed, fired, effects);
                }
            }
        }
    }

    /// Fires one timer taken from the queue (see [`Engine::handle_timeout`]).
    fn fire(
        &mut self,
        deadline: u64,
        armed: Armed,
        fired: &mut Vec<Fired>,
        effects: &mut Vec<Effect>,
    ) {
        let start = effects.len();
        match armed {
            Armed::Interaction(timer, id) => {
                let action = match timer.action() {
                    Some(ActionKind::Revoke) => crate::Action::Revoke,
                    Some(ActionKind::Complete) => crate::Action::Complete,
                    _ => return,
                };
                // The engine's own platform action, through the core API, which acts on the
                // interactions of every vendor API (MODEL.md section 11).
                let Some(api) = self.interactions.get(id.as_str()).map(|it| it.api) else {
                    return;
                };
                let input = Input::new(id.clone(), action, Actor::Platform);
                match self.apply(input, effects) {
                    Ok(step) => {
                        let agent_state = step
                            .agent
                            .as_ref()
                            .and_then(|agent| self.no_answer(agent, timer == Timer::OfferTimeout));
                        fired.push(Fired {
                            timer,
                            deadline,
                            agent_state,
                            step: FiredStep::Interaction {
                                interaction: id,
                                api,
                                step,
                            },
                            effects: start..effects.len(),
                        });
                    }
                    // The engine armed it from its own state, which only a step that cancels
                    // it leaves: not reached, and nothing is reported.
                    Err(_) => effects.truncate(start),
                }
            }
            Armed::Agent(agent) => {
                if let Ok(step) = self.apply_agent(agent.clone(), AgentAction::LogOut) {
                    fired.push(Fired {
                        timer: Timer::AgentHeartbeatTimeout,
                        deadline,
                        agent_state: Some(step.to.clone()),
                        step: FiredStep::Agent { agent, step },
                        effects: start..start,
                    });
                }
            }
        }
    }

    /// Counts a ring-no-answer of `agent` when `counted`: at [`EngineSettings::max_no_answer`]
    /// in a row, a logged-in agent becomes `not_ready` with reason `no_answer` (an agent
    /// already not ready keeps its reason) and the count starts again, as it does when the
    /// agent logs in or out. Returns the agent's state after it (one lookup).
    fn no_answer(&mut self, agent: &AgentId, counted: bool) -> Option<AgentState> {
        let max = self.settings.max_no_answer.filter(|&m| m > 0);
        let entry = self.agents.get_mut(agent.as_str())?;
        if let (true, Some(max)) = (counted, max) {
            entry.no_answers = entry.no_answers.saturating_add(1);
            if entry.no_answers >= max && entry.presence.session() == Session::LoggedIn {
                entry.no_answers = 0;
                if entry.availability != Availability::NotReady {
                    entry.availability = Availability::NotReady;
                    entry.reason = Some(crate::Name::NO_ANSWER);
                }
            }
        }
        Some(entry.state())
    }

    /// Registers `name` with `settings`, replacing earlier settings (VCC `POST /register` is an
    /// upsert). Interactions already dispatched with the provider follow the new rules.
    ///
    /// # Errors
    /// [`Refusal::LimitReached`] (`not_permitted`) when `name` is new and `max_providers` are
    /// registered; nothing changes then.
    pub fn register_provider(
        &mut self,
        name: ProviderName,
        settings: ProviderSettings,
    ) -> Result<Registration, Refusal> {
        if let Some(old) = self.providers.get_mut(&name) {
            *old = settings;
            return Ok(Registration::Updated);
        }
        if self.providers.len() >= self.settings.max_providers {
            return Err(Refusal::LimitReached {
                what: "providers",
                setting: "max_providers",
                limit: self.settings.max_providers,
            });
        }
        self.providers.insert(name, settings);
        Ok(Registration::Added)
    }

    /// A registered provider's settings.
    pub fn provider(&self, name: &str) -> Option<&ProviderSettings> {
        self.providers.get(name)
    }

    /// An interaction by id (live, or ended and still retained).
    pub fn interaction(&self, id: &str) -> Option<&Interaction> {
        self.interactions.get(id)
    }

    /// Whether `id` is an ended interaction the engine no longer holds but still remembers by
    /// its fingerprint ([`EngineSettings::max_forgotten`]), with the reason it ended.
    pub fn forgotten(&self, id: &str) -> Option<EndReason> {
        self.forgotten.get(id).map(|gone| gone.reason)
    }

    /// How many fingerprints of forgotten ended interactions are remembered.
    pub fn forgotten_len(&self) -> usize {
        self.forgotten.len()
    }

    /// How many idempotency keys are remembered.
    pub fn idempotency_keys(&self) -> usize {
        self.keys.len()
    }

    /// Every interaction held, in the order they were created, except that removing an ended
    /// interaction (beyond [`EngineSettings::max_ended`]) moves the newest into its place.
    pub fn interactions(&self) -> impl Iterator<Item = (&InteractionId, &Interaction)> {
        self.interactions.iter()
    }

    /// How many interactions are held (live and retained ended ones).
    pub fn len(&self) -> usize {
        self.interactions.len()
    }

    /// How many live (not ended) interactions are held: what
    /// [`EngineSettings::max_live`] bounds.
    pub fn live(&self) -> usize {
        self.interactions.len().saturating_sub(self.ended.len())
    }

    /// Whether no interaction is held.
    pub fn is_empty(&self) -> bool {
        self.interactions.len() == 0
    }

    /// An agent's session state; `None` for an agent never seen.
    pub fn presence(&self, agent: &str) -> Option<Presence> {
        self.agents.get(agent).map(|a| a.presence)
    }

    /// Every known agent and its session state, in no particular order.
    pub fn agents(&self) -> impl Iterator<Item = (&AgentId, Presence)> {
        self.agents.iter().map(|(id, a)| (id, a.presence))
    }

    /// The interactions parked in `workbin`, sorted by id (GWS `GetWorkbinContent`).
    pub fn workbin_content(&self, workbin: &str) -> Vec<&InteractionId> {
        let mut ids: Vec<&InteractionId> = self
            .interactions
            .iter()
            .filter(|(_, it)| {
                matches!(&it.state, State::InWorkbin { workbin: w, .. } if w.as_str() == workbin)
            })
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids
    }

    /// Which actions `agent` may take now on interaction `id` (MODEL.md section 4; the XState
    /// `can` query, GWS `capabilities`). Read from the transition table, with the ownership and
    /// provider rules that [`Engine::apply`] enforces: an action is in the set exactly when
    /// `apply` would accept it from that agent (with suitable arguments, through the API the
    /// interaction belongs to). Empty for an unknown or ended interaction.
    pub fn allowed(&self, id: &str, agent: &str) -> ActionSet {
        match self.interactions.get(id) {
            Some(it) => self.allowed_on(it, agent),
            None => ActionSet::EMPTY,
        }
    }

    /// [`Engine::allowed`] for `agent`, or, when `agent` is `None`, for the agent the
    /// interaction is owned by or offered to (empty when none is): what a record or an item
    /// lists as what its agent may do next. One lookup.
    pub fn allowed_for(&self, id: &str, agent: Option<&str>) -> ActionSet {
        match self.interactions.get(id) {
            Some(it) => self.allowed_in(it, agent),
            None => ActionSet::EMPTY,
        }
    }

    /// [`Engine::allowed_for`] on an interaction already read from this engine
    /// ([`Engine::interaction`]), for a caller that reads it for other things too: no lookup
    /// of the interaction (its provider's permissions are still read).
    pub fn allowed_in(&self, it: &Interaction, agent: Option<&str>) -> ActionSet {
        let holder = it
            .state
            .owner()
            .or(it.state.offered_to())
            .map(AgentId::as_str);
        match agent.or(holder) {
            Some(agent) => self.allowed_on(it, agent),
            None => ActionSet::EMPTY,
        }
    }

    /// What `agent` may take on `it`: the table's rows legal from its state for the roles the
    /// agent has there ([`crate::table`]'s role masks, built from the table at compile time),
    /// less what the direction and the provider's permissions rule out. A few bit operations
    /// and at most one lookup (the provider).
    fn allowed_on(&self, it: &Interaction, agent: &str) -> ActionSet {
        use crate::permission::Permission;
        use crate::table::{NEEDING, OUTBOUND_ONLY, ROLE_MASKS};
        let [owner_mask, offered_mask, self_mask] = ROLE_MASKS
            .get(it.state.kind() as usize)
            .copied()
            .unwrap_or_default();
        let mut bits = self_mask;
        if it.state.owner().is_some_and(|o| o.as_str() == agent) {
            bits |= owner_mask;
        }
        if it.state.offered_to().is_some_and(|o| o.as_str() == agent) {
            bits |= offered_mask;
        }
        if it.direction != crate::Direction::Outbound {
            bits &= !OUTBOUND_ONLY;
        }
        if let Some(provider) = &it.provider {
            let permissions = self.providers.get(provider).map(|s| s.permissions);
            for (permission, needs) in Permission::ALL.into_iter().zip(NEEDING) {
                let allows =
                    permissions.map_or(permission.default_allowed(), |p| p.allows(permission));
                if !allows {
                    bits &= !needs;
                }
            }
        }
        ActionSet(bits)
    }

    /// Adds an interaction that `check_new` accepted (absent, with `hash`). Cannot fail: the
    /// caller checked that there is room.
    fn create(
        &mut self,
        hash: Hashed,
        id: InteractionId,
        it: Interaction,
        actor: &Actor,
        effects: &mut Vec<Effect>,
    ) -> Step {
        let agent = track_agents(&mut self.agents, actor, None, &it.state, it.media)
            .0
            .cloned();
        if it.state.kind() == StateKind::Connected {
            notify_assign(&id, &it, effects);
        }
        let to = it.state.kind();
        let step = Step {
            outcome: Outcome::Applied,
            from: None,
            to: Some(to),
            reason: None,
            agent,
            left: None,
        };
        self.follow_timers(&id, &step);
        self.interactions.insert_new(hash, id, it);
        step
    }

    /// Keeps an ended interaction for late-event detection; beyond `max_ended`, the one that
    /// ended first is removed and remembered by its fingerprint.
    fn retire(&mut self, id: InteractionId) {
        self.ended.push_back(id);
        while self.ended.len() > self.settings.max_ended {
            if let Some(old) = self.ended.pop_front()
                && let Some(it) = self.interactions.remove(old.as_str())
                && let State::Ended { reason } = it.state
            {
                self.forgotten
                    .remember(old.as_str(), reason, it.api, self.settings.max_forgotten);
            }
        }
    }
}

impl Engine {
    /// Arms, re-arms or cancels interaction `id`'s timer after `step` (nothing without an
    /// interaction timer set: one test of the settings): an interaction newly `offered` (or
    /// offered to another agent) gets its [`Timer::OfferTimeout`], one newly in `wrap_up` its
    /// [`Timer::WrapUpTimeout`]; leaving those states cancels it. An offer answered (`offered`
    /// to `connected`) ends its agent's run of ring-no-answers.
    fn follow_timers(&mut self, id: &InteractionId, step: &Step) {
        let settings = &self.settings;
        if !settings.interaction_timers()
            || step.outcome != Outcome::Applied
            || (step.from == step.to && step.agent.is_none())
        {
            return;
        }
        // The interaction timer the new state arms (Timer::armed_in), when it is set.
        let armed = [Timer::OfferTimeout, Timer::WrapUpTimeout]
            .into_iter()
            .find(|timer| step.to == timer.armed_in())
            .and_then(|timer| Some((timer, settings.timeout(timer)?)));
        match armed {
            Some((timer, after)) => self.timers.arm_interaction(id, timer, after),
            None => self.timers.cancel_interaction(id.as_str()),
        }
        if step.from == Some(StateKind::Offered)
            && step.to == Some(StateKind::Connected)
            && let Some(agent) = &step.agent
            && let Some(entry) = self.agents.get_mut(agent.as_str())
        {
            entry.no_answers = 0;
        }
    }
}

/// Counts each agent's live calls from the interactions (a restore rebuilds them this way):
/// every agent a live state names becomes known.
#[cfg(feature = "serde")]
fn recount(agents: &mut Agents, interactions: &Store<Interaction>) {
    for (_, it) in interactions.iter() {
        track_agents(agents, &Actor::Platform, None, &it.state, it.media);
    }
}
