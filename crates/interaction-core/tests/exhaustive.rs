//! The transition table, exhaustively: every state x every action x every kind of actor x the
//! provider permission that matters, applied to a real engine, snapshotted as one table
//! (`snapshots/exhaustive__transition_table.snap`, one line per case).
//!
//! How each case is built:
//! * **State**: interaction `ix` is brought into the state by ordinary inputs, with `alice` as
//!   the holder: `queued` (dispatched to `Route Sales`), `offered` to alice, `connected` and
//!   `held` by alice, `dialing` from alice, `in_workbin` `Later` (placed there by alice),
//!   `ended` (completed by alice). `(new)` is an id the engine has never seen. Interactions are
//!   outbound, so that `cancel`'s row shows; an inbound `cancel` is `invalid_transition`
//!   (asserted below).
//! * **Permission**: `permits` / `forbids`: dispatched (or dialed) by provider `crm`, whose
//!   `agentactionspermitted` sets all four permissions to 1 / to 0; `provider`: by `crm` with the
//!   defaults (for the actions that need no permission); `no provider`: by the platform (an agent
//!   dials it itself). For `(new)` it is `-`: only the actor decides.
//! * **Actor**: `alice` (the holder: owner, offered agent, calling agent or last owner), `bob`
//!   (another agent), the interaction's own provider (`crm`, or an unnamed provider when it has
//!   none), another registered provider (`other`), the platform.
//! * **Arguments**: `offer`, `assign`, `transfer_to_agent` and `transferred` name `bob`; `pull`
//!   and `disconnect` name the acting agent (alice when the actor is not an agent); `answer`
//!   names nobody (the calling agent); `dial` is from alice; routes, queues and workbins are new
//!   names except `place_in_workbin`'s `Later`; user data starts as `{"k": "old"}` and the
//!   user-data actions carry `{"k": "new"}` (delete: key `k`).
//!
//! Each line: state, action, actor, permission, then `applied -> state (reason) [effects]`,
//! `ignored`, or the refusal's error kind. `, unchanged` marks an applied input after which the
//! engine is `==` to before (a platform fact restating the state, attaching a key already
//! there). A refusal is also checked to leave the engine `==` to before and to emit nothing.
//!
//! The table was reviewed row by row against MODEL.md sections 3 and 4 and the choices in
//! docs/ARCHITECTURE.md before it was accepted. To regenerate after an intended change:
//! `cargo test -p interaction-core --test exhaustive`, review the `.snap.new`, then move it over
//! the `.snap` (CI refuses pending snapshots).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use interaction_core::{
    Action, ActionKind, Actor, Callee, Caller, Direction, Effect, Engine, Input, Media,
    Notification, Outcome, Permission, Permissions, ProviderSettings, StateKind, UserData, Value,
};

mod common;

use common::{agent, ix, name, provider_name};

const ID: &str = "ix";
const HOLDER: &str = "alice";
const OTHER_AGENT: &str = "bob";
const PROVIDER: &str = "crm";
const OTHER_PROVIDER: &str = "other";

/// The state column: a state kind, or an id never seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    New,
    In(StateKind),
}

impl Start {
    fn label(self) -> &'static str {
        match self {
            Start::New => "(new)",
            Start::In(kind) => kind.name(),
        }
    }
}

/// The permission column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Perm {
    /// Provider `crm`, every permission set to 1.
    Permits,
    /// Provider `crm`, every permission set to 0.
    Forbids,
    /// Provider `crm` with its defaults (the action needs no permission).
    Provider,
    /// No provider.
    NoProvider,
}

impl Perm {
    fn label(self) -> &'static str {
        match self {
            Perm::Permits => "permits",
            Perm::Forbids => "forbids",
            Perm::Provider => "provider",
            Perm::NoProvider => "no provider",
        }
    }

    /// The columns that matter for `kind`: the permission bit when it needs one.
    fn for_action(kind: ActionKind) -> &'static [Perm] {
        match kind {
            ActionKind::Hold
            | ActionKind::Retrieve
            | ActionKind::TransferToAgent
            | ActionKind::TransferToRoute
            | ActionKind::Release => &[Perm::Permits, Perm::Forbids, Perm::NoProvider],
            _ => &[Perm::Provider, Perm::NoProvider],
        }
    }

    fn has_provider(self) -> bool {
        self != Perm::NoProvider
    }
}

