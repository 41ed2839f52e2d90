//! Workloads for the criterion benchmarks of the interaction core and adapters
//! (`benches/*.rs`; the figures and how to reproduce them are in `docs/PERFORMANCE.md`).
//!
//! Everything a timed loop needs is built here, before the clock starts: ids, agents, and whole
//! streams of inputs. The benchmarks then only apply them. The tests at the bottom check that
//! every input of every workload is `applied`, so a benchmark never measures a stream of
//! refusals by mistake (benchmarks themselves measure and never assert).
//!
//! * [`lifecycle`], [`interleaved`]: the engine's lifecycle (`benches/lifecycle.rs`).
//! * [`step_stream`], [`interleaved_step_stream`]: streams of lifecycle steps on kinds alone
//!   (`benches/step.rs`).
//! * [`live_engine`], [`live_stream`]: many live interactions and a stream of actions on them
//!   (`benches/engine.rs`).
//! * [`bodies`]: vendor message bodies, per kind, and the engine each applies to
//!   (`benches/decode.rs`).

use interaction_core::{
    Action, ActionKind, Actor, AgentId, Direction, Engine, EngineSettings, Error, IdempotencyKey,
    Input, InteractionId, Media, Name, Permission, Permissions, ProviderName, ProviderSettings,
    StateKind, UserData, Value, table,
};

pub mod bodies;

/// The provider that dispatches half of the interactions of [`interleaved`]. It permits every
/// agent action, so that agents may hold and transfer its interactions.
pub const PROVIDER: &str = "bench-crm";

/// The route every interaction is dispatched to.
pub const ROUTE: &str = "Route Bench";

/// How many agents [`interleaved`] spreads its interactions over.
pub const AGENTS: usize = 256;

/// An engine with [`PROVIDER`] registered, permitting every agent action.
///
/// # Errors
/// None in practice: the names are constants that pass [`interaction_core::check_id`]; an
/// error would mean those rules changed.
pub fn engine() -> Result<Engine, Error> {
    let mut engine = Engine::new();
    let permissions = Permission::ALL
        .into_iter()
        .fold(Permissions::defaults(), |p, perm| p.with(perm, true));
    engine.register_provider(
        ProviderName::parse(PROVIDER, "provider")?,
        ProviderSettings {
            permissions,
            ..ProviderSettings::default()
        },
    )?;
    Ok(engine)
}

/// `count` distinct interaction ids (`ix-0`, `ix-1`, ...), short enough to be stored inline.
///
/// # Errors
/// None in practice: the names are constants that pass [`interaction_core::check_id`]; an
/// error would mean those rules changed.
pub fn interaction_ids(count: usize) -> Result<Vec<InteractionId>, Error> {
    (0..count)
        .map(|i| InteractionId::parse(&format!("ix-{i}"), "interaction"))
        .collect()
}

/// An engine under `settings` holding the interactions `ids`, each dispatched by the platform
/// to [`ROUTE`] (live voice, inbound, no user data) and left `queued`: the timers' benches
/// offer them from here.
///
/// # Errors
/// [`Refusal::LimitReached`] when `settings` bound the engine below `ids.len()` live
/// interactions; none otherwise in practice (the route is a constant that passes
/// [`interaction_core::check_id`]).
pub fn queued_engine(ids: &[InteractionId], settings: EngineSettings) -> Result<Engine, Error> {
    let mut engine = Engine::with_settings(settings);
    let route = Name::parse(ROUTE, "route")?;
    let mut effects = Vec::new();
    for id in ids {
        let dispatch = Action::Dispatch {
            route: route.clone(),
            media: Media::Live,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        };
        engine.apply(
            Input::new(id.clone(), dispatch, Actor::Platform),
            &mut effects,
        )?;
    }
    Ok(engine)
}

/// The five inputs of one short lifecycle on `id`, dispatched by the platform and worked by
/// `agent`: dispatch, assign, hold, retrieve, release. Building them allocates nothing (the
/// ids are cloned, and short ids are stored inline).
pub fn lifecycle(id: &InteractionId, agent: &AgentId, route: &Name) -> [Input; 5] {
    let by_agent = Actor::Agent(agent.clone());
    [
        Input::new(
            id.clone(),
            Action::Dispatch {
                route: route.clone(),
                media: Media::Live,
                direction: Direction::Inbound,
                user_data: UserData::new(),
            },
            Actor::Platform,
        ),
        Input::new(
            id.clone(),
            Action::Assign {
                agent: agent.clone(),
            },
            Actor::Platform,
        ),
        Input::new(id.clone(), Action::Hold, by_agent.clone()),
        Input::new(id.clone(), Action::Retrieve, by_agent.clone()),
        Input::new(id.clone(), Action::Release, by_agent),
    ]
}

