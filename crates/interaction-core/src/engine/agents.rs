//! Agents as the engine keeps them: a state machine of their own (MODEL.md section 10), beside
//! the interactions they work.
//!
//! An agent has a **session** (`logged_out`, `logged_in`), while logged in an **availability**
//! (`unknown`, `ready`, `not_ready` with an optional reason, `after_call_work`), and an
//! **activity** derived from the interactions it holds (`idle`, `reserved`, `busy`, `wrap_up`).
//! The session and availability change by the agent actions of [`AGENT_TRANSITIONS`] (one row
//! per [`AgentActionKind`], read by [`crate::Engine::apply_agent`] and
//! [`crate::Engine::agent_allowed`] alike); the activity follows every interaction step, kept
//! by counters so that reading it is one lookup.

use hashbrown::HashMap;

use crate::action::Actor;
use crate::error::Refusal;
use crate::id::{AgentId, Name};
use crate::state::{Media, State};

/// An agent's session state as first seen and last told (MODEL.md section 6, "Agent
/// sessions"; section 10 `session`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Presence {
    /// Seen acting or named by a platform fact, with no login or logout seen: logged in as far
    /// as the engine knows (MODEL.md section 10: "An agent seen acting is known (`logged_in`,
    /// availability `unknown` until told)").
    Seen,
    /// Logged in (Anywhere365 `LoggedIn`, `AgentLogin`, GWS `StartContactCenterSession`, core
    /// `log_in`).
    LoggedIn,
    /// Logged out (Anywhere365 `LoggedOff`, a failed login, `AgentLogout`, GWS
    /// `EndContactCenterSession`, core `log_out`).
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

    /// The session this presence means: `logged_out` for [`Presence::LoggedOut`], else
    /// `logged_in`.
    pub const fn session(self) -> Session {
        match self {
            Presence::LoggedOut => Session::LoggedOut,
            Presence::Seen | Presence::LoggedIn => Session::LoggedIn,
        }
    }
}

/// An agent's session (MODEL.md section 10). Public snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Session {
    /// Not logged in.
    LoggedOut,
    /// Logged in (or seen acting).
    LoggedIn,
}

impl Session {
    /// The public name: `logged_out`, `logged_in`.
    pub const fn name(self) -> &'static str {
        match self {
            Session::LoggedOut => "logged_out",
            Session::LoggedIn => "logged_in",
        }
    }
}

/// An agent's availability while logged in (MODEL.md section 10). Public snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Availability {
    /// Not told (an agent seen acting, just logged in, or logged out).
    Unknown,
    /// Ready for work (GWS `Ready`, core `set_ready`).
    Ready,
    /// Not ready, with an optional reason (GWS `NotReady`, core `set_not_ready`).
    NotReady,
    /// In after-call work as an agent state (GWS `AfterCallWork`, core
    /// `set_after_call_work`).
    AfterCallWork,
}

impl Availability {
    /// The public name: `unknown`, `ready`, `not_ready`, `after_call_work`.
    pub const fn name(self) -> &'static str {
        match self {
            Availability::Unknown => "unknown",
            Availability::Ready => "ready",
            Availability::NotReady => "not_ready",
            Availability::AfterCallWork => "after_call_work",
        }
    }
}

/// What an agent is doing, derived from the interactions it holds (MODEL.md section 10).
/// Public snake_case names. When it holds several, the first that applies: `busy`, `wrap_up`,
/// `reserved`, `idle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Activity {
    /// Holds nothing.
    Idle,
    /// An interaction is offered to it.
    Reserved,
    /// Owns an interaction `connected`, `held` or `dialing`.
    Busy,
    /// Owns an interaction in `wrap_up`.
    WrapUp,
}

impl Activity {
    /// The public name: `idle`, `reserved`, `busy`, `wrap_up`.
    pub const fn name(self) -> &'static str {
        match self {
            Activity::Idle => "idle",
            Activity::Reserved => "reserved",
            Activity::Busy => "busy",
            Activity::WrapUp => "wrap_up",
        }
    }
}

/// An agent's state as a record shows it (MODEL.md section 10): `{"session", "availability",
/// "reason", "activity"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AgentState {
    /// Logged in or out.
    pub session: Session,
    /// Ready, not ready, in after-call work, or not told (always `unknown` when logged out).
    pub availability: Availability,
    /// The not-ready reason, when one was given (GWS `NotReady` `reasonCode`, core
    /// `set_not_ready` `reason`); `None` otherwise.
    pub reason: Option<Name>,
    /// What its interactions make it: idle, reserved, busy, wrap-up.
    pub activity: Activity,
}

