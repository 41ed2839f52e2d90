//! One input on one interaction: the checks that may refuse it, then the write that cannot
//! fail (MODEL.md sections 3 and 4). The legal states, the actors and the permissions come from
//! [`crate::table::TRANSITIONS`]; the destination state's data (which agent, which target) is
//! computed here, and its kind is checked against the table's.

use std::mem;

use hashbrown::HashMap;

use crate::action::{Action, ActionKind, Actor, FirstSight};
use crate::api::Api;
use crate::effect::{Effect, Notification};
use crate::error::Refusal;
use crate::id::{AgentId, InteractionId, ProviderName};
use crate::permission::ProviderSettings;
use crate::state::{Caller, Direction, EndReason, State, StateKind, Target};
use crate::table::{self, Actors, Rule};
use crate::value;

use super::agents::{Agents, named, track_agents};
use super::interaction::{Data, Interaction, UserDataChange, check_len};
use super::{Outcome, Step};

/// What a checked input will do to an existing interaction. Small and `Copy` on purpose: the
/// new state is built by `commit`, in place, from the action it moves, so no large value
/// travels between the checks and the write.
#[derive(Clone, Copy)]
pub(super) enum Plan {
    /// Move to the state `advance` builds.
    Move,
    /// The owner's or the platform's `release`, or the owner's `disconnect`, of an interaction
    /// that requires after-call work: move to `wrap_up`, the owner keeping it (MODEL.md
    /// section 10).
    WrapUp,
    /// Change the user data; its JSON length after the change.
    UserData(usize),
    /// A platform fact restating the current state.
    Restate,
    /// A stale fact; nothing changes.
    Ignore,
}

