//! The engine against an independent reference model (MODEL.md sections 3 to 5, 10 and 11).
//!
//! [`Model`] is written from the specification, not from the engine: plain structs, a
//! `BTreeMap` of interactions, and one straightforward `match` per question (which states an
//! action is legal from, who may take it, where it leads, what it emits). Where MODEL.md is
//! silent it follows docs/ARCHITECTURE.md ("Choices where MODEL.md is silent"), docs/lifecycle.md
//! (agents, after-call work and time) and the order of checks in the engine's module doc. It
//! shares no code with `engine/` or `table.rs`; it only speaks the crate's public data types
//! (ids, [`Action`], [`Effect`], [`State`], [`AgentState`], [`Fired`]) so the two can be compared.
//!
//! Section 11 is modelled too: idempotency keys remembered with their request (the same key
//! with another request is an `idempotency_conflict`), ended interactions forgotten beyond
//! `max_ended` and then remembered by id (never resurrected) up to `max_forgotten`, one
//! namespace per vendor API (with `shared_apis`), and the bounds `max_live`, `max_agents` and
//! `max_providers`.
//!
//! And section 10: **agents** (session, availability and reason moved by the agent actions
//! `log_in`, `log_out`, `set_ready`, `set_not_ready` with or without a reason and
//! `set_after_call_work`; the activity derived from the interactions each holds; the run of
//! ring-no-answers), **after-call work** (the `wrap_up` state, required by the engine's media
//! setting or the input's own `wrap_up`, which wins; what `complete`, a restating platform
//! `release` or `disconnect`, and the provider's `Release` notification do there) and **time**
//! (the clock, moved by an accepted input's `now` and by `handle_timeout`, never backwards; the
//! armed timers with their deadlines, fired in deadline and then arming order: the offer
//! timeout's platform `revoke` with `max_no_answer`, the wrap-up timeout's platform `complete`,
//! the heartbeat timeout's `log_out`).
//!
//! A [`Case`] is a random engine setup (memory bounds; about half the cases also with wrap-up
//! media and some of the timers; two providers with random `agentactionspermitted`) and a
//! random sequence of operations over three interactions, three agents and three provider
//! names (`ghost` is not registered at the start): inputs, agent actions, heartbeats, clock
//! advances (`handle_timeout`), registrations and redeliveries. Every action kind is drawn,
//! valid or not, with a random actor (an agent, a provider with or without a name, the
//! platform), random arguments, a random `now` (none, ahead of the clock, or behind it), a
//! random `wrap_up` and sometimes a repeated idempotency key; the model says what should
//! happen. After every operation [`check_step`] compares: the outcome and error kind; the
//! effects (type and contents); an agent action's step; a heartbeat's answer; every timer a
//! clock advance fired (kind, deadline, subject, step, the agent's state after it, effects);
//! every interaction's state with its data, media, direction, provider, target, user data and
//! armed timer; every agent's presence, state (session, availability, reason, activity),
//! heartbeat deadline and allowed agent actions; the clock and `poll_timeout`; workbin
//! contents; `allowed` for every interaction and agent against the model's own answer. It also
//! checks the promises that need no model: a refusal leaves the engine `==` to before and the
//! effects buffer untouched; a duplicate emits nothing and changes nothing; ended is absorbing;
//! the clock never goes back; a timer never fires before its deadline and none is left due.
//! At a random step the engine is snapshotted and restored with serde_json, and the restored
//! copy must continue identically (timers, clock and agent states included).
//!
//! Alongside: `model_and_engine_agree_on_every_state_action_and_actor` compares the two
//! deterministically on every state its setups build (with and without a provider, under each
//! permission set, inbound and outbound, `wrap_up` included) for every action with its argument
//! variants, by every actor, with and without first sight (about 120,000 inputs); the generator
//! test shows the random cases reach every state, every legal move, every refusal, every agent
//! action and every timer; `regression_*` tests pin what this model found.
//!
//! Cases: `PROPTEST_CASES` (default 512). CI also runs 10,000 in release; see
//! docs/verification.md for the commands and the long run. Failing cases are saved to
//! `proptest-regressions/model.txt` (relative to this crate) and replayed first on every run:
//! commit that file when it gains a line.

#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use interaction_core::{
    Action, ActionKind, Activity, Actor, AgentAction, AgentActionKind, AgentId, AgentState,
    AgentStep, Api, ApiSet, Availability, Callee, Caller, Direction, Effect, EndReason, Engine,
    EngineSettings, ErrorKind, Fired, FiredStep, IdempotencyKey, Input, InteractionId, Media,
    MediaSet, Name, Notification, Number, Outcome, Permission, Presence, ProviderName,
    ProviderSettings, Session, State, StateKind, Step, Target, Timer, UserData, Value,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, TestCaseError, TestRunner};

mod common;

use common::{
    AGENTS, IDS, NAMES, PROVIDERS, Rules, agent, agent_s, direction_s, ix, media_s, name, name_s,
    permissions, pick, probe, provider_name, rules_s, same_request, user_data_s,
};

/// Idempotency keys `k0` .. `k5`: few, so that they repeat (properties.rs draws eight).
const KEYS: u8 = 6;
/// The number every drawn or probed dial goes to.
const NUMBER: &str = "+442071234567";

/// `PROPTEST_CASES` if set, else 512; failures persist to `proptest-regressions/model.txt`.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        // Integration tests have no lib.rs beside them, so proptest's default (a directory
        // parallel to the source) finds nowhere to write; name the file instead. The path is
        // relative to the crate, where cargo runs its tests.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/model.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// =============================================================================================
// The reference model
// =============================================================================================

/// MODEL.md section 2 (with section 10's `wrap_up`), with plain strings for agents and names.
#[derive(Debug, Clone, PartialEq)]
enum MState {
    Queued,
    Offered(String),
    Connected(String),
    Held(String),
    Dialing(Caller, Callee),
    InWorkbin {
        workbin: String,
        last_owner: Option<String>,
    },
    /// After-call work by the agent who owned it when its media ended.
    WrapUp(String),
    Ended(EndReason),
}

impl MState {
    fn kind(&self) -> StateKind {
        match self {
            MState::Queued => StateKind::Queued,
            MState::Offered(_) => StateKind::Offered,
            MState::Connected(_) => StateKind::Connected,
            MState::Held(_) => StateKind::Held,
            MState::Dialing(..) => StateKind::Dialing,
            MState::InWorkbin { .. } => StateKind::InWorkbin,
            MState::WrapUp(_) => StateKind::WrapUp,
            MState::Ended(_) => StateKind::Ended,
        }
    }

    /// "owner" in MODEL.md section 3: the agent who owns it (connected or held, or in wrap-up:
    /// section 10, "the owner still holds the work"), or the agent a dial was placed from.
    fn owner(&self) -> Option<&str> {
        match self {
            MState::Connected(a) | MState::Held(a) | MState::WrapUp(a) => Some(a),
            MState::Dialing(Caller::Agent(a), _) => Some(a.as_str()),
            _ => None,
        }
    }

    fn offered_to(&self) -> Option<&str> {
        match self {
            MState::Offered(a) => Some(a),
            _ => None,
        }
    }

    /// MODEL.md section 10, `activity`: the agent the state names and what it makes it
    /// (reserved: offered; busy: connected, held, dialing from it; wrap-up).
    fn role(&self) -> Option<(&str, Activity)> {
        match self {
            MState::Offered(a) => Some((a, Activity::Reserved)),
            MState::WrapUp(a) => Some((a, Activity::WrapUp)),
            _ => self.owner().map(|a| (a, Activity::Busy)),
        }
    }

    /// The owner of a connected or held interaction (a dialing one is not connected yet).
    fn connected_owner(&self) -> Option<&str> {
        match self {
            MState::Connected(a) | MState::Held(a) => Some(a),
            _ => None,
        }
    }

    fn end_reason(&self) -> Option<EndReason> {
        match self {
            MState::Ended(r) => Some(*r),
            _ => None,
        }
    }