/// The actor column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Holder,
    OtherAgent,
    OwnProvider,
    OtherProvider,
    Platform,
}

impl Who {
    const ALL: [Who; 5] = [
        Who::Holder,
        Who::OtherAgent,
        Who::OwnProvider,
        Who::OtherProvider,
        Who::Platform,
    ];

    fn actor(self, perm: Perm) -> Actor {
        match self {
            Who::Holder => Actor::Agent(agent(HOLDER)),
            Who::OtherAgent => Actor::Agent(agent(OTHER_AGENT)),
            Who::OwnProvider if perm.has_provider() => {
                Actor::Provider(Some(provider_name(PROVIDER)))
            }
            Who::OwnProvider => Actor::Provider(None),
            Who::OtherProvider => Actor::Provider(Some(provider_name(OTHER_PROVIDER))),
            Who::Platform => Actor::Platform,
        }
    }

    fn label(self, perm: Perm) -> &'static str {
        match self {
            Who::Holder => "alice",
            Who::OtherAgent => "bob",
            Who::OwnProvider if perm.has_provider() => "provider crm",
            Who::OwnProvider => "provider (unnamed)",
            Who::OtherProvider => "provider other",
            Who::Platform => "platform",
        }
    }
}

/// An engine with `crm` (per `perm`) and `other` registered, and [`ID`] in `start`.
fn engine_in(start: Start, perm: Perm) -> Engine {
    let rules = |allowed: bool| {
        Permission::ALL
            .into_iter()
            .fold(Permissions::defaults(), |p, permission| {
                p.with(permission, allowed)
            })
    };
    let permissions = match perm {
        Perm::Permits => rules(true),
        Perm::Forbids => rules(false),
        Perm::Provider | Perm::NoProvider => Permissions::defaults(),
    };
    let mut engine = Engine::new();
    for (p, permissions) in [
        (PROVIDER, permissions),
        (OTHER_PROVIDER, Permissions::defaults()),
    ] {
        engine
            .register_provider(
                provider_name(p),
                ProviderSettings {
                    permissions,
                    ..ProviderSettings::default()
                },
            )
            .unwrap();
    }
    let Start::In(kind) = start else {
        return engine;
    };
    let creator = if perm.has_provider() {
        Actor::Provider(Some(provider_name(PROVIDER)))
    } else {
        Actor::Platform
    };
    let dispatch = Action::Dispatch {
        route: name("Route Sales"),
        media: Media::Live,
        direction: Direction::Outbound,
        user_data: data("old"),
    };
    let holder = || agent(HOLDER);
    let mut steps = match kind {
        StateKind::Dialing => {
            let dialer = if perm.has_provider() {
                creator
            } else {
                Actor::Agent(holder())
            };
            vec![(dial(), dialer)]
        }
        _ => vec![(dispatch, creator)],
    };
    let connect = (Action::Assign { agent: holder() }, Actor::Platform);
    steps.extend(match kind {
        StateKind::Queued | StateKind::Dialing => vec![],
        StateKind::Offered => vec![(Action::Offer { agent: holder() }, Actor::Platform)],
        StateKind::Connected => vec![connect],
        StateKind::Held => vec![connect, (Action::Hold, Actor::Platform)],
        StateKind::InWorkbin => vec![
            connect,
            (
                Action::PlaceInWorkbin {
                    workbin: name("Later"),
                },
                Actor::Platform,
            ),
        ],
        StateKind::WrapUp => vec![connect, (Action::Release, Actor::Platform)],
        StateKind::Ended => vec![connect, (Action::Complete, Actor::Platform)],
    });
    for (action, actor) in steps {
        let shown = format!("{action:?} by {actor:?}");
        // The release into wrap-up says it needs after-call work.
        let input = Input::new(ix(ID), action, actor).with_wrap_up(kind == StateKind::WrapUp);
        engine
            .apply(input, &mut Vec::new())
            .unwrap_or_else(|e| panic!("setting up {kind}: {shown}: {e}"));
    }
    assert_eq!(engine.interaction(ID).unwrap().state().kind(), kind);
    engine
}

