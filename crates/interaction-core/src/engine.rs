//! The engine: many interactions keyed by id, provider settings and agent sessions
//! (MODEL.md section 5).
//!
//! # Using it
//!
//! * **Inputs**: [`Engine::apply`] (an [`Input`] on one interaction), [`Engine::log_in`] /
//!   [`Engine::log_out`] (agent sessions), [`Engine::register_provider`] (VCC Register).
//! * **Outputs**: `apply` returns a [`Step`] (outcome, state before and after) or the [`Error`]
//!   that refused the input, and pushes [`Effect`]s onto the caller's buffer. Nothing else leaves
//!   the engine: no IO, no clock, no randomness that can be observed.
//! * **Queries**: [`Engine::interaction`], [`Engine::allowed`], [`Engine::provider`],
//!   [`Engine::presence`], [`Engine::live_calls`], [`Engine::workbin_content`],
//!   [`Engine::interactions`].
//!
//! Inputs are applied one at a time, in the order given (never by timestamp).
//!
//! # Invariants
//!
//! * A refused input changes nothing: every check runs before the first write, and the write
//!   cannot fail. The engine compares equal (`==`) to what it was before.
//! * `ended` is absorbing: later input for an ended interaction is refused `already_ended`,
//!   except a platform fact that restates the same end (a GWS `Completed` after `Complete`),
//!   which is an `applied` no-op. An ended id is never resurrected while it is retained.
//! * Memory is bounded by [`EngineSettings`]: at most `max_ended` ended interactions and
//!   `max_idempotency_keys` keys are kept, the oldest evicted first.
//!
//! # The order of checks
//!
//! For an input on an existing interaction: 1. idempotency key already applied: `duplicate`;
//! 2. interaction unknown: `unknown_interaction`; 3. ended: `already_ended`; 4. a platform fact
//! restating the current state: `applied`, `from == to`; 5. state not in the action's `from`
//! set, or `cancel` of an inbound interaction: `invalid_transition`; 6. the actor kind may not
//! take the action: `not_permitted`; an agent that neither owns nor is offered it: `not_owner`;
//! a provider other than the interaction's releasing it: `provider_mismatch`; 7. the provider's
//! rule forbids the agent's action: `not_permitted`; 8. argument checks (`answer` of a group call
//! naming no agent: `missing_field`).

use std::collections::VecDeque;
use std::mem;

use hashbrown::{HashMap, HashSet};

use crate::action::{Action, ActionKind, Actor, FirstSight, Input};
use crate::effect::{Effect, Notification};
use crate::error::Error;
use crate::id::{AgentId, IdempotencyKey, InteractionId, ProviderName};
use crate::permission::ProviderSettings;
use crate::state::{Caller, Direction, EndReason, Media, State, StateKind, Target};
use crate::store::{self, Hashed, Store};
use crate::table::{Actors, Rule, TRANSITIONS, rule_for};
use crate::value::UserData;

/// Engine settings that bound memory. Both are documented in `docs/ARCHITECTURE.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EngineSettings {
    /// How many ended interactions are kept for late-event detection (a late callback for one of
    /// them is refused `already_ended`). When more end, the one that ended first is forgotten;
    /// input for a forgotten id is then `unknown_interaction`, and a new dispatch may reuse it.
    /// Default 100 000; 0 forgets an interaction as soon as it ends.
    pub max_ended: usize,
    /// How many idempotency keys (VCC `requestid`, `notificationid`) are remembered, oldest
    /// forgotten first. Default 1 000 000 (about 64 MiB of keys at most).
    pub max_idempotency_keys: usize,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            max_ended: 100_000,
            max_idempotency_keys: 1_000_000,
        }
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
    /// The idempotency key was applied before; nothing changed, no effect was emitted.
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

/// What [`Engine::apply`] did: the outcome and the interaction's state kind before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// An agent's session state (MODEL.md section 6, "Agent sessions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Presence {
    /// Seen acting or named by a platform fact, with no login or logout seen.
    Seen,
    /// Logged in (Anywhere365 `LoggedIn`, `AgentLogin`, core `log_in`).
    LoggedIn,
    /// Logged out (Anywhere365 `LoggedOff`, a failed login, `AgentLogout`, core `log_out`).
    LoggedOut,
}

impl Presence {
    /// The public name: `seen`, `logged_in`, `logged_out`.
    pub const fn name(self) -> &'static str {
        match self {
            Presence::Seen => "seen",
            Presence::LoggedIn => "logged_in",
            Presence::LoggedOut => "logged_out",
        }
    }
}

