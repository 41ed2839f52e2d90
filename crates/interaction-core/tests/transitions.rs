//! The transition table (MODEL.md section 3) row by row, and every refusal of section 5.
//!
//! Each test is a short scenario on one interaction. [`World`] does the plumbing: it builds an
//! engine with the interaction in the state a test starts from (with or without a provider and
//! its permission set), applies inputs, and for a refusal checks the two promises every refusal
//! makes: the engine is exactly as it was (`==` to a clone taken before), and the caller's effects
//! buffer is untouched.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use interaction_core::{
    Action, ActionKind, Actor, Callee, Caller, Direction, Effect, EndReason, Engine,
    EngineSettings, Error, ErrorKind, Input, Interaction, Media, Notification, Number, Outcome,
    Permission, Permissions, Presence, ProviderSettings, State, StateKind, Step, Target, UserData,
    Value,
};

mod common;

use common::{agent, by, ix, key, name, provider, provider_name};

const ID: &str = "ix-1";
const PROVIDER: &str = "crm";
const ROUTE: &str = "Route Sales";
const WORKBIN: &str = "Later";
const ALICE: &str = "alice";
const BOB: &str = "bob";
const CAROL: &str = "carol";

// ---------------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------------

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn data(pairs: &[(&str, Value)]) -> UserData {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn dispatch(route: &str) -> Action {
    Action::Dispatch {
        route: name(route),
        media: Media::Chat,
        direction: Direction::Inbound,
        user_data: UserData::new(),
    }
}

fn dial_from(caller: Caller) -> Action {
    Action::Dial {
        from: caller,
        to: Callee::Number(name("+31201234567")),
        media: Media::Live,
    }
}

fn assign_to_agent(interaction: &str, to: &str) -> Effect {
    Effect::Notify {
        provider: provider_name(PROVIDER),
        interaction: ix(interaction),
        notification: Notification::AssignToAgent { agent: agent(to) },
    }
}

fn release_notification() -> Effect {
    Effect::Notify {
        provider: provider_name(PROVIDER),
        interaction: ix(ID),
        notification: Notification::Release,
    }
}

fn redistribute(target: Option<Target>) -> Effect {
    Effect::Redistribute {
        interaction: ix(ID),
        target,
    }
}

fn route_target() -> Target {
    Target::Route(name(ROUTE))
}

/// Builds a world with [`ID`] in the state a test starts from.
type Start = fn(World) -> World;

/// An action of each kind with plausible arguments, for the tests that try every kind.
fn sample(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Dispatch => dispatch(ROUTE),
        ActionKind::Offer => Action::Offer { agent: agent(BOB) },
        ActionKind::Accept => Action::Accept,
        ActionKind::Reject => Action::Reject,
        ActionKind::Revoke => Action::Revoke,
        ActionKind::Assign => Action::Assign { agent: agent(BOB) },
        ActionKind::Hold => Action::Hold,
        ActionKind::Retrieve => Action::Retrieve,
        ActionKind::TransferToAgent => Action::TransferToAgent { agent: agent(BOB) },
        ActionKind::TransferToRoute => Action::TransferToRoute {
            route: name("Route Support"),
        },
        ActionKind::Transferred => Action::Transferred { agent: agent(BOB) },
        ActionKind::PlaceInQueue => Action::PlaceInQueue { queue: name("q") },
        ActionKind::PlaceInWorkbin => Action::PlaceInWorkbin {
            workbin: name(WORKBIN),
        },
        ActionKind::Pull => Action::Pull {
            agent: agent(ALICE),
        },
        ActionKind::Dial => dial_from(Caller::Agent(agent(ALICE))),
        ActionKind::Answer => Action::Answer { agent: None },
        ActionKind::Complete => Action::Complete,
        ActionKind::Cancel => Action::Cancel,
        ActionKind::Release => Action::Release,
        ActionKind::Disconnect => Action::Disconnect {
            agent: agent(ALICE),
        },
        ActionKind::UpdateUserData => Action::UpdateUserData {
            user_data: data(&[("k", text("v"))]),
        },
        ActionKind::AttachUserData => Action::AttachUserData {
            user_data: data(&[("k", text("v"))]),
        },
        ActionKind::DeleteUserData => Action::DeleteUserData {
            keys: vec!["k".to_owned()],
        },
    }
}

/// Asserts an applied move from `from` to `to`.
#[track_caller]
fn assert_moved(step: &Step, from: Option<StateKind>, to: StateKind) {
    assert_eq!(step.outcome, Outcome::Applied, "{step:?}");
    assert_eq!(step.from, from, "{step:?}");
    assert_eq!(step.to, Some(to), "{step:?}");
}

/// An engine with (usually) interaction [`ID`] in some state, and the caller's effects buffer.
struct World {
    engine: Engine,
    /// The effects of the last [`World::apply`] (cleared before each).
    effects: Vec<Effect>,
    /// Whether [`ID`] is dispatched by (and dialed by) provider [`PROVIDER`].
    with_provider: bool,
    direction: Direction,
}

impl World {
    /// An engine with no provider registered; interactions are dispatched by the platform.
    fn plain() -> World {
        World {
            engine: Engine::new(),
            effects: Vec::new(),
            with_provider: false,
            direction: Direction::Inbound,
        }
    }

    /// An engine with provider [`PROVIDER`] registered with `permissions`; interactions are
    /// dispatched (and dialed) by it.
    fn provided(permissions: Permissions) -> World {
        let mut world = World::plain();
        world
            .engine
            .register_provider(
                provider_name(PROVIDER),
                ProviderSettings {
                    permissions,
                    ..ProviderSettings::default()
                },
            )
            .unwrap();
        world.with_provider = true;
        world
    }

    /// Dispatch [`ID`] as an outbound interaction.
    fn outbound(mut self) -> World {
        self.direction = Direction::Outbound;
        self
    }

    /// Who dispatches: the provider, or the platform.
    fn dispatcher(&self) -> Actor {
        if self.with_provider {
            provider(PROVIDER)
        } else {
            Actor::Platform
        }
    }

    fn setup(mut self, action: Action, actor: Actor) -> World {
        self.ok(action, actor);
        self.effects.clear();
        self
    }

    /// [`ID`] queued at [`ROUTE`].
    fn queued(self) -> World {
        let dispatch = Action::Dispatch {
            route: name(ROUTE),
            media: Media::Chat,
            direction: self.direction,
            user_data: UserData::new(),
        };
        let actor = self.dispatcher();
        self.setup(dispatch, actor)
    }

    /// [`ID`] offered to `to`.
    fn offered(self, to: &str) -> World {
        self.queued()
            .setup(Action::Offer { agent: agent(to) }, Actor::Platform)
    }

    /// [`ID`] connected to `owner`.
    fn connected(self, owner: &str) -> World {
        self.queued().setup(
            Action::Assign {
                agent: agent(owner),
            },
            Actor::Platform,
        )
    }

    /// [`ID`] held by `owner`.
    fn held(self, owner: &str) -> World {
        self.connected(owner).setup(Action::Hold, Actor::Platform)
    }

    /// [`ID`] in workbin [`WORKBIN`], placed there by `owner`.
    fn in_workbin(self, owner: &str) -> World {
        self.connected(owner).setup(
            Action::PlaceInWorkbin {
                workbin: name(WORKBIN),
            },
            Actor::Platform,
        )
    }

    /// [`ID`] dialing from agent `caller` (dialed by the provider if there is one, else by the
    /// agent itself).
    fn dialing(self, caller: &str) -> World {
        let actor = if self.with_provider {
            provider(PROVIDER)
        } else {
            by(caller)
        };
        self.setup(dial_from(Caller::Agent(agent(caller))), actor)
    }