/// User data `{"k": value}`.
fn data(value: &str) -> UserData {
    [("k".to_owned(), Value::String(value.to_owned()))].into()
}

fn dial() -> Action {
    Action::Dial {
        from: Caller::Agent(agent(HOLDER)),
        to: Callee::Number(name("+442071234567")),
        media: Media::Live,
    }
}

/// The action of `kind` with this table's arguments; `actor` names itself where it may.
fn action(kind: ActionKind, actor: &Actor) -> Action {
    let itself = actor.agent().cloned().unwrap_or_else(|| agent(HOLDER));
    let bob = || agent(OTHER_AGENT);
    let data = || data("new");
    match kind {
        ActionKind::Dispatch => Action::Dispatch {
            route: name("Route Sales"),
            media: Media::Live,
            direction: Direction::Outbound,
            user_data: UserData::new(),
        },
        ActionKind::Offer => Action::Offer { agent: bob() },
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject,
        ActionKind::Revoke => Action::Revoke,
        ActionKind::Assign => Action::Assign { agent: bob() },
        ActionKind::Hold => Action::Hold,
        ActionKind::Retrieve => Action::Retrieve,
        ActionKind::TransferToAgent => Action::TransferToAgent { agent: bob() },
        ActionKind::TransferToRoute => Action::TransferToRoute {
            route: name("Route Support"),
        },
        ActionKind::Transferred => Action::Transferred { agent: bob() },
        ActionKind::PlaceInQueue => Action::PlaceInQueue {
            queue: name("Queue Q"),
        },
        ActionKind::PlaceInWorkbin => Action::PlaceInWorkbin {
            workbin: name("Later"),
        },
        ActionKind::Pull => Action::Pull { agent: itself },
        ActionKind::Dial => dial(),
        ActionKind::Answer => Action::Answer { agent: None },
        ActionKind::Complete => Action::Complete,
        ActionKind::Cancel => Action::Cancel,
        ActionKind::Release => Action::Release,
        ActionKind::Disconnect => Action::Disconnect { agent: itself },
        ActionKind::UpdateUserData => Action::UpdateUserData { user_data: data() },
        ActionKind::AttachUserData => Action::AttachUserData { user_data: data() },
        ActionKind::DeleteUserData => Action::DeleteUserData {
            keys: vec!["k".to_owned()],
        },
    }
}

/// One case of the table.
struct Row {
    start: Start,
    action: ActionKind,
    who: Who,
    perm: Perm,
    /// `applied -> queued [redistribute]`, `ignored`, `not_owner`, ...
    result: String,
}

fn describe(effect: &Effect) -> String {
    match effect {
        Effect::Notify { notification, .. } => match notification {
            Notification::AssignToAgent { agent } => format!("notify AssignToAgent {agent}"),
            Notification::Release => "notify Release".to_owned(),
        },
        Effect::Transferred { from, to, .. } => match from {
            Some(from) => format!("transferred {from} -> {to}"),
            None => format!("transferred -> {to}"),
        },
        Effect::Redistribute { target, .. } => match target {
            Some(t) => format!("redistribute to {}", t.name()),
            None => "redistribute".to_owned(),
        },
    }
}

fn run(start: Start, kind: ActionKind, who: Who, perm: Perm) -> Row {
    let mut engine = engine_in(start, perm);
    let before = engine.clone();
    let actor = who.actor(perm);
    let input = Input::new(ix(ID), action(kind, &actor), actor);
    let mut effects = Vec::new();
    let result = match engine.apply(input, &mut effects) {
        Err(err) => {
            assert_eq!(engine, before, "a refusal changed the engine");
            assert!(effects.is_empty(), "a refusal emitted {effects:?}");
            err.kind().name().to_owned()
        }
        Ok(step) if step.outcome == Outcome::Ignored => {
            assert_eq!(engine, before);
            "ignored".to_owned()
        }
        Ok(step) => {
            assert_eq!(step.outcome, Outcome::Applied, "{step:?}");
            let mut text = format!("applied -> {}", step.to.unwrap().name());
            if let Some(reason) = step.reason {
                write!(text, " ({reason})").unwrap();
            }
            if step.from == step.to && engine == before {
                text.push_str(", unchanged");
            }
            if !effects.is_empty() {
                let shown: Vec<String> = effects.iter().map(describe).collect();
                write!(text, " [{}]", shown.join(", ")).unwrap();
            }
            text
        }
    };
    Row {
        start,
        action: kind,
        who,
        perm,
        result,
    }
}

