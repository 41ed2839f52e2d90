//! Shared plumbing for the core test suites: id and actor helpers (every suite) and the
//! proptest strategies `model.rs` and `properties.rs` draw the same way.
//!
//! Only what is the same everywhere lives here. What differs between suites stays in the
//! suite, with a comment saying how: `model.rs` and `properties.rs` each keep their own
//! `value_s` (different numbers and sizes), action and actor weights, keys and settings.
#![allow(dead_code, clippy::unwrap_used)]

use interaction_core::{
    Action, ActionKind, Actor, AgentId, Callee, Caller, Direction, IdempotencyKey, Input,
    InteractionId, Media, Name, Permission, Permissions, ProviderName, UserData, Value,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Ids and actors
// ---------------------------------------------------------------------------------------------

/// The interaction id `s` (must be valid).
pub(crate) fn ix(s: &str) -> InteractionId {
    InteractionId::parse(s, "interaction").unwrap()
}

/// The agent id `s` (must be valid).
pub(crate) fn agent(s: &str) -> AgentId {
    AgentId::parse(s, "agent").unwrap()
}

/// The route, queue, workbin or number `s` (must be valid).
pub(crate) fn name(s: &str) -> Name {
    Name::parse(s, "name").unwrap()
}

/// The provider name `s` (must be valid).
pub(crate) fn provider_name(s: &str) -> ProviderName {
    ProviderName::parse(s, "provider").unwrap()
}

/// The unscoped idempotency key `s`, as a `requestid` (must be valid).
pub(crate) fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s, "requestid").unwrap()
}

/// The agent `s` as the actor.
pub(crate) fn by(s: &str) -> Actor {
    Actor::Agent(agent(s))
}

/// The provider `s` as the actor.
pub(crate) fn provider(s: &str) -> Actor {
    Actor::Provider(Some(provider_name(s)))
}

// ---------------------------------------------------------------------------------------------
// The random suites' world (model.rs, properties.rs)
// ---------------------------------------------------------------------------------------------

/// The interactions a random case acts on.
pub(crate) const IDS: [&str; 3] = ["i0", "i1", "i2"];
/// The agents a random case draws.
pub(crate) const AGENTS: [&str; 3] = ["a0", "a1", "a2"];
/// `p0` and `p1` are registered at the start; `ghost` is not (only a later drawn `Register`
/// naming it registers it).
pub(crate) const PROVIDERS: [&str; 3] = ["p0", "p1", "ghost"];
/// Routes, queues and workbins.
pub(crate) const NAMES: [&str; 2] = ["n0", "n1"];

/// `agentactionspermitted` as given: `release`, `hold`, `transferToAgent`, `transferToRoute`,
/// each 1 (`Some(true)`), 0 (`Some(false)`) or not specified.
pub(crate) type Rules = [Option<bool>; 4];

/// The provider permissions `rules` give: the defaults, with each specified rule applied.
pub(crate) fn permissions(rules: Rules) -> Permissions {
    Permission::ALL
        .into_iter()
        .zip(rules)
        .fold(
            Permissions::defaults(),
            |p, (permission, rule)| match rule {
                Some(allowed) => p.with(permission, allowed),
                None => p,
            },
        )
}

/// Whether two inputs are the same request (MODEL.md section 11): all but the key.
pub(crate) fn same_request(a: &Input, b: &Input) -> bool {
    a.interaction == b.interaction
        && a.action == b.action
        && a.actor == b.actor
        && a.first_sight == b.first_sight
        && a.api == b.api
}

/// An action of `kind` that `who` might take for itself: every agent argument is `who`, every
/// route, queue and workbin `n0`, a dial goes to the number `dial_to` (each suite passes the
/// number its own strategies draw).
pub(crate) fn probe(kind: ActionKind, who: &AgentId, dial_to: &str) -> Action {
    let n0 = || name(NAMES[0]);
    match kind {
        ActionKind::Dispatch => Action::Dispatch {
            route: n0(),
            media: Media::Live,
            direction: Direction::Inbound,
            user_data: UserData::new(),
        },
        ActionKind::Offer => Action::Offer { agent: who.clone() },
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject,
        ActionKind::Revoke => Action::Revoke,
        ActionKind::Assign => Action::Assign { agent: who.clone() },
        ActionKind::Hold => Action::Hold,
        ActionKind::Retrieve => Action::Retrieve,
        ActionKind::TransferToAgent => Action::TransferToAgent { agent: who.clone() },
        ActionKind::TransferToRoute => Action::TransferToRoute { route: n0() },
        ActionKind::Transferred => Action::Transferred { agent: who.clone() },
        ActionKind::PlaceInQueue => Action::PlaceInQueue { queue: n0() },
        ActionKind::PlaceInWorkbin => Action::PlaceInWorkbin { workbin: n0() },
        ActionKind::Pull => Action::Pull { agent: who.clone() },
        ActionKind::Dial => Action::Dial {
            from: Caller::Agent(who.clone()),
            to: Callee::Number(name(dial_to)),
            media: Media::Live,
        },
        ActionKind::Answer => Action::Answer {
            agent: Some(who.clone()),
        },
        ActionKind::Complete => Action::Complete,
        ActionKind::Cancel => Action::Cancel,
        ActionKind::Release => Action::Release,
        ActionKind::Disconnect => Action::Disconnect { agent: who.clone() },
        ActionKind::UpdateUserData => Action::UpdateUserData {
            user_data: [("k0".to_owned(), Value::Null)].into_iter().collect(),
        },
        ActionKind::AttachUserData => Action::AttachUserData {
            user_data: [("k0".to_owned(), Value::Null)].into_iter().collect(),
        },
        ActionKind::DeleteUserData => Action::DeleteUserData {
            keys: vec!["k0".to_owned()],
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// One of `items`, uniformly.
pub(crate) fn pick<T: Clone + std::fmt::Debug + 'static>(
    items: &'static [T],
) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// One of [`AGENTS`].
pub(crate) fn agent_s() -> impl Strategy<Value = AgentId> {
    pick(&AGENTS).prop_map(agent)
}

/// One of [`NAMES`].
pub(crate) fn name_s() -> impl Strategy<Value = Name> {
    pick(&NAMES).prop_map(name)
}

/// Any media.
pub(crate) fn media_s() -> impl Strategy<Value = Media> {
    pick(&[Media::Live, Media::Nonlive, Media::Chat])
}

/// Any direction.
pub(crate) fn direction_s() -> impl Strategy<Value = Direction> {
    pick(&[Direction::Inbound, Direction::Outbound])
}

/// User data of up to three keys `k0` .. `k2`, each value drawn from `values` (each suite
/// passes its own `value_s`: they draw different values on purpose).
pub(crate) fn user_data_s(values: impl Strategy<Value = Value>) -> impl Strategy<Value = UserData> {
    prop::collection::btree_map("k[0-2]", values, 0..3)
}

/// Any [`Rules`]: each of the four permissions 1, 0 or not specified.
pub(crate) fn rules_s() -> impl Strategy<Value = Rules> {
    prop::array::uniform4(proptest::option::of(any::<bool>()))
}