macro_rules! agent_action_kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The kind of an agent action (MODEL.md section 10). The snake_case names are public:
        /// they are a record's `action` for an agent-only input.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
        #[repr(u8)]
        pub enum AgentActionKind {
            $($(#[$doc])* $variant,)*
        }

        impl AgentActionKind {
            /// Every agent action kind.
            pub const ALL: [AgentActionKind; agent_action_kinds!(@count $($variant)*)] =
                [$(AgentActionKind::$variant,)*];

            /// The public snake_case name, for example `set_not_ready`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(AgentActionKind::$variant => $name,)*
                }
            }

            /// The agent action kind with that public name, if any.
            pub fn from_name(name: &str) -> Option<AgentActionKind> {
                match name {
                    $($name => Some(AgentActionKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + agent_action_kinds!(@count $($tail)*) };
}

agent_action_kinds! {
    /// Start a session (availability `unknown` until told).
    LogIn = "log_in",
    /// End the session (availability reset to `unknown`).
    LogOut = "log_out",
    /// Ready for work.
    SetReady = "set_ready",
    /// Not ready, with an optional reason.
    SetNotReady = "set_not_ready",
    /// After-call work as an agent state.
    SetAfterCallWork = "set_after_call_work",
}

impl core::fmt::Display for AgentActionKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// An agent action with its argument.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AgentAction {
    /// `log_in`.
    LogIn,
    /// `log_out`.
    LogOut,
    /// `set_ready`.
    SetReady,
    /// `set_not_ready`, with the reason if one was given.
    SetNotReady {
        /// The reason (GWS `reasonCode`), at most 256 bytes as every [`Name`].
        reason: Option<Name>,
    },
    /// `set_after_call_work`.
    SetAfterCallWork,
}

impl AgentAction {
    /// The action's kind.
    pub const fn kind(&self) -> AgentActionKind {
        match self {
            AgentAction::LogIn => AgentActionKind::LogIn,
            AgentAction::LogOut => AgentActionKind::LogOut,
            AgentAction::SetReady => AgentActionKind::SetReady,
            AgentAction::SetNotReady { .. } => AgentActionKind::SetNotReady,
            AgentAction::SetAfterCallWork => AgentActionKind::SetAfterCallWork,
        }
    }
}

/// One row of the agent table: the sessions an agent action is legal from, and the session
/// and availability it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentRule {
    /// The action this row is for.
    pub action: AgentActionKind,
    /// Legal when logged out.
    pub from_logged_out: bool,
    /// Legal when logged in.
    pub from_logged_in: bool,
    /// The session after it.
    pub session: Session,
    /// The availability after it.
    pub availability: Availability,
}

const fn agent_rule(
    action: AgentActionKind,
    from_logged_out: bool,
    session: Session,
    availability: Availability,
) -> AgentRule {
    AgentRule {
        action,
        from_logged_out,
        from_logged_in: true,
        session,
        availability,
    }
}

/// The agent state machine (MODEL.md section 10), one row per [`AgentActionKind`] in its
/// order: `log_in` and `log_out` from any session; the availability actions only while logged
/// in (a logged-out agent is refused `invalid_transition`).
pub const AGENT_TRANSITIONS: [AgentRule; AgentActionKind::ALL.len()] = [
    agent_rule(
        AgentActionKind::LogIn,
        true,
        Session::LoggedIn,
        Availability::Unknown,
    ),
    agent_rule(
        AgentActionKind::LogOut,
        true,
        Session::LoggedOut,
        Availability::Unknown,
    ),
    agent_rule(
        AgentActionKind::SetReady,
        false,
        Session::LoggedIn,
        Availability::Ready,
    ),
    agent_rule(
        AgentActionKind::SetNotReady,
        false,
        Session::LoggedIn,
        Availability::NotReady,
    ),
    agent_rule(
        AgentActionKind::SetAfterCallWork,
        false,
        Session::LoggedIn,
        Availability::AfterCallWork,
    ),
];

// The table is indexed by `AgentActionKind as usize`: check the order at compile time.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 0;
    while i < AGENT_TRANSITIONS.len() {
        assert!(AGENT_TRANSITIONS[i].action as usize == i);
        i += 1;
    }
};

