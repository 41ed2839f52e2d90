//! Workloads for the criterion benchmarks of the interaction core (`benches/lifecycle.rs`).
//!
//! Everything a timed loop needs is built here, before the clock starts: ids, agents, and whole
//! streams of inputs. The benchmarks then only apply them. The tests at the bottom check that
//! every input of every workload is `applied`, so a benchmark never measures a stream of
//! refusals by mistake (benchmarks themselves measure and never assert).

use interaction_core::{
    Action, Actor, AgentId, Direction, Engine, Error, IdempotencyKey, Input, InteractionId, Media,
    Name, Permission, Permissions, ProviderName, ProviderSettings, UserData, Value,
};

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
    );
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
    use interaction_core::{Outcome, StateKind};

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
