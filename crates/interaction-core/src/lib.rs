//! The pure core of the `interactions` workspace: contact-center interactions (calls, chats,
//! emails, workitems) as state machines, provider permission rules, agent sessions, and an
//! [`Engine`] that holds many interactions.
//!
//! **Sans-IO and deterministic.** This crate does no IO, reads no clock and draws no random
//! numbers that can be observed; it never sees JSON. Inputs go in ([`Engine::apply`] with an
//! [`Input`]), an outcome ([`Step`] or [`Error`]) and [`Effect`]s come out, and the caller performs
//! them. The same inputs in the same order always give the same outcomes and effects. Vendor wire
//! formats live in the adapter crates (`interaction-vcc`, ...), which map onto these types.
//!
//! The public names (states, actions, outcomes, error kinds) follow `shared/design/MODEL.md`
//! and are a contract: [`StateKind::name`], [`ActionKind::name`], [`Outcome::name`],
//! [`ErrorKind::name`].
//!
//! # The API in one place
//!
//! * Data: [`State`] / [`StateKind`] (MODEL.md section 2), [`Action`] / [`ActionKind`] and
//!   [`Actor`] (section 3), [`Permissions`] and [`ProviderSettings`] (section 4), user data as
//!   [`UserData`] of [`Value`]s, routing data as [`Routing`] (linked records, a personal
//!   queue, skills: [`Interaction::routing`]); ids are newtypes ([`InteractionId`], [`AgentId`],
//!   [`ProviderName`], [`Name`], [`IdempotencyKey`]).
//! * The lifecycle as data: [`table::TRANSITIONS`], one [`table::Rule`] per action. `apply`,
//!   `allowed`, the docs and the diagram all read it.
//! * The engine (section 5): [`Engine::apply`], [`Engine::log_in`], [`Engine::log_out`],
//!   [`Engine::register_provider`]; queries [`Engine::allowed`], [`Engine::interaction`],
//!   [`Engine::presence`], [`Engine::live_calls`], [`Engine::workbin_content`]; bounds in
//!   [`EngineSettings`]. With the `serde` feature the engine snapshots and restores.
//!
//! ```
//! use interaction_core::*;
//!
//! let mut engine = Engine::new();
//! let mut effects = Vec::new();
//! let id = InteractionId::parse("88381694", "externalid")?;
//! let agent = AgentId::parse("5464", "AgentId")?;
//! let route = Name::parse("Route Interaction NR", "route")?;
//!
//! let dispatch = Action::Dispatch {
//!     route,
//!     media: Media::Nonlive,
//!     direction: Direction::Inbound,
//!     user_data: UserData::new(),
//! };
//! let step = engine.apply(Input::new(id.clone(), dispatch, Actor::Provider(None)), &mut effects)?;
//! assert_eq!(step.to, Some(StateKind::Queued));
//!
//! let assign = Action::Assign { agent: agent.clone() };
//! engine.apply(Input::new(id.clone(), assign, Actor::Platform), &mut effects)?;
//! assert!(engine.allowed("88381694", "5464").contains(ActionKind::Release));
//!
//! // Another agent may not release it: refused, and nothing changes.
//! let before = engine.clone();
//! let other = Actor::Agent(AgentId::parse("9999", "AgentId")?);
//! let err = engine.apply(Input::new(id, Action::Release, other), &mut effects).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::NotOwner);
//! assert_eq!(engine, before);
//! # Ok::<(), Error>(())
//! ```

mod action;
mod api;
mod effect;
mod engine;
mod error;
mod id;
mod permission;
mod routing;
mod state;
mod store;
pub mod table;
pub mod text;
mod value;

pub use action::{Action, ActionKind, Actor, FirstSight, Input};
pub use api::{Api, ApiSet};
pub use effect::{Effect, Notification};
pub use engine::{
    AGENT_TRANSITIONS, ActionSet, Activity, AgentAction, AgentActionKind, AgentActionSet,
    AgentRule, AgentState, AgentStep, Availability, Engine, EngineSettings, Fired, FiredStep,
    Interaction, Outcome, Presence, Registration, Session, Step, Timer, agent_rule_for,
};
pub use error::{Error, ErrorKind, MAX_MESSAGE_CHARS, Refusal};
pub use id::{AgentId, IdempotencyKey, InteractionId, MAX_ID_LEN, Name, ProviderName, check_id};
pub use permission::{Permission, Permissions, ProviderSettings};
pub use routing::{Link, LinkKind, PersonalQueue, Routing, Skill};
pub use state::{Callee, Caller, Direction, EndReason, Media, MediaSet, State, StateKind, Target};
pub use value::{MAX_USER_DATA_BYTES, Number, UserData, Value, encoded_len};