/// Whether [`Engine::register_provider`] added a provider or replaced its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// The provider was not registered before.
    Added,
    /// The provider's settings were replaced (Register is an upsert).
    Updated,
}

/// One interaction held by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interaction {
    state: State,
    media: Media,
    direction: Direction,
    provider: Option<ProviderName>,
    target: Option<Target>,
    user_data: Data,
}

impl Interaction {
    /// The current state with its data.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The media.
    pub fn media(&self) -> Media {
        self.media
    }

    /// The direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The provider it was dispatched with, if any.
    pub fn provider(&self) -> Option<&ProviderName> {
        self.provider.as_ref()
    }

    /// The route or queue it last waited at, if known.
    pub fn target(&self) -> Option<&Target> {
        self.target.as_ref()
    }

    /// Its user data.
    pub fn user_data(&self) -> &UserData {
        self.user_data.get()
    }
}

/// No user data, for the interactions that have none.
static NO_USER_DATA: UserData = UserData::new();

/// An interaction's user data, kept out of line: most interactions carry none, and an empty
/// map inline would cost 24 bytes in every one where a box costs 8 (`docs/PERFORMANCE.md`,
/// Memory). Never an empty box: `None` is the empty map, so equality and snapshots see only the
/// map.
#[derive(Clone, Default)]
struct Data(Option<Box<UserData>>);

impl Data {
    fn new(data: UserData) -> Self {
        if data.is_empty() {
            Data(None)
        } else {
            Data(Some(Box::new(data)))
        }
    }

    fn get(&self) -> &UserData {
        self.0.as_deref().unwrap_or(&NO_USER_DATA)
    }

    /// Applies a user-data change, dropping the box when the map ends up empty.
    fn change(&mut self, change: UserDataChange) {
        if self.0.is_none() && matches!(change, UserDataChange::Delete(_)) {
            return;
        }
        let data = self.0.get_or_insert_with(Box::default);
        match change {
            UserDataChange::Update(new) => data.extend(new),
            UserDataChange::Attach(new) => {
                for (k, v) in new {
                    data.entry(k).or_insert(v);
                }
            }
            UserDataChange::Delete(keys) => {
                for k in keys {
                    data.remove(&k);
                }
            }
        }
        if data.is_empty() {
            self.0 = None;
        }
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Data {}

impl core::fmt::Debug for Data {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.get(), f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Data {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UserData::deserialize(deserializer).map(Data::new)
    }
}

/// What the engine keeps per agent: its session state, and how many live (voice) interactions
/// it is on (owns while `connected`, `held` or `dialing`), kept by every apply so that the VCC
/// Calls API's busy check is one lookup. Snapshots hold the presence only; the count is rebuilt
/// on restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Agent {
    presence: Presence,
    live_calls: u32,
}

impl Agent {
    const SEEN: Agent = Agent {
        presence: Presence::Seen,
        live_calls: 0,
    };
}

/// A set of [`ActionKind`]s, as returned by [`Engine::allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ActionSet(u32);

impl ActionSet {
    /// The empty set.
    pub const EMPTY: ActionSet = ActionSet(0);

    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: ActionKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: ActionKind) {
        self.0 |= 1 << kind as u32;
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "Snapshot"))]
pub struct Engine {
    settings: EngineSettings,
    interactions: Store<Interaction>,
    providers: HashMap<ProviderName, ProviderSettings>,
    #[cfg_attr(feature = "serde", serde(serialize_with = "serialize_presence"))]
    agents: HashMap<AgentId, Agent>,
    keys: HashSet<IdempotencyKey>,
    key_order: VecDeque<IdempotencyKey>,
    ended: VecDeque<InteractionId>,
}

/// The engine as a snapshot holds it: what [`Engine`] deserializes from. The same members as
/// the engine, with each agent's presence only.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct Snapshot {
    settings: EngineSettings,
    interactions: Store<Interaction>,
    providers: HashMap<ProviderName, ProviderSettings>,
    agents: HashMap<AgentId, Presence>,
    keys: HashSet<IdempotencyKey>,
    key_order: VecDeque<IdempotencyKey>,
    ended: VecDeque<InteractionId>,
}