    /// [`ID`] ended with `reason` (after being connected to [`ALICE`]).
    fn ended(self, reason: EndReason) -> World {
        let (world, action) = match reason {
            EndReason::Completed => (self.connected(ALICE), Action::Complete),
            EndReason::Released => (self.connected(ALICE), Action::Release),
            EndReason::Cancelled => (self.outbound().connected(ALICE), Action::Cancel),
            EndReason::Disconnected => (
                self.connected(ALICE),
                Action::Disconnect {
                    agent: agent(ALICE),
                },
            ),
        };
        world.setup(action, Actor::Platform)
    }

    /// Applies `action` by `actor` on [`ID`]; `self.effects` holds only this input's effects.
    fn apply(&mut self, action: Action, actor: Actor) -> Result<Step, Error> {
        self.input(Input::new(ix(ID), action, actor))
    }

    fn input(&mut self, input: Input) -> Result<Step, Error> {
        self.effects.clear();
        self.engine
            .apply(input, &mut self.effects)
            .map_err(interaction_core::Error::from)
    }

    /// Applies and expects it to be accepted.
    #[track_caller]
    fn ok(&mut self, action: Action, actor: Actor) -> Step {
        let shown = format!("{action:?} by {actor:?}");
        self.apply(action, actor)
            .unwrap_or_else(|e| panic!("{shown} was refused: {e}"))
    }

    /// Applies and expects a refusal that changes nothing; returns the error's kind.
    #[track_caller]
    fn refuse(&mut self, action: Action, actor: Actor) -> ErrorKind {
        self.refuse_input(Input::new(ix(ID), action, actor))
    }

    /// As [`World::refuse`], for a whole input (key, first sight, another id).
    #[track_caller]
    fn refuse_input(&mut self, input: Input) -> ErrorKind {
        let before = self.engine.clone();
        // A buffer that already holds an earlier effect: a refusal must neither add to it nor
        // clear it.
        let buffer = vec![redistribute(None)];
        let mut effects = buffer.clone();
        let shown = format!("{input:?}");
        let err = match self.engine.apply(input, &mut effects) {
            Ok(step) => panic!("{shown} was accepted: {step:?}"),
            Err(err) => err,
        };
        assert_eq!(self.engine, before, "refused {shown} changed the engine");
        assert_eq!(effects, buffer, "refused {shown} touched the effects");
        assert!(!err.to_string().is_empty());
        err.kind()
    }

    fn interaction(&self) -> &Interaction {
        self.engine
            .interaction(ID)
            .expect("the interaction is held")
    }

    fn state(&self) -> &State {
        self.interaction().state()
    }

    fn allowed(&self, who: &str) -> Vec<ActionKind> {
        self.engine.allowed(ID, who).iter().collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Section 3: one test per row of the table
// ---------------------------------------------------------------------------------------------

#[test]
fn dispatch_creates_the_interaction_queued_at_its_route() {
    let mut w = World::plain();
    let step = w.ok(
        Action::Dispatch {
            route: name(ROUTE),
            media: Media::Nonlive,
            direction: Direction::Inbound,
            user_data: data(&[("customer", text("42"))]),
        },
        Actor::Platform,
    );
    assert_moved(&step, None, StateKind::Queued);
    assert_eq!(step.reason, None);
    let it = w.interaction();
    assert_eq!(it.state(), &State::Queued);
    assert_eq!(it.target(), Some(&route_target()));
    assert_eq!(it.media(), Media::Nonlive);
    assert_eq!(it.direction(), Direction::Inbound);
    assert_eq!(it.provider(), None);
    assert_eq!(it.user_data(), &data(&[("customer", text("42"))]));
    assert!(w.effects.is_empty());
}

#[test]
fn dispatch_by_a_provider_records_the_provider() {
    let mut w = World::provided(Permissions::defaults());
    assert_moved(
        &w.ok(dispatch(ROUTE), provider(PROVIDER)),
        None,
        StateKind::Queued,
    );
    assert_eq!(w.interaction().provider(), Some(&provider_name(PROVIDER)));

    // An Invoke that names no provider dispatches an interaction without one.
    let mut w = World::plain();
    w.ok(dispatch(ROUTE), Actor::Provider(None));
    assert_eq!(w.interaction().provider(), None);
}

#[test]
fn offer_presents_a_queued_interaction_and_the_hunt_may_move_on() {
    let mut w = World::plain().queued();
    let step = w.ok(
        Action::Offer {
            agent: agent(ALICE),
        },
        Actor::Platform,
    );
    assert_moved(&step, Some(StateKind::Queued), StateKind::Offered);
    assert_eq!(
        w.state(),
        &State::Offered {
            agent: agent(ALICE)
        }
    );

    // The hunt moved on: offered to another agent, from offered.
    let step = w.ok(Action::Offer { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Offered), StateKind::Offered);
    assert_eq!(w.state(), &State::Offered { agent: agent(BOB) });
    assert_eq!(w.interaction().target(), Some(&route_target()));
    assert!(w.effects.is_empty());
}

#[test]
fn accept_by_the_offered_agent_connects_it() {
    let mut w = World::plain().offered(ALICE);
    let step = w.ok(Action::Accept, by(ALICE));
    assert_moved(&step, Some(StateKind::Offered), StateKind::Connected);
    assert_eq!(
        w.state(),
        &State::Connected {
            owner: agent(ALICE)
        }
    );
    assert!(w.effects.is_empty(), "no provider, no notification");
}

#[test]
fn accept_as_a_platform_fact_connects_the_offered_agent_and_notifies_the_provider() {
    let mut w = World::provided(Permissions::defaults()).offered(ALICE);
    let step = w.ok(Action::Accept, Actor::Platform);
    assert_moved(&step, Some(StateKind::Offered), StateKind::Connected);
    assert_eq!(
        w.state(),
        &State::Connected {
            owner: agent(ALICE)
        }
    );
    assert_eq!(w.effects, [assign_to_agent(ID, ALICE)]);
}

#[test]
fn reject_by_the_offered_agent_requeues_at_the_same_target_and_redistributes() {
    for actor in [by(ALICE), Actor::Platform] {
        let mut w = World::plain().offered(ALICE);
        let step = w.ok(Action::Reject, actor);
        assert_moved(&step, Some(StateKind::Offered), StateKind::Queued);
        assert_eq!(w.state(), &State::Queued);
        assert_eq!(w.interaction().target(), Some(&route_target()));
        assert_eq!(w.effects, [redistribute(Some(route_target()))]);
    }
}

#[test]
fn revoke_by_the_platform_requeues_and_redistributes() {
    let mut w = World::plain().offered(ALICE);
    let step = w.ok(Action::Revoke, Actor::Platform);
    assert_moved(&step, Some(StateKind::Offered), StateKind::Queued);
    assert_eq!(w.interaction().target(), Some(&route_target()));
    assert_eq!(w.effects, [redistribute(Some(route_target()))]);
}

#[test]
fn assign_connects_a_queued_or_offered_interaction_to_the_named_agent() {
    let mut w = World::plain().queued();
    let step = w.ok(Action::Assign { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Queued), StateKind::Connected);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });

    let mut w = World::provided(Permissions::defaults()).offered(ALICE);
    let step = w.ok(Action::Assign { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Offered), StateKind::Connected);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });
    assert_eq!(w.effects, [assign_to_agent(ID, BOB)]);
}

