//! Snapshots (serde): the engine as a value, and the restore that rebuilds what a snapshot
//! leaves out (each agent's counts of interactions by role and of live calls).

use std::collections::VecDeque;

use hashbrown::HashMap;
use serde::ser::SerializeStruct;

use crate::id::{AgentId, InteractionId, ProviderName};
use crate::permission::ProviderSettings;
use crate::store::Store;

use super::agents::{Agent, Availability, Presence};
use super::interaction::Interaction;
use super::memory::{Forgotten, Keys};
use super::timers::{Armed, Timer, Timers};
use super::{Engine, EngineSettings, recount};
use crate::id::Name;

/// The engine as a snapshot holds it: each agent's presence, availability and reason only.
/// Members added after the first snapshots read as empty when absent (`forgotten`), so an
/// older snapshot restores.
#[derive(serde::Deserialize)]
struct Snapshot {
    settings: EngineSettings,
    interactions: Store<Interaction>,
    providers: HashMap<ProviderName, ProviderSettings>,
    agents: HashMap<AgentId, SavedAgent>,
    keys: Keys,
    ended: VecDeque<InteractionId>,
    #[serde(default)]
    forgotten: Forgotten,
    #[serde(default)]
    timers: SavedTimers,
}

/// The clock and the armed timers as a snapshot holds them (omitted while the clock is 0 and
/// nothing is armed, the form of snapshots written before timers): `{"now", "next", "armed":
/// [{"deadline", "seq", "timer", "interaction" | "agent"}]}` in firing order. The maps beside
/// the queue are rebuilt on restore.
#[derive(serde::Serialize, serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SavedTimers {
    now: u64,
    next: u64,
    armed: Vec<SavedTimer>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedTimer {
    deadline: u64,
    seq: u64,
    timer: Timer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interaction: Option<InteractionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agent: Option<AgentId>,
}

impl SavedTimers {
    fn of(timers: &Timers) -> SavedTimers {
        SavedTimers {
            now: timers.now,
            next: timers.next,
            armed: timers
                .queue
                .iter()
                .map(|(&(deadline, seq), armed)| {
                    let (timer, interaction, agent) = match armed {
                        Armed::Interaction(timer, id) => (*timer, Some(id.clone()), None),
                        Armed::Agent(agent) => {
                            (Timer::AgentHeartbeatTimeout, None, Some(agent.clone()))
                        }
                    };
                    SavedTimer {
                        deadline,
                        seq,
                        timer,
                        interaction,
                        agent,
                    }
                })
                .collect(),
        }
    }

    /// The timers, refusing a set the engine could not have written: an interaction timer
    /// naming no interaction or an agent, a heartbeat naming no agent, a subject armed twice,
    /// a sequence number at or past `next`.
    fn restore(self) -> Result<Timers, String> {
        let mut timers = Timers {
            now: self.now,
            next: self.next,
            ..Timers::default()
        };
        for t in self.armed {
            if t.seq >= self.next {
                return Err(format!(
                    "a timer's sequence number {} is not below `next` ({})",
                    t.seq, self.next
                ));
            }
            let armed = match (t.timer, t.interaction, t.agent) {
                (Timer::OfferTimeout | Timer::WrapUpTimeout, Some(id), None) => {
                    Armed::Interaction(t.timer, id)
                }
                (Timer::AgentHeartbeatTimeout, None, Some(agent)) => Armed::Agent(agent),
                (timer, ..) => {
                    return Err(format!(
                        "a `{timer}` timer names {}",
                        match timer {
                            Timer::AgentHeartbeatTimeout => "no agent, or an interaction",
                            _ => "no interaction, or an agent",
                        }
                    ));
                }
            };
            if timers.queue.insert((t.deadline, t.seq), armed).is_some() {
                return Err(format!(
                    "two timers have deadline {} and sequence number {}",
                    t.deadline, t.seq
                ));
            }
        }
        timers.reindex();
        let subjects = timers.interactions.len() + timers.agents.len();
        if subjects != timers.queue.len() {
            return Err("an interaction or an agent has two timers armed".to_owned());
        }
        Ok(timers)
    }
}

/// An agent as a snapshot holds it: its presence alone while its availability is `unknown`
/// (the form of snapshots written before agents had one), else `{"presence", "availability",
/// "reason"?}`.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum SavedAgent {
    Presence(Presence),
    Full {
        presence: Presence,
        availability: Availability,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Name>,
        /// Ring-no-answers in a row (`EngineSettings::max_no_answer`), when not 0.
        #[serde(default, skip_serializing_if = "is_zero")]
        no_answers: u32,
    },
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl SavedAgent {
    fn of(agent: &Agent) -> SavedAgent {
        match (agent.availability, &agent.reason, agent.no_answers) {
            (Availability::Unknown, None, 0) => SavedAgent::Presence(agent.presence),
            (availability, reason, no_answers) => SavedAgent::Full {
                presence: agent.presence,
                availability,
                reason: reason.clone(),
                no_answers,
            },
        }
    }

    fn restore(self) -> Agent {
        match self {
            SavedAgent::Presence(presence) => Agent {
                presence,
                ..Agent::SEEN
            },
            SavedAgent::Full {
                presence,
                availability,
                reason,
                no_answers,
            } => Agent {
                presence,
                availability,
                reason,
                no_answers,
                ..Agent::SEEN
            },
        }
    }
}

