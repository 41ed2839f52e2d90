//! Agents as the engine keeps them: session state and the count of live calls, kept by every
//! step that changes them (MODEL.md section 6, "Agent sessions").

use hashbrown::HashMap;

use crate::action::Actor;
use crate::error::Error;
use crate::id::AgentId;
use crate::state::{Media, State, StateKind};

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

/// What the engine keeps per agent: its session state, and how many live (voice) interactions
/// it is on (owns while `connected`, `held` or `dialing`), kept by every apply so that the VCC
/// Calls API's busy check is one lookup. Snapshots hold the presence only; the count is rebuilt
/// on restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Agent {
    pub(super) presence: Presence,
    pub(super) live_calls: u32,
}

impl Agent {
    pub(super) const SEEN: Agent = Agent {
        presence: Presence::Seen,
        live_calls: 0,
    };
}

/// The agents, bounded by `max_agents`.
pub(super) type Agents = HashMap<AgentId, Agent>;

/// The agent a state names: its owner, or the agent it is offered to.
pub(super) fn named(state: &State) -> Option<&AgentId> {
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

/// Checks that a step whose actor is `actor` and whose new state names `named_after` adds no
/// agent beyond `max`: the agents [`track_agents`] would make known are the acting agent and
/// the agent the new state names. Free of lookups unless the engine is within two of `max`.
///
/// # Errors
/// [`Error::LimitReached`] `max_agents`.
pub(super) fn check_room(
    agents: &Agents,
    actor: &Actor,
    named_after: Option<&AgentId>,
    max: usize,
) -> Result<(), Error> {
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
pub(super) fn full(max: usize) -> Error {
    Error::LimitReached {
        what: "agents",
        setting: "max_agents",
        limit: max,
    }
}

/// Keeps the agents up to date with a state change from `old` (`None`: the interaction is new)
/// to `new`: the acting agent and the agent `new` names become known (`seen`) if they were not,
/// and the live-call counts follow `on_call`. An agent `old` names is known already (it was
/// noted when the state named it), so the common steps (hold, retrieve and accept by the agent
/// the state names) touch no agent at all. [`check_room`] checked that there is room.
pub(super) fn track_agents(
    agents: &mut Agents,
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
fn note(agents: &mut Agents, agent: &AgentId) {
    if !agents.contains_key(agent) {
        agents.insert(agent.clone(), Agent::SEEN);
    }
}

/// Sets `agent`'s presence, making it known if it was not, within `max` agents.
///
/// # Errors
/// [`Error::LimitReached`] `max_agents` when `agent` is new and the engine holds `max`.
pub(super) fn set_presence(
    agents: &mut Agents,
    agent: AgentId,
    presence: Presence,
    max: usize,
) -> Result<(), Error> {
    if let Some(entry) = agents.get_mut(&agent) {
        entry.presence = presence;
        return Ok(());
    }
    if agents.len() >= max {
        return Err(full(max));
    }
    agents.insert(
        agent,
        Agent {
            presence,
            live_calls: 0,
        },
    );
    Ok(())
}