#[cfg(feature = "serde")]
impl From<Snapshot> for Engine {
    /// Restores the engine, rebuilding what snapshots leave out: each agent's count of live
    /// calls, from the interactions. An agent a live state names but the snapshot does not know
    /// (a snapshot the engine did not write) becomes known, `seen`.
    fn from(snapshot: Snapshot) -> Engine {
        let mut agents: HashMap<AgentId, Agent> = snapshot
            .agents
            .into_iter()
            .map(|(id, presence)| {
                (
                    id,
                    Agent {
                        presence,
                        live_calls: 0,
                    },
                )
            })
            .collect();
        for (_, it) in snapshot.interactions.iter() {
            track_agents(&mut agents, &Actor::Platform, None, &it.state, it.media);
        }
        Engine {
            settings: snapshot.settings,
            interactions: snapshot.interactions,
            providers: snapshot.providers,
            agents,
            keys: snapshot.keys,
            key_order: snapshot.key_order,
            ended: snapshot.ended,
        }
    }
}

/// Writes the agents as a map from id to presence (the snapshot format).
#[cfg(feature = "serde")]
fn serialize_presence<S: serde::Serializer>(
    agents: &HashMap<AgentId, Agent>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(agents.iter().map(|(id, agent)| (id, agent.presence)))
}

/// What a checked input will do to an existing interaction. Small and `Copy` on purpose: the
/// new state is built by `commit`, in place, from the action it moves, so no large value
/// travels between the checks and the write.
#[derive(Clone, Copy)]
enum Plan {
    /// Move to the state `advance` builds.
    Move,
    /// Change the user data.
    UserData,
    /// A platform fact restating the current state.
    Restate,
    /// A stale fact; nothing changes.
    Ignore,
}

enum UserDataChange {
    Update(UserData),
    Attach(UserData),
    Delete(Vec<String>),
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