impl serde::Serialize for Engine {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Presences<'a>(&'a HashMap<AgentId, Agent>);
        impl serde::Serialize for Presences<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(id, agent)| (id, SavedAgent::of(agent))))
            }
        }
        let mut s = serializer.serialize_struct("Engine", 8)?;
        s.serialize_field("settings", &self.settings)?;
        s.serialize_field("interactions", &self.interactions)?;
        s.serialize_field("providers", &self.providers)?;
        s.serialize_field("agents", &Presences(&self.agents))?;
        s.serialize_field("keys", &self.keys)?;
        s.serialize_field("ended", &self.ended)?;
        s.serialize_field("forgotten", &self.forgotten)?;
        if self.timers == Timers::default() {
            s.skip_field("timers")?;
        } else {
            s.serialize_field("timers", &SavedTimers::of(&self.timers))?;
        }
        s.end()
    }
}

impl<'de> serde::Deserialize<'de> for Engine {
    /// Restores the engine, rebuilding each agent's count of live calls from the interactions.
    /// An agent a live state names but the snapshot does not know (a snapshot the engine did
    /// not write) becomes known, `seen`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snapshot = Snapshot::deserialize(deserializer)?;
        check_consistent(&snapshot).map_err(serde::de::Error::custom)?;
        let mut agents: HashMap<AgentId, Agent> = snapshot
            .agents
            .into_iter()
            .map(|(id, saved)| (id, saved.restore()))
            .collect();
        recount(&mut agents, &snapshot.interactions);
        let timers = snapshot
            .timers
            .restore()
            .map_err(serde::de::Error::custom)?;
        check_timers(&timers, &snapshot.settings, &snapshot.interactions, &agents)
            .map_err(serde::de::Error::custom)?;
        Ok(Engine {
            settings: snapshot.settings,
            interactions: snapshot.interactions,
            providers: snapshot.providers,
            agents,
            keys: snapshot.keys,
            ended: snapshot.ended,
            forgotten: snapshot.forgotten,
            timers,
        })
    }
}

/// Refuses armed timers the engine could not have armed: a timer whose setting is off (an
/// engine restored with a timer turned off must not fire it, and would not cancel it), an
/// interaction timer for an interaction not held in the state that arms it, a heartbeat for an
/// agent not logged in, a sequence counter at its end.
fn check_timers(
    timers: &Timers,
    settings: &EngineSettings,
    interactions: &Store<Interaction>,
    agents: &HashMap<AgentId, Agent>,
) -> Result<(), String> {
    if timers.next == u64::MAX {
        return Err("the timers' sequence counter is at its end".to_owned());
    }
    for armed in timers.queue.values() {
        let timer = match armed {
            Armed::Interaction(timer, _) => *timer,
            Armed::Agent(_) => Timer::AgentHeartbeatTimeout,
        };
        if settings.timeout(timer).is_none() {
            return Err(format!(
                "a `{timer}` timer is armed but its setting is off (set it, or drop the timer)"
            ));
        }
        match armed {
            Armed::Interaction(timer, id) => {
                let state = interactions.get(id.as_str()).map(|it| it.state.kind());
                if state.is_none() || state != timer.armed_in() {
                    return Err(format!(
                        "a `{timer}` timer is armed for `{}`, which the snapshot does not hold {}",
                        crate::text::quote(id.as_str()),
                        timer.armed_in().map_or("", crate::StateKind::name)
                    ));
                }
            }
            Armed::Agent(agent) => {
                if agents
                    .get(agent.as_str())
                    .is_none_or(|a| a.presence.session() != crate::Session::LoggedIn)
                {
                    return Err(format!(
                        "a heartbeat timer is armed for `{}`, who is not logged in",
                        crate::text::quote(agent.as_str())
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Refuses a snapshot the engine could not have written: an id in `ended` that the snapshot
/// does not hold ended, an ended interaction missing from `ended`, or idempotency keys whose
/// order and requests disagree.
fn check_consistent(snapshot: &Snapshot) -> Result<(), String> {
    let ended_held = snapshot
        .interactions
        .iter()
        .filter(|(_, it)| it.state.kind() == crate::StateKind::Ended)
        .count();
    if ended_held != snapshot.ended.len() {
        return Err(format!(
            "the snapshot holds {ended_held} ended interactions and lists {} as ended",
            snapshot.ended.len()
        ));
    }
    for id in &snapshot.ended {
        if snapshot
            .interactions
            .get(id.as_str())
            .is_none_or(|it| it.state.kind() != crate::StateKind::Ended)
        {
            return Err(format!(
                "`ended` lists `{}`, which the snapshot does not hold ended",
                crate::text::quote(id.as_str())
            ));
        }
    }
    Ok(())
}