#[test]
fn hold_by_the_owner_or_the_platform() {
    let mut w = World::plain().connected(ALICE);
    let step = w.ok(Action::Hold, by(ALICE));
    assert_moved(&step, Some(StateKind::Connected), StateKind::Held);
    assert_eq!(
        w.state(),
        &State::Held {
            owner: agent(ALICE)
        }
    );
    assert!(w.effects.is_empty());

    // The provider's rules bind agents only: the platform reports a hold whatever they say.
    let mut w = World::provided(Permissions::defaults()).connected(ALICE);
    let step = w.ok(Action::Hold, Actor::Platform);
    assert_moved(&step, Some(StateKind::Connected), StateKind::Held);
}

#[test]
fn retrieve_by_the_owner_reconnects_without_a_new_assignment() {
    let perms = Permissions::defaults().with(Permission::Hold, true);
    let mut w = World::provided(perms).held(ALICE);
    let step = w.ok(Action::Retrieve, by(ALICE));
    assert_moved(&step, Some(StateKind::Held), StateKind::Connected);
    assert_eq!(
        w.state(),
        &State::Connected {
            owner: agent(ALICE)
        }
    );
    assert!(w.effects.is_empty(), "same owner: no AssignToAgent");

    let mut w = World::plain().held(ALICE);
    let step = w.ok(Action::Retrieve, Actor::Platform);
    assert_moved(&step, Some(StateKind::Held), StateKind::Connected);
}

#[test]
fn transfer_to_agent_offers_a_connected_or_held_interaction_to_the_destination() {
    let perms = Permissions::defaults().with(Permission::TransferToAgent, true);
    for start in [StateKind::Connected, StateKind::Held] {
        let w = World::provided(perms);
        let mut w = if start == StateKind::Held {
            w.held(ALICE)
        } else {
            w.connected(ALICE)
        };
        let step = w.ok(Action::TransferToAgent { agent: agent(BOB) }, by(ALICE));
        assert_moved(&step, Some(start), StateKind::Offered);
        assert_eq!(w.state(), &State::Offered { agent: agent(BOB) });
        assert!(w.effects.is_empty());
    }
}

#[test]
fn transfer_to_route_queues_at_the_new_route() {
    let perms = Permissions::defaults().with(Permission::TransferToRoute, true);
    for start in [StateKind::Connected, StateKind::Held] {
        let w = World::provided(perms);
        let mut w = if start == StateKind::Held {
            w.held(ALICE)
        } else {
            w.connected(ALICE)
        };
        let step = w.ok(
            Action::TransferToRoute {
                route: name("Route Support"),
            },
            by(ALICE),
        );
        assert_moved(&step, Some(start), StateKind::Queued);
        assert_eq!(
            w.interaction().target(),
            Some(&Target::Route(name("Route Support")))
        );
    }
}

#[test]
fn transferred_connects_the_new_agent_and_reports_the_transfer() {
    let mut w = World::plain().connected(ALICE);
    let step = w.ok(Action::Transferred { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Connected), StateKind::Connected);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });
    assert_eq!(
        w.effects,
        [Effect::Transferred {
            interaction: ix(ID),
            from: Some(agent(ALICE)),
            to: agent(BOB),
        }]
    );

    // From held, on a provider's interaction: the provider hears of the new owner too.
    let mut w = World::provided(Permissions::defaults()).held(ALICE);
    let step = w.ok(Action::Transferred { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Held), StateKind::Connected);
    assert_eq!(
        w.effects,
        [
            Effect::Transferred {
                interaction: ix(ID),
                from: Some(agent(ALICE)),
                to: agent(BOB),
            },
            assign_to_agent(ID, BOB),
        ]
    );

    // From offered (a transfer_to_agent in flight): nobody owned it.
    let mut w = World::plain().offered(BOB);
    let step = w.ok(Action::Transferred { agent: agent(BOB) }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Offered), StateKind::Connected);
    assert_eq!(
        w.effects,
        [Effect::Transferred {
            interaction: ix(ID),
            from: None,
            to: agent(BOB),
        }]
    );
}

#[test]
fn place_in_queue_queues_at_the_named_queue() {
    for start in [StateKind::Connected, StateKind::Held] {
        let w = World::plain();
        let mut w = if start == StateKind::Held {
            w.held(ALICE)
        } else {
            w.connected(ALICE)
        };
        let step = w.ok(Action::PlaceInQueue { queue: name("q") }, by(ALICE));
        assert_moved(&step, Some(start), StateKind::Queued);
        assert_eq!(w.interaction().target(), Some(&Target::Queue(name("q"))));
        assert!(w.effects.is_empty());
    }
}

#[test]
fn place_in_workbin_parks_it_remembering_the_last_owner() {
    for start in [StateKind::Connected, StateKind::Held] {
        let w = World::plain();
        let mut w = if start == StateKind::Held {
            w.held(ALICE)
        } else {
            w.connected(ALICE)
        };
        let step = w.ok(
            Action::PlaceInWorkbin {
                workbin: name(WORKBIN),
            },
            by(ALICE),
        );
        assert_moved(&step, Some(start), StateKind::InWorkbin);
        assert_eq!(
            w.state(),
            &State::InWorkbin {
                workbin: name(WORKBIN),
                last_owner: Some(agent(ALICE)),
            }
        );
        assert_eq!(w.engine.workbin_content(WORKBIN), [&ix(ID)]);
        assert!(w.engine.workbin_content("Other").is_empty());
    }
}

#[test]
fn pull_takes_it_out_of_the_workbin_for_the_pulling_agent() {
    let mut w = World::provided(Permissions::defaults()).in_workbin(ALICE);
    let step = w.ok(Action::Pull { agent: agent(BOB) }, by(BOB));
    assert_moved(&step, Some(StateKind::InWorkbin), StateKind::Connected);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });
    assert_eq!(w.effects, [assign_to_agent(ID, BOB)]);
    assert!(w.engine.workbin_content(WORKBIN).is_empty());

    let mut w = World::plain().in_workbin(ALICE);
    let step = w.ok(
        Action::Pull {
            agent: agent(CAROL),
        },
        Actor::Platform,
    );
    assert_moved(&step, Some(StateKind::InWorkbin), StateKind::Connected);
    assert_eq!(
        w.state(),
        &State::Connected {
            owner: agent(CAROL)
        }
    );
}

#[test]
fn dial_by_an_agent_creates_an_outbound_interaction_it_owns() {
    let mut w = World::plain();
    let step = w.ok(dial_from(Caller::Agent(agent(ALICE))), by(ALICE));
    assert_moved(&step, None, StateKind::Dialing);
    let it = w.interaction();
    assert_eq!(it.direction(), Direction::Outbound);
    assert_eq!(it.media(), Media::Live);
    assert_eq!(it.provider(), None);
    assert_eq!(it.state().owner(), Some(&agent(ALICE)));
    assert!(w.effects.is_empty());
}

#[test]
fn dial_by_a_provider_from_agent_groups() {
    let mut w = World::provided(Permissions::defaults());
    let groups = Caller::Groups(vec![name("Sales")]);
    let step = w.ok(dial_from(groups), provider(PROVIDER));
    assert_moved(&step, None, StateKind::Dialing);
    let it = w.interaction();
    assert_eq!(it.provider(), Some(&provider_name(PROVIDER)));
    assert_eq!(it.direction(), Direction::Outbound);
    assert_eq!(it.state().owner(), None);
}