    /// Applies one input (MODEL.md sections 3 to 5) and pushes its effects onto `effects`.
    ///
    /// Returns the [`Step`] taken: `applied`, `duplicate` or `ignored`. Effects are only pushed
    /// when the outcome is `applied`; the buffer is the caller's to reuse, so the common
    /// transitions allocate nothing.
    ///
    /// # Errors
    /// Any [`Error`] whose kind is one of the engine's (`unknown_interaction`, `already_exists`,
    /// `already_ended`, `invalid_transition`, `not_owner`, `not_permitted`, `unknown_provider`,
    /// `provider_mismatch`, `missing_field`), in the order of checks in the module docs; and
    /// `not_permitted` for an input that would create an interaction when the engine already
    /// holds 4 294 967 295 (slot numbers are `u32`). The engine and `effects` are then exactly
    /// as they were.
    pub fn apply(&mut self, input: Input, effects: &mut Vec<Effect>) -> Result<Step, Error> {
        let Input {
            interaction: id,
            action,
            actor,
            key,
            first_sight,
        } = input;
        if let Some(key) = &key
            && self.keys.contains(key)
        {
            let (kind, reason) = self
                .interactions
                .get(id.as_str())
                .map_or((None, None), |it| {
                    (Some(it.state.kind()), it.state.end_reason())
                });
            return Ok(Step {
                outcome: Outcome::Duplicate,
                from: kind,
                to: kind,
                reason,
            });
        }
        let kind = action.kind();
        let rule = *rule_for(kind);
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
            let plan = check(it, providers, &id, rule, &action, &actor)?;
            let step = commit(it, agents, &id, &actor, action, plan, effects);
            if step.from != step.to && step.to == Some(StateKind::Ended) {
                self.retire(id);
            }
            step
        } else {
            let it = check_new(providers, &id, rule, action, &actor, first_sight)?;
            if interactions.is_full() {
                return Err(Error::NotPermitted {
                    action: kind,
                    reason: format!(
                        "the engine holds {} interactions, the most it can",
                        store::MAX_LEN
                    )
                    .into(),
                });
            }
            self.create(hash, id, it, &actor, effects)
        };
        if let Some(key) = key {
            self.remember_key(key);
        }
        Ok(step)
    }

    /// Returns how many live (voice) interactions `agent` is on: owns while `connected`, `held`
    /// or `dialing` (a call it placed, not yet answered). Chats, nonlive work and offers do not
    /// count. Kept by every [`Engine::apply`], so this is one lookup; 0 for an agent never seen.
    /// The VCC Calls API's "Agent number busy" refusal reads it (vcc-calls.txt, "Returns HTTP
    /// Status Code 400").
    pub fn live_calls(&self, agent: &str) -> u32 {
        self.agents.get(agent).map_or(0, |a| a.live_calls)
    }

    /// Logs `agent` in (core `log_in`, Anywhere365 `LoggedIn`, `AgentLogin`). Never refused.
    pub fn log_in(&mut self, agent: AgentId) {
        self.agents.entry(agent).or_insert(Agent::SEEN).presence = Presence::LoggedIn;
    }

    /// Logs `agent` out (core `log_out`, Anywhere365 `LoggedOff`, `AgentLogout`). Never refused;
    /// an agent never seen before becomes known, logged out.
    pub fn log_out(&mut self, agent: AgentId) {
        self.agents.entry(agent).or_insert(Agent::SEEN).presence = Presence::LoggedOut;
    }

    /// Registers `name` with `settings`, replacing earlier settings (VCC `POST /register` is an
    /// upsert). Interactions already dispatched with the provider follow the new rules.
    pub fn register_provider(
        &mut self,
        name: ProviderName,
        settings: ProviderSettings,
    ) -> Registration {
        match self.providers.insert(name, settings) {
            Some(_) => Registration::Updated,
            None => Registration::Added,
        }
    }

    /// A registered provider's settings.
    pub fn provider(&self, name: &str) -> Option<&ProviderSettings> {
        self.providers.get(name)
    }

    /// An interaction by id (live, or ended and still retained).
    pub fn interaction(&self, id: &str) -> Option<&Interaction> {
        self.interactions.get(id)
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
    /// `apply` would accept it from that agent (with suitable arguments). Empty for an unknown
    /// or ended interaction.
    pub fn allowed(&self, id: &str, agent: &str) -> ActionSet {
        let mut set = ActionSet::EMPTY;
        let Some(it) = self.interactions.get(id) else {
            return set;
        };
        let kind = it.state.kind();
        for rule in TRANSITIONS {
            if rule.creates() || !rule.from.contains(kind) || !direction_fits(rule, it) {
                continue;
            }
            let role = (rule.actors.contains(Actors::OWNER)
                && it.state.owner().is_some_and(|o| o.as_str() == agent))
                || (rule.actors.contains(Actors::OFFERED)
                    && it.state.offered_to().is_some_and(|o| o.as_str() == agent))
                || rule.actors.contains(Actors::SELF);
            if role && provider_permits(&self.providers, rule, it) {
                set.insert(rule.action);
            }
        }
        set
    }

    /// Adds an interaction that `check_new` accepted (absent, with `hash`). Cannot fail: the
    /// caller checked that the store has room.
    fn create(
        &mut self,
        hash: Hashed,
        id: InteractionId,
        it: Interaction,
        actor: &Actor,
        effects: &mut Vec<Effect>,
    ) -> Step {
        track_agents(&mut self.agents, actor, None, &it.state, it.media);
        if it.state.kind() == StateKind::Connected {
            notify_assign(&id, &it, effects);
        }
        let to = it.state.kind();
        self.interactions.insert_new(hash, id, it);
        Step {
            outcome: Outcome::Applied,
            from: None,
            to: Some(to),
            reason: None,
        }
    }

    fn remember_key(&mut self, key: IdempotencyKey) {
        if self.settings.max_idempotency_keys == 0 {
            return;
        }
        if self.keys.insert(key.clone()) {
            self.key_order.push_back(key);
        }
        while self.key_order.len() > self.settings.max_idempotency_keys {
            if let Some(old) = self.key_order.pop_front() {
                self.keys.remove(&old);
            }
        }
    }

    /// Keeps an ended interaction for late-event detection, evicting the oldest beyond the bound.
    fn retire(&mut self, id: InteractionId) {
        self.ended.push_back(id);
        while self.ended.len() > self.settings.max_ended {
            if let Some(old) = self.ended.pop_front()
                && self
                    .interactions
                    .get(old.as_str())
                    .is_some_and(|it| it.state.kind() == StateKind::Ended)
            {
                self.interactions.remove(old.as_str());
            }
        }
    }
}