fn table() -> Vec<Row> {
    let starts = std::iter::once(Start::New).chain(StateKind::ALL.into_iter().map(Start::In));
    let mut rows = Vec::new();
    for start in starts {
        for kind in ActionKind::ALL {
            for who in Who::ALL {
                // Before an interaction exists no provider rule applies; the column only says
                // whether "its own provider" is `crm` or an unnamed one.
                let perms: &[Perm] = match (start, who) {
                    (Start::New, Who::OwnProvider) => &[Perm::Provider, Perm::NoProvider],
                    (Start::New, _) => &[Perm::Provider],
                    _ => Perm::for_action(kind),
                };
                for perm in perms {
                    rows.push(run(start, kind, who, *perm));
                }
            }
        }
    }
    rows
}

fn render(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<10} {:<17} {:<18} {:<11} result\n",
        "state", "action", "actor", "permission"
    );
    for row in rows {
        writeln!(
            out,
            "{:<10} {:<17} {:<18} {:<11} {}",
            row.start.label(),
            row.action.name(),
            row.who.label(row.perm),
            if row.start == Start::New {
                "-"
            } else {
                row.perm.label()
            },
            row.result
        )
        .unwrap();
    }
    out
}

/// Rows asserted one by one as well: (state, action, actor, permission, result).
#[rustfmt::skip]
const KEY_ROWS: [(Start, ActionKind, Who, Perm, &str); 31] = {
    use ActionKind as A;
    use Perm::{Forbids, NoProvider, Permits, Provider};
    use StateKind as S;
    use Who::{Holder, OtherAgent, OtherProvider, OwnProvider, Platform};
    const fn s(kind: StateKind) -> Start {
        Start::In(kind)
    }
    [
        // Section 3: who may take what, from where, to where.
        (Start::New, A::Dispatch, OwnProvider, Provider, "applied -> queued"),
        (Start::New, A::Dispatch, Holder, Provider, "not_permitted"),
        (Start::New, A::Hold, Platform, Provider, "unknown_interaction"),
        (s(S::Offered), A::Accept, Holder, Provider, "applied -> connected [notify AssignToAgent alice]"),
        (s(S::Offered), A::Accept, OtherAgent, Provider, "not_owner"),
        (s(S::Offered), A::Reject, Holder, NoProvider, "applied -> queued [redistribute to Route Sales]"),
        (s(S::Connected), A::Transferred, Platform, Provider, "applied -> connected [transferred alice -> bob, notify AssignToAgent bob]"),
        (s(S::Connected), A::Disconnect, Platform, NoProvider, "applied -> ended (disconnected)"),
        (s(S::Offered), A::Disconnect, Platform, NoProvider, "applied -> queued [redistribute to Route Sales]"),
        (s(S::InWorkbin), A::Pull, OtherAgent, Provider, "applied -> connected [notify AssignToAgent bob]"),
        (s(S::Dialing), A::Answer, Platform, NoProvider, "applied -> connected"),
        (s(S::Held), A::Cancel, Holder, NoProvider, "applied -> ended (cancelled)"),
        (s(S::Queued), A::Hold, Platform, NoProvider, "invalid_transition"),
        // Section 4: the provider's rules bind agents only; another agent is never the owner.
        (s(S::Connected), A::Hold, Holder, Permits, "applied -> held"),
        (s(S::Connected), A::Hold, Holder, Forbids, "not_permitted"),
        (s(S::Connected), A::Hold, Holder, NoProvider, "applied -> held"),
        (s(S::Connected), A::Hold, Platform, Forbids, "applied -> held"),
        (s(S::Held), A::Retrieve, Holder, Permits, "applied -> connected"),
        (s(S::Connected), A::Release, Holder, Forbids, "not_permitted"),
        (s(S::Connected), A::Release, OwnProvider, Forbids, "applied -> ended (released)"),
        (s(S::Connected), A::Release, Platform, Permits, "applied -> ended (released) [notify Release]"),
        (s(S::Connected), A::Release, OtherProvider, Permits, "provider_mismatch"),
        (s(S::Connected), A::TransferToAgent, OtherAgent, Permits, "not_owner"),
        // Section 3 and docs/ARCHITECTURE.md: restated facts.
        (s(S::Connected), A::Accept, Platform, Provider, "applied -> connected, unchanged"),
        (s(S::Ended), A::Complete, Platform, Provider, "applied -> ended (completed), unchanged"),
        // Section 10: after-call work; the media has ended, the owner completes the work.
        (s(S::WrapUp), A::Complete, Holder, Provider, "applied -> ended (completed)"),
        (s(S::WrapUp), A::UpdateUserData, Holder, Provider, "applied -> wrap_up"),
        (s(S::WrapUp), A::Release, Platform, Permits, "applied -> wrap_up, unchanged"),
        (s(S::WrapUp), A::Release, Holder, Permits, "invalid_transition"),
        (s(S::WrapUp), A::Hold, Holder, Permits, "invalid_transition"),
        (s(S::WrapUp), A::Complete, OtherAgent, Provider, "not_owner"),
    ]
};