/// Checks an input on an existing interaction against the table and the rules; says what the
/// write will be without writing. `wrap_up`: whether the interaction requires after-call work
/// (the engine's setting for its media, or the input's own say).
pub(super) fn check(
    it: &Interaction,
    providers: &HashMap<ProviderName, ProviderSettings>,
    id: &InteractionId,
    rule: Rule,
    action: &Action,
    actor: &Actor,
    wrap_up: bool,
) -> Result<Plan, Refusal> {
    let kind = rule.action;
    if let State::Ended { reason } = it.state {
        if matches!(actor, Actor::Platform) && restates_end(kind, reason) {
            return Ok(Plan::Restate);
        }
        return Err(Refusal::AlreadyEnded {
            interaction: id.clone(),
            reason,
            action: kind,
        });
    }
    if rule.creates() {
        return Err(Refusal::AlreadyExists {
            interaction: id.clone(),
            state: it.state.kind(),
        });
    }
    if matches!(actor, Actor::Platform) && restates(it, action) {
        return Ok(Plan::Restate);
    }
    let state = it.state.kind();
    if !rule.from.contains(state) {
        return Err(Refusal::InvalidTransition {
            action: kind,
            state,
            detail: "",
        });
    }
    if !direction_fits(rule, it) {
        return Err(Refusal::InvalidTransition {
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
        return Err(Refusal::NotPermitted {
            action: kind,
            reason: format!("provider `{provider}` does not permit `{key}` to agents").into(),
        });
    }
    let plan = plan(it, action)?;
    Ok(match (plan, action) {
        // MODEL.md section 10: the owner's or the platform's release leads to wrap-up; a
        // provider's release ends the interaction (the provider gives the work up).
        (Plan::Move, Action::Release | Action::Disconnect { .. })
            if wrap_up
                && !matches!(actor, Actor::Provider(_))
                && it.state.owner().is_some()
                && it.state.offered_to().is_none() =>
        {
            Plan::WrapUp
        }
        _ => plan,
    })
}

/// The refusal of input from `input` on an interaction that belongs to `owner` (MODEL.md
/// section 11: one namespace per vendor API).
pub(super) fn foreign(id: &InteractionId, kind: ActionKind, owner: Api, input: Api) -> Refusal {
    Refusal::NotPermitted {
        action: kind,
        reason: format!(
            "interaction `{id}` belongs to the {owner} API; input from the {input} API may not act on it"
        )
        .into(),
    }
}

/// Checks an input on an interaction the engine does not hold: a creating action, or a
/// platform fact seen first (`first_sight`); anything else is `unknown_interaction`.
pub(super) fn check_new(
    providers: &HashMap<ProviderName, ProviderSettings>,
    id: &InteractionId,
    rule: Rule,
    action: Action,
    actor: &Actor,
    first_sight: Option<FirstSight>,
    api: Api,
) -> Result<Interaction, Refusal> {
    if rule.creates() {
        return check_create(providers, rule, action, actor, api).map(|it| it.routed(first_sight));
    }
    match (first_sight, actor, action) {
        (Some(fs), Actor::Platform, Action::Offer { agent }) => {
            new_interaction(State::Offered { agent }, fs, api)
        }
        (Some(fs), Actor::Platform, Action::Assign { agent }) => {
            new_interaction(State::Connected { owner: agent }, fs, api)
        }
        _ => Err(Refusal::UnknownInteraction {
            interaction: id.clone(),
        }),
    }
}

fn check_create(
    providers: &HashMap<ProviderName, ProviderSettings>,
    rule: Rule,
    action: Action,
    actor: &Actor,
    api: Api,
) -> Result<Interaction, Refusal> {
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
                return Err(Refusal::NotOwner {
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
        return Err(Refusal::UnknownProvider {
            provider: p.clone(),
        });
    }
    match action {
        Action::Dispatch {
            route,
            media,
            direction,
            user_data,
        } => {
            check_len(value::encoded_len(&user_data))?;
            Ok(Interaction {
                state: State::Queued,
                media,
                direction,
                api,
                provider,
                target: Some(Target::Route(route)),
                user_data: Data::new(user_data),
            })
        }
        Action::Dial { from, to, media } => Ok(Interaction {
            state: State::Dialing {
                call: Box::new((from, to)),
            },
            media,
            direction: Direction::Outbound,
            api,
            provider,
            target: None,
            user_data: Data::default(),
        }),
        other => Err(Refusal::InvalidTransition {
            action: other.kind(),
            state: StateKind::Queued,
            detail: ": not a creating action",
        }),
    }
}

pub(super) fn provider_permits(
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

/// The agent the state after a checked input names (the owner or offered agent), for the
/// room check of `max_agents`: what [`commit`] will make known.
pub(super) fn named_after<'a>(
    it: &'a Interaction,
    action: &'a Action,
    plan: Plan,
) -> Option<&'a AgentId> {
    if !matches!(plan, Plan::Move | Plan::WrapUp) {
        return named(&it.state);
    }
    match action {
        Action::Offer { agent }
        | Action::TransferToAgent { agent }
        | Action::Assign { agent }
        | Action::Transferred { agent }
        | Action::Pull { agent }
        | Action::Answer { agent: Some(agent) } => Some(agent),
        Action::Accept => it.state.offered_to(),
        Action::Hold | Action::Retrieve | Action::Answer { agent: None } => it.state.owner(),
        Action::Release | Action::Disconnect { .. } if matches!(plan, Plan::WrapUp) => {
            it.state.owner()
        }
        _ => None,
    }
}

/// Writes a checked input to an existing interaction. Cannot fail.
pub(super) fn commit(
    it: &mut Interaction,
    agents: &mut Agents,
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
        Plan::WrapUp => wrap_up(it),
        Plan::UserData(len) => {
            change_user_data(it, action, len);
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
            agent: None,
            left: None,
        };
    };
    // The destination is the table's: the code above only builds its data.
    debug_assert_eq!(
        if matches!(plan, Plan::WrapUp) {
            table::step_with_wrap_up(now, kind)
        } else {
            table::step(now, kind)
        },
        Some(it.state.kind()),
        "{kind} from {now}"
    );
    emit_move_effects(id, kind, actor, &old, it, effects);
    let (agent, left) = track_agents(agents, actor, Some(&old), &it.state, it.media);
    // The agent the interaction left for another (a transfer): its activity changed too.
    let (agent, left) = (agent.cloned(), left.cloned());
    Step {
        outcome: Outcome::Applied,
        from: Some(now),
        to: Some(it.state.kind()),
        reason: it.state.end_reason(),
        agent,
        left,
    }
}

fn new_interaction(state: State, fs: FirstSight, api: Api) -> Result<Interaction, Refusal> {
    check_len(value::encoded_len(&fs.user_data))?;
    Ok(Interaction {
        state,
        media: fs.media,
        direction: fs.direction,
        api,
        provider: None,
        target: None,
        user_data: {
            let mut data = Data::new(fs.user_data);
            data.set_routing(fs.routing);
            data
        },
    })
}

fn direction_fits(rule: Rule, it: &Interaction) -> bool {
    !rule.outbound_only || it.direction == Direction::Outbound
}

/// Whether a platform action that ends with `reason` restates an interaction that already
/// ended with it (a GWS `Completed` after `Complete`).
pub(super) fn restates_end(kind: ActionKind, reason: EndReason) -> bool {
    matches!(
        (kind, reason),
        (ActionKind::Complete, EndReason::Completed)
            | (ActionKind::Release, EndReason::Released)
            | (ActionKind::Cancel, EndReason::Cancelled)
            | (ActionKind::Disconnect, EndReason::Disconnected)
    )
}

/// Whether a platform `action` restates the current (live) state: it would lead to exactly the
/// state the interaction is in (MODEL.md section 3, "A platform fact that restates ..."). In
/// `wrap_up` the media has ended already: a platform `release`, or the owner's `disconnect`,
/// restates it.
fn restates(it: &Interaction, action: &Action) -> bool {
    match (&it.state, action) {
        (
            State::Connected { .. },
            Action::Accept | Action::Retrieve | Action::Answer { agent: None },
        )
        | (State::Held { .. }, Action::Hold)
        | (State::WrapUp { .. }, Action::Release)
        | (State::Queued, Action::Reject | Action::Revoke) => true,
        (
            State::Connected { owner },
            Action::Assign { agent }
            | Action::Transferred { agent }
            | Action::Pull { agent }
            | Action::Answer { agent: Some(agent) },
        )
        | (State::WrapUp { owner }, Action::Disconnect { agent }) => owner == agent,
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

fn wrong_actor(rule: Rule, actor: &Actor) -> Refusal {
    let who = match actor {
        Actor::Agent(_) => "an agent",
        Actor::Provider(_) => "a provider",
        Actor::Platform => "the platform",
    };
    let allowed: Vec<&str> = rule.actors.names().collect();
    Refusal::NotPermitted {
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
        State::WrapUp { owner } => format!("the interaction is in wrap-up by `{owner}`"),
        State::Ended { .. } => "the interaction has ended".to_owned(),
    }
}

fn check_actor(
    rule: Rule,
    it: &Interaction,
    action: &Action,
    actor: &Actor,
) -> Result<(), Refusal> {
    match actor {
        Actor::Platform if rule.actors.contains(Actors::PLATFORM) => Ok(()),
        Actor::Provider(named) if rule.actors.contains(Actors::PROVIDER) => match &it.provider {
            Some(expected) if named.as_ref() != Some(expected) => Err(Refusal::ProviderMismatch {
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
                Err(Refusal::NotOwner {
                    action: rule.action,
                    agent: agent.clone(),
                    holder: "an agent may only act for itself".to_owned(),
                })
            } else {
                Err(Refusal::NotOwner {
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
/// `answer` an agent (named, or the calling agent), a `disconnect` from an agent the state
/// does not name is a stale fact, and a user-data change must leave at most
/// [`crate::MAX_USER_DATA_BYTES`].
fn plan(it: &Interaction, action: &Action) -> Result<Plan, Refusal> {
    match action {
        Action::Accept if it.state.offered_to().is_none() => {
            Err(unexpected(ActionKind::Accept, &it.state))
        }
        Action::Hold | Action::Retrieve if it.state.owner().is_none() => {
            Err(unexpected(action.kind(), &it.state))
        }
        Action::Answer { agent: None } if it.state.owner().is_none() => Err(Refusal::AgentNeeded),
        Action::Disconnect { agent }
            if it.state.offered_to() != Some(agent) && it.state.owner() != Some(agent) =>
        {
            Ok(Plan::Ignore)
        }
        Action::UpdateUserData { user_data } => {
            it.user_data.check(user_data, true).map(Plan::UserData)
        }
        Action::AttachUserData { user_data } => {
            it.user_data.check(user_data, false).map(Plan::UserData)
        }
        Action::DeleteUserData { .. } => Ok(Plan::UserData(0)),
        Action::Dispatch { .. } | Action::Dial { .. } => Err(Refusal::InvalidTransition {
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

/// Moves an owned interaction to `wrap_up` (its media ended; the owner keeps the work), and
/// returns the state it left; `None` (nothing changed) when no agent owns it.
fn wrap_up(it: &mut Interaction) -> Option<State> {
    let owner = it.state.owner()?.clone();
    Some(mem::replace(&mut it.state, State::WrapUp { owner }))
}

fn change_user_data(it: &mut Interaction, action: Action, len: usize) {
    let change = match action {
        Action::UpdateUserData { user_data } => UserDataChange::Update(user_data),
        Action::AttachUserData { user_data } => UserDataChange::Attach(user_data),
        Action::DeleteUserData { keys } => UserDataChange::Delete(keys),
        _ => return,
    };
    it.user_data.change(change, len);
}

fn unexpected(action: ActionKind, state: &State) -> Refusal {
    Refusal::InvalidTransition {
        action,
        state: state.kind(),
        detail: ": the state names no agent to carry over",
    }
}

pub(super) fn notify_assign(id: &InteractionId, it: &Interaction, effects: &mut Vec<Effect>) {
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
    let released = kind == ActionKind::Release && matches!(it.state, State::WrapUp { .. });
    match &it.state {
        State::Connected { owner } if old_owner != Some(owner) => notify_assign(id, it, effects),
        // The provider hears of a release when the media ends, wrap-up or not.
        State::WrapUp { .. } if released && !matches!(actor, Actor::Provider(_)) => {
            if let Some(provider) = &it.provider {
                effects.push(Effect::Notify {
                    provider: provider.clone(),
                    interaction: id.clone(),
                    notification: Notification::Release,
                });
            }
        }
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