/// Checks an input on an existing interaction against the table and the rules; says what the
/// write will be without writing.
fn check(
    it: &Interaction,
    providers: &HashMap<ProviderName, ProviderSettings>,
    id: &InteractionId,
    rule: Rule,
    action: &Action,
    actor: &Actor,
) -> Result<Plan, Error> {
    let kind = rule.action;
    if let State::Ended { reason } = it.state {
        if matches!(actor, Actor::Platform) && restates_end(kind, reason) {
            return Ok(Plan::Restate);
        }
        return Err(Error::AlreadyEnded {
            interaction: id.clone(),
            reason,
            action: kind,
        });
    }
    if rule.creates() {
        return Err(Error::AlreadyExists {
            interaction: id.clone(),
            state: it.state.kind(),
        });
    }
    if matches!(actor, Actor::Platform) && restates(it, action) {
        return Ok(Plan::Restate);
    }
    let state = it.state.kind();
    if !rule.from.contains(state) {
        return Err(Error::InvalidTransition {
            action: kind,
            state,
            detail: "",
        });
    }
    if !direction_fits(rule, it) {
        return Err(Error::InvalidTransition {
            action: kind,
            state,
            detail: ": only an outbound interaction can be cancelled",
        });
    }
    check_actor(rule, it, action, actor)?;
    if matches!(actor, Actor::Agent(_)) && !provider_permits(providers, rule, it) {
        let (provider, key) = match (&it.provider, rule.permission) {
            (Some(p), Some(perm)) => (p.as_str(), perm.key()),
            _ => ("?", "?"),
        };
        return Err(Error::NotPermitted {
            action: kind,
            reason: format!("provider `{provider}` does not permit `{key}` to agents").into(),
        });
    }
    plan(it, action)
}

/// Checks an input on an interaction the engine does not hold: a creating action, or a
/// platform fact seen first (`first_sight`); anything else is `unknown_interaction`.
fn check_new(
    providers: &HashMap<ProviderName, ProviderSettings>,
    id: &InteractionId,
    rule: Rule,
    action: Action,
    actor: &Actor,
    first_sight: Option<FirstSight>,
) -> Result<Interaction, Error> {
    if rule.creates() {
        return check_create(providers, rule, action, actor);
    }
    match (first_sight, actor, action) {
        (Some(fs), Actor::Platform, Action::Offer { agent }) => {
            Ok(new_interaction(State::Offered { agent }, fs, None))
        }
        (Some(fs), Actor::Platform, Action::Assign { agent }) => {
            Ok(new_interaction(State::Connected { owner: agent }, fs, None))
        }
        _ => Err(Error::UnknownInteraction {
            interaction: id.clone(),
        }),
    }
}

fn check_create(
    providers: &HashMap<ProviderName, ProviderSettings>,
    rule: Rule,
    action: Action,
    actor: &Actor,
) -> Result<Interaction, Error> {
    let provider = match actor {
        Actor::Provider(p) if rule.actors.contains(Actors::PROVIDER) => p.clone(),
        Actor::Platform if rule.actors.contains(Actors::PLATFORM) => None,
        Actor::Agent(a) if rule.actors.contains(Actors::SELF) => {
            if let Action::Dial {
                from: Caller::Agent(caller),
                ..
            } = &action
                && caller == a
            {
                None
            } else {
                return Err(Error::NotOwner {
                    action: rule.action,
                    agent: a.clone(),
                    holder: "an agent may only dial from itself".to_owned(),
                });
            }
        }
        _ => return Err(wrong_actor(rule, actor)),
    };
    if let Some(p) = &provider
        && !providers.contains_key(p)
    {
        return Err(Error::UnknownProvider {
            provider: p.clone(),
        });
    }
    match action {
        Action::Dispatch {
            route,
            media,
            direction,
            user_data,
        } => Ok(Interaction {
            state: State::Queued,
            media,
            direction,
            provider,
            target: Some(Target::Route(route)),
            user_data: Data::new(user_data),
        }),
        Action::Dial { from, to, media } => Ok(Interaction {
            state: State::Dialing {
                call: Box::new((from, to)),
            },
            media,
            direction: Direction::Outbound,
            provider,
            target: None,
            user_data: Data::default(),
        }),
        other => Err(Error::InvalidTransition {
            action: other.kind(),
            state: StateKind::Queued,
            detail: ": not a creating action",
        }),
    }
}

fn provider_permits(
    providers: &HashMap<ProviderName, ProviderSettings>,
    rule: Rule,
    it: &Interaction,
) -> bool {
    match (&it.provider, rule.permission) {
        (Some(provider), Some(permission)) => providers
            .get(provider)
            .map_or(permission.default_allowed(), |s| {
                s.permissions.allows(permission)
            }),
        _ => true,
    }
}