    /// The engine's `State` this stands for.
    fn expected(&self) -> State {
        match self {
            MState::Queued => State::Queued,
            MState::Offered(a) => State::Offered { agent: agent(a) },
            MState::Connected(a) => State::Connected { owner: agent(a) },
            MState::Held(a) => State::Held { owner: agent(a) },
            MState::Dialing(from, to) => State::Dialing {
                call: Box::new((from.clone(), to.clone())),
            },
            MState::InWorkbin {
                workbin,
                last_owner,
            } => State::InWorkbin {
                workbin: name(workbin),
                last_owner: last_owner.as_deref().map(agent),
            },
            MState::WrapUp(a) => State::WrapUp { owner: agent(a) },
            MState::Ended(reason) => State::Ended { reason: *reason },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct MInteraction {
    state: MState,
    media: Media,
    direction: Direction,
    /// The vendor API whose input created it.
    api: Api,
    provider: Option<String>,
    target: Option<Target>,
    user_data: UserData,
}

/// What an accepted input does to its interaction.
struct Move {
    outcome: Outcome,
    after: MInteraction,
    effects: Vec<Effect>,
}

impl Move {
    /// Nothing changes (a restated fact, a stale disconnect).
    fn unchanged(it: &MInteraction, outcome: Outcome) -> Move {
        Move {
            outcome,
            after: it.clone(),
            effects: Vec::new(),
        }
    }
}

/// An agent (MODEL.md section 10): its session as told or seen, its availability and reason,
/// and its ring-no-answers in a row. Its activity is not kept: [`Model::activity`] derives it
/// from the interactions.
#[derive(Debug, Clone, PartialEq)]
struct MAgent {
    presence: Presence,
    availability: Availability,
    reason: Option<String>,
    no_answers: u32,
}

impl MAgent {
    /// "An agent seen acting is known (`logged_in`, availability `unknown` until told)."
    fn seen() -> MAgent {
        MAgent {
            presence: Presence::Seen,
            availability: Availability::Unknown,
            reason: None,
            no_answers: 0,
        }
    }

    fn logged_in(&self) -> bool {
        self.presence != Presence::LoggedOut
    }
}

/// What an armed timer acts on: an interaction (its offer or wrap-up timer) or an agent (its
/// heartbeat).
#[derive(Debug, Clone, PartialEq)]
enum Subject {
    Interaction(String),
    Agent(String),
}

/// One armed timer. [`Model::timers`] keeps them in the order they were (last) armed.
#[derive(Debug, Clone)]
struct Armed {
    timer: Timer,
    subject: Subject,
    deadline: u64,
}

/// One timer fired by a clock advance, as the engine's [`Fired`] reports it, with its effects
/// taken out of the buffer.
#[derive(Debug, Clone, PartialEq)]
struct Fire {
    timer: Timer,
    deadline: u64,
    step: FiredStep,
    agent_state: Option<AgentState>,
    effects: Vec<Effect>,
}

/// The reason an agent is set not ready with after `max_no_answer` ring-no-answers in a row.
const NO_ANSWER: &str = "no_answer";

#[derive(Debug, Clone)]
struct Model {
    settings: EngineSettings,
    interactions: BTreeMap<String, MInteraction>,
    providers: BTreeMap<String, Rules>,
    agents: BTreeMap<String, MAgent>,
    /// The clock (MODEL.md section 10): the latest `now` an accepted input or a clock advance
    /// brought; 0 before any.
    clock: u64,
    /// The armed timers, in the order they were armed (re-arming moves one to the end): at one
    /// deadline they fire in this order.
    timers: Vec<Armed>,
    /// Remembered idempotency keys with the input each was applied with, oldest first.
    keys: VecDeque<(String, Input)>,
    /// Ended interactions still kept, in the order they ended.
    ended: VecDeque<String>,
    /// Ended interactions no longer kept but remembered: id, end reason, API; oldest first.
    forgotten: VecDeque<(String, EndReason, Api)>,
}

/// MODEL.md section 11: input from `input` may act on what `owner` created when they are the
/// same API, either is `core`, or both are shared on purpose.
fn may_act(shared: ApiSet, owner: Api, input: Api) -> bool {
    owner == Api::Core
        || input == Api::Core
        || owner == input
        || (shared.contains(owner) && shared.contains(input))
}

/// The step a session or register operation stands for, so that its result can be compared.
const SESSION_STEP: Step = Step {
    outcome: Outcome::Applied,
    from: None,
    to: None,
    reason: None,
    agent: None,
    left: None,
};

/// MODEL.md section 3, column "from", and section 10: "`complete` from `wrap_up` leads to
/// `ended(completed)`", "`allowed` in `wrap_up`: `complete` and the user-data actions".
fn legal_from(kind: ActionKind) -> &'static [StateKind] {
    use StateKind::{Connected, Dialing, Held, InWorkbin, Offered, Queued, WrapUp};
    match kind {
        ActionKind::Dispatch | ActionKind::Dial => &[],
        ActionKind::Offer | ActionKind::Assign => &[Queued, Offered],
        ActionKind::Accept | ActionKind::Reject | ActionKind::Revoke => &[Offered],
        ActionKind::Hold => &[Connected],
        ActionKind::Retrieve => &[Held],
        ActionKind::Transferred => &[Connected, Held, Offered],
        ActionKind::Pull => &[InWorkbin],
        ActionKind::Answer => &[Dialing],
        ActionKind::Release => &[Queued, Offered, Connected, Held, Dialing, InWorkbin],
        ActionKind::Disconnect => &[Offered, Connected, Held, Dialing],
        ActionKind::TransferToAgent
        | ActionKind::TransferToRoute
        | ActionKind::PlaceInQueue
        | ActionKind::PlaceInWorkbin
        | ActionKind::Cancel => &[Connected, Held],
        ActionKind::Complete => &[Connected, Held, WrapUp],
        // User data may be attached to a call being placed (GWS CallsDial: a Dialing call
        // offers AttachUserData, UpdateUserData, DeleteUserData), and changed in wrap-up
        // (dispositions, notes).
        ActionKind::UpdateUserData | ActionKind::AttachUserData | ActionKind::DeleteUserData => {
            &[Connected, Held, Dialing, WrapUp]
        }
    }
}

/// MODEL.md section 4: the provider permission an agent needs (`hold` also covers retrieve).
fn needs(kind: ActionKind) -> Option<Permission> {
    match kind {
        ActionKind::Hold | ActionKind::Retrieve => Some(Permission::Hold),
        ActionKind::TransferToAgent => Some(Permission::TransferToAgent),
        ActionKind::TransferToRoute => Some(Permission::TransferToRoute),
        ActionKind::Release => Some(Permission::Release),
        _ => None,
    }
}

/// Which agent may take `kind` (MODEL.md section 3, column "actor").
enum AgentRole {
    /// The agent who owns it.
    Owner,
    /// The agent it is offered to.
    Offered,
    /// Any agent, for itself (`pull`).
    Itself,
    /// No agent: a platform fact or a provider's request.
    Nobody,
}

fn agent_role(kind: ActionKind) -> AgentRole {
    match kind {
        ActionKind::Accept | ActionKind::Reject => AgentRole::Offered,
        ActionKind::Hold
        | ActionKind::Retrieve
        | ActionKind::TransferToAgent
        | ActionKind::TransferToRoute
        | ActionKind::PlaceInQueue
        | ActionKind::PlaceInWorkbin
        | ActionKind::Complete
        | ActionKind::Cancel
        | ActionKind::Release
        | ActionKind::UpdateUserData
        | ActionKind::AttachUserData
        | ActionKind::DeleteUserData => AgentRole::Owner,
        ActionKind::Pull | ActionKind::Dial => AgentRole::Itself,
        ActionKind::Dispatch
        | ActionKind::Offer
        | ActionKind::Revoke
        | ActionKind::Assign
        | ActionKind::Transferred
        | ActionKind::Answer
        | ActionKind::Disconnect => AgentRole::Nobody,
    }
}

/// A platform fact that restates the current state: the state it would lead to is the state
/// the interaction is in (MODEL.md section 3: "a GWS `Processing` after `accept`"). In
/// `wrap_up` the media has ended already: the platform reporting it (a `release`, the owner's
/// `disconnect`) restates it.
fn restates(it: &MInteraction, action: &Action) -> bool {
    let target_is = |t: Target| it.target.as_ref() == Some(&t);
    match (action, &it.state) {
        (Action::Offer { agent: a } | Action::TransferToAgent { agent: a }, MState::Offered(b)) => {
            a.as_str() == b
        }
        (
            Action::Accept | Action::Retrieve | Action::Answer { agent: None },
            MState::Connected(_),
        )
        | (Action::Reject | Action::Revoke, MState::Queued)
        | (Action::Hold, MState::Held(_))
        | (Action::Release, MState::WrapUp(_)) => true,
        (
            Action::Assign { agent: a }
            | Action::Transferred { agent: a }
            | Action::Pull { agent: a }
            | Action::Answer { agent: Some(a) },
            MState::Connected(o),
        )
        | (Action::Disconnect { agent: a }, MState::WrapUp(o)) => a.as_str() == o,
        (Action::TransferToRoute { route }, MState::Queued) => {
            target_is(Target::Route(route.clone()))
        }
        (Action::PlaceInQueue { queue }, MState::Queued) => target_is(Target::Queue(queue.clone())),
        (Action::PlaceInWorkbin { workbin }, MState::InWorkbin { workbin: w, .. }) => {
            workbin.as_str() == w
        }
        _ => false,
    }
}

/// A platform fact that restates how the interaction ended (docs/ARCHITECTURE.md).
fn restates_end(kind: ActionKind, reason: EndReason) -> bool {
    matches!(
        (kind, reason),
        (ActionKind::Complete, EndReason::Completed)
            | (ActionKind::Release, EndReason::Released)
            | (ActionKind::Cancel, EndReason::Cancelled)
            | (ActionKind::Disconnect, EndReason::Disconnected)
    )
}

impl Model {
    fn new(settings: EngineSettings, p0: Rules, p1: Rules) -> Model {
        Model {
            settings,
            interactions: BTreeMap::new(),
            providers: [("p0".to_owned(), p0), ("p1".to_owned(), p1)]
                .into_iter()
                .collect(),
            agents: BTreeMap::new(),
            clock: 0,
            timers: Vec::new(),
            keys: VecDeque::new(),
            ended: VecDeque::new(),
            forgotten: VecDeque::new(),
        }
    }

    fn forgotten(&self, id: &str) -> Option<(EndReason, Api)> {
        self.forgotten
            .iter()
            .find(|(f, _, _)| f == id)
            .map(|(_, reason, api)| (*reason, *api))
    }

    fn live(&self) -> usize {
        self.interactions
            .values()
            .filter(|it| it.state.kind() != StateKind::Ended)
            .count()
    }

    // -----------------------------------------------------------------------------------------
    // Agents (MODEL.md section 10)
    // -----------------------------------------------------------------------------------------

    /// The activity the interactions give `agent`: the first that applies of busy (owns one
    /// connected, held or dialing), wrap-up (owns one in wrap-up), reserved (one is offered
    /// to it), idle.
    fn activity(&self, agent: &str) -> Activity {
        let roles: Vec<Activity> = self
            .interactions
            .values()
            .filter_map(|it| it.state.role())
            .filter(|(a, _)| *a == agent)
            .map(|(_, role)| role)
            .collect();
        [Activity::Busy, Activity::WrapUp, Activity::Reserved]
            .into_iter()
            .find(|activity| roles.contains(activity))
            .unwrap_or(Activity::Idle)
    }

    /// An agent's state as a record shows it; `None` for an agent never seen.
    fn agent_state(&self, agent: &str) -> Option<AgentState> {
        let a = self.agents.get(agent)?;
        Some(AgentState {
            session: if a.logged_in() {
                Session::LoggedIn
            } else {
                Session::LoggedOut
            },
            availability: a.availability,
            reason: a.reason.as_deref().map(name),
            activity: self.activity(agent),
        })
    }

    fn logged_in(&self, agent: &str) -> bool {
        self.agents.get(agent).is_some_and(MAgent::logged_in)
    }

    /// What `agent` may do next: log in and out always, the availability actions while logged
    /// in.
    fn agent_allowed(&self, agent: &str) -> BTreeSet<AgentActionKind> {
        AgentActionKind::ALL
            .into_iter()
            .filter(|kind| {
                matches!(kind, AgentActionKind::LogIn | AgentActionKind::LogOut)
                    || self.logged_in(agent)
            })
            .collect()
    }

    /// An agent action (docs/lifecycle.md, "Agents"): `log_in` / `log_out` from any session,
    /// making a new agent known within `max_agents`, availability back to `unknown`, a log out
    /// ending the heartbeat watch; the availability actions only for a logged-in agent
    /// (`unknown_agent` for one never seen, `invalid_transition` for one logged out).
    fn agent_action(&mut self, agent: &str, action: &AgentAction) -> Result<AgentStep, ErrorKind> {
        let before = self.agent_state(agent);
        match action {
            AgentAction::LogIn | AgentAction::LogOut => {
                if before.is_none() && self.agents.len() >= self.settings.max_agents {
                    return Err(ErrorKind::NotPermitted);
                }
                let entry = self
                    .agents
                    .entry(agent.to_owned())
                    .or_insert_with(MAgent::seen);
                entry.presence = if *action == AgentAction::LogIn {
                    Presence::LoggedIn
                } else {
                    Presence::LoggedOut
                };
                entry.availability = Availability::Unknown;
                entry.reason = None;
                // A log in or out ends the run of ring-no-answers (docs/ARCHITECTURE.md).
                entry.no_answers = 0;
                if *action == AgentAction::LogOut {
                    self.disarm(&Subject::Agent(agent.to_owned()));
                }
            }
            AgentAction::SetReady
            | AgentAction::SetNotReady { .. }
            | AgentAction::SetAfterCallWork => {
                let Some(entry) = self.agents.get_mut(agent) else {
                    return Err(ErrorKind::UnknownAgent);
                };
                if !entry.logged_in() {
                    return Err(ErrorKind::InvalidTransition);
                }
                (entry.availability, entry.reason) = match action {
                    AgentAction::SetReady => (Availability::Ready, None),
                    AgentAction::SetNotReady { reason } => (
                        Availability::NotReady,
                        reason.as_ref().map(|r| r.as_str().to_owned()),
                    ),
                    _ => (Availability::AfterCallWork, None),
                };
            }
        }
        Ok(AgentStep {
            outcome: Outcome::Applied,
            from: before,
            to: self.agent_state(agent).unwrap(),
        })
    }

    /// `log_in` / `log_out` as a session step.
    fn set_presence(&mut self, agent: &str, action: &AgentAction) -> Result<Step, ErrorKind> {
        self.agent_action(agent, action).map(|_| SESSION_STEP)
    }

    /// A ring-no-answer of `agent` (docs/lifecycle.md, docs/ARCHITECTURE.md): counted; at
    /// `max_no_answer` in a row a logged-in agent becomes `not_ready` with reason `no_answer`
    /// ("an agent already not ready keeps its reason") and the count starts again.
    fn no_answer(&mut self, agent: &str) {
        let Some(max) = self.settings.max_no_answer.filter(|&m| m > 0) else {
            return;
        };
        let entry = self.agents.get_mut(agent).unwrap();
        entry.no_answers += 1;
        if entry.no_answers >= max && entry.logged_in() {
            // The count starts again whether or not the agent was already not ready (which
            // keeps its reason).
            entry.no_answers = 0;
            if entry.availability != Availability::NotReady {
                entry.availability = Availability::NotReady;
                entry.reason = Some(NO_ANSWER.to_owned());
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Time (MODEL.md section 10)
    // -----------------------------------------------------------------------------------------

    /// The clock moves to `now` when later; an earlier time keeps it.
    fn tick(&mut self, now: Option<u64>) {
        if let Some(now) = now {
            self.clock = self.clock.max(now);
        }
    }

    /// Arms `timer` for `subject` `after` milliseconds from the clock, replacing its armed one.
    fn arm(&mut self, timer: Timer, subject: Subject, after: u64) {
        self.disarm(&subject);
        self.timers.push(Armed {
            timer,
            subject,
            deadline: self.clock + after,
        });
    }

    fn disarm(&mut self, subject: &Subject) {
        self.timers.retain(|t| t.subject != *subject);
    }

    fn armed(&self, subject: &Subject) -> Option<&Armed> {
        self.timers.iter().find(|t| t.subject == *subject)
    }

    /// When the engine next needs a clock advance.
    fn poll_timeout(&self) -> Option<u64> {
        self.timers.iter().map(|t| t.deadline).min()
    }

    /// A heartbeat from `agent`: with `agent_heartbeat_timeout` set and the agent logged in,
    /// (re-)arms its heartbeat timer; whether it did.
    fn heartbeat(&mut self, agent: &str) -> bool {
        match self.settings.agent_heartbeat_timeout {
            Some(after) if self.logged_in(agent) => {
                let subject = Subject::Agent(agent.to_owned());
                self.arm(Timer::AgentHeartbeatTimeout, subject, after);
                true
            }
            _ => false,
        }
    }

    /// The timers an interaction's move from `old` to `new` (a state change) arms and cancels:
    /// becoming offered, or offered to another agent, arms the offer timeout; entering wrap-up
    /// arms the wrap-up timeout; leaving either state cancels its timer. An offer answered
    /// (offered to connected) ends the new owner's run of ring-no-answers.
    fn follow_timers(&mut self, id: &str, old: Option<&MState>, new: &MState) {
        let subject = Subject::Interaction(id.to_owned());
        let arm = match new {
            MState::Offered(_) => self
                .settings
                .offer_timeout
                .map(|after| (Timer::OfferTimeout, after)),
            MState::WrapUp(_) if !matches!(old, Some(MState::WrapUp(_))) => self
                .settings
                .wrap_up_timeout
                .map(|after| (Timer::WrapUpTimeout, after)),
            _ => None,
        };
        match arm {
            Some((timer, after)) => self.arm(timer, subject, after),
            None => self.disarm(&subject),
        }
        if let (Some(MState::Offered(_)), MState::Connected(owner)) = (old, new) {
            self.agents.get_mut(owner).unwrap().no_answers = 0;
        }
    }

    /// `handle_timeout(now)`: the clock moves to `now` when later, then every timer due fires,
    /// earliest deadline first and, at one deadline, in the order armed. Each is a platform
    /// action (the engine's own, through the core API): an offer timeout a `revoke` (and a
    /// ring-no-answer counted against the agent it was offered to), a wrap-up timeout a
    /// `complete`, a heartbeat timeout a `log_out`.
    fn advance(&mut self, now: u64) -> Vec<Fire> {
        self.tick(Some(now));
        let mut fired = Vec::new();
        loop {
            let due = self
                .timers
                .iter()
                .enumerate()
                .filter(|(_, t)| t.deadline <= self.clock)
                .min_by_key(|(i, t)| (t.deadline, *i))
                .map(|(i, _)| i);
            let Some(i) = due else {
                return fired;
            };
            let Armed {
                timer,
                subject,
                deadline,
            } = self.timers.remove(i);
            match subject {
                Subject::Interaction(id) => {
                    let it = &self.interactions[&id];
                    let offered = it.state.offered_to().map(str::to_owned);
                    let action = match timer {
                        Timer::OfferTimeout => Action::Revoke,
                        _ => Action::Complete,
                    };
                    let it_api = it.api;
                    let input = Input::new(ix(&id), action, Actor::Platform).via(it.api);
                    let (result, effects) = self.apply(&input);
                    let step =
                        result.expect("a timer's action is legal in the state that armed it");
                    if let (Timer::OfferTimeout, Some(a)) = (timer, &offered) {
                        self.no_answer(a);
                    }
                    let agent_state = step
                        .agent
                        .as_ref()
                        .and_then(|a| self.agent_state(a.as_str()));
                    fired.push(Fire {
                        timer,
                        deadline,
                        step: FiredStep::Interaction {
                            interaction: ix(&id),
                            api: it_api,
                            step,
                        },
                        agent_state,
                        effects,
                    });
                }
                Subject::Agent(a) => {
                    let step = self.agent_action(&a, &AgentAction::LogOut).unwrap();
                    fired.push(Fire {
                        timer,
                        deadline,
                        agent_state: Some(step.to.clone()),
                        step: FiredStep::Agent {
                            agent: agent(&a),
                            step,
                        },
                        effects: Vec::new(),
                    });
                }
            }
        }
    }

    /// Register: a new provider only within `max_providers`.
    fn register(&mut self, provider: &str, rules: Rules) -> Result<Step, ErrorKind> {
        if !self.providers.contains_key(provider)
            && self.providers.len() >= self.settings.max_providers
        {
            return Err(ErrorKind::NotPermitted);
        }
        self.providers.insert(provider.to_owned(), rules);
        Ok(SESSION_STEP)
    }

    /// MODEL.md section 4: the explicit setting, else only `release` is allowed.
    fn permits(&self, provider: &str, permission: Permission) -> bool {
        let index = match permission {
            Permission::Release => 0,
            Permission::Hold => 1,
            Permission::TransferToAgent => 2,
            Permission::TransferToRoute => 3,
        };
        let explicit = self.providers.get(provider).and_then(|rules| rules[index]);
        explicit.unwrap_or(permission == Permission::Release)
    }

    /// The provider an actor creates an interaction for: none for the platform or an unnamed
    /// provider; a named one must be registered.
    fn creating_provider(&self, actor: &Actor) -> Result<Option<String>, ErrorKind> {
        match actor {
            Actor::Provider(Some(p)) if self.providers.contains_key(p.as_str()) => {
                Ok(Some(p.as_str().to_owned()))
            }
            Actor::Provider(Some(_)) => Err(ErrorKind::UnknownProvider),
            _ => Ok(None),
        }
    }

    /// Applies one input: the outcome (or the refusal's kind) and the effects.
    fn apply(&mut self, input: &Input) -> (Result<Step, ErrorKind>, Vec<Effect>) {
        let id = input.interaction.as_str();
        let now = self.interactions.get(id);
        let gone = self.forgotten(id);
        if let Some(key) = &input.key
            && let Some((_, first)) = self.keys.iter().find(|(k, _)| k == key.as_str())
        {
            if !same_request(first, input) {
                return (Err(ErrorKind::IdempotencyConflict), Vec::new());
            }
            let (kind, reason) = match (now, gone) {
                (Some(it), _) => (Some(it.state.kind()), it.state.end_reason()),
                (None, Some((reason, _))) => (Some(StateKind::Ended), Some(reason)),
                (None, None) => (None, None),
            };
            let step = Step {
                outcome: Outcome::Duplicate,
                from: kind,
                to: kind,
                reason,
                agent: None,
                left: None,
            };
            return (Ok(step), Vec::new());
        }
        // Forgotten but remembered: never resurrected.
        if now.is_none()
            && let Some((reason, api)) = gone
        {
            return (self.apply_forgotten(input, reason, api), Vec::new());
        }
        let mv = match self.decide(now, input) {
            Ok(mv) => mv,
            Err(kind) => return (Err(kind), Vec::new()),
        };
        if let Err(kind) = self.room(now.is_none(), &mv, input) {
            return (Err(kind), Vec::new());
        }
        let from = now.map(|it| it.state.kind());
        let old = now.map(|it| it.state.clone());
        // The agent whose role changed: the new state's when it changed, else the old one's.
        let was = now.and_then(|it| it.state.role());
        let after = mv.after.state.role();
        let changed = mv.outcome == Outcome::Applied && was != after;
        let step = Step {
            outcome: mv.outcome,
            from,
            to: Some(mv.after.state.kind()),
            reason: mv.after.state.end_reason(),
            agent: changed
                .then(|| after.or(was).map(|(a, _)| agent(a)))
                .flatten(),
            // The agent a transfer took the interaction from (section 10: its activity changed
            // too).
            left: match (changed, was, after) {
                (true, Some((w, _)), Some((a, _))) if w != a => Some(agent(w)),
                _ => None,
            },
        };
        if mv.outcome == Outcome::Applied {
            // "An agent seen acting, or named as owner or offered agent by an applied input,
            // becomes known."
            let named = [
                input.actor.agent().map(AgentId::as_str),
                mv.after.state.owner(),
                mv.after.state.offered_to(),
            ];
            for a in named.into_iter().flatten() {
                self.agents.entry(a.to_owned()).or_insert_with(MAgent::seen);
            }
        }
        // Accepted (applied or ignored): the input's time moves the clock, and a state change
        // arms or cancels the interaction's timer.
        self.tick(input.now);
        if mv.outcome == Outcome::Applied && old.as_ref() != Some(&mv.after.state) {
            self.follow_timers(id, old.as_ref(), &mv.after.state);
        }
        let ends = step.to == Some(StateKind::Ended) && from != Some(StateKind::Ended);
        self.interactions.insert(id.to_owned(), mv.after);
        if ends {
            self.ended.push_back(id.to_owned());
            while self.ended.len() > self.settings.max_ended {
                let oldest = self.ended.pop_front().unwrap();
                let it = self.interactions.remove(&oldest).unwrap();
                if self.settings.max_forgotten > 0 {
                    self.forgotten.retain(|(f, _, _)| *f != oldest);
                    let reason = it.state.end_reason().unwrap();
                    self.forgotten.push_back((oldest, reason, it.api));
                    while self.forgotten.len() > self.settings.max_forgotten {
                        self.forgotten.pop_front();
                    }
                }
            }
        }
        self.remember_key(input);
        (Ok(step), mv.effects)
    }

    /// An input for an id forgotten but remembered: never resurrected.
    fn apply_forgotten(
        &mut self,
        input: &Input,
        reason: EndReason,
        api: Api,
    ) -> Result<Step, ErrorKind> {
        let kind = input.action.kind();
        let result = if !may_act(self.settings.shared_apis, api, input.api) {
            Err(ErrorKind::NotPermitted)
        } else if input.actor == Actor::Platform && restates_end(kind, reason) {
            Ok(Step {
                outcome: Outcome::Applied,
                from: Some(StateKind::Ended),
                to: Some(StateKind::Ended),
                reason: Some(reason),
                agent: None,
                left: None,
            })
        } else {
            Err(ErrorKind::AlreadyEnded)
        };
        if result.is_ok() {
            // Applied, so its `now` moves the clock, held or forgotten alike.
            self.tick(input.now);
            self.remember_key(input);
        }
        result
    }

    /// The bounds, checked last: creating one more live interaction, knowing one more agent.
    fn room(&self, creates: bool, mv: &Move, input: &Input) -> Result<(), ErrorKind> {
        if creates && self.live() >= self.settings.max_live {
            return Err(ErrorKind::NotPermitted);
        }
        let mut new_agents: BTreeSet<&str> = BTreeSet::new();
        if mv.outcome == Outcome::Applied {
            for a in [
                input.actor.agent().map(AgentId::as_str),
                mv.after.state.owner(),
                mv.after.state.offered_to(),
            ]
            .into_iter()
            .flatten()
            {
                if !self.agents.contains_key(a) {
                    new_agents.insert(a);
                }
            }
        }
        if self.agents.len() + new_agents.len() > self.settings.max_agents {
            return Err(ErrorKind::NotPermitted);
        }
        Ok(())
    }

    /// Remembers an applied input's key with its request, oldest forgotten beyond the bound.
    fn remember_key(&mut self, input: &Input) {
        if let Some(key) = &input.key
            && self.settings.max_idempotency_keys > 0
        {
            self.keys
                .push_back((key.as_str().to_owned(), input.clone()));
            while self.keys.len() > self.settings.max_idempotency_keys {
                self.keys.pop_front();
            }
        }
    }

    /// MODEL.md sections 3 to 5, in the documented order of checks.
    fn decide(&self, now: Option<&MInteraction>, input: &Input) -> Result<Move, ErrorKind> {
        let kind = input.action.kind();
        let creates = matches!(kind, ActionKind::Dispatch | ActionKind::Dial);
        let Some(it) = now else {
            return if creates {
                self.create(input)
            } else {
                first_sight(input)
            };
        };
        if !may_act(self.settings.shared_apis, it.api, input.api) {
            return Err(ErrorKind::NotPermitted);
        }
        if let MState::Ended(reason) = it.state {
            return if input.actor == Actor::Platform && restates_end(kind, reason) {
                Ok(Move::unchanged(it, Outcome::Applied))
            } else {
                Err(ErrorKind::AlreadyEnded)
            };
        }
        if creates {
            return Err(ErrorKind::AlreadyExists);
        }
        if input.actor == Actor::Platform && restates(it, &input.action) {
            return Ok(Move::unchanged(it, Outcome::Applied));
        }
        let cancel_inbound = kind == ActionKind::Cancel && it.direction == Direction::Inbound;
        if !legal_from(kind).contains(&it.state.kind()) || cancel_inbound {
            return Err(ErrorKind::InvalidTransition);
        }
        self.may_take(it, input)?;
        next(it, input, self.requires_wrap_up(it, input))
    }

    /// MODEL.md section 10: whether `it` requires after-call work when `input` ends its media:
    /// the input's own say (a vendor fact), else the engine's setting for its media.
    /// A provider's release never leads to wrap-up: MODEL.md section 10 names "the owner or
    /// the platform".
    fn requires_wrap_up(&self, it: &MInteraction, input: &Input) -> bool {
        !matches!(input.actor, Actor::Provider(_))
            && input
                .wrap_up
                .unwrap_or(self.settings.wrap_up.contains(it.media))
    }

    /// `dispatch` and `dial` of an id not held.
    fn create(&self, input: &Input) -> Result<Move, ErrorKind> {
        let (state, media, direction, target, user_data) = match &input.action {
            Action::Dispatch {
                route,
                media,
                direction,
                user_data,
            } => {
                if matches!(input.actor, Actor::Agent(_)) {
                    return Err(ErrorKind::NotPermitted);
                }
                let target = Some(Target::Route(route.clone()));
                (
                    MState::Queued,
                    *media,
                    *direction,
                    target,
                    user_data.clone(),
                )
            }
            Action::Dial { from, to, media } => {
                // The platform reports a call it placed (a GWS `Dialing` seen first).
                match (&input.actor, from) {
                    (Actor::Agent(a), Caller::Agent(c)) if a == c => {}
                    (Actor::Agent(_), _) => return Err(ErrorKind::NotOwner),
                    (Actor::Provider(_) | Actor::Platform, _) => {}
                }
                let state = MState::Dialing(from.clone(), to.clone());
                (state, *media, Direction::Outbound, None, UserData::new())
            }
            _ => unreachable!("only dispatch and dial create"),
        };
        let provider = self.creating_provider(&input.actor)?;
        Ok(Move {
            outcome: Outcome::Applied,
            after: MInteraction {
                state,
                media,
                direction,
                api: input.api,
                provider,
                target,
                user_data,
            },
            effects: Vec::new(),
        })
    }

    /// Whether this actor may take this action on `it` (the actor, then the provider's rule).
    fn may_take(&self, it: &MInteraction, input: &Input) -> Result<(), ErrorKind> {
        let kind = input.action.kind();
        match &input.actor {
            Actor::Platform => Ok(()),
            Actor::Provider(named) => {
                if kind != ActionKind::Release {
                    return Err(ErrorKind::NotPermitted);
                }
                match &it.provider {
                    Some(own) if named.as_ref().map(ProviderName::as_str) != Some(own) => {
                        Err(ErrorKind::ProviderMismatch)
                    }
                    _ => Ok(()),
                }
            }
            Actor::Agent(a) => {
                let a = a.as_str();
                let entitled = match agent_role(kind) {
                    AgentRole::Owner => it.state.owner() == Some(a),
                    AgentRole::Offered => it.state.offered_to() == Some(a),
                    AgentRole::Itself => input.action.agent().map(AgentId::as_str) == Some(a),
                    AgentRole::Nobody => return Err(ErrorKind::NotPermitted),
                };
                if !entitled {
                    return Err(ErrorKind::NotOwner);
                }
                match (&it.provider, needs(kind)) {
                    (Some(p), Some(permission)) if !self.permits(p, permission) => {
                        Err(ErrorKind::NotPermitted)
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// MODEL.md section 4, `allowed`: the actions `agent` may take now on `id`, by asking the
    /// model itself (every agent argument is the agent).
    fn allowed(&self, id: &str, who: &AgentId) -> BTreeSet<ActionKind> {
        let Some(it) = self.interactions.get(id) else {
            return BTreeSet::new();
        };
        ActionKind::ALL
            .into_iter()
            .filter(|kind| !matches!(kind, ActionKind::Dispatch | ActionKind::Dial))
            .filter(|kind| {
                let input =
                    Input::new(ix(id), probe(*kind, who, NUMBER), Actor::Agent(who.clone()))
                        .via(it.api);
                matches!(
                    self.decide(Some(it), &input),
                    Ok(Move {
                        outcome: Outcome::Applied,
                        ..
                    })
                )
            })
            .collect()
    }

    fn workbin_content(&self, workbin: &str) -> Vec<&str> {
        self.interactions
            .iter()
            .filter(
                |(_, it)| matches!(&it.state, MState::InWorkbin { workbin: w, .. } if w == workbin),
            )
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

/// A platform `offer` or `assign` on an id never seen creates it when the input says how
/// (MODEL.md section 6: "first sight of an id creates it"); anything else is unknown.
fn first_sight(input: &Input) -> Result<Move, ErrorKind> {
    let (Some(seen), Actor::Platform) = (&input.first_sight, &input.actor) else {
        return Err(ErrorKind::UnknownInteraction);
    };
    let state = match &input.action {
        Action::Offer { agent } => MState::Offered(agent.as_str().to_owned()),
        Action::Assign { agent } => MState::Connected(agent.as_str().to_owned()),
        _ => return Err(ErrorKind::UnknownInteraction),
    };
    Ok(Move {
        outcome: Outcome::Applied,
        after: MInteraction {
            state,
            media: seen.media,
            direction: seen.direction,
            api: input.api,
            provider: None,
            target: None,
            user_data: seen.user_data.clone(),
        },
        effects: Vec::new(),
    })
}

/// Where a legal, permitted action leads, and what it emits (MODEL.md sections 3, 5 and 10).
/// `wrap_up`: whether the interaction requires after-call work; then a `release`, or the
/// owner's `disconnect`, of an interaction an agent owns leads to `wrap_up`, that agent
/// keeping the work.
fn next(it: &MInteraction, input: &Input, wrap_up: bool) -> Result<Move, ErrorKind> {
    let id = input.interaction.clone();
    let mut after = it.clone();
    let mut effects = Vec::new();
    let owner = it.state.connected_owner().map(str::to_owned);
    let redistribute = |target: &Option<Target>| Effect::Redistribute {
        interaction: id.clone(),
        target: target.clone(),
    };
    after.state = match &input.action {
        Action::Offer { agent } | Action::TransferToAgent { agent } => {
            MState::Offered(agent.as_str().to_owned())
        }
        Action::Accept => MState::Connected(it.state.offered_to().unwrap().to_owned()),
        Action::Reject | Action::Revoke => {
            effects.push(redistribute(&it.target));
            MState::Queued
        }
        Action::Assign { agent } | Action::Pull { agent } => {
            MState::Connected(agent.as_str().to_owned())
        }
        Action::Hold => MState::Held(owner.clone().unwrap()),
        Action::Retrieve => MState::Connected(owner.clone().unwrap()),
        Action::TransferToRoute { route } => {
            after.target = Some(Target::Route(route.clone()));
            MState::Queued
        }
        Action::PlaceInQueue { queue } => {
            after.target = Some(Target::Queue(queue.clone()));
            MState::Queued
        }
        Action::Transferred { agent } => {
            effects.push(Effect::Transferred {
                interaction: id.clone(),
                from: owner.as_deref().map(self::agent),
                to: agent.clone(),
            });
            MState::Connected(agent.as_str().to_owned())
        }
        Action::PlaceInWorkbin { workbin } => MState::InWorkbin {
            workbin: workbin.as_str().to_owned(),
            last_owner: owner.clone(),
        },
        Action::Answer { agent } => {
            let caller = match &it.state {
                MState::Dialing(Caller::Agent(a), _) => Some(a),
                _ => None,
            };
            match agent.as_ref().or(caller) {
                Some(a) => MState::Connected(a.as_str().to_owned()),
                None => return Err(ErrorKind::MissingField),
            }
        }
        Action::Complete => MState::Ended(EndReason::Completed),
        Action::Cancel => MState::Ended(EndReason::Cancelled),
        Action::Release => match it.state.owner() {
            Some(owner) if wrap_up => MState::WrapUp(owner.to_owned()),
            _ => MState::Ended(EndReason::Released),
        },
        Action::Disconnect { agent } => {
            let leaving = Some(agent.as_str());
            if it.state.offered_to() == leaving {
                effects.push(redistribute(&it.target));
                MState::Queued
            } else if it.state.owner() == leaving && wrap_up {
                MState::WrapUp(agent.as_str().to_owned())
            } else if it.state.owner() == leaving {
                MState::Ended(EndReason::Disconnected)
            } else {
                return Ok(Move::unchanged(it, Outcome::Ignored));
            }
        }
        Action::UpdateUserData { .. }
        | Action::AttachUserData { .. }
        | Action::DeleteUserData { .. } => {
            change_user_data(&mut after.user_data, &input.action);
            it.state.clone()
        }
        Action::Dispatch { .. } | Action::Dial { .. } => unreachable!("creating actions"),
    };
    effects.extend(notifications(it, &after, input));
    Ok(Move {
        outcome: Outcome::Applied,
        after,
        effects,
    })
}

/// MODEL.md section 3 and docs/ARCHITECTURE.md: update replaces and adds, attach only adds,
/// delete removes the named keys.
fn change_user_data(data: &mut UserData, action: &Action) {
    match action {
        Action::UpdateUserData { user_data } => {
            for (k, v) in user_data {
                data.insert(k.clone(), v.clone());
            }
        }
        Action::AttachUserData { user_data } => {
            for (k, v) in user_data {
                data.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Action::DeleteUserData { keys } => {
            for k in keys {
                data.remove(k);
            }
        }
        _ => {}
    }
}

/// Provider notifications (MODEL.md section 5): `AssignToAgent` when the interaction is
/// connected to a new owner; `Release` when an agent or the platform, not the provider itself,
/// releases it, into wrap-up or not (the media ends then; completing the wrap-up later is not a
/// release).
fn notifications(it: &MInteraction, after: &MInteraction, input: &Input) -> Option<Effect> {
    let provider = it.provider.as_deref()?;
    let notification = match &after.state {
        MState::Connected(new) if it.state.connected_owner() != Some(new.as_str()) => {
            Notification::AssignToAgent { agent: agent(new) }
        }
        MState::Ended(EndReason::Released) if !matches!(input.actor, Actor::Provider(_)) => {
            Notification::Release
        }
        MState::WrapUp(_)
            if input.action == Action::Release && !matches!(input.actor, Actor::Provider(_)) =>
        {
            Notification::Release
        }
        _ => return None,
    };
    Some(Effect::Notify {
        provider: provider_name(provider),
        interaction: input.interaction.clone(),
        notification,
    })
}

// =============================================================================================
// Random cases
// =============================================================================================

/// One operation on the engine (and the model).
#[derive(Debug, Clone)]
enum Op {
    /// An input; its `now` is set when the case runs, from the [`When`] beside it.
    Apply(Input),
    /// `log_in` through [`Engine::log_in`].
    LogIn(AgentId),
    /// `log_out` through [`Engine::log_out`].
    LogOut(AgentId),
    /// Any agent action through [`Engine::apply_agent`].
    Agent(AgentId, AgentAction),
    /// Register (an upsert) with new rules.
    Register(ProviderName, Rules),
    /// [`Engine::heartbeat`].
    Heartbeat(AgentId),
    /// [`Engine::handle_timeout`] at this time; drawn as 0 and set when the case runs, from
    /// the [`When`] beside it (the clock when that is `Unset`).
    Advance(u64),
    /// The same request again as an earlier `Apply` (picked by the index among them): a
    /// redelivery, at its own time. Resolved into that `Apply` when the case is drawn.
    Retry(Index),
}

/// When an operation happens, relative to the clock as it is when the operation runs: an
/// input's `now`, a clock advance's.
#[derive(Debug, Clone, Copy)]
enum When {
    /// No time: an input with `now: None`; a clock advance to the clock as it is.
    Unset,
    /// This many milliseconds after the clock.
    Ahead(u64),
    /// This many milliseconds before the clock (at 0 at the earliest): time never goes back.
    Behind(u64),
}

impl When {
    fn at(self, clock: u64) -> Option<u64> {
        match self {
            When::Unset => None,
            When::Ahead(dt) => Some(clock + dt),
            When::Behind(dt) => Some(clock.saturating_sub(dt)),
        }
    }
}

/// `op` as it runs when the clock reads `clock`: an input's `now`, a clock advance's time.
fn timed(op: &Op, when: When, clock: u64) -> Op {
    match op {
        Op::Apply(input) => Op::Apply(Input {
            now: when.at(clock),
            ..input.clone()
        }),
        Op::Advance(_) => Op::Advance(when.at(clock).unwrap_or(clock)),
        other => other.clone(),
    }
}

#[derive(Debug, Clone)]
struct Case {
    settings: EngineSettings,
    p0: Rules,
    p1: Rules,
    ops: Vec<(Op, When)>,
    /// Where to snapshot and restore: before operation `snapshot_at` (or after the last).
    snapshot_at: Index,
}

/// An engine with `p0` and `p1` registered.
fn new_engine(settings: EngineSettings, p0: Rules, p1: Rules) -> Engine {
    let mut engine = Engine::with_settings(settings);
    for (p, rules) in [("p0", p0), ("p1", p1)] {
        engine
            .register_provider(
                provider_name(p),
                ProviderSettings {
                    permissions: permissions(rules),
                    ..ProviderSettings::default()
                },
            )
            .unwrap();
    }
    engine
}

impl Case {
    fn model(&self) -> Model {
        Model::new(self.settings, self.p0, self.p1)
    }
}

/// Small JSON values. Numbers are integers in canonical text (what an adapter produces).
///
/// Not shared with properties.rs on purpose: its `value_s` draws other values (any `i64`, no
/// floats, longer strings and collections). Both pass theirs to `common::user_data_s`.
fn value_s() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-99i64..99).prop_map(|n| Value::Number(Number::from_i64(n))),
        (-9.0f64..9.0).prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
        "[a-z]{0,2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 4, 2, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..2).prop_map(Value::Array),
            prop::collection::btree_map("[ab]", inner, 0..2).prop_map(Value::Object),
        ]
    })
}

// The action, actor, input, op and settings strategies below are this suite's own, not shared
// with properties.rs: they draw with other weights and ranges (dial groups of one or two names,
// the vendor API, a `scoped` key, retries, the bounds `max_live` / `max_agents` /
// `max_providers` and `shared_apis`), chosen for the comparison with the model.
fn action_s() -> impl Strategy<Value = Action> {
    let placed_from = prop_oneof![
        3 => agent_s().prop_map(Caller::Agent),
        1 => prop::collection::vec(name_s(), 1..3).prop_map(Caller::Groups),
    ];
    let placed_to = prop_oneof![
        Just(Callee::Number(name(NUMBER))),
        agent_s().prop_map(Callee::Agent),
    ];
    // Weights favour the creating actions and the ways into the rarer states.
    prop_oneof![
        5 => (name_s(), media_s(), direction_s(), user_data_s(value_s())).prop_map(
            |(route, media, direction, user_data)| Action::Dispatch { route, media, direction, user_data }
        ),
        3 => agent_s().prop_map(|agent| Action::Offer { agent }),
        3 => Just(Action::Accept),
        1 => Just(Action::Reject),
        1 => Just(Action::Revoke),
        3 => agent_s().prop_map(|agent| Action::Assign { agent }),
        4 => Just(Action::Hold),
        2 => Just(Action::Retrieve),
        2 => agent_s().prop_map(|agent| Action::TransferToAgent { agent }),
        1 => name_s().prop_map(|route| Action::TransferToRoute { route }),
        1 => agent_s().prop_map(|agent| Action::Transferred { agent }),
        1 => name_s().prop_map(|queue| Action::PlaceInQueue { queue }),
        2 => name_s().prop_map(|workbin| Action::PlaceInWorkbin { workbin }),
        2 => agent_s().prop_map(|agent| Action::Pull { agent }),
        3 => (placed_from, placed_to, media_s())
            .prop_map(|(from, to, media)| Action::Dial { from, to, media }),
        2 => proptest::option::of(agent_s()).prop_map(|agent| Action::Answer { agent }),
        2 => Just(Action::Complete),
        2 => Just(Action::Cancel),
        2 => Just(Action::Release),
        2 => agent_s().prop_map(|agent| Action::Disconnect { agent }),
        2 => user_data_s(value_s()).prop_map(|user_data| Action::UpdateUserData { user_data }),
        2 => user_data_s(value_s()).prop_map(|user_data| Action::AttachUserData { user_data }),
        2 => prop::collection::vec("k[0-3]", 0..3).prop_map(|keys| Action::DeleteUserData { keys }),
    ]
}

/// Any actor at all.
fn actor_s() -> impl Strategy<Value = Actor> {
    prop_oneof![
        3 => agent_s().prop_map(Actor::Agent),
        2 => Just(Actor::Platform),
        1 => Just(Actor::Provider(None)),
        2 => pick(&PROVIDERS).prop_map(|p| Actor::Provider(Some(provider_name(p)))),
    ]
}

/// The actors MODEL.md's actor column names for `kind`, so that sequences get deep.
fn usual_actor_s(kind: ActionKind) -> BoxedStrategy<Actor> {
    let named = pick(&PROVIDERS[..2]).prop_map(|p| Actor::Provider(Some(provider_name(p))));
    match kind {
        ActionKind::Dispatch => {
            prop_oneof![Just(Actor::Platform), Just(Actor::Provider(None)), named].boxed()
        }
        ActionKind::Dial => prop_oneof![
            2 => agent_s().prop_map(Actor::Agent),
            1 => Just(Actor::Provider(None)),
            2 => named,
        ]
        .boxed(),
        ActionKind::Offer
        | ActionKind::Revoke
        | ActionKind::Assign
        | ActionKind::Transferred
        | ActionKind::Answer
        | ActionKind::Disconnect => Just(Actor::Platform).boxed(),
        ActionKind::Release => prop_oneof![
            agent_s().prop_map(Actor::Agent),
            Just(Actor::Platform),
            Just(Actor::Provider(None)),
            named,
        ]
        .boxed(),
        _ => prop_oneof![
            3 => agent_s().prop_map(Actor::Agent),
            1 => Just(Actor::Platform),
        ]
        .boxed(),
    }
}

fn input_s() -> impl Strategy<Value = Input> {
    let acted = action_s().prop_flat_map(|action| {
        let actor = prop_oneof![3 => usual_actor_s(action.kind()), 1 => actor_s()];
        (Just(action), actor)
    });
    (
        pick(&IDS),
        acted,
        proptest::option::weighted(0.2, 0..KEYS),
        proptest::option::weighted(0.25, (media_s(), direction_s(), user_data_s(value_s()))),
        prop_oneof![14 => Just(Api::Core), 1 => Just(Api::Vcc), 1 => Just(Api::Gws)],
        // The input's own say on after-call work: mostly none (the setting decides).
        prop_oneof![4 => Just(None), 2 => Just(Some(true)), 1 => Just(Some(false))],
    )
        .prop_map(|(id, (action, actor), key, seen, api, wrap_up)| {
            let mut input = Input::new(ix(id), action, actor).via(api);
            input.wrap_up = wrap_up;
            if let Some(k) = key {
                input =
                    input.with_key(IdempotencyKey::scoped("key", None, &format!("k{k}")).unwrap());
            }
            if let Some((media, direction, user_data)) = seen {
                input = input.with_first_sight_data(media, direction, user_data);
            }
            input
        })
}

/// Any agent action, the availability ones more often; a not-ready reason sometimes, and
/// sometimes the one the engine gives itself.
fn agent_action_s() -> impl Strategy<Value = AgentAction> {
    let reason = proptest::option::of(prop_oneof![
        3 => Just(name("lunch")),
        1 => Just(Name::NO_ANSWER),
    ]);
    prop_oneof![
        1 => Just(AgentAction::LogIn),
        1 => Just(AgentAction::LogOut),
        2 => Just(AgentAction::SetReady),
        2 => reason.prop_map(|reason| AgentAction::SetNotReady { reason }),
        1 => Just(AgentAction::SetAfterCallWork),
    ]
}

/// An input's time: mostly a little after the clock, sometimes none, sometimes earlier.
fn input_when_s() -> impl Strategy<Value = When> {
    prop_oneof![
        3 => Just(When::Unset),
        6 => (0..30u64).prop_map(When::Ahead),
        1 => (1..30u64).prop_map(When::Behind),
    ]
}

/// A clock advance's time: mostly after the clock (often past a deadline), sometimes the clock
/// itself or earlier (firing only what is overdue).
fn advance_when_s() -> impl Strategy<Value = When> {
    prop_oneof![
        8 => (0..80u64).prop_map(When::Ahead),
        1 => Just(When::Unset),
        1 => (1..30u64).prop_map(When::Behind),
    ]
}

fn op_s() -> impl Strategy<Value = (Op, When)> {
    let untimed = |op: Op| (op, When::Unset);
    prop_oneof![
        28 => (input_s(), input_when_s()).prop_map(|(input, when)| (Op::Apply(input), when)),
        1 => agent_s().prop_map(move |a| untimed(Op::LogIn(a))),
        1 => agent_s().prop_map(move |a| untimed(Op::LogOut(a))),
        2 => (agent_s(), agent_action_s()).prop_map(move |(a, action)| untimed(Op::Agent(a, action))),
        1 => (pick(&PROVIDERS), rules_s())
            .prop_map(move |(p, r)| untimed(Op::Register(provider_name(p), r))),
        1 => agent_s().prop_map(move |a| untimed(Op::Heartbeat(a))),
        3 => advance_when_s().prop_map(|when| (Op::Advance(0), when)),
        3 => (any::<Index>(), input_when_s()).prop_map(|(index, when)| (Op::Retry(index), when)),
    ]
}

/// Replaces each `Retry` by the earlier `Apply` it picks, at the retry's own time (dropping one
/// with none before it).
fn resolve_retries(ops: Vec<(Op, When)>) -> Vec<(Op, When)> {
    let mut out: Vec<(Op, When)> = Vec::with_capacity(ops.len());
    let mut applied: Vec<Input> = Vec::new();
    for (op, when) in ops {
        match op {
            Op::Retry(index) if !applied.is_empty() => {
                let input = applied[index.index(applied.len())].clone();
                out.push((Op::Apply(input), when));
            }
            Op::Retry(_) => {}
            Op::Apply(input) => {
                applied.push(input.clone());
                out.push((Op::Apply(input), when));
            }
            other => out.push((other, when)),
        }
    }
    out
}

/// MODEL.md section 10's settings: in about half the cases none (behaviour exactly as before
/// them, but for an input's own `wrap_up`); otherwise wrap-up media (any subset) and each
/// timer sometimes, with short times so that timers both fire and are cancelled.
fn settings_s() -> impl Strategy<Value = EngineSettings> {
    let media = prop::sample::subsequence(vec![Media::Live, Media::Nonlive, Media::Chat], 0..=3)
        .prop_map(|media| MediaSet::of(&media));
    let timers = (
        media,
        proptest::option::weighted(0.6, 0..50u64),
        proptest::option::weighted(0.6, 0..4u32),
        proptest::option::weighted(0.5, 0..80u64),
        proptest::option::weighted(0.5, 0..100u64),
    );
    let section_10 = prop_oneof![1 => Just(None), 1 => timers.prop_map(Some)];
    (bounds_s(), section_10).prop_map(|(settings, timers)| match timers {
        None => settings,
        Some((wrap_up, offer_timeout, max_no_answer, wrap_up_timeout, agent_heartbeat_timeout)) => {
            EngineSettings {
                wrap_up,
                offer_timeout,
                max_no_answer,
                wrap_up_timeout,
                agent_heartbeat_timeout,
                ..settings
            }
        }
    })
}

/// Mostly the default bounds; sometimes tiny ones, so that eviction happens and the bounds
/// refuse; sometimes a shared namespace.
fn bounds_s() -> impl Strategy<Value = EngineSettings> {
    let shared = prop_oneof![
        3 => Just(ApiSet::EMPTY),
        1 => Just(ApiSet::of([Api::Vcc, Api::Gws])),
    ];
    prop_oneof![
        6 => shared.clone().prop_map(|shared_apis| EngineSettings {
            shared_apis,
            ..EngineSettings::default()
        }),
        2 => (0..3usize, 0..3usize, 0..4usize, shared.clone()).prop_map(
            |(max_ended, max_forgotten, max_idempotency_keys, shared_apis)| EngineSettings {
                max_ended,
                max_forgotten,
                max_idempotency_keys,
                shared_apis,
                ..EngineSettings::default()
            }
        ),
        1 => (0..4usize, 0..5usize, 2..4usize, shared).prop_map(
            |(max_live, max_agents, max_providers, shared_apis)| EngineSettings {
                max_ended: 1,
                max_live,
                max_agents,
                max_providers,
                shared_apis,
                ..EngineSettings::default()
            }
        ),
    ]
}

fn case_s() -> impl Strategy<Value = Case> {
    (
        settings_s(),
        rules_s(),
        rules_s(),
        prop::collection::vec(op_s(), 1..100),
        any::<Index>(),
    )
        .prop_map(|(settings, p0, p1, ops, snapshot_at)| Case {
            settings,
            p0,
            p1,
            ops: resolve_retries(ops),
            snapshot_at,
        })
}

// =============================================================================================
// Driving and checking
// =============================================================================================

/// What an operation did, as far as it can be seen from outside.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    /// An input's step (or refusal) and effects; also a session or register operation's.
    Input(Result<Step, ErrorKind>, Vec<Effect>),
    /// An agent action's step, or the refusal's kind.
    Agent(Result<AgentStep, ErrorKind>),
    /// Whether a heartbeat armed the agent's timer.
    Heartbeat(bool),
    /// The timers a clock advance fired, in order.
    Fired(Vec<Fire>),
}

/// Runs `op` (with its time set) on the model.
fn model_op(model: &mut Model, op: &Op) -> Option<Done> {
    Some(match op {
        Op::Apply(input) => {
            let (result, effects) = model.apply(input);
            Done::Input(result, effects)
        }
        Op::LogIn(a) => Done::Input(
            model.set_presence(a.as_str(), &AgentAction::LogIn),
            Vec::new(),
        ),
        Op::LogOut(a) => Done::Input(
            model.set_presence(a.as_str(), &AgentAction::LogOut),
            Vec::new(),
        ),
        Op::Agent(a, action) => Done::Agent(model.agent_action(a.as_str(), action)),
        Op::Register(p, rules) => Done::Input(model.register(p.as_str(), *rules), Vec::new()),
        Op::Heartbeat(a) => Done::Heartbeat(model.heartbeat(a.as_str())),
        Op::Advance(now) => Done::Fired(model.advance(*now)),
        Op::Retry(_) => return None,
    })
}

/// An effect already in the caller's buffer: the engine must only ever append to it.
fn earlier_effect() -> Effect {
    Effect::Redistribute {
        interaction: ix("earlier"),
        target: None,
    }
}

/// Runs `op` (with its time set) on the engine, with caller's buffers that already hold an
/// earlier effect (and an earlier fired timer); returns the result (with the refusal's kind)
/// and the effects pushed.
fn engine_op(engine: &mut Engine, op: &Op) -> Option<Done> {
    let session = |result: Result<(), interaction_core::Error>| {
        Done::Input(
            result.map(|()| SESSION_STEP).map_err(|e| e.kind()),
            Vec::new(),
        )
    };
    Some(match op {
        Op::Apply(input) => {
            let mut effects = vec![earlier_effect()];
            let result = engine.apply(input.clone(), &mut effects);
            assert_eq!(
                effects.first(),
                Some(&earlier_effect()),
                "the buffer was cleared"
            );
            let result = result.map_err(|err| {
                assert!(!err.to_string().is_empty(), "{err:?} has no message");
                err.kind()
            });
            Done::Input(result, effects.split_off(1))
        }
        Op::LogIn(a) => session(
            engine
                .log_in(a.clone())
                .map_err(interaction_core::Error::from),
        ),
        Op::LogOut(a) => session(
            engine
                .log_out(a.clone())
                .map_err(interaction_core::Error::from),
        ),
        Op::Agent(a, action) => Done::Agent(engine.apply_agent(a.clone(), action.clone()).map_err(
            |err| {
                assert!(!err.to_string().is_empty(), "{err:?} has no message");
                err.kind()
            },
        )),
        Op::Register(p, rules) => Done::Input(
            engine
                .register_provider(
                    p.clone(),
                    ProviderSettings {
                        permissions: permissions(*rules),
                        ..ProviderSettings::default()
                    },
                )
                .map(|_| SESSION_STEP)
                .map_err(|e| e.kind()),
            Vec::new(),
        ),
        Op::Heartbeat(a) => Done::Heartbeat(engine.heartbeat(a)),
        Op::Advance(now) => {
            let earlier = Fired {
                timer: Timer::OfferTimeout,
                deadline: 0,
                step: FiredStep::Interaction {
                    interaction: ix("earlier"),
                    api: Api::Core,
                    step: SESSION_STEP,
                },
                agent_state: None,
                effects: 0..1,
            };
            let mut fired = vec![earlier.clone()];
            let mut effects = vec![earlier_effect()];
            engine.handle_timeout(*now, &mut fired, &mut effects);
            assert_eq!(
                fired.first(),
                Some(&earlier),
                "the fired buffer was cleared"
            );
            assert_eq!(
                effects.first(),
                Some(&earlier_effect()),
                "the buffer was cleared"
            );
            // Each timer's effects follow the previous one's, and together they are all the
            // effects pushed.
            let mut at = 1;
            for f in &fired[1..] {
                assert_eq!(f.effects.start, at, "effects of {f:?}");
                at = f.effects.end;
            }
            assert_eq!(at, effects.len(), "effects no timer claims");
            Done::Fired(
                fired
                    .into_iter()
                    .skip(1)
                    .map(|f| Fire {
                        timer: f.timer,
                        deadline: f.deadline,
                        effects: effects[f.effects.clone()].to_vec(),
                        step: f.step,
                        agent_state: f.agent_state,
                    })
                    .collect(),
            )
        }
        Op::Retry(_) => return None,
    })
}

/// Everything observable agrees with the model.
fn agrees(engine: &Engine, model: &Model) -> Result<(), TestCaseError> {
    prop_assert_eq!(engine.len(), model.interactions.len(), "interactions held");
    for id in IDS {
        let got = engine.interaction(id);
        let want = model.interactions.get(id);
        prop_assert_eq!(got.is_some(), want.is_some(), "{} held", id);
        if let (Some(got), Some(want)) = (got, want) {
            prop_assert_eq!(got.state(), &want.state.expected(), "{} state", id);
            prop_assert_eq!(got.api(), want.api, "{} api", id);
            prop_assert_eq!(got.media(), want.media, "{} media", id);
            prop_assert_eq!(got.direction(), want.direction, "{} direction", id);
            prop_assert_eq!(
                got.provider().map(ProviderName::as_str),
                want.provider.as_deref(),
                "{} provider",
                id
            );
            prop_assert_eq!(got.target(), want.target.as_ref(), "{} target", id);
            prop_assert_eq!(got.user_data(), &want.user_data, "{} user data", id);
        }
        prop_assert_eq!(
            engine.forgotten(id),
            model.forgotten(id).map(|(reason, _)| reason),
            "{} forgotten",
            id
        );
        prop_assert_eq!(
            engine.timer(id),
            model
                .armed(&Subject::Interaction(id.to_owned()))
                .map(|t| (t.timer, t.deadline)),
            "timer of {}",
            id
        );
        for who in AGENTS.map(agent) {
            let got: BTreeSet<ActionKind> = engine.allowed(id, who.as_str()).iter().collect();
            let want = model.allowed(id, &who);
            prop_assert_eq!(got, want, "allowed({}, {})", id, who);
        }
    }
    prop_assert_eq!(engine.live(), model.live(), "live interactions");
    prop_assert_eq!(engine.agents().count(), model.agents.len(), "agents known");
    prop_assert_eq!(
        engine.idempotency_keys(),
        model.keys.len(),
        "keys remembered"
    );
    prop_assert_eq!(engine.now(), model.clock, "the clock");
    prop_assert_eq!(engine.poll_timeout(), model.poll_timeout(), "poll_timeout");
    prop_assert_eq!(engine.timers_armed(), model.timers.len(), "timers armed");
    for a in AGENTS {
        prop_assert_eq!(
            engine.presence(a),
            model.agents.get(a).map(|m| m.presence),
            "presence of {}",
            a
        );
        prop_assert_eq!(
            engine.agent_state(a),
            model.agent_state(a),
            "state of agent {}",
            a
        );
        let allowed: BTreeSet<AgentActionKind> = engine.agent_allowed(a).iter().collect();
        prop_assert_eq!(allowed, model.agent_allowed(a), "agent_allowed({})", a);
        prop_assert_eq!(
            engine.heartbeat_deadline(a),
            model
                .armed(&Subject::Agent(a.to_owned()))
                .map(|t| t.deadline),
            "heartbeat deadline of {}",
            a
        );
        // Live calls, counted here from the model's interactions: live media, owned by `a`
        // while connected, held or dialing.
        let calls = model
            .interactions
            .values()
            .filter(|it| {
                let state = it.state.expected();
                it.media == Media::Live
                    && matches!(
                        state.kind(),
                        StateKind::Connected | StateKind::Held | StateKind::Dialing
                    )
                    && state.owner().map(AgentId::as_str) == Some(a)
            })
            .count();
        prop_assert_eq!(engine.live_calls(a) as usize, calls, "live calls of {}", a);
    }
    for w in NAMES {
        let got: Vec<&str> = engine
            .workbin_content(w)
            .into_iter()
            .map(InteractionId::as_str)
            .collect();
        prop_assert_eq!(got, model.workbin_content(w), "workbin {}", w);
    }
    Ok(())
}

/// One operation: the engine and the model agree on what it did, and the promises hold.
fn check_step(
    before: &Engine,
    engine: &Engine,
    model: &Model,
    op: &Op,
    got: Option<&Done>,
    want: Option<&Done>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(got, want, "engine vs model on {:?}", op);
    match (op, got) {
        (Op::Apply(input), Some(Done::Input(result, effects))) => match result {
            Err(_) => {
                prop_assert_eq!(engine, before, "a refusal changed the engine");
                prop_assert!(effects.is_empty());
            }
            Ok(step) if step.outcome == Outcome::Duplicate => {
                prop_assert_eq!(engine, before, "a duplicate changed the engine");
                prop_assert!(effects.is_empty(), "a duplicate emitted {:?}", effects);
            }
            Ok(step) => {
                if step.outcome == Outcome::Ignored {
                    prop_assert!(effects.is_empty());
                }
                // Ended is absorbing: nothing but a restated end is accepted for it.
                let id = input.interaction.as_str();
                if let Some(reason) = before
                    .interaction(id)
                    .and_then(|it| it.state().end_reason())
                {
                    prop_assert_eq!(step.reason, Some(reason));
                    prop_assert!(effects.is_empty());
                    prop_assert_eq!(engine.interaction(id), before.interaction(id));
                }
                // An input fires no timer: what was armed for another subject still is.
                for other in IDS.iter().filter(|other| **other != id) {
                    prop_assert_eq!(engine.timer(other), before.timer(other));
                }
                for a in AGENTS {
                    prop_assert_eq!(engine.heartbeat_deadline(a), before.heartbeat_deadline(a));
                }
            }
        },
        (_, Some(Done::Input(Err(_), _) | Done::Agent(Err(_)) | Done::Heartbeat(false))) => {
            prop_assert_eq!(engine, before, "a refusal changed the engine");
        }
        (Op::Advance(now), Some(Done::Fired(fired))) => {
            // Never early, in deadline order, and nothing due is left behind.
            prop_assert!(fired.iter().all(|f| f.deadline <= engine.now()));
            prop_assert!(fired.windows(2).all(|w| w[0].deadline <= w[1].deadline));
            prop_assert!(engine.poll_timeout().is_none_or(|next| next > engine.now()));
            prop_assert_eq!(engine.now(), before.now().max(*now));
        }
        _ => {}
    }
    prop_assert!(engine.now() >= before.now(), "the clock went back");
    // Never resurrected: an id remembered as forgotten is not live after any input.
    for id in IDS {
        if before.forgotten(id).is_some() {
            prop_assert!(
                engine.interaction(id).is_none(),
                "{} came back from being forgotten",
                id
            );
        }
    }
    // Ended interactions stay ended with the same reason while they are kept.
    for id in IDS {
        if let (Some(was), Some(now)) = (before.interaction(id), engine.interaction(id))
            && let Some(reason) = was.state().end_reason()
        {
            prop_assert_eq!(now.state().end_reason(), Some(reason), "{} came back", id);
        }
    }
    agrees(engine, model)
}

fn run(case: &Case) -> Result<(), TestCaseError> {
    let snapshot_at = case.snapshot_at.index(case.ops.len() + 1);
    run_ops(case.settings, case.p0, case.p1, &case.ops, snapshot_at)
}

/// Runs `ops` on an engine and a model set up alike, checking every step; snapshots and
/// restores the engine before operation `snapshot_at` (after the last when it is the number of
/// operations), the copy then running every operation too.
fn run_ops(
    settings: EngineSettings,
    p0: Rules,
    p1: Rules,
    ops: &[(Op, When)],
    snapshot_at: usize,
) -> Result<(), TestCaseError> {
    let mut engine = new_engine(settings, p0, p1);
    let mut model = Model::new(settings, p0, p1);
    let mut restored: Option<Engine> = None;
    agrees(&engine, &model)?;
    for (i, (op, when)) in ops.iter().enumerate() {
        if i == snapshot_at {
            let json = serde_json::to_string(&engine).unwrap();
            let copy: Engine = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&copy, &engine, "restored from {}", json);
            restored = Some(copy);
        }
        let op = timed(op, *when, model.clock);
        let before = engine.clone();
        let got = engine_op(&mut engine, &op);
        let want = model_op(&mut model, &op);
        check_step(&before, &engine, &model, &op, got.as_ref(), want.as_ref())?;
        // The restored copy continues exactly as the original.
        if let Some(copy) = &mut restored {
            let again = engine_op(copy, &op);
            prop_assert_eq!(&again, &got, "the restored engine differs on {:?}", op);
            prop_assert_eq!(&*copy, &engine);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// The engine agrees with the reference model on every step of every case.
    #[test]
    fn engine_agrees_with_the_reference_model(case in case_s()) {
        run(&case)?;
    }
}

// =============================================================================================
// The generator reaches everything
// =============================================================================================

/// The cases drawn are not vacuous: over a fixed sample (the same every run), every state is
/// reached, every action is applied from every state MODEL.md allows it from, every outcome
/// and every refusal the engine can give occurs, and so does every part of section 10 (each
/// agent action and its refusals, wrap-up entered each way, each timer fired and cancelled,
/// timers due together, a run of ring-no-answers making an agent not ready).
#[test]
#[allow(clippy::too_many_lines)] // one sample and one list of what it must reach, read top to bottom
fn the_generator_reaches_every_state_action_and_refusal() {
    let mut runner = TestRunner::deterministic();
    let mut applied: BTreeSet<(StateKind, ActionKind)> = BTreeSet::new();
    let mut outcomes: BTreeSet<&str> = BTreeSet::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let strategy = case_s();
    for _ in 0..1000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let mut model = case.model();
        for (op, when) in &case.ops {
            let op = timed(op, *when, model.clock);
            let armed_before = model.timers.len();
            // The state before, unless the input merely restates it.
            let from = match &op {
                Op::Apply(input) => model
                    .interactions
                    .get(input.interaction.as_str())
                    .filter(|it| !(input.actor == Actor::Platform && restates(it, &input.action)))
                    .map(|it| it.state.kind()),
                _ => None,
            };
            if let Op::Apply(Input { now: Some(at), .. }) = &op
                && *at < model.clock
            {
                seen.insert("an input behind the clock".to_owned());
            }
            match (&op, model_op(&mut model, &op)) {
                (Op::Apply(input), Some(Done::Input(result, _))) => match result {
                    Ok(step) => {
                        outcomes.insert(step.outcome.name());
                        if let (Outcome::Applied, Some(from)) = (step.outcome, from) {
                            applied.insert((from, input.action.kind()));
                            if step.to == Some(StateKind::WrapUp) && from != StateKind::WrapUp {
                                seen.insert(format!("wrap_up by {}", input.action.kind()));
                            }
                            if model.timers.len() < armed_before {
                                seen.insert("a timer cancelled by an input".to_owned());
                            }
                        }
                    }
                    Err(kind) => {
                        outcomes.insert(kind.name());
                    }
                },
                (Op::Agent(_, action), Some(Done::Agent(result))) => {
                    seen.insert(match result {
                        Ok(_) => format!("{} applied", action.kind()),
                        Err(kind) => format!("{} refused {kind}", action.kind()),
                    });
                }
                (Op::Heartbeat(_), Some(Done::Heartbeat(armed))) => {
                    seen.insert(format!("heartbeat armed: {armed}"));
                }
                (Op::Advance(_), Some(Done::Fired(fired))) => {
                    for f in &fired {
                        if let (
                            Timer::OfferTimeout,
                            Some(AgentState {
                                availability: Availability::NotReady,
                                reason,
                                ..
                            }),
                        ) = (f.timer, &f.agent_state)
                            && reason.as_ref() != Some(&Name::NO_ANSWER)
                        {
                            seen.insert("a no answer of an agent not ready".to_owned());
                        }
                        seen.insert(format!("fired {}", f.timer));
                        if f.agent_state.as_ref().and_then(|s| s.reason.as_ref())
                            == Some(&Name::NO_ANSWER)
                            && f.timer == Timer::OfferTimeout
                        {
                            seen.insert("not ready after no answers".to_owned());
                        }
                    }
                    if fired.windows(2).any(|w| w[0].deadline == w[1].deadline) {
                        seen.insert("timers due at the same deadline".to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    let missing: Vec<String> = ActionKind::ALL
        .into_iter()
        .flat_map(|kind| legal_from(kind).iter().map(move |from| (*from, kind)))
        .filter(|pair| !applied.contains(pair))
        .map(|(from, kind)| format!("{kind} from {from}"))
        .collect();
    assert!(missing.is_empty(), "never applied: {missing:?}");
    for name in [
        "applied",
        "duplicate",
        "ignored",
        "unknown_interaction",
        "already_exists",
        "already_ended",
        "invalid_transition",
        "not_owner",
        "not_permitted",
        "unknown_provider",
        "provider_mismatch",
        "missing_field",
        "idempotency_conflict",
    ] {
        assert!(outcomes.contains(name), "never saw {name}: {outcomes:?}");
    }
    let mut wanted: Vec<String> = AgentActionKind::ALL
        .into_iter()
        .map(|kind| format!("{kind} applied"))
        .collect();
    for kind in [
        AgentActionKind::SetReady,
        AgentActionKind::SetNotReady,
        AgentActionKind::SetAfterCallWork,
    ] {
        wanted.push(format!("{kind} refused unknown_agent"));
        wanted.push(format!("{kind} refused invalid_transition"));
    }
    wanted.extend(
        [
            "log_in refused not_permitted",
            "wrap_up by release",
            "wrap_up by disconnect",
            "fired offer_timeout",
            "fired wrap_up_timeout",
            "fired agent_heartbeat_timeout",
            "not ready after no answers",
            "a no answer of an agent not ready",
            "timers due at the same deadline",
            "a timer cancelled by an input",
            "heartbeat armed: true",
            "heartbeat armed: false",
            "an input behind the clock",
        ]
        .map(str::to_owned),
    );
    for name in wanted {
        assert!(seen.contains(&name), "never saw {name}: {seen:?}");
    }
}

// =============================================================================================
// Every state, action and actor, deterministically
// =============================================================================================

/// Inputs that build interaction `i0` in a state: (label, inputs).
#[allow(clippy::too_many_lines)] // one list, read top to bottom
fn setups(outbound: bool, with_provider: bool) -> Vec<(String, Vec<Input>)> {
    let by = |s: &str| Actor::Agent(agent(s));
    let dispatcher = if with_provider {
        Actor::Provider(Some(provider_name("p0")))
    } else {
        Actor::Platform
    };
    let direction = if outbound {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let input = |action: Action, actor: Actor| Input::new(ix("i0"), action, actor);
    let queued = vec![input(
        Action::Dispatch {
            route: name("n0"),
            media: Media::Live,
            direction,
            user_data: [("k0".to_owned(), Value::Bool(true))].into_iter().collect(),
        },
        dispatcher.clone(),
    )];
    let with = |base: &Vec<Input>, more: &[(Action, Actor)]| {
        let mut v = base.clone();
        v.extend(more.iter().map(|(a, who)| input(a.clone(), who.clone())));
        v
    };
    let offered = with(
        &queued,
        &[(Action::Offer { agent: agent("a0") }, Actor::Platform)],
    );
    let connected = with(
        &queued,
        &[(Action::Assign { agent: agent("a0") }, Actor::Platform)],
    );
    let held = with(&connected, &[(Action::Hold, Actor::Platform)]);
    let in_workbin = with(
        &connected,
        &[(
            Action::PlaceInWorkbin {
                workbin: name("n0"),
            },
            Actor::Platform,
        )],
    );
    let in_queue = with(
        &connected,
        &[(Action::PlaceInQueue { queue: name("n1") }, Actor::Platform)],
    );
    let dial = |from: Caller, actor: Actor| {
        vec![input(
            Action::Dial {
                from,
                to: Callee::Agent(agent("a2")),
                media: Media::Live,
            },
            actor,
        )]
    };
    let dialer = if with_provider {
        Actor::Provider(Some(provider_name("p0")))
    } else {
        by("a0")
    };
    let group_dialer = if with_provider {
        Actor::Provider(Some(provider_name("p0")))
    } else {
        Actor::Provider(None)
    };
    let first_seen = vec![
        input(Action::Offer { agent: agent("a0") }, Actor::Platform)
            .with_first_sight(Media::Chat, direction),
    ];
    let mut all = vec![
        ("queued".to_owned(), queued),
        ("offered".to_owned(), offered),
        ("connected".to_owned(), connected.clone()),
        ("held".to_owned(), held),
        ("in_workbin".to_owned(), in_workbin),
        ("queued at a queue".to_owned(), in_queue),
        (
            "dialing".to_owned(),
            dial(Caller::Agent(agent("a0")), dialer),
        ),
        (
            "dialing from groups".to_owned(),
            dial(Caller::Groups(vec![name("n0")]), group_dialer),
        ),
        ("offered on first sight".to_owned(), first_seen),
    ];
    for (label, end) in [
        ("completed", Action::Complete),
        ("released", Action::Release),
        ("cancelled", Action::Cancel),
        ("disconnected", Action::Disconnect { agent: agent("a0") }),
    ] {
        if label == "cancelled" && !outbound {
            continue;
        }
        all.push((
            format!("ended {label}"),
            with(&connected, &[(end, Actor::Platform)]),
        ));
    }
    // MODEL.md section 10: the media ended, the owner still holds the work.
    let mut wrap_up = connected;
    wrap_up.push(input(Action::Release, Actor::Platform).with_wrap_up(true));
    all.push(("wrap_up".to_owned(), wrap_up));
    all
}

/// Every action kind with each interesting argument.
fn action_variants() -> Vec<Action> {
    let mut all = Vec::new();
    for kind in ActionKind::ALL {
        for who in ["a0", "a1"] {
            let a = agent(who);
            let mut action = probe(kind, &a, NUMBER);
            if let Action::Dial { from, .. } = &mut action {
                *from = Caller::Agent(a.clone());
            }
            all.push(action);
        }
        match kind {
            ActionKind::Answer => all.push(Action::Answer { agent: None }),
            ActionKind::Dial => all.push(Action::Dial {
                from: Caller::Groups(vec![name("n0")]),
                to: Callee::Number(name(NUMBER)),
                media: Media::Chat,
            }),
            ActionKind::TransferToRoute => all.push(Action::TransferToRoute { route: name("n1") }),
            ActionKind::PlaceInQueue => all.push(Action::PlaceInQueue { queue: name("n1") }),
            ActionKind::PlaceInWorkbin => all.push(Action::PlaceInWorkbin {
                workbin: name("n1"),
            }),
            _ => {}
        }
    }
    all
}

/// The model and the engine agree for every built state (with and without a provider, with
/// every permission set, inbound and outbound, `wrap_up` included), every action with its
/// argument variants, every actor, with and without first sight, and `release` and
/// `disconnect` with and without wrap-up required.
#[test]
fn model_and_engine_agree_on_every_state_action_and_actor() {
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for rules in [[None; 4], [Some(true); 4], [Some(false); 4]] {
        for outbound in [false, true] {
            for with_provider in [false, true] {
                for (label, inputs) in setups(outbound, with_provider) {
                    let (engine, model) = set_up(rules, &label, &inputs);
                    let context = format!(
                        "{label} (dispatched by p0: {with_provider}, p0 rules {rules:?}, outbound: {outbound})"
                    );
                    for input in grid_inputs() {
                        checked += 1;
                        disagreements.extend(compare(&engine, &model, input, &context));
                    }
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// An engine and a model with `p0` under `rules`, after `inputs` (each accepted by both alike).
fn set_up(rules: Rules, label: &str, inputs: &[Input]) -> (Engine, Model) {
    let settings = EngineSettings::default();
    let mut engine = new_engine(settings, rules, [Some(true); 4]);
    let mut model = Model::new(settings, rules, [Some(true); 4]);
    for input in inputs {
        let op = Op::Apply(input.clone());
        let got = engine_op(&mut engine, &op);
        assert_eq!(
            got,
            model_op(&mut model, &op),
            "setting up {label}: {input:?}"
        );
        assert!(
            matches!(got, Some(Done::Input(Ok(_), _))),
            "setting up {label}: {got:?}"
        );
    }
    (engine, model)
}

/// Every action variant on `i0` by every actor, with and without first sight; the actions that
/// end the media also saying the interaction requires after-call work.
fn grid_inputs() -> Vec<Input> {
    let actors = [
        Actor::Agent(agent("a0")),
        Actor::Agent(agent("a1")),
        Actor::Platform,
        Actor::Provider(None),
        Actor::Provider(Some(provider_name("p0"))),
        Actor::Provider(Some(provider_name("p1"))),
        Actor::Provider(Some(provider_name("ghost"))),
    ];
    let mut inputs = Vec::new();
    for action in action_variants() {
        for actor in &actors {
            let input = Input::new(ix("i0"), action.clone(), actor.clone());
            inputs.push(
                input
                    .clone()
                    .with_first_sight(Media::Live, Direction::Inbound),
            );
            if matches!(action, Action::Release | Action::Disconnect { .. }) {
                inputs.push(input.clone().with_wrap_up(true));
            }
            inputs.push(input);
        }
    }
    inputs
}

/// Applies `input` to copies of both; describes any difference in result, effects or state.
fn compare(engine: &Engine, model: &Model, input: Input, context: &str) -> Option<String> {
    let op = Op::Apply(input);
    let (mut engine, mut model) = (engine.clone(), model.clone());
    let got = engine_op(&mut engine, &op);
    let want = model_op(&mut model, &op);
    let after = agrees(&engine, &model);
    (got != want || after.is_err())
        .then(|| format!("{context}: {op:?}: engine {got:?}, model {want:?}, after: {after:?}"))
}

// =============================================================================================
// Section 10 by hand: cases the random ones reach rarely
// =============================================================================================

/// `op` at the clock as it is (an input without `now`).
fn untimed(op: Op) -> (Op, When) {
    (op, When::Unset)
}

/// `op` `dt` milliseconds after the clock (a clock advance to there).
fn after(dt: u64, op: Op) -> (Op, When) {
    (op, When::Ahead(dt))
}

/// A platform input on `id` (first sight: a live inbound interaction).
fn platform(id: &str, action: Action) -> Op {
    Op::Apply(
        Input::new(ix(id), action, Actor::Platform)
            .with_first_sight(Media::Live, Direction::Inbound),
    )
}

/// `who`'s input on `id`.
fn by_agent(id: &str, who: &str, action: Action) -> Op {
    Op::Apply(Input::new(ix(id), action, Actor::Agent(agent(who))))
}

fn offer(id: &str, who: &str) -> Op {
    platform(id, Action::Offer { agent: agent(who) })
}

/// Runs `ops` with the snapshot taken before each operation in turn (and after the last).
fn run_every_snapshot(settings: EngineSettings, ops: &[(Op, When)]) {
    for snapshot_at in 0..=ops.len() {
        if let Err(err) = run_ops(settings, [None; 4], [None; 4], ops, snapshot_at) {
            panic!("snapshot before operation {snapshot_at}: {err}");
        }
    }
}

/// Ring-no-answers in a row: counted while the agent is not ready (it keeps its reason); at the
/// `max_no_answer`-th the run starts again even so (found by this model: the engine once went
/// on counting, so that a ready agent's first ring-no-answer made it not ready), and an offer
/// accepted ends it.
#[test]
fn a_run_of_ring_no_answers_while_not_ready() {
    let settings = EngineSettings {
        offer_timeout: Some(10),
        max_no_answer: Some(2),
        ..EngineSettings::default()
    };
    let lunch = Some(name("lunch"));
    let ops = [
        untimed(Op::LogIn(agent("a0"))),
        untimed(Op::Agent(
            agent("a0"),
            AgentAction::SetNotReady { reason: lunch },
        )),
        untimed(offer("i0", "a0")),
        after(10, Op::Advance(0)),
        untimed(offer("i0", "a0")),
        after(10, Op::Advance(0)),
        untimed(Op::Agent(agent("a0"), AgentAction::SetReady)),
        untimed(offer("i0", "a0")),
        after(10, Op::Advance(0)),
        untimed(Op::Agent(agent("a0"), AgentAction::SetReady)),
        untimed(offer("i0", "a0")),
        after(9, by_agent("i0", "a0", Action::Accept)),
        untimed(by_agent("i0", "a0", Action::Release)),
        untimed(offer("i1", "a0")),
        after(10, Op::Advance(0)),
    ];
    run_every_snapshot(settings, &ops);
}

/// A platform fact restating an end, at a later `now`: applied whether its interaction is
/// still held (`max_ended` 1) or forgotten and remembered (`max_ended` 0), and its `now` moves
/// the clock either way (found by this model: the engine once moved it only for one held, so
/// that the clock depended on `max_ended`).
#[test]
fn a_restated_end_moves_the_clock_held_or_forgotten() {
    let ops = [
        untimed(platform("i0", Action::Assign { agent: agent("a0") })),
        untimed(platform("i0", Action::Complete)),
        after(22, platform("i0", Action::Complete)),
    ];
    for max_ended in [0, 1] {
        let settings = EngineSettings {
            max_ended,
            ..EngineSettings::default()
        };
        run_every_snapshot(settings, &ops);
    }
}

/// After-call work and the three timers in one day: a provider's interaction released by its
/// owner into wrap-up (the provider hears of the release), user data changed there, the
/// platform's `release` and the owner's `disconnect` restating it; an offer timeout and a
/// wrap-up timeout due at the same millisecond fire in the order armed, a re-armed heartbeat
/// after both, and a late clock advance fires what is overdue.
#[test]
fn a_day_of_wrap_up_and_timers() {
    let settings = EngineSettings {
        wrap_up: MediaSet::of(&[Media::Live]),
        offer_timeout: Some(20),
        max_no_answer: Some(1),
        wrap_up_timeout: Some(20),
        agent_heartbeat_timeout: Some(25),
        ..EngineSettings::default()
    };
    let dispatch = Op::Apply(Input::new(
        ix("i0"),
        Action::Dispatch {
            route: name("n0"),
            media: Media::Live,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        },
        Actor::Provider(Some(provider_name("p0"))),
    ));
    let notes = [("k0".to_owned(), Value::Bool(true))].into_iter().collect();
    let ops = [
        untimed(Op::LogIn(agent("a0"))),
        untimed(Op::Heartbeat(agent("a0"))),
        after(1, dispatch),
        after(1, offer("i0", "a0")),
        after(5, by_agent("i0", "a0", Action::Accept)),
        untimed(offer("i1", "a1")),
        untimed(by_agent("i0", "a0", Action::Release)),
        after(
            1,
            by_agent("i0", "a0", Action::UpdateUserData { user_data: notes }),
        ),
        untimed(platform("i0", Action::Release)),
        untimed(platform("i0", Action::Disconnect { agent: agent("a0") })),
        untimed(by_agent("i0", "a0", Action::Release)),
        untimed(Op::Heartbeat(agent("a0"))),
        after(19, Op::Advance(0)),
        after(5, platform("i2", Action::Assign { agent: agent("a2") })),
        untimed(platform("i2", Action::Disconnect { agent: agent("a2") })),
        after(100, Op::Advance(0)),
        (Op::Advance(0), When::Behind(50)),
    ];
    run_every_snapshot(settings, &ops);
}

// =============================================================================================
// Regressions found by the model
// =============================================================================================

/// A platform `transfer_to_agent {X}` on an interaction already offered to X restates the
/// current state (the platform confirming a transfer request the log also holds), so it is an
/// applied no-op (MODEL.md section 3), as `transfer_to_route` to the route it waits at already
/// was. The engine refused it `invalid_transition`. Found by this model; fixed in `engine.rs`.
#[test]
fn regression_platform_transfer_to_agent_confirming_the_offer_is_an_applied_no_op() {
    let mut engine = Engine::new();
    let mut effects = Vec::new();
    let dispatch = Action::Dispatch {
        route: name("n0"),
        media: Media::Live,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    };
    for (action, actor) in [
        (dispatch, Actor::Platform),
        (Action::Assign { agent: agent("a0") }, Actor::Platform),
        (
            Action::TransferToAgent { agent: agent("a1") },
            Actor::Agent(agent("a0")),
        ),
    ] {
        engine
            .apply(Input::new(ix("i0"), action, actor), &mut effects)
            .unwrap();
    }
    let before = engine.clone();
    let confirmation = Input::new(
        ix("i0"),
        Action::TransferToAgent { agent: agent("a1") },
        Actor::Platform,
    );
    let step = engine.apply(confirmation, &mut effects).unwrap();
    assert_eq!(
        step,
        Step {
            outcome: Outcome::Applied,
            from: Some(StateKind::Offered),
            to: Some(StateKind::Offered),
            reason: None,
            agent: None,
            left: None,
        }
    );
    assert_eq!(engine, before);
    assert!(effects.is_empty());

    // To another agent it restates nothing: transfer_to_agent is not legal from offered.
    let other = Input::new(
        ix("i0"),
        Action::TransferToAgent { agent: agent("a2") },
        Actor::Platform,
    );
    let err = engine.apply(other, &mut effects).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTransition);
}