#[test]
fn answer_connects_the_calling_agent_or_the_named_one_for_a_group_call() {
    let mut w = World::provided(Permissions::defaults()).dialing(ALICE);
    let step = w.ok(Action::Answer { agent: None }, Actor::Platform);
    assert_moved(&step, Some(StateKind::Dialing), StateKind::Connected);
    assert_eq!(
        w.state(),
        &State::Connected {
            owner: agent(ALICE)
        }
    );
    assert_eq!(w.effects, [assign_to_agent(ID, ALICE)]);

    let mut w = World::provided(Permissions::defaults());
    w.ok(
        dial_from(Caller::Groups(vec![name("Sales")])),
        provider(PROVIDER),
    );
    let step = w.ok(
        Action::Answer {
            agent: Some(agent(BOB)),
        },
        Actor::Platform,
    );
    assert_moved(&step, Some(StateKind::Dialing), StateKind::Connected);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });
}

#[test]
fn complete_ends_it_completed() {
    for (start, actor) in [
        (StateKind::Connected, by(ALICE)),
        (StateKind::Held, by(ALICE)),
        (StateKind::Connected, Actor::Platform),
    ] {
        let w = World::plain();
        let mut w = if start == StateKind::Held {
            w.held(ALICE)
        } else {
            w.connected(ALICE)
        };
        let step = w.ok(Action::Complete, actor);
        assert_moved(&step, Some(start), StateKind::Ended);
        assert_eq!(step.reason, Some(EndReason::Completed));
        assert_eq!(
            w.state(),
            &State::Ended {
                reason: EndReason::Completed
            }
        );
        assert!(w.effects.is_empty());
    }
}

#[test]
fn cancel_ends_an_outbound_interaction_cancelled() {
    // Outbound by dialing and answering.
    let mut w = World::plain().dialing(ALICE);
    w.ok(Action::Answer { agent: None }, Actor::Platform);
    let step = w.ok(Action::Cancel, by(ALICE));
    assert_moved(&step, Some(StateKind::Connected), StateKind::Ended);
    assert_eq!(step.reason, Some(EndReason::Cancelled));

    // Outbound by dispatch, from held.
    let mut w = World::plain().outbound().held(ALICE);
    let step = w.ok(Action::Cancel, by(ALICE));
    assert_moved(&step, Some(StateKind::Held), StateKind::Ended);
    assert_eq!(
        w.state(),
        &State::Ended {
            reason: EndReason::Cancelled
        }
    );
}

#[test]
fn release_ends_it_from_every_live_state() {
    let starts: [(&str, Start); 6] = [
        ("queued", World::queued),
        ("offered", |w| w.offered(ALICE)),
        ("connected", |w| w.connected(ALICE)),
        ("held", |w| w.held(ALICE)),
        ("dialing", |w| w.dialing(ALICE)),
        ("in_workbin", |w| w.in_workbin(ALICE)),
    ];
    for (label, start) in starts {
        for actor in [Actor::Platform, Actor::Provider(None), provider("any")] {
            let mut w = start(World::plain());
            let from = w.state().kind();
            assert_eq!(from.name(), label);
            let step = w.ok(Action::Release, actor);
            assert_moved(&step, Some(from), StateKind::Ended);
            assert_eq!(step.reason, Some(EndReason::Released));
        }
    }
    for start in [World::connected, World::held, World::dialing] {
        let mut w = start(World::plain(), ALICE);
        let from = w.state().kind();
        let step = w.ok(Action::Release, by(ALICE));
        assert_moved(&step, Some(from), StateKind::Ended);
    }
}

#[test]
fn disconnect_of_the_offered_agent_withdraws_the_offer() {
    let mut w = World::plain().offered(ALICE);
    let step = w.ok(
        Action::Disconnect {
            agent: agent(ALICE),
        },
        Actor::Platform,
    );
    assert_moved(&step, Some(StateKind::Offered), StateKind::Queued);
    assert_eq!(w.effects, [redistribute(Some(route_target()))]);
}

#[test]
fn disconnect_of_the_owner_ends_it_disconnected() {
    let starts: [fn(World, &str) -> World; 3] = [World::connected, World::held, World::dialing];
    for start in starts {
        let mut w = start(World::plain(), ALICE);
        let from = w.state().kind();
        let step = w.ok(
            Action::Disconnect {
                agent: agent(ALICE),
            },
            Actor::Platform,
        );
        assert_moved(&step, Some(from), StateKind::Ended);
        assert_eq!(step.reason, Some(EndReason::Disconnected));
        assert!(w.effects.is_empty());
    }
}

#[test]
fn disconnect_of_another_agent_is_ignored_and_changes_nothing() {
    for start in [World::offered, World::connected, World::held] {
        let mut w = start(World::plain(), ALICE);
        let before = w.engine.clone();
        let from = w.state().kind();
        let step = w.ok(Action::Disconnect { agent: agent(BOB) }, Actor::Platform);
        assert_eq!(step.outcome, Outcome::Ignored);
        assert_eq!((step.from, step.to), (Some(from), Some(from)));
        assert_eq!(w.engine, before);
        assert!(w.effects.is_empty());
    }
}

#[test]
fn update_user_data_replaces_existing_values_and_adds_new_keys() {
    let mut w = World::plain();
    w.ok(
        Action::Dispatch {
            route: name(ROUTE),
            media: Media::Chat,
            direction: Direction::Inbound,
            user_data: data(&[("a", text("1")), ("b", text("2"))]),
        },
        Actor::Platform,
    );
    w.ok(
        Action::Assign {
            agent: agent(ALICE),
        },
        Actor::Platform,
    );
    let step = w.ok(
        Action::UpdateUserData {
            user_data: data(&[("b", text("two")), ("c", Value::Bool(true))]),
        },
        by(ALICE),
    );
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Connected), Some(StateKind::Connected))
    );
    assert_eq!(
        w.interaction().user_data(),
        &data(&[
            ("a", text("1")),
            ("b", text("two")),
            ("c", Value::Bool(true))
        ])
    );
    assert!(w.effects.is_empty());
}

#[test]
fn attach_user_data_adds_keys_and_keeps_existing_values() {
    let mut w = World::plain().held(ALICE);
    w.ok(
        Action::UpdateUserData {
            user_data: data(&[("a", text("1"))]),
        },
        by(ALICE),
    );
    let step = w.ok(
        Action::AttachUserData {
            user_data: data(&[
                ("a", text("changed")),
                ("n", Value::Number(Number::from_u64(7))),
            ]),
        },
        by(ALICE),
    );
    assert_eq!(
        (step.outcome, step.from, step.to),
        (
            Outcome::Applied,
            Some(StateKind::Held),
            Some(StateKind::Held)
        )
    );
    assert_eq!(
        w.interaction().user_data(),
        &data(&[("a", text("1")), ("n", Value::Number(Number::from_u64(7)))])
    );
}

#[test]
fn delete_user_data_removes_the_named_keys_only() {
    let mut w = World::plain().connected(ALICE);
    w.ok(
        Action::UpdateUserData {
            user_data: data(&[("a", text("1")), ("b", text("2")), ("c", Value::Null)]),
        },
        by(ALICE),
    );
    let step = w.ok(
        Action::DeleteUserData {
            keys: vec!["a".to_owned(), "c".to_owned(), "absent".to_owned()],
        },
        by(ALICE),
    );
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(w.interaction().user_data(), &data(&[("b", text("2"))]));
    assert_eq!(w.state().kind(), StateKind::Connected);
}