/// Writes a checked input to an existing interaction. Cannot fail.
fn commit(
    it: &mut Interaction,
    agents: &mut HashMap<AgentId, Agent>,
    id: &InteractionId,
    actor: &Actor,
    action: Action,
    plan: Plan,
    effects: &mut Vec<Effect>,
) -> Step {
    let now = it.state.kind();
    let kind = action.kind();
    let old = match plan {
        Plan::Move => advance(it, action),
        Plan::UserData => {
            change_user_data(it, action);
            None
        }
        Plan::Restate | Plan::Ignore => None,
    };
    let Some(old) = old else {
        track_agents(agents, actor, Some(&it.state), &it.state, it.media);
        return Step {
            outcome: if matches!(plan, Plan::Ignore) {
                Outcome::Ignored
            } else {
                Outcome::Applied
            },
            from: Some(now),
            to: Some(now),
            reason: it.state.end_reason(),
        };
    };
    emit_move_effects(id, kind, actor, &old, it, effects);
    track_agents(agents, actor, Some(&old), &it.state, it.media);
    Step {
        outcome: Outcome::Applied,
        from: Some(now),
        to: Some(it.state.kind()),
        reason: it.state.end_reason(),
    }
}

/// The agent a state names: its owner, or the agent it is offered to.
fn named(state: &State) -> Option<&AgentId> {
    state.owner().or(state.offered_to())
}

/// The agent a state puts on a live call: the owner of a live interaction that is
/// `connected`, `held` or `dialing`.
fn on_call(state: &State, media: Media) -> Option<&AgentId> {
    match state.kind() {
        StateKind::Connected | StateKind::Held | StateKind::Dialing if media == Media::Live => {
            state.owner()
        }
        _ => None,
    }
}

/// Keeps the agents up to date with a state change from `old` (`None`: the interaction is new)
/// to `new`: the acting agent and the agent `new` names become known (`seen`) if they were not,
/// and the live-call counts follow `on_call`. An agent `old` names is known already (it was
/// noted when the state named it), so the common steps (hold, retrieve and accept by the agent
/// the state names) touch no agent at all.
fn track_agents(
    agents: &mut HashMap<AgentId, Agent>,
    actor: &Actor,
    old: Option<&State>,
    new: &State,
    media: Media,
) {
    let old_named = old.and_then(named);
    let new_named = named(new);
    if let Actor::Agent(a) = actor
        && old_named != Some(a)
        && new_named != Some(a)
    {
        note(agents, a);
    }
    if let Some(agent) = new_named
        && old_named != Some(agent)
    {
        note(agents, agent);
    }
    let was = old.and_then(|s| on_call(s, media));
    let now = on_call(new, media);
    if was != now {
        if let Some(agent) = was
            && let Some(entry) = agents.get_mut(agent)
        {
            entry.live_calls = entry.live_calls.saturating_sub(1);
        }
        if let Some(agent) = now {
            // Known in the common case: no id copied, one lookup.
            if let Some(entry) = agents.get_mut(agent) {
                entry.live_calls = entry.live_calls.saturating_add(1);
            } else {
                agents.insert(
                    agent.clone(),
                    Agent {
                        live_calls: 1,
                        ..Agent::SEEN
                    },
                );
            }
        }
    }
}

/// Makes `agent` known (`seen`) if it was not.
fn note(agents: &mut HashMap<AgentId, Agent>, agent: &AgentId) {
    if !agents.contains_key(agent) {
        agents.insert(agent.clone(), Agent::SEEN);
    }
}

fn new_interaction(state: State, fs: FirstSight, target: Option<Target>) -> Interaction {
    Interaction {
        state,
        media: fs.media,
        direction: fs.direction,
        provider: None,
        target,
        user_data: Data::new(fs.user_data),
    }
}

fn direction_fits(rule: Rule, it: &Interaction) -> bool {
    !rule.outbound_only || it.direction == Direction::Outbound
}

/// Whether a platform action that ends with `reason` restates an interaction that already
/// ended with it (a GWS `Completed` after `Complete`).
fn restates_end(kind: ActionKind, reason: EndReason) -> bool {
    matches!(
        (kind, reason),
        (ActionKind::Complete, EndReason::Completed)
            | (ActionKind::Release, EndReason::Released)
            | (ActionKind::Cancel, EndReason::Cancelled)
            | (ActionKind::Disconnect, EndReason::Disconnected)
    )
}