/// A stream of valid inputs for `interactions` interactions, interleaved: at each point a
/// pseudo-random live interaction (xorshift, from `seed`) takes its next step, so every
/// interaction's own inputs stay in order while the engine sees them all mixed.
///
/// Each interaction follows one of four scripts (by its index), between them covering offers,
/// rejects, transfers, workbins, holds, user data, every way to end, and, for those dispatched
/// by [`PROVIDER`], the notifications those bring. Apply the stream to [`engine`].
///
/// # Errors
/// None in practice: the names are constants that pass [`interaction_core::check_id`]; an
/// error would mean those rules changed.
pub fn interleaved(interactions: usize, seed: u64) -> Result<Vec<Input>, Error> {
    let ids = interaction_ids(interactions)?;
    let agents = (0..AGENTS)
        .map(|i| AgentId::parse(&format!("agent-{i}"), "agent"))
        .collect::<Result<Vec<_>, _>>()?;
    let places = Places {
        route: Name::parse(ROUTE, "route")?,
        provider: ProviderName::parse(PROVIDER, "provider")?,
        workbin: Name::parse("Later", "workbin")?,
    };
    let mut scripts = Vec::with_capacity(interactions);
    for (i, id) in ids.iter().enumerate() {
        let (Some(a), Some(b)) = (agents.get(i % AGENTS), agents.get((i + 1) % AGENTS)) else {
            continue;
        };
        let key = IdempotencyKey::parse(&format!("req-{i}"), "requestid")?;
        let mut script = places.script(i, id, key, a, b);
        // Reversed, so that `pop` yields the script's next input.
        script.reverse();
        scripts.push(script);
    }
    Ok(interleave(scripts, seed))
}

/// The names every script shares.
struct Places {
    route: Name,
    provider: ProviderName,
    workbin: Name,
}

impl Places {
    /// The inputs of interaction number `i` (script `i % 4`), worked by agents `a` and `b`.
    fn script(
        &self,
        i: usize,
        id: &InteractionId,
        key: IdempotencyKey,
        a: &AgentId,
        b: &AgentId,
    ) -> Vec<Input> {
        let dispatcher = if i.is_multiple_of(2) {
            Actor::Provider(Some(self.provider.clone()))
        } else {
            Actor::Platform
        };
        let dispatch = Input::new(
            id.clone(),
            Action::Dispatch {
                route: self.route.clone(),
                media: Media::Chat,
                direction: Direction::Inbound,
                user_data: UserData::new(),
            },
            dispatcher,
        )
        .with_key(key);
        let step = |action: Action, actor: Actor| Input::new(id.clone(), action, actor);
        let by_a = Actor::Agent(a.clone());
        let by_b = Actor::Agent(b.clone());
        let platform = Actor::Platform;
        match i % 4 {
            0 => vec![
                dispatch,
                step(Action::Offer { agent: a.clone() }, platform),
                step(Action::Accept, by_a.clone()),
                step(Action::Hold, by_a.clone()),
                step(Action::Retrieve, by_a.clone()),
                step(Action::Release, by_a),
            ],
            1 => vec![
                dispatch,
                step(Action::Offer { agent: a.clone() }, platform.clone()),
                step(Action::Reject, by_a),
                step(Action::Offer { agent: b.clone() }, platform.clone()),
                step(Action::Accept, platform),
                step(
                    Action::UpdateUserData {
                        user_data: [("wrapup".to_owned(), Value::String("sale".to_owned()))]
                            .into_iter()
                            .collect(),
                    },
                    by_b.clone(),
                ),
                step(Action::Complete, by_b),
            ],
            2 => vec![
                dispatch,
                step(Action::Assign { agent: a.clone() }, platform.clone()),
                step(Action::TransferToAgent { agent: b.clone() }, by_a.clone()),
                step(Action::Accept, by_b.clone()),
                step(
                    Action::PlaceInWorkbin {
                        workbin: self.workbin.clone(),
                    },
                    by_b,
                ),
                step(Action::Pull { agent: a.clone() }, by_a),
                step(Action::Release, platform),
            ],
            _ => vec![
                dispatch,
                step(Action::Assign { agent: a.clone() }, platform.clone()),
                step(Action::Transferred { agent: b.clone() }, platform.clone()),
                step(Action::Hold, platform.clone()),
                step(Action::Disconnect { agent: b.clone() }, platform),
            ],
        }
    }
}