/// The agent table's row for `action`.
pub const fn agent_rule_for(action: AgentActionKind) -> &'static AgentRule {
    // One row per kind, in kind order (checked above): always in bounds.
    #[allow(clippy::indexing_slicing)]
    &AGENT_TRANSITIONS[action as usize]
}

/// A set of [`AgentActionKind`]s: what an agent may do next ([`crate::Engine::agent_allowed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct AgentActionSet(u8);

impl AgentActionSet {
    /// The empty set.
    pub const EMPTY: AgentActionSet = AgentActionSet(0);

    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: AgentActionKind) -> bool {
        self.0 & (1 << kind as u8) != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: AgentActionKind) {
        self.0 |= 1 << kind as u8;
    }

    /// The kinds in the set, in [`AgentActionKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = AgentActionKind> {
        AgentActionKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// What the engine keeps per agent: its session and availability, and counts of the
/// interactions it holds by role (offered, busy, in wrap-up; and live voice calls, which the
/// VCC Calls API's busy check reads), kept by every apply so that reading them is one lookup.
/// Snapshots hold the presence, availability and reason; the counts are rebuilt on restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Agent {
    pub(super) presence: Presence,
    pub(super) availability: Availability,
    pub(super) reason: Option<Name>,
    pub(super) live_calls: u32,
    pub(super) offered: u32,
    pub(super) busy: u32,
    pub(super) wrapping_up: u32,
    /// Ring-no-answers in a row ([`crate::EngineSettings::max_no_answer`]).
    pub(super) no_answers: u32,
}

impl Agent {
    pub(super) const SEEN: Agent = Agent {
        presence: Presence::Seen,
        availability: Availability::Unknown,
        reason: None,
        live_calls: 0,
        offered: 0,
        busy: 0,
        wrapping_up: 0,
        no_answers: 0,
    };

    /// The activity its counts give.
    pub(super) const fn activity(&self) -> Activity {
        if self.busy > 0 {
            Activity::Busy
        } else if self.wrapping_up > 0 {
            Activity::WrapUp
        } else if self.offered > 0 {
            Activity::Reserved
        } else {
            Activity::Idle
        }
    }

    /// Its public state.
    pub(super) fn state(&self) -> AgentState {
        AgentState {
            session: self.presence.session(),
            availability: self.availability,
            reason: self.reason.clone(),
            activity: self.activity(),
        }
    }

    /// The row of `role` in the counts.
    fn count(&mut self, role: Role) -> &mut u32 {
        match role {
            Role::Offered => &mut self.offered,
            Role::Busy => &mut self.busy,
            Role::WrapUp => &mut self.wrapping_up,
        }
    }
}

/// The agents, bounded by `max_agents`.
pub(super) type Agents = HashMap<AgentId, Agent>;

/// The agent a state names: its owner, or the agent it is offered to.
pub(super) fn named(state: &State) -> Option<&AgentId> {
    state.owner().or(state.offered_to())
}

/// What a state makes the agent it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Offered,
    Busy,
    WrapUp,
}

/// The agent a state names and its role there.
fn role(state: &State) -> Option<(&AgentId, Role)> {
    match state {
        State::Offered { agent } => Some((agent, Role::Offered)),
        State::Connected { owner } | State::Held { owner } => Some((owner, Role::Busy)),
        State::Dialing { .. } => state.owner().map(|a| (a, Role::Busy)),
        State::WrapUp { owner } => Some((owner, Role::WrapUp)),
        _ => None,
    }
}

/// Checks that a step whose actor is `actor` and whose new state names `named_after` adds no
/// agent beyond `max`: the agents [`track_agents`] would make known are the acting agent and
/// the agent the new state names. Free of lookups unless the engine is within two of `max`.
///
/// # Errors
/// [`Refusal::LimitReached`] `max_agents`.
pub(super) fn check_room(
    agents: &Agents,
    actor: &Actor,
    named_after: Option<&AgentId>,
    max: usize,
) -> Result<(), Refusal> {
    if agents.len().saturating_add(2) <= max {
        return Ok(());
    }
    let actor = actor.agent().filter(|a| !agents.contains_key(*a));
    let named = named_after.filter(|a| !agents.contains_key(*a) && Some(*a) != actor);
    let new = usize::from(actor.is_some()) + usize::from(named.is_some());
    if agents.len() + new > max {
        return Err(full(max));
    }
    Ok(())
}