/// Whether a platform `action` restates the current (live) state: it would lead to exactly the
/// state the interaction is in (MODEL.md section 3, "A platform fact that restates ...").
fn restates(it: &Interaction, action: &Action) -> bool {
    match (&it.state, action) {
        (
            State::Connected { .. },
            Action::Accept | Action::Retrieve | Action::Answer { agent: None },
        )
        | (State::Held { .. }, Action::Hold)
        | (State::Queued, Action::Reject | Action::Revoke) => true,
        (
            State::Connected { owner },
            Action::Assign { agent }
            | Action::Transferred { agent }
            | Action::Pull { agent }
            | Action::Answer { agent: Some(agent) },
        ) => owner == agent,
        (State::Offered { agent: offered }, Action::TransferToAgent { agent }) => offered == agent,
        (State::InWorkbin { workbin, .. }, Action::PlaceInWorkbin { workbin: w }) => workbin == w,
        (State::Queued, Action::PlaceInQueue { queue }) => {
            it.target == Some(Target::Queue(queue.clone()))
        }
        (State::Queued, Action::TransferToRoute { route }) => {
            it.target == Some(Target::Route(route.clone()))
        }
        _ => false,
    }
}

fn wrong_actor(rule: Rule, actor: &Actor) -> Error {
    let who = match actor {
        Actor::Agent(_) => "an agent",
        Actor::Provider(_) => "a provider",
        Actor::Platform => "the platform",
    };
    let allowed: Vec<&str> = rule.actors.names().collect();
    Error::NotPermitted {
        action: rule.action,
        reason: format!("{who} may not take it (taken by: {})", allowed.join(", ")).into(),
    }
}

fn describe_holder(state: &State) -> String {
    match state {
        State::Offered { agent } => format!("the interaction is offered to `{agent}`"),
        State::Connected { owner } | State::Held { owner } => {
            format!("the interaction is owned by `{owner}`")
        }
        State::Dialing { .. } => match state.owner() {
            Some(owner) => format!("the call is placed by `{owner}`"),
            None => "the call is placed by agent groups".to_owned(),
        },
        State::Queued => "the interaction is queued, owned by no agent".to_owned(),
        State::InWorkbin { workbin, .. } => {
            format!("the interaction is in workbin `{workbin}`, owned by no agent")
        }
        State::Ended { .. } => "the interaction has ended".to_owned(),
    }
}

fn check_actor(rule: Rule, it: &Interaction, action: &Action, actor: &Actor) -> Result<(), Error> {
    match actor {
        Actor::Platform if rule.actors.contains(Actors::PLATFORM) => Ok(()),
        Actor::Provider(named) if rule.actors.contains(Actors::PROVIDER) => match &it.provider {
            Some(expected) if named.as_ref() != Some(expected) => Err(Error::ProviderMismatch {
                expected: expected.clone(),
                got: named
                    .as_ref()
                    .map_or_else(|| "no provider".to_owned(), |p| format!("provider `{p}`")),
            }),
            _ => Ok(()),
        },
        Actor::Agent(agent) if rule.actors.any_agent() => {
            let owner = rule.actors.contains(Actors::OWNER) && it.state.owner() == Some(agent);
            let offered =
                rule.actors.contains(Actors::OFFERED) && it.state.offered_to() == Some(agent);
            let for_self = rule.actors.contains(Actors::SELF) && action.agent() == Some(agent);
            if owner || offered || for_self {
                Ok(())
            } else if rule.actors.contains(Actors::SELF) {
                Err(Error::NotOwner {
                    action: rule.action,
                    agent: agent.clone(),
                    holder: "an agent may only act for itself".to_owned(),
                })
            } else {
                Err(Error::NotOwner {
                    action: rule.action,
                    agent: agent.clone(),
                    holder: describe_holder(&it.state),
                })
            }
        }
        _ => Err(wrong_actor(rule, actor)),
    }
}

/// What a legal action (the table said it is legal from this state) will do, with the checks
/// that depend on the state's data: an `accept` needs an offer, `hold` and `retrieve` an owner,
/// `answer` an agent (named, or the calling agent), and a `disconnect` from an agent the state
/// does not name is a stale fact.
fn plan(it: &Interaction, action: &Action) -> Result<Plan, Error> {
    match action {
        Action::Accept if it.state.offered_to().is_none() => {
            Err(unexpected(ActionKind::Accept, &it.state))
        }
        Action::Hold | Action::Retrieve if it.state.owner().is_none() => {
            Err(unexpected(action.kind(), &it.state))
        }
        Action::Answer { agent: None } if it.state.owner().is_none() => {
            Err(Error::missing_field("agent"))
        }
        Action::Disconnect { agent }
            if it.state.offered_to() != Some(agent) && it.state.owner() != Some(agent) =>
        {
            Ok(Plan::Ignore)
        }
        Action::UpdateUserData { .. }
        | Action::AttachUserData { .. }
        | Action::DeleteUserData { .. } => Ok(Plan::UserData),
        Action::Dispatch { .. } | Action::Dial { .. } => Err(Error::InvalidTransition {
            action: action.kind(),
            state: it.state.kind(),
            detail: ": the interaction already exists",
        }),
        _ => Ok(Plan::Move),
    }
}