/// A xorshift64 generator: the workloads must not change with a crate's version.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator from `seed` (any value; 0 is replaced).
    pub fn new(seed: u64) -> Self {
        XorShift(seed | 1)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).unwrap_or(u64::MAX).max(1);
        usize::try_from(self.next_u64() % n).unwrap_or(0)
    }
}

/// One event of a lifecycle-step stream: an action, and whether it starts a new interaction
/// (which begins `queued`, as after `dispatch`) before the action is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepEvent {
    /// The action.
    pub action: ActionKind,
    /// A new interaction starts here: the previous one ended.
    pub fresh: bool,
}

/// Which actions a step stream draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// Uniformly among the actions the table allows from the interaction's state.
    Valid,
    /// Uniformly among all 23 actions: most are refused (the state stays).
    Any,
}

/// The next event for an interaction in `state` (simulated with [`table::step`]): when it has
/// ended, a new one starts, queued.
fn next_event(state: &mut StateKind, draw: Draw, rng: &mut XorShift) -> StepEvent {
    let fresh = *state == StateKind::Ended;
    if fresh {
        *state = StateKind::Queued;
    }
    let action = match draw {
        Draw::Any => ActionKind::ALL
            .get(rng.below(ActionKind::COUNT))
            .copied()
            .unwrap_or(ActionKind::Release),
        Draw::Valid => {
            let legal: Vec<ActionKind> = ActionKind::ALL
                .into_iter()
                .filter(|a| table::step(*state, *a).is_some())
                .collect();
            legal
                .get(rng.below(legal.len()))
                .copied()
                .unwrap_or(ActionKind::Release)
        }
    };
    *state = table::step(*state, action).unwrap_or(*state);
    StepEvent { action, fresh }
}

/// `len` lifecycle steps of one interaction at a time, in order: each interaction starts
/// queued and takes actions drawn by `draw` until it ends, then the next one starts.
pub fn step_stream(len: usize, draw: Draw, seed: u64) -> Vec<StepEvent> {
    let mut rng = XorShift::new(seed);
    let mut state = StateKind::Queued;
    (0..len)
        .map(|_| next_event(&mut state, draw, &mut rng))
        .collect()
}

/// `len` lifecycle steps of `interactions` interactions interleaved: at each point a
/// pseudo-random interaction takes its next step (drawn by `draw`; an interaction that ended is
/// replaced by a new one, queued, in its slot). All slots start queued.
pub fn interleaved_step_stream(
    interactions: usize,
    len: usize,
    draw: Draw,
    seed: u64,
) -> Vec<(u32, StepEvent)> {
    let mut rng = XorShift::new(seed);
    let mut states = vec![StateKind::Queued; interactions];
    (0..len)
        .map(|_| {
            let slot = rng.below(interactions);
            let event = match states.get_mut(slot) {
                Some(state) => next_event(state, draw, &mut rng),
                None => StepEvent {
                    action: ActionKind::Release,
                    fresh: false,
                },
            };
            (u32::try_from(slot).unwrap_or(0), event)
        })
        .collect()
}

/// The agents of [`live_engine`]; interactions are spread over them.
pub const LIVE_AGENTS: usize = 4096;