/// The refusal of an input that would add an agent beyond `max_agents`.
pub(super) fn full(max: usize) -> Refusal {
    Refusal::LimitReached {
        what: "agents",
        setting: "max_agents",
        limit: max,
    }
}

/// Keeps the agents up to date with a state change from `old` (`None`: the interaction is new)
/// to `new`: the acting agent and the agent `new` names become known (`seen`) if they were not,
/// and the counts by role and of live calls follow. Returns the agent whose activity the step
/// may have changed (the one `new` names when its role changed, else the one `old` named),
/// `None` when no agent's role changed; and, when `old` and `new` name different agents, the
/// one `old` named (the agent a transfer left). [`check_room`] checked that there is room.
pub(super) fn track_agents<'s>(
    agents: &mut Agents,
    actor: &Actor,
    old: Option<&'s State>,
    new: &'s State,
    media: Media,
) -> (Option<&'s AgentId>, Option<&'s AgentId>) {
    let was = old.and_then(role);
    let now = role(new);
    if let Actor::Agent(a) = actor
        && was.map(|(w, _)| w) != Some(a)
        && now.map(|(n, _)| n) != Some(a)
    {
        note(agents, a);
    }
    // A live call is the busy role of a voice interaction: read from the roles, not the
    // states again.
    let live = media == Media::Live;
    let call = |r: Option<(&'s AgentId, Role)>| match r {
        Some((agent, Role::Busy)) if live => Some(agent),
        _ => None,
    };
    let (was_call, now_call) = (call(was), call(now));
    // Roles first (a byte), agents only when the roles agree.
    let same_roles = was.map(|(_, r)| r) == now.map(|(_, r)| r);
    if same_roles && was.map(|(a, _)| a) == now.map(|(a, _)| a) {
        return (None, None);
    }
    // The same agent in another role (an accept, a hold's live call count): one lookup.
    if let (Some((a, old_role)), Some((b, new_role))) = (was, now)
        && a == b
        && let Some(entry) = agents.get_mut(a)
    {
        let count = entry.count(old_role);
        *count = count.saturating_sub(1);
        let count = entry.count(new_role);
        *count = count.saturating_add(1);
        match (was_call == Some(a), now_call == Some(a)) {
            (true, false) => entry.live_calls = entry.live_calls.saturating_sub(1),
            (false, true) => entry.live_calls = entry.live_calls.saturating_add(1),
            _ => {}
        }
        return (Some(a), None);
    }
    if let Some((agent, role)) = was
        && let Some(entry) = agents.get_mut(agent)
    {
        let count = entry.count(role);
        *count = count.saturating_sub(1);
        if was_call == Some(agent) {
            entry.live_calls = entry.live_calls.saturating_sub(1);
        }
    }
    if let Some((agent, role)) = now {
        // Known in the common case: no id copied, one lookup.
        let entry = match agents.get_mut(agent) {
            Some(entry) => entry,
            None => agents.entry(agent.clone()).or_insert(Agent::SEEN),
        };
        let count = entry.count(role);
        *count = count.saturating_add(1);
        if now_call == Some(agent) {
            entry.live_calls = entry.live_calls.saturating_add(1);
        }
    }
    // A different agent in each: the one the interaction left (a transfer).
    let left = match (was, now) {
        (Some((w, _)), Some((n, _))) if w != n => Some(w),
        _ => None,
    };
    (now.or(was).map(|(agent, _)| agent), left)
}

/// Makes `agent` known (`seen`) if it was not.
fn note(agents: &mut Agents, agent: &AgentId) {
    if !agents.contains_key(agent) {
        agents.insert(agent.clone(), Agent::SEEN);
    }
}

/// Sets `agent`'s presence, making it known if it was not, within `max` agents. Logging in or
/// out resets the availability to `unknown` and ends the agent's run of ring-no-answers.
///
/// # Errors
/// [`Refusal::LimitReached`] `max_agents` when `agent` is new and the engine holds `max`.
pub(super) fn set_presence(
    agents: &mut Agents,
    agent: AgentId,
    presence: Presence,
    max: usize,
) -> Result<(), Refusal> {
    if let Some(entry) = agents.get_mut(&agent) {
        entry.presence = presence;
        entry.availability = Availability::Unknown;
        entry.reason = None;
        entry.no_answers = 0;
        return Ok(());
    }
    if agents.len() >= max {
        return Err(full(max));
    }
    agents.insert(
        agent,
        Agent {
            presence,
            ..Agent::SEEN
        },
    );
    Ok(())
}
