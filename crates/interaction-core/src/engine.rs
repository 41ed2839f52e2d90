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
//!   [`Engine::presence`], [`Engine::workbin_content`], [`Engine::interactions`].
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
    user_data: UserData,
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
        &self.user_data
    }
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
pub struct Engine {
    settings: EngineSettings,
    interactions: HashMap<InteractionId, Interaction>,
    providers: HashMap<ProviderName, ProviderSettings>,
    agents: HashMap<AgentId, Presence>,
    keys: HashSet<IdempotencyKey>,
    key_order: VecDeque<IdempotencyKey>,
    ended: VecDeque<InteractionId>,
}

/// What a checked input will do; computing it reads the engine, applying it cannot fail.
enum Change {
    Create(Interaction),
    Move {
        state: State,
        target: Option<Target>,
    },
    UserData(UserDataChange),
    Restate,
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
    /// `provider_mismatch`, `missing_field`), in the order of checks in the module docs. The
    /// engine and `effects` are then exactly as they were.
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
            let kind = self.interactions.get(&id).map(|it| it.state.kind());
            return Ok(Step {
                outcome: Outcome::Duplicate,
                from: kind,
                to: kind,
                reason: self
                    .interactions
                    .get(&id)
                    .and_then(|it| it.state.end_reason()),
            });
        }
        let kind = action.kind();
        let change = self.check(&id, action, &actor, first_sight)?;
        let step = self.commit(&id, kind, &actor, change, effects);
        if let Some(key) = key {
            self.remember_key(key);
        }
        Ok(step)
    }

    /// Logs `agent` in (core `log_in`, Anywhere365 `LoggedIn`, `AgentLogin`). Never refused.
    pub fn log_in(&mut self, agent: AgentId) {
        self.agents.insert(agent, Presence::LoggedIn);
    }

    /// Logs `agent` out (core `log_out`, Anywhere365 `LoggedOff`, `AgentLogout`). Never refused;
    /// an agent never seen before becomes known, logged out.
    pub fn log_out(&mut self, agent: AgentId) {
        self.agents.insert(agent, Presence::LoggedOut);
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

    /// Every interaction held, in no particular order.
    pub fn interactions(&self) -> impl Iterator<Item = (&InteractionId, &Interaction)> {
        self.interactions.iter()
    }

    /// How many interactions are held (live and retained ended ones).
    pub fn len(&self) -> usize {
        self.interactions.len()
    }

    /// Whether no interaction is held.
    pub fn is_empty(&self) -> bool {
        self.interactions.is_empty()
    }

    /// An agent's session state; `None` for an agent never seen.
    pub fn presence(&self, agent: &str) -> Option<Presence> {
        self.agents.get(agent).copied()
    }

    /// Every known agent and its session state, in no particular order.
    pub fn agents(&self) -> impl Iterator<Item = (&AgentId, Presence)> {
        self.agents.iter().map(|(a, p)| (a, *p))
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
            if role && self.provider_permits(rule, it) {
                set.insert(rule.action);
            }
        }
        set
    }

    /// Checks an input against the table and the rules; computes the change without writing.
    fn check(
        &self,
        id: &InteractionId,
        action: Action,
        actor: &Actor,
        first_sight: Option<FirstSight>,
    ) -> Result<Change, Error> {
        let kind = action.kind();
        let rule = *rule_for(kind);
        let Some(it) = self.interactions.get(id) else {
            if rule.creates() {
                return self.check_create(rule, action, actor);
            }
            return match (first_sight, actor, action) {
                (Some(fs), Actor::Platform, Action::Offer { agent }) => Ok(Change::Create(
                    new_interaction(State::Offered { agent }, fs, None),
                )),
                (Some(fs), Actor::Platform, Action::Assign { agent }) => Ok(Change::Create(
                    new_interaction(State::Connected { owner: agent }, fs, None),
                )),
                _ => Err(Error::UnknownInteraction {
                    interaction: id.clone(),
                }),
            };
        };
        if let State::Ended { reason } = it.state {
            if matches!(actor, Actor::Platform) && restates_end(kind, reason) {
                return Ok(Change::Restate);
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
        if matches!(actor, Actor::Platform) && restates(it, &action) {
            return Ok(Change::Restate);
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
        check_actor(rule, it, &action, actor)?;
        if matches!(actor, Actor::Agent(_)) && !self.provider_permits(rule, it) {
            let (provider, key) = match (&it.provider, rule.permission) {
                (Some(p), Some(perm)) => (p.as_str(), perm.key()),
                _ => ("?", "?"),
            };
            return Err(Error::NotPermitted {
                action: kind,
                reason: format!("provider `{provider}` does not permit `{key}` to agents").into(),
            });
        }
        next(it, action)
    }

    fn check_create(&self, rule: Rule, action: Action, actor: &Actor) -> Result<Change, Error> {
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
            && !self.providers.contains_key(p)
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
            } => Ok(Change::Create(Interaction {
                state: State::Queued,
                media,
                direction,
                provider,
                target: Some(Target::Route(route)),
                user_data,
            })),
            Action::Dial { from, to, media } => Ok(Change::Create(Interaction {
                state: State::Dialing {
                    call: Box::new((from, to)),
                },
                media,
                direction: Direction::Outbound,
                provider,
                target: None,
                user_data: UserData::new(),
            })),
            other => Err(Error::InvalidTransition {
                action: other.kind(),
                state: StateKind::Queued,
                detail: ": not a creating action",
            }),
        }
    }

    fn provider_permits(&self, rule: Rule, it: &Interaction) -> bool {
        match (&it.provider, rule.permission) {
            (Some(provider), Some(permission)) => self
                .providers
                .get(provider)
                .map_or(permission.default_allowed(), |s| {
                    s.permissions.allows(permission)
                }),
            _ => true,
        }
    }

    /// Writes a checked change. Cannot fail.
    fn commit(
        &mut self,
        id: &InteractionId,
        kind: ActionKind,
        actor: &Actor,
        change: Change,
        effects: &mut Vec<Effect>,
    ) -> Step {
        if let Actor::Agent(a) = actor {
            self.note_agent(a);
        }
        match change {
            Change::Create(it) => {
                if let Some(a) = it.state.owner().or(it.state.offered_to()) {
                    let a = a.clone();
                    self.note_agent(&a);
                }
                if it.state.kind() == StateKind::Connected {
                    notify_assign(id, &it, effects);
                }
                let to = it.state.kind();
                self.interactions.insert(id.clone(), it);
                Step {
                    outcome: Outcome::Applied,
                    from: None,
                    to: Some(to),
                    reason: None,
                }
            }
            Change::Restate | Change::Ignore | Change::UserData(_) => {
                let Some(it) = self.interactions.get_mut(id) else {
                    return missing_step();
                };
                let now = it.state.kind();
                let outcome = if matches!(change, Change::Ignore) {
                    Outcome::Ignored
                } else {
                    Outcome::Applied
                };
                if let Change::UserData(data) = change {
                    apply_user_data(&mut it.user_data, data);
                }
                Step {
                    outcome,
                    from: Some(now),
                    to: Some(now),
                    reason: it.state.end_reason(),
                }
            }
            Change::Move { state, target } => {
                let Some(it) = self.interactions.get_mut(id) else {
                    return missing_step();
                };
                let old = mem::replace(&mut it.state, state);
                if let Some(target) = target {
                    it.target = Some(target);
                }
                emit_move_effects(id, kind, actor, &old, it, effects);
                let named = it.state.owner().or(it.state.offered_to()).cloned();
                let (to, reason) = (it.state.kind(), it.state.end_reason());
                if let Some(agent) = named {
                    self.note_agent(&agent);
                }
                if to == StateKind::Ended {
                    self.retire(id.clone());
                }
                Step {
                    outcome: Outcome::Applied,
                    from: Some(old.kind()),
                    to: Some(to),
                    reason,
                }
            }
        }
    }

    fn note_agent(&mut self, agent: &AgentId) {
        if !self.agents.contains_key(agent) {
            self.agents.insert(agent.clone(), Presence::Seen);
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
                    .get(&old)
                    .is_some_and(|it| it.state.kind() == StateKind::Ended)
            {
                self.interactions.remove(&old);
            }
        }
    }
}