#[test]
fn user_data_actions_are_refused_outside_connected_and_held() {
    for start in [World::offered, World::in_workbin] {
        let mut w = start(World::plain(), ALICE);
        for kind in [
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ] {
            assert_eq!(
                w.refuse(sample(kind), Actor::Platform),
                ErrorKind::InvalidTransition
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Section 3: restating platform facts
// ---------------------------------------------------------------------------------------------

#[test]
fn a_platform_fact_restating_the_current_state_is_an_applied_no_op() {
    let cases: [(Start, Action); 7] = [
        (|w| w.connected(ALICE), Action::Accept),
        (|w| w.connected(ALICE), Action::Retrieve),
        (
            |w| w.connected(ALICE),
            Action::Assign {
                agent: agent(ALICE),
            },
        ),
        (|w| w.held(ALICE), Action::Hold),
        (World::queued, Action::Revoke),
        (World::queued, Action::Reject),
        (
            |w| w.in_workbin(ALICE),
            Action::PlaceInWorkbin {
                workbin: name(WORKBIN),
            },
        ),
    ];
    for (start, action) in cases {
        let mut w = start(World::provided(Permissions::defaults()));
        let before = w.engine.clone();
        let kind = w.state().kind();
        let shown = format!("{action:?}");
        let step = w.ok(action, Actor::Platform);
        assert_eq!(step.outcome, Outcome::Applied, "{shown}");
        assert_eq!((step.from, step.to), (Some(kind), Some(kind)), "{shown}");
        assert_eq!(w.engine, before, "{shown} changed the engine");
        assert!(w.effects.is_empty(), "{shown} emitted {:?}", w.effects);
    }
}

#[test]
fn an_agent_restating_the_state_is_not_a_fact_but_an_invalid_transition() {
    let mut w = World::plain().connected(ALICE);
    assert_eq!(
        w.refuse(Action::Accept, by(ALICE)),
        ErrorKind::InvalidTransition
    );
    let mut w = World::plain().held(ALICE);
    assert_eq!(
        w.refuse(Action::Hold, by(ALICE)),
        ErrorKind::InvalidTransition
    );
}

// ---------------------------------------------------------------------------------------------
// Section 5: refusals
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_interaction_for_every_non_creating_action() {
    let mut w = World::plain().connected(ALICE);
    for kind in ActionKind::ALL {
        if matches!(kind, ActionKind::Dispatch | ActionKind::Dial) {
            continue;
        }
        for actor in [by(ALICE), Actor::Platform, Actor::Provider(None)] {
            let input = Input::new(ix("nobody-knows"), sample(kind), actor);
            assert_eq!(w.refuse_input(input), ErrorKind::UnknownInteraction);
        }
    }
}

#[test]
fn already_exists_when_creating_a_live_interaction_again() {
    let mut w = World::plain().queued();
    assert_eq!(
        w.refuse(dispatch("Route Other"), Actor::Platform),
        ErrorKind::AlreadyExists
    );
    let mut w = World::plain().connected(ALICE);
    assert_eq!(
        w.refuse(dial_from(Caller::Agent(agent(ALICE))), by(ALICE)),
        ErrorKind::AlreadyExists
    );
}

#[test]
fn already_ended_for_every_late_input_and_never_resurrected() {
    for reason in [
        EndReason::Completed,
        EndReason::Released,
        EndReason::Cancelled,
        EndReason::Disconnected,
    ] {
        let mut w = World::plain().ended(reason);
        for kind in ActionKind::ALL {
            for actor in [by(ALICE), by(BOB), Actor::Provider(None), Actor::Platform] {
                // The platform restating the same end is the one exception (next test).
                let restates = matches!(
                    (kind, reason),
                    (ActionKind::Complete, EndReason::Completed)
                        | (ActionKind::Release, EndReason::Released)
                        | (ActionKind::Cancel, EndReason::Cancelled)
                        | (ActionKind::Disconnect, EndReason::Disconnected)
                );
                if restates && actor == Actor::Platform {
                    continue;
                }
                assert_eq!(
                    w.refuse(sample(kind), actor),
                    ErrorKind::AlreadyEnded,
                    "{kind} after {reason}"
                );
            }
        }
        // A late first-sight callback does not bring it back either.
        let late = Input::new(ix(ID), Action::Offer { agent: agent(BOB) }, Actor::Platform)
            .with_first_sight(Media::Live, Direction::Inbound);
        assert_eq!(w.refuse_input(late), ErrorKind::AlreadyEnded);
        assert_eq!(w.state(), &State::Ended { reason });
    }
}

#[test]
fn the_platform_restating_the_same_end_is_an_applied_no_op() {
    for (reason, action) in [
        (EndReason::Completed, Action::Complete),
        (EndReason::Released, Action::Release),
        (EndReason::Cancelled, Action::Cancel),
        (
            EndReason::Disconnected,
            Action::Disconnect {
                agent: agent(ALICE),
            },
        ),
    ] {
        let mut w = World::provided(Permissions::defaults()).ended(reason);
        let before = w.engine.clone();
        let step = w.ok(action, Actor::Platform);
        assert_eq!(step.outcome, Outcome::Applied);
        assert_eq!(
            (step.from, step.to),
            (Some(StateKind::Ended), Some(StateKind::Ended))
        );
        assert_eq!(step.reason, Some(reason));
        assert_eq!(w.engine, before);
        assert!(w.effects.is_empty(), "no second notification");
    }
    // A different end is a late input like any other.
    let mut w = World::plain().ended(EndReason::Completed);
    assert_eq!(
        w.refuse(Action::Release, Actor::Platform),
        ErrorKind::AlreadyEnded
    );
}

#[test]
fn invalid_transition_when_the_state_is_not_in_the_rows_from_set() {
    let mut w = World::plain().queued();
    for (action, actor) in [
        (Action::Hold, Actor::Platform),
        (Action::Accept, Actor::Platform),
        (Action::Retrieve, Actor::Platform),
        (Action::Complete, Actor::Platform),
        (Action::Answer { agent: None }, Actor::Platform),
        (
            Action::Pull {
                agent: agent(ALICE),
            },
            by(ALICE),
        ),
        (
            Action::Disconnect {
                agent: agent(ALICE),
            },
            Actor::Platform,
        ),
    ] {
        assert_eq!(w.refuse(action, actor), ErrorKind::InvalidTransition);
    }
    let mut w = World::plain().dialing(ALICE);
    assert_eq!(
        w.refuse(Action::Hold, by(ALICE)),
        ErrorKind::InvalidTransition
    );
    assert_eq!(
        w.refuse(Action::Complete, by(ALICE)),
        ErrorKind::InvalidTransition
    );
}

#[test]
fn cancel_of_an_inbound_interaction_is_an_invalid_transition() {
    for actor in [by(ALICE), Actor::Platform] {
        let mut w = World::plain().connected(ALICE);
        assert_eq!(
            w.refuse(Action::Cancel, actor),
            ErrorKind::InvalidTransition
        );
    }
    let mut w = World::plain().held(ALICE);
    assert_eq!(
        w.refuse(Action::Cancel, by(ALICE)),
        ErrorKind::InvalidTransition
    );
    assert!(!w.allowed(ALICE).contains(&ActionKind::Cancel));
}

#[test]
fn not_owner_when_another_agent_acts_however_permissive_the_provider() {
    let all = Permissions::defaults()
        .with(Permission::Release, true)
        .with(Permission::Hold, true)
        .with(Permission::TransferToAgent, true)
        .with(Permission::TransferToRoute, true);
    let mut w = World::provided(all).offered(ALICE);
    assert_eq!(w.refuse(Action::Accept, by(BOB)), ErrorKind::NotOwner);
    assert_eq!(w.refuse(Action::Reject, by(BOB)), ErrorKind::NotOwner);
    // Being offered it is not owning it: only accept and reject are the offered agent's.
    assert_eq!(w.refuse(Action::Release, by(ALICE)), ErrorKind::NotOwner);

    let mut w = World::provided(all).connected(ALICE);
    for kind in [
        ActionKind::Hold,
        ActionKind::Release,
        ActionKind::TransferToAgent,
        ActionKind::TransferToRoute,
        ActionKind::PlaceInQueue,
        ActionKind::PlaceInWorkbin,
        ActionKind::Complete,
        ActionKind::UpdateUserData,
        ActionKind::AttachUserData,
        ActionKind::DeleteUserData,
    ] {
        assert_eq!(
            w.refuse(sample(kind), by(BOB)),
            ErrorKind::NotOwner,
            "{kind}"
        );
    }
    assert!(w.allowed(BOB).is_empty());

    let mut w = World::provided(all).held(ALICE);
    assert_eq!(w.refuse(Action::Retrieve, by(BOB)), ErrorKind::NotOwner);

    // Pull and dial: an agent acts only for itself.
    let mut w = World::plain().in_workbin(ALICE);
    assert_eq!(
        w.refuse(
            Action::Pull {
                agent: agent(ALICE)
            },
            by(BOB)
        ),
        ErrorKind::NotOwner
    );
    let mut w = World::plain();
    assert_eq!(
        w.refuse(dial_from(Caller::Agent(agent(ALICE))), by(BOB)),
        ErrorKind::NotOwner
    );
}

#[test]
fn provider_defaults_allow_release_and_deny_hold_and_transfers() {
    let mut w = World::provided(Permissions::defaults()).connected(ALICE);
    for kind in [
        ActionKind::Hold,
        ActionKind::TransferToAgent,
        ActionKind::TransferToRoute,
    ] {
        assert_eq!(
            w.refuse(sample(kind), by(ALICE)),
            ErrorKind::NotPermitted,
            "{kind}"
        );
    }
    assert_eq!(
        w.allowed(ALICE),
        [
            ActionKind::PlaceInQueue,
            ActionKind::PlaceInWorkbin,
            ActionKind::Complete,
            ActionKind::Release,
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ]
    );
    assert_moved(
        &w.ok(Action::Release, by(ALICE)),
        Some(StateKind::Connected),
        StateKind::Ended,
    );
}

#[test]
fn without_a_provider_there_are_no_provider_restrictions() {
    let w = World::plain().connected(ALICE);
    assert_eq!(
        w.allowed(ALICE),
        [
            ActionKind::Hold,
            ActionKind::TransferToAgent,
            ActionKind::TransferToRoute,
            ActionKind::PlaceInQueue,
            ActionKind::PlaceInWorkbin,
            ActionKind::Complete,
            ActionKind::Release,
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ]
    );
}

#[test]
fn release_zero_denies_the_agent_but_not_the_platform_or_the_provider() {
    let perms = Permissions::defaults().with(Permission::Release, false);
    let mut w = World::provided(perms).connected(ALICE);
    assert_eq!(
        w.refuse(Action::Release, by(ALICE)),
        ErrorKind::NotPermitted
    );
    assert!(!w.allowed(ALICE).contains(&ActionKind::Release));
    for actor in [Actor::Platform, provider(PROVIDER)] {
        let mut w = World::provided(perms).connected(ALICE);
        assert_moved(
            &w.ok(Action::Release, actor),
            Some(StateKind::Connected),
            StateKind::Ended,
        );
    }
}

#[test]
fn hold_one_allows_hold_and_retrieve_but_no_transfer() {
    let perms = Permissions::defaults().with(Permission::Hold, true);
    let mut w = World::provided(perms).connected(ALICE);
    assert!(w.allowed(ALICE).contains(&ActionKind::Hold));
    w.ok(Action::Hold, by(ALICE));
    assert!(w.allowed(ALICE).contains(&ActionKind::Retrieve));
    w.ok(Action::Retrieve, by(ALICE));
    assert_eq!(
        w.refuse(sample(ActionKind::TransferToAgent), by(ALICE)),
        ErrorKind::NotPermitted
    );

    // Without hold, an agent may not retrieve what the platform held.
    let mut w = World::provided(Permissions::defaults()).held(ALICE);
    assert_eq!(
        w.refuse(Action::Retrieve, by(ALICE)),
        ErrorKind::NotPermitted
    );
    let perms = Permissions::defaults().with(Permission::Hold, false);
    let mut w = World::provided(perms).held(ALICE);
    assert_eq!(
        w.refuse(Action::Retrieve, by(ALICE)),
        ErrorKind::NotPermitted
    );
}

#[test]
fn transfer_permissions_are_separate() {
    let perms = Permissions::defaults().with(Permission::TransferToRoute, true);
    let mut w = World::provided(perms).connected(ALICE);
    assert_eq!(
        w.refuse(sample(ActionKind::TransferToAgent), by(ALICE)),
        ErrorKind::NotPermitted
    );
    w.ok(sample(ActionKind::TransferToRoute), by(ALICE));

    let perms = Permissions::defaults().with(Permission::TransferToAgent, false);
    let mut w = World::provided(perms).held(ALICE);
    assert_eq!(
        w.refuse(sample(ActionKind::TransferToAgent), by(ALICE)),
        ErrorKind::NotPermitted
    );
}

#[test]
fn not_permitted_for_the_wrong_kind_of_actor() {
    // An agent may not dispatch, nor take the platform's facts.
    let mut w = World::plain();
    assert_eq!(
        w.refuse(dispatch(ROUTE), by(ALICE)),
        ErrorKind::NotPermitted
    );

    let mut w = World::plain().queued();
    for kind in [ActionKind::Offer, ActionKind::Assign] {
        assert_eq!(
            w.refuse(sample(kind), by(ALICE)),
            ErrorKind::NotPermitted,
            "{kind}"
        );
    }
    let mut w = World::plain().offered(ALICE);
    for kind in [ActionKind::Revoke, ActionKind::Transferred] {
        assert_eq!(
            w.refuse(sample(kind), by(ALICE)),
            ErrorKind::NotPermitted,
            "{kind}"
        );
    }
    let mut w = World::plain().dialing(ALICE);
    assert_eq!(
        w.refuse(Action::Answer { agent: None }, by(ALICE)),
        ErrorKind::NotPermitted
    );
    let mut w = World::plain().connected(ALICE);
    assert_eq!(
        w.refuse(
            Action::Disconnect {
                agent: agent(ALICE)
            },
            by(ALICE)
        ),
        ErrorKind::NotPermitted
    );
    // A provider may dispatch, dial and release, nothing else.
    for kind in [
        ActionKind::Hold,
        ActionKind::Complete,
        ActionKind::TransferToAgent,
    ] {
        assert_eq!(
            w.refuse(sample(kind), Actor::Provider(None)),
            ErrorKind::NotPermitted,
            "{kind}"
        );
    }
}

#[test]
fn unknown_provider_when_creating_with_an_unregistered_provider() {
    let mut w = World::provided(Permissions::defaults());
    assert_eq!(
        w.refuse(dispatch(ROUTE), provider("ghost")),
        ErrorKind::UnknownProvider
    );
    assert_eq!(
        w.refuse(
            dial_from(Caller::Groups(vec![name("Sales")])),
            provider("ghost")
        ),
        ErrorKind::UnknownProvider
    );
}

#[test]
fn provider_mismatch_when_another_provider_releases() {
    let mut w = World::provided(Permissions::defaults()).connected(ALICE);
    w.engine
        .register_provider(provider_name("other"), ProviderSettings::default())
        .unwrap();
    for actor in [provider("other"), provider("ghost"), Actor::Provider(None)] {
        assert_eq!(
            w.refuse(Action::Release, actor),
            ErrorKind::ProviderMismatch
        );
    }
    w.ok(Action::Release, provider(PROVIDER));
}

#[test]
fn missing_field_when_a_group_call_is_answered_naming_no_agent() {
    let mut w = World::plain();
    w.ok(
        dial_from(Caller::Groups(vec![name("Sales")])),
        Actor::Provider(None),
    );
    assert_eq!(
        w.refuse(Action::Answer { agent: None }, Actor::Platform),
        ErrorKind::MissingField
    );
}

// ---------------------------------------------------------------------------------------------
// Section 5: idempotency keys
// ---------------------------------------------------------------------------------------------

#[test]
fn a_repeated_idempotency_key_is_a_duplicate_that_changes_nothing() {
    let mut w = World::provided(Permissions::defaults()).queued();
    let assign = Input::new(
        ix(ID),
        Action::Assign {
            agent: agent(ALICE),
        },
        Actor::Platform,
    )
    .with_key(key("n-1"));
    let step = w.input(assign.clone()).unwrap();
    assert_eq!(step.outcome, Outcome::Applied);
    assert_eq!(w.effects, [assign_to_agent(ID, ALICE)]);

    // Redelivered: a duplicate, and the notification is not emitted twice.
    let before = w.engine.clone();
    let step = w.input(assign).unwrap();
    assert_eq!(step.outcome, Outcome::Duplicate);
    assert_eq!(
        (step.from, step.to),
        (Some(StateKind::Connected), Some(StateKind::Connected))
    );
    assert!(w.effects.is_empty());
    assert_eq!(w.engine, before);

    // A key names one request (MODEL.md section 11): the same key on another input is a
    // conflict, refused, and nothing changes.
    let release = Input::new(ix(ID), Action::Release, Actor::Platform).with_key(key("n-1"));
    assert_eq!(w.refuse_input(release), ErrorKind::IdempotencyConflict);
    assert!(w.effects.is_empty());
    assert_eq!(w.engine, before);
}

#[test]
fn the_key_of_a_refused_input_is_not_remembered() {
    let mut w = World::plain().queued();
    let refused = Input::new(ix(ID), Action::Hold, Actor::Platform).with_key(key("r-1"));
    assert_eq!(w.refuse_input(refused), ErrorKind::InvalidTransition);
    let assign = Input::new(
        ix(ID),
        Action::Assign {
            agent: agent(ALICE),
        },
        Actor::Platform,
    )
    .with_key(key("r-1"));
    assert_eq!(w.input(assign).unwrap().outcome, Outcome::Applied);
}

#[test]
fn a_duplicate_dispatch_does_not_recreate_a_released_interaction() {
    let mut w = World::plain();
    let dispatch = Input::new(ix(ID), dispatch(ROUTE), Actor::Provider(None)).with_key(key("q-1"));
    w.input(dispatch.clone()).unwrap();
    w.ok(Action::Release, Actor::Provider(None));
    let step = w.input(dispatch).unwrap();
    assert_eq!(step.outcome, Outcome::Duplicate);
    assert_eq!(step.to, Some(StateKind::Ended));
    assert_eq!(step.reason, Some(EndReason::Released));
}

// ---------------------------------------------------------------------------------------------
// Section 5: effects
// ---------------------------------------------------------------------------------------------

#[test]
fn assign_to_agent_is_notified_whenever_a_provider_interaction_gets_a_new_owner() {
    let perms = Permissions::defaults().with(Permission::TransferToAgent, true);
    let mut w = World::provided(perms).offered(ALICE);
    w.ok(Action::Accept, by(ALICE));
    assert_eq!(w.effects, [assign_to_agent(ID, ALICE)]);
    w.ok(Action::TransferToAgent { agent: agent(BOB) }, by(ALICE));
    assert!(w.effects.is_empty(), "offered is not connected yet");
    w.ok(Action::Accept, by(BOB));
    assert_eq!(w.effects, [assign_to_agent(ID, BOB)]);
}

#[test]
fn release_is_notified_for_an_agent_or_the_platform_but_not_the_providers_own_release() {
    for actor in [by(ALICE), Actor::Platform] {
        let mut w = World::provided(Permissions::defaults()).connected(ALICE);
        w.ok(Action::Release, actor);
        assert_eq!(w.effects, [release_notification()]);
    }
    let mut w = World::provided(Permissions::defaults()).connected(ALICE);
    w.ok(Action::Release, provider(PROVIDER));
    assert!(w.effects.is_empty());

    // No provider, nobody to notify.
    let mut w = World::plain().connected(ALICE);
    w.ok(Action::Release, by(ALICE));
    assert!(w.effects.is_empty());
}

#[test]
fn other_ends_notify_nothing() {
    let mut w = World::provided(Permissions::defaults()).connected(ALICE);
    w.ok(Action::Complete, by(ALICE));
    assert!(w.effects.is_empty());
}

// ---------------------------------------------------------------------------------------------
// First sight (MODEL.md section 6)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_platform_offer_or_assign_on_first_sight_creates_the_interaction() {
    let mut w = World::plain();
    let offer = Input::new(
        ix(ID),
        Action::Offer {
            agent: agent(ALICE),
        },
        Actor::Platform,
    )
    .with_first_sight(Media::Nonlive, Direction::Inbound);
    assert_moved(&w.input(offer).unwrap(), None, StateKind::Offered);
    let it = w.interaction();
    assert_eq!(
        it.state(),
        &State::Offered {
            agent: agent(ALICE)
        }
    );
    assert_eq!(it.media(), Media::Nonlive);
    assert_eq!(it.direction(), Direction::Inbound);
    assert_eq!(it.provider(), None);
    assert_eq!(it.target(), None);
    assert!(it.user_data().is_empty());
    assert_eq!(w.engine.presence(ALICE), Some(Presence::Seen));

    // Rejected back to a queue nobody named: redistribute with no target.
    w.ok(Action::Reject, by(ALICE));
    assert_eq!(w.effects, [redistribute(None)]);

    // First sight may carry initial user data (Anywhere365 keeps the caller's `ani`).
    let mut w = World::plain();
    let ani = data(&[("ani", text("+31201234567"))]);
    let assign = Input::new(
        ix(ID),
        Action::Assign { agent: agent(BOB) },
        Actor::Platform,
    )
    .with_first_sight_data(Media::Live, Direction::Outbound, ani.clone());
    assert_moved(&w.input(assign).unwrap(), None, StateKind::Connected);
    assert_eq!(w.interaction().direction(), Direction::Outbound);
    assert_eq!(w.state(), &State::Connected { owner: agent(BOB) });
    assert_eq!(w.interaction().user_data(), &ani);
}

#[test]
fn first_sight_is_only_for_platform_offer_and_assign() {
    let mut w = World::plain();
    let cases = [
        (
            Action::Offer {
                agent: agent(ALICE),
            },
            by(ALICE),
        ),
        (
            Action::Assign {
                agent: agent(ALICE),
            },
            Actor::Provider(None),
        ),
        (Action::Accept, Actor::Platform),
        (Action::Hold, Actor::Platform),
    ];
    for (action, actor) in cases {
        let input =
            Input::new(ix(ID), action, actor).with_first_sight(Media::Live, Direction::Inbound);
        assert_eq!(w.refuse_input(input), ErrorKind::UnknownInteraction);
    }
    // And without first sight, even the platform's offer is for an unknown interaction.
    assert_eq!(
        w.refuse(
            Action::Offer {
                agent: agent(ALICE)
            },
            Actor::Platform
        ),
        ErrorKind::UnknownInteraction
    );
}

// ---------------------------------------------------------------------------------------------
// Section 5: bounded memory (EngineSettings)
// ---------------------------------------------------------------------------------------------

fn end(engine: &mut Engine, id: &str) {
    let mut effects = Vec::new();
    engine
        .apply(
            Input::new(ix(id), dispatch(ROUTE), Actor::Platform),
            &mut effects,
        )
        .unwrap();
    engine
        .apply(
            Input::new(ix(id), Action::Release, Actor::Platform),
            &mut effects,
        )
        .unwrap();
}

#[test]
fn ended_interactions_beyond_max_ended_are_forgotten_oldest_first() {
    let mut w = World::plain();
    w.engine = Engine::with_settings(EngineSettings {
        max_ended: 2,
        ..EngineSettings::default()
    });
    end(&mut w.engine, "e1");
    end(&mut w.engine, "e2");
    let late = |id: &str| Input::new(ix(id), Action::Release, by(ALICE));
    assert_eq!(w.refuse_input(late("e1")), ErrorKind::AlreadyEnded);
    assert_eq!(w.refuse_input(late("e2")), ErrorKind::AlreadyEnded);

    end(&mut w.engine, "e3");
    assert!(w.engine.interaction("e1").is_none());
    assert_eq!(w.engine.len(), 2);
    // Forgotten, but remembered by its fingerprint: still ended, never created again.
    assert_eq!(w.engine.forgotten("e1"), Some(EndReason::Released));
    assert_eq!(w.refuse_input(late("e1")), ErrorKind::AlreadyEnded);
    assert_eq!(w.refuse_input(late("e2")), ErrorKind::AlreadyEnded);
    let again = Input::new(ix("e1"), dispatch(ROUTE), Actor::Platform);
    assert_eq!(w.refuse_input(again), ErrorKind::AlreadyEnded);
}

#[test]
fn without_fingerprints_a_forgotten_id_is_unknown_and_may_be_used_again() {
    let mut w = World::plain();
    w.engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        max_forgotten: 0,
        ..EngineSettings::default()
    });
    end(&mut w.engine, "e1");
    let late = Input::new(ix("e1"), Action::Release, by(ALICE));
    assert_eq!(w.refuse_input(late), ErrorKind::UnknownInteraction);
    let again = Input::new(ix("e1"), dispatch(ROUTE), Actor::Platform);
    assert_moved(&w.input(again).unwrap(), None, StateKind::Queued);
}

#[test]
fn max_ended_zero_forgets_an_interaction_as_soon_as_it_ends() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        ..EngineSettings::default()
    });
    let mut effects = Vec::new();
    engine
        .apply(
            Input::new(ix(ID), dispatch(ROUTE), Actor::Platform),
            &mut effects,
        )
        .unwrap();
    let step = engine
        .apply(
            Input::new(ix(ID), Action::Release, Actor::Platform),
            &mut effects,
        )
        .unwrap();
    assert_moved(&step, Some(StateKind::Queued), StateKind::Ended);
    assert!(engine.is_empty());
    // The platform restating the end is still an applied no-op; anything else already_ended.
    let again = engine
        .apply(
            Input::new(ix(ID), Action::Release, Actor::Platform),
            &mut effects,
        )
        .unwrap();
    assert_eq!(
        (again.from, again.to),
        (Some(StateKind::Ended), Some(StateKind::Ended))
    );
    let err = engine
        .apply(
            Input::new(ix(ID), Action::Complete, Actor::Platform),
            &mut effects,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyEnded);
}