/// An engine holding `count` live interactions, `ix-0` to `ix-{count-1}`, each connected to
/// agent `agent-{i % LIVE_AGENTS}`; the even ones dispatched by [`PROVIDER`] (whose rules permit
/// hold and transfers, so agents' actions on them are checked against it), the odd ones by the
/// platform. No user data. The ended-interaction bound is at its default.
///
/// # Errors
/// None in practice (constant names).
pub fn live_engine(count: usize) -> Result<Engine, Error> {
    let mut engine = engine()?;
    let route = Name::parse(ROUTE, "route")?;
    let provider = ProviderName::parse(PROVIDER, "provider")?;
    let agents = live_agents()?;
    let mut effects = Vec::new();
    for (i, id) in interaction_ids(count)?.into_iter().enumerate() {
        let dispatcher = if i % 2 == 0 {
            Actor::Provider(Some(provider.clone()))
        } else {
            Actor::Platform
        };
        let dispatch = Action::Dispatch {
            route: route.clone(),
            media: Media::Live,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        };
        engine.apply(Input::new(id.clone(), dispatch, dispatcher), &mut effects)?;
        let Some(agent) = agents.get(i % LIVE_AGENTS).cloned() else {
            continue;
        };
        engine.apply(
            Input::new(id, Action::Assign { agent }, Actor::Platform),
            &mut effects,
        )?;
        effects.clear();
    }
    Ok(engine)
}

/// One action of [`live_stream`], compact (32 bytes): the interaction, where it is in its
/// cycle, and its owner. [`LiveOp::input`] makes the engine's input, as a caller would.
#[derive(Debug, Clone)]
pub struct LiveOp {
    /// The interaction acted on.
    pub interaction: InteractionId,
    /// 0 hold, 1 retrieve (both by the owner), 2 transfer to the next agent (by the owner),
    /// 3 accept (by that agent).
    pub phase: u8,
    /// The owner's index in [`live_agents`].
    pub owner: u16,
}

impl LiveOp {
    /// The input this operation stands for; `agents` is [`live_agents`].
    pub fn input(&self, agents: &[AgentId]) -> Option<Input> {
        let owner = usize::from(self.owner);
        let by_owner = agents.get(owner)?;
        let next = agents.get((owner + 1) % LIVE_AGENTS)?;
        let (action, actor) = match self.phase {
            0 => (Action::Hold, by_owner),
            1 => (Action::Retrieve, by_owner),
            2 => (
                Action::TransferToAgent {
                    agent: next.clone(),
                },
                by_owner,
            ),
            _ => (Action::Accept, next),
        };
        Some(Input::new(
            self.interaction.clone(),
            action,
            Actor::Agent(actor.clone()),
        ))
    }
}

/// The agents of [`live_engine`]: `agent-0` to `agent-4095`.
///
/// # Errors
/// None in practice (constant names).
pub fn live_agents() -> Result<Vec<AgentId>, Error> {
    (0..LIVE_AGENTS)
        .map(|i| AgentId::parse(&format!("agent-{i}"), "agent"))
        .collect()
}

/// `len` actions on the interactions of [`live_engine`]`(count)`, interleaved: at each point a
/// pseudo-random interaction takes its next action, cycling through hold, retrieve (both by its
/// owner, checked against the provider's `hold` rule on provider interactions),
/// `transfer_to_agent` to the next agent (checked against `transferToAgent`) and `accept` by
/// that agent, who then owns it. Every input is applied and every interaction stays live.
///
/// # Errors
/// None in practice (constant names).
pub fn live_stream(count: usize, len: usize, seed: u64) -> Result<Vec<LiveOp>, Error> {
    let ids = interaction_ids(count)?;
    let mut rng = XorShift::new(seed);
    // Per interaction: its phase in the cycle and its owner's index.
    let mut phase = vec![0u8; count];
    let mut owner: Vec<usize> = (0..count).map(|i| i % LIVE_AGENTS).collect();
    let mut stream = Vec::with_capacity(len);
    for _ in 0..len {
        let i = rng.below(count);
        let (Some(id), Some(p), Some(o)) = (ids.get(i), phase.get_mut(i), owner.get_mut(i)) else {
            continue;
        };
        stream.push(LiveOp {
            interaction: id.clone(),
            phase: *p,
            owner: u16::try_from(*o).unwrap_or(0),
        });
        if *p == 3 {
            *o = (*o + 1) % LIVE_AGENTS;
        }
        *p = (*p + 1) % 4;
    }
    Ok(stream)
}