/// Moves the interaction to the state `action` leads to, in place, and returns the state it
/// left; `None` (and nothing changed) for an action that [`plan`] does not call a move.
fn advance(it: &mut Interaction, action: Action) -> Option<State> {
    let state = match action {
        Action::Offer { agent } | Action::TransferToAgent { agent } => State::Offered { agent },
        Action::Accept => State::Connected {
            owner: it.state.offered_to()?.clone(),
        },
        Action::Reject | Action::Revoke => State::Queued,
        Action::Assign { agent } | Action::Transferred { agent } | Action::Pull { agent } => {
            State::Connected { owner: agent }
        }
        Action::Hold => State::Held {
            owner: it.state.owner()?.clone(),
        },
        Action::Retrieve => State::Connected {
            owner: it.state.owner()?.clone(),
        },
        Action::TransferToRoute { route } => {
            it.target = Some(Target::Route(route));
            State::Queued
        }
        Action::PlaceInQueue { queue } => {
            it.target = Some(Target::Queue(queue));
            State::Queued
        }
        Action::PlaceInWorkbin { workbin } => State::InWorkbin {
            workbin,
            last_owner: it.state.owner().cloned(),
        },
        Action::Answer { agent } => State::Connected {
            owner: agent.or_else(|| it.state.owner().cloned())?,
        },
        Action::Complete => State::Ended {
            reason: EndReason::Completed,
        },
        Action::Cancel => State::Ended {
            reason: EndReason::Cancelled,
        },
        Action::Release => State::Ended {
            reason: EndReason::Released,
        },
        Action::Disconnect { agent } => {
            if it.state.offered_to() == Some(&agent) {
                State::Queued
            } else if it.state.owner() == Some(&agent) {
                State::Ended {
                    reason: EndReason::Disconnected,
                }
            } else {
                return None;
            }
        }
        Action::UpdateUserData { .. }
        | Action::AttachUserData { .. }
        | Action::DeleteUserData { .. }
        | Action::Dispatch { .. }
        | Action::Dial { .. } => return None,
    };
    Some(mem::replace(&mut it.state, state))
}

fn change_user_data(it: &mut Interaction, action: Action) {
    let change = match action {
        Action::UpdateUserData { user_data } => UserDataChange::Update(user_data),
        Action::AttachUserData { user_data } => UserDataChange::Attach(user_data),
        Action::DeleteUserData { keys } => UserDataChange::Delete(keys),
        _ => return,
    };
    it.user_data.change(change);
}

fn unexpected(action: ActionKind, state: &State) -> Error {
    Error::InvalidTransition {
        action,
        state: state.kind(),
        detail: ": the state names no agent to carry over",
    }
}

fn notify_assign(id: &InteractionId, it: &Interaction, effects: &mut Vec<Effect>) {
    if let (Some(provider), State::Connected { owner }) = (&it.provider, &it.state) {
        effects.push(Effect::Notify {
            provider: provider.clone(),
            interaction: id.clone(),
            notification: Notification::AssignToAgent {
                agent: owner.clone(),
            },
        });
    }
}

fn emit_move_effects(
    id: &InteractionId,
    kind: ActionKind,
    actor: &Actor,
    old: &State,
    it: &Interaction,
    effects: &mut Vec<Effect>,
) {
    let old_owner = match old {
        State::Connected { owner } | State::Held { owner } => Some(owner),
        _ => None,
    };
    if kind == ActionKind::Transferred
        && let State::Connected { owner } = &it.state
    {
        effects.push(Effect::Transferred {
            interaction: id.clone(),
            from: old_owner.cloned(),
            to: owner.clone(),
        });
    }
    match &it.state {
        State::Connected { owner } if old_owner != Some(owner) => notify_assign(id, it, effects),
        State::Ended {
            reason: EndReason::Released,
        } if !matches!(actor, Actor::Provider(_)) => {
            if let Some(provider) = &it.provider {
                effects.push(Effect::Notify {
                    provider: provider.clone(),
                    interaction: id.clone(),
                    notification: Notification::Release,
                });
            }
        }
        State::Queued
            if matches!(
                kind,
                ActionKind::Reject | ActionKind::Revoke | ActionKind::Disconnect
            ) =>
        {
            effects.push(Effect::Redistribute {
                interaction: id.clone(),
                target: it.target.clone(),
            });
        }
        _ => {}
    }
}