#[test]
fn idempotency_keys_beyond_the_bound_are_forgotten_oldest_first() {
    let mut w = World::plain();
    w.engine = Engine::with_settings(EngineSettings {
        max_idempotency_keys: 2,
        ..EngineSettings::default()
    });
    let keyed =
        |id: &str, k: &str| Input::new(ix(id), dispatch(ROUTE), Actor::Platform).with_key(key(k));
    for (id, k) in [("x1", "k1"), ("x2", "k2"), ("x3", "k3")] {
        assert_eq!(w.input(keyed(id, k)).unwrap().outcome, Outcome::Applied);
    }
    // k3 and k2 are remembered; k1 was forgotten, so its redelivery is judged on its merits.
    assert_eq!(
        w.input(keyed("x3", "k3")).unwrap().outcome,
        Outcome::Duplicate
    );
    assert_eq!(
        w.input(keyed("x2", "k2")).unwrap().outcome,
        Outcome::Duplicate
    );
    assert_eq!(w.refuse_input(keyed("x1", "k1")), ErrorKind::AlreadyExists);
}

#[test]
fn live_interactions_are_never_evicted() {
    let mut engine = Engine::with_settings(EngineSettings {
        max_ended: 0,
        max_idempotency_keys: 0,
        ..EngineSettings::default()
    });
    let mut effects = Vec::new();
    for i in 0..10 {
        let id = format!("live-{i}");
        engine
            .apply(
                Input::new(ix(&id), dispatch(ROUTE), Actor::Platform),
                &mut effects,
            )
            .unwrap();
    }
    end(&mut engine, "gone");
    assert_eq!(engine.len(), 10);
}