/// Merges `scripts` (each in reverse order) into one stream: at each point a pseudo-random
/// script (xorshift64 from `seed`) gives its next input.
fn interleave(mut scripts: Vec<Vec<Input>>, seed: u64) -> Vec<Input> {
    let mut stream = Vec::with_capacity(scripts.iter().map(Vec::len).sum());
    let mut state = seed | 1;
    while !scripts.is_empty() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = u64::try_from(scripts.len()).unwrap_or(u64::MAX);
        let pick = usize::try_from(state % len).unwrap_or(0);
        let Some(script) = scripts.get_mut(pick) else {
            break;
        };
        if let Some(input) = script.pop() {
            stream.push(input);
        }
        if script.is_empty() {
            scripts.swap_remove(pick);
        }
    }
    stream
}

#[cfg(test)]
mod tests {
    use interaction_core::Outcome;

    use super::*;

    #[test]
    fn every_input_of_the_interleaved_stream_is_applied_and_every_interaction_ends() {
        let stream = interleaved(1024, 7).unwrap();
        assert_eq!(stream.len(), 256 * (6 + 7 + 7 + 5));
        let mut engine = engine().unwrap();
        let mut effects = Vec::new();
        for input in stream {
            let shown = format!("{input:?}");
            let step = engine.apply(input, &mut effects).unwrap_or_else(|e| {
                panic!("{shown} was refused: {e}");
            });
            assert_eq!(step.outcome, Outcome::Applied, "{shown}");
        }
        assert_eq!(engine.len(), 1024);
        assert!(
            engine
                .interactions()
                .all(|(_, it)| it.state().kind() == StateKind::Ended)
        );
        assert!(!effects.is_empty(), "provider interactions notify");
    }

    #[test]
    fn every_input_of_the_live_stream_is_applied_and_keeps_every_interaction_live() {
        let mut engine = live_engine(512).unwrap();
        let mut effects = Vec::new();
        let agents = live_agents().unwrap();
        for op in live_stream(512, 20_000, 3).unwrap() {
            let input = op.input(&agents).unwrap();
            let shown = format!("{input:?}");
            let step = engine.apply(input, &mut effects).unwrap_or_else(|e| {
                panic!("{shown} was refused: {e}");
            });
            assert_eq!(step.outcome, Outcome::Applied, "{shown}");
            assert_ne!(step.to, Some(StateKind::Ended));
        }
        assert_eq!(engine.len(), 512);
    }

    #[test]
    fn valid_step_streams_take_only_allowed_actions_and_restart_after_the_end() {
        let stream = step_stream(10_000, Draw::Valid, 9);
        let mut state = StateKind::Queued;
        let mut restarts = 0;
        for event in &stream {
            if event.fresh {
                assert_eq!(state, StateKind::Ended);
                state = StateKind::Queued;
                restarts += 1;
            }
            state = table::step(state, event.action).unwrap();
        }
        assert!(restarts > 100);
        let any = step_stream(10_000, Draw::Any, 9);
        let refused = any
            .iter()
            .scan(StateKind::Queued, |state, e| {
                if e.fresh {
                    *state = StateKind::Queued;
                }
                let next = table::step(*state, e.action);
                *state = next.unwrap_or(*state);
                Some(next.is_none())
            })
            .filter(|refused| *refused)
            .count();
        assert!(refused > 5_000, "most random actions are refused");
        let interleaved = interleaved_step_stream(64, 10_000, Draw::Valid, 9);
        assert!(interleaved.windows(2).any(|w| w[0].0 != w[1].0));
    }

    #[test]
    fn the_stream_is_interleaved() {
        let stream = interleaved(64, 1).unwrap();
        let first_ids: Vec<_> = stream.iter().take(8).map(|i| &i.interaction).collect();
        assert!(first_ids.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn the_lifecycle_is_applied_again_on_ids_evicted_from_the_engine() {
        let ids = interaction_ids(2).unwrap();
        let agent = AgentId::parse("agent-0", "agent").unwrap();
        let route = Name::parse(ROUTE, "route").unwrap();
        let mut engine = Engine::with_settings(interaction_core::EngineSettings {
            max_ended: 1,
            max_forgotten: 0,
            ..interaction_core::EngineSettings::default()
        });
        let mut effects = Vec::new();
        for id in ids.iter().chain(&ids) {
            for input in lifecycle(id, &agent, &route) {
                let step = engine.apply(input, &mut effects).unwrap();
                assert_eq!(step.outcome, Outcome::Applied);
            }
        }
    }
}