#[test]
fn transition_table() {
    let rows = table();
    // 8 states x 5 actors x (5 actions with a permission x 3 + 18 x 2), and "(new)": 23
    // actions x 6 actors.
    assert_eq!(rows.len(), 8 * 5 * (5 * 3 + 18 * 2) + 23 * 6);

    for (start, action, who, perm, expected) in KEY_ROWS {
        let row = rows
            .iter()
            .find(|r| r.start == start && r.action == action && r.who == who && r.perm == perm)
            .unwrap();
        assert_eq!(
            row.result, expected,
            "{start:?} {action} by {who:?} ({perm:?})"
        );
    }
    // Ended is absorbing: everything but the platform restating the end is refused.
    for row in rows
        .iter()
        .filter(|r| r.start == Start::In(StateKind::Ended))
    {
        if !(row.action == ActionKind::Complete && row.who == Who::Platform) {
            assert_eq!(
                row.result, "already_ended",
                "{} by {:?}",
                row.action, row.who
            );
        }
    }

    insta::assert_snapshot!("transition_table", render(&rows));
}

/// The cases the table's fixed arguments leave out.
#[test]
fn cases_the_table_leaves_out() {
    let mut effects = Vec::new();
    // An inbound interaction may not be cancelled.
    let mut engine = Engine::new();
    let dispatch = Action::Dispatch {
        route: name("Route Sales"),
        media: Media::Live,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    };
    for (action, actor) in [
        (dispatch, Actor::Platform),
        (
            Action::Assign {
                agent: agent(HOLDER),
            },
            Actor::Platform,
        ),
    ] {
        engine
            .apply(Input::new(ix(ID), action, actor), &mut effects)
            .unwrap();
    }
    for actor in [Actor::Agent(agent(HOLDER)), Actor::Platform] {
        let err = engine
            .apply(Input::new(ix(ID), Action::Cancel, actor), &mut effects)
            .unwrap_err();
        assert_eq!(err.kind().name(), "invalid_transition");
    }
    assert!(!engine.allowed(ID, HOLDER).contains(ActionKind::Cancel));

    // Another agent's leg disconnecting is stale: ignored, nothing changes.
    let before = engine.clone();
    let stale = Action::Disconnect {
        agent: agent(OTHER_AGENT),
    };
    let step = engine
        .apply(Input::new(ix(ID), stale, Actor::Platform), &mut effects)
        .unwrap();
    assert_eq!(step.outcome, Outcome::Ignored);
    assert_eq!(engine, before);

    // Pulling for someone else is not an agent's to do.
    let mut engine = engine_in(Start::In(StateKind::InWorkbin), Perm::NoProvider);
    let pull = Action::Pull {
        agent: agent(HOLDER),
    };
    let err = engine
        .apply(
            Input::new(ix(ID), pull, Actor::Agent(agent(OTHER_AGENT))),
            &mut effects,
        )
        .unwrap_err();
    assert_eq!(err.kind().name(), "not_owner");
    assert!(effects.is_empty());
}