// ---------------------------------------------------------------------------------------------
// Agent sessions (MODEL.md section 6)
// ---------------------------------------------------------------------------------------------

#[test]
fn log_in_and_log_out_set_presence() {
    let mut engine = Engine::new();
    assert_eq!(engine.presence(ALICE), None);
    engine.log_in(agent(ALICE)).unwrap();
    assert_eq!(engine.presence(ALICE), Some(Presence::LoggedIn));
    engine.log_out(agent(ALICE)).unwrap();
    assert_eq!(engine.presence(ALICE), Some(Presence::LoggedOut));
    // Logging out an agent never seen makes it known, logged out.
    engine.log_out(agent(BOB)).unwrap();
    assert_eq!(engine.presence(BOB), Some(Presence::LoggedOut));
    engine.log_in(agent(BOB)).unwrap();
    assert_eq!(engine.presence(BOB), Some(Presence::LoggedIn));
}

#[test]
fn an_agent_seen_acting_or_named_becomes_known_without_changing_a_session() {
    let mut w = World::plain().queued();
    assert_eq!(w.engine.presence(ALICE), None);
    w.ok(
        Action::Offer {
            agent: agent(ALICE),
        },
        Actor::Platform,
    );
    assert_eq!(w.engine.presence(ALICE), Some(Presence::Seen));

    w.engine.log_in(agent(BOB)).unwrap();
    w.ok(Action::Reject, by(ALICE));
    w.ok(Action::Offer { agent: agent(BOB) }, Actor::Platform);
    w.ok(Action::Accept, by(BOB));
    assert_eq!(w.engine.presence(BOB), Some(Presence::LoggedIn));

    // An agent whose request is refused is not thereby known: the engine is unchanged.
    assert_eq!(w.refuse(Action::Hold, by(CAROL)), ErrorKind::NotOwner);
    assert_eq!(w.engine.presence(CAROL), None);

    // An agent acting for itself (dial) is seen.
    let mut w = World::plain();
    w.ok(dial_from(Caller::Agent(agent(CAROL))), by(CAROL));
    assert_eq!(w.engine.presence(CAROL), Some(Presence::Seen));
}