fn missing_step() -> Step {
    // `check` found the interaction and nothing ran in between; kept total rather than panicking.
    Step {
        outcome: Outcome::Ignored,
        from: None,
        to: None,
        reason: None,
    }
}

fn new_interaction(state: State, fs: FirstSight, target: Option<Target>) -> Interaction {
    Interaction {
        state,
        media: fs.media,
        direction: fs.direction,
        provider: None,
        target,
        user_data: fs.user_data,
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

/// The change a legal action makes (the table said it is legal from this state).
fn next(it: &Interaction, action: Action) -> Result<Change, Error> {
    let moved = |state| {
        Ok(Change::Move {
            state,
            target: None,
        })
    };
    match action {
        Action::Offer { agent } | Action::TransferToAgent { agent } => {
            moved(State::Offered { agent })
        }
        Action::Accept => match &it.state {
            State::Offered { agent } => moved(State::Connected {
                owner: agent.clone(),
            }),
            other => Err(unexpected(ActionKind::Accept, other)),
        },
        Action::Reject | Action::Revoke => moved(State::Queued),
        Action::Assign { agent } | Action::Transferred { agent } | Action::Pull { agent } => {
            moved(State::Connected { owner: agent })
        }
        Action::Hold => match it.state.owner() {
            Some(owner) => moved(State::Held {
                owner: owner.clone(),
            }),
            None => Err(unexpected(ActionKind::Hold, &it.state)),
        },
        Action::Retrieve => match it.state.owner() {
            Some(owner) => moved(State::Connected {
                owner: owner.clone(),
            }),
            None => Err(unexpected(ActionKind::Retrieve, &it.state)),
        },
        Action::TransferToRoute { route } => Ok(Change::Move {
            state: State::Queued,
            target: Some(Target::Route(route)),
        }),
        Action::PlaceInQueue { queue } => Ok(Change::Move {
            state: State::Queued,
            target: Some(Target::Queue(queue)),
        }),
        Action::PlaceInWorkbin { workbin } => moved(State::InWorkbin {
            workbin,
            last_owner: it.state.owner().cloned(),
        }),
        Action::Answer { agent } => match agent.or_else(|| it.state.owner().cloned()) {
            Some(owner) => moved(State::Connected { owner }),
            None => Err(Error::missing_field("agent")),
        },
        Action::Complete => moved(State::Ended {
            reason: EndReason::Completed,
        }),
        Action::Cancel => moved(State::Ended {
            reason: EndReason::Cancelled,
        }),
        Action::Release => moved(State::Ended {
            reason: EndReason::Released,
        }),
        Action::Disconnect { agent } => {
            if it.state.offered_to() == Some(&agent) {
                moved(State::Queued)
            } else if it.state.owner() == Some(&agent) {
                moved(State::Ended {
                    reason: EndReason::Disconnected,
                })
            } else {
                Ok(Change::Ignore)
            }
        }
        Action::UpdateUserData { user_data } => {
            Ok(Change::UserData(UserDataChange::Update(user_data)))
        }
        Action::AttachUserData { user_data } => {
            Ok(Change::UserData(UserDataChange::Attach(user_data)))
        }
        Action::DeleteUserData { keys } => Ok(Change::UserData(UserDataChange::Delete(keys))),
        Action::Dispatch { .. } | Action::Dial { .. } => Err(Error::InvalidTransition {
            action: action.kind(),
            state: it.state.kind(),
            detail: ": the interaction already exists",
        }),
    }
}

fn unexpected(action: ActionKind, state: &State) -> Error {
    Error::InvalidTransition {
        action,
        state: state.kind(),
        detail: ": the state names no agent to carry over",
    }
}

fn apply_user_data(data: &mut UserData, change: UserDataChange) {
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
