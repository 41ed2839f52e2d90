//! Actions (MODEL.md section 3), actors (section 1) and the engine's input.

use core::hash::{Hash, Hasher};

use crate::api::Api;
use crate::id::{AgentId, IdempotencyKey, InteractionId, Name, ProviderName};
use crate::routing::Routing;
use crate::state::{Callee, Caller, Direction, Media};
use crate::value::UserData;

macro_rules! action_kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The kind of an interaction action, without its arguments. The snake_case names
        /// ([`ActionKind::name`]) are part of the public contract (MODEL.md section 3).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
        #[repr(u8)]
        pub enum ActionKind {
            $($(#[$doc])* $variant,)*
        }

        impl ActionKind {
            /// Every action kind, in the order of MODEL.md section 3.
            pub const ALL: [ActionKind; action_kinds!(@count $($variant)*)] = [$(ActionKind::$variant,)*];

            /// The public snake_case name, for example `transfer_to_agent`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ActionKind::$variant => $name,)*
                }
            }

            /// The action kind with that public name, if any.
            pub fn from_name(name: &str) -> Option<ActionKind> {
                match name {
                    $($name => Some(ActionKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + action_kinds!(@count $($tail)*) };
}

action_kinds! {
    /// Create the interaction, queued at a route.
    Dispatch = "dispatch",
    /// Present it to one agent.
    Offer = "offer",
    /// The offered agent takes it.
    Accept = "accept",
    /// The offered agent declines it; it goes back to its target.
    Reject = "reject",
    /// The platform withdraws the offer; it goes back to its target.
    Revoke = "revoke",
    /// The platform connects it straight to an agent.
    Assign = "assign",
    /// Put it on hold (live) or park it (nonlive).
    Hold = "hold",
    /// Take it off hold.
    Retrieve = "retrieve",
    /// Ask for a transfer to another agent: offered to that agent.
    TransferToAgent = "transfer_to_agent",
    /// Transfer to a route: queued there.
    TransferToRoute = "transfer_to_route",
    /// The platform reports a completed transfer: connected to the new agent.
    Transferred = "transferred",
    /// Place it in a queue for another agent.
    PlaceInQueue = "place_in_queue",
    /// Park it in a workbin for later.
    PlaceInWorkbin = "place_in_workbin",
    /// Take it out of a workbin.
    Pull = "pull",
    /// Create an outbound interaction.
    Dial = "dial",
    /// The outbound call was answered.
    Answer = "answer",
    /// The agent finished the work.
    Complete = "complete",
    /// Abandon an outbound interaction.
    Cancel = "cancel",
    /// End it.
    Release = "release",
    /// A party left the call (see MODEL.md section 3 for the three cases).
    Disconnect = "disconnect",
    /// Replace existing user-data keys and add new ones.
    UpdateUserData = "update_user_data",
    /// Add user-data keys that are not there yet.
    AttachUserData = "attach_user_data",
    /// Remove the named user-data keys.
    DeleteUserData = "delete_user_data",
}

impl ActionKind {
    /// Number of action kinds.
    pub const COUNT: usize = Self::ALL.len();
}

impl core::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// An action on one interaction, with its arguments (MODEL.md section 3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Action {
    /// Create the interaction queued at `route` (VCC Invoke `dispatch`).
    Dispatch {
        /// The named route (Invoke `route`).
        route: Name,
        /// Invoke `routingdata.interactiontype`.
        media: Media,
        /// Inbound for VCC dispatches.
        direction: Direction,
        /// Initial user data (the rest of Invoke `routingdata`).
        user_data: UserData,
    },
    /// Offer to `agent`.
    Offer {
        /// The agent it is offered to.
        agent: AgentId,
    },
    /// Accept the offer.
    Accept,
    /// Reject the offer.
    Reject,
    /// Withdraw the offer.
    Revoke,
    /// Connect straight to `agent` (VCC AssignToAgent callback).
    Assign {
        /// The new owner.
        agent: AgentId,
    },
    /// Hold or park.
    Hold,
    /// Retrieve from hold.
    Retrieve,
    /// Offer to `agent` as a transfer.
    TransferToAgent {
        /// The transfer destination.
        agent: AgentId,
    },
    /// Queue at `route` as a transfer.
    TransferToRoute {
        /// The destination route.
        route: Name,
    },
    /// A completed transfer: `agent` now owns it.
    Transferred {
        /// The new owner.
        agent: AgentId,
    },
    /// Queue at `queue` (GWS PlaceInQueue `queueName`).
    PlaceInQueue {
        /// The queue.
        queue: Name,
    },
    /// Park in `workbin` (GWS PlaceInWorkbin `workbin`).
    PlaceInWorkbin {
        /// The workbin.
        workbin: Name,
    },
    /// Take out of its workbin to `agent`.
    Pull {
        /// The agent who takes it (an agent actor may only pull to itself).
        agent: AgentId,
    },
    /// Create an outbound interaction from `from` to `to`.
    Dial {
        /// The caller (vcc-calls.txt `from`).
        from: Caller,
        /// The callee (vcc-calls.txt `to`).
        to: Callee,
        /// The media, `live` for calls.
        media: Media,
    },
    /// The outbound call was answered; `agent` names the owner when the caller was a group.
    Answer {
        /// The answering agent; defaults to the calling agent.
        agent: Option<AgentId>,
    },
    /// Finish the work.
    Complete,
    /// Abandon an outbound interaction.
    Cancel,
    /// End it.
    Release,
    /// `agent` left the call.
    Disconnect {
        /// The agent whose leg disconnected.
        agent: AgentId,
    },
    /// Replace and add keys.
    UpdateUserData {
        /// The keys and values.
        user_data: UserData,
    },
    /// Add keys not yet present.
    AttachUserData {
        /// The keys and values.
        user_data: UserData,
    },
    /// Remove keys.
    DeleteUserData {
        /// The keys to remove.
        keys: Vec<String>,
    },
}

impl Action {
    /// The action's kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Dispatch { .. } => ActionKind::Dispatch,
            Action::Offer { .. } => ActionKind::Offer,
            Action::Accept => ActionKind::Accept,
            Action::Reject => ActionKind::Reject,
            Action::Revoke => ActionKind::Revoke,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Hold => ActionKind::Hold,
            Action::Retrieve => ActionKind::Retrieve,
            Action::TransferToAgent { .. } => ActionKind::TransferToAgent,
            Action::TransferToRoute { .. } => ActionKind::TransferToRoute,
            Action::Transferred { .. } => ActionKind::Transferred,
            Action::PlaceInQueue { .. } => ActionKind::PlaceInQueue,
            Action::PlaceInWorkbin { .. } => ActionKind::PlaceInWorkbin,
            Action::Pull { .. } => ActionKind::Pull,
            Action::Dial { .. } => ActionKind::Dial,
            Action::Answer { .. } => ActionKind::Answer,
            Action::Complete => ActionKind::Complete,
            Action::Cancel => ActionKind::Cancel,
            Action::Release => ActionKind::Release,
            Action::Disconnect { .. } => ActionKind::Disconnect,
            Action::UpdateUserData { .. } => ActionKind::UpdateUserData,
            Action::AttachUserData { .. } => ActionKind::AttachUserData,
            Action::DeleteUserData { .. } => ActionKind::DeleteUserData,
        }
    }

    /// The agent the action names as its argument, if any (`offer`, `assign`,
    /// `transfer_to_agent`, `transferred`, `pull`, `disconnect`, `answer`).
    pub fn agent(&self) -> Option<&AgentId> {
        match self {
            Action::Offer { agent }
            | Action::Assign { agent }
            | Action::TransferToAgent { agent }
            | Action::Transferred { agent }
            | Action::Pull { agent }
            | Action::Disconnect { agent } => Some(agent),
            Action::Answer { agent } => agent.as_ref(),
            _ => None,
        }
    }
}

/// Who caused an input (MODEL.md section 1, "Actor").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Actor {
    /// An agent's request (GWS `/me` operations, a VCC agent's desktop action).
    Agent(AgentId),
    /// An API client, acting for the named provider if it names one (a VCC Invoke's optional
    /// `provider`; vcc-interactions-invoke.txt, "Invocation object").
    Provider(Option<ProviderName>),
    /// A fact reported by the vendor platform: VCC callbacks, GWS notifications, Anywhere365 events.
    Platform,
}

impl Actor {
    /// The acting agent, if the actor is one.
    pub fn agent(&self) -> Option<&AgentId> {
        match self {
            Actor::Agent(a) => Some(a),
            _ => None,
        }
    }
}

/// What to create when a platform fact names an interaction the engine has never seen
/// (MODEL.md section 6: "first sight of an id creates it").
///
/// A creating action (`dispatch`) carries its own media, direction and user data; of its first
/// sight only [`FirstSight::routing`] and [`FirstSight::drawn_id`] are read (a VCC dispatch
/// with routing data, or without `externalid`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FirstSight {
    /// The media of the new interaction.
    pub media: Media,
    /// The direction of the new interaction.
    pub direction: Direction,
    /// Its initial user data (for example the caller's number, Anywhere365 `ani`).
    pub user_data: UserData,
    /// Its routing data (linked records, personal queue, skills: [`Routing`]); `None` for none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub routing: Option<Box<Routing>>,
    /// The interaction's id was drawn by the adapter, not named by the request (a VCC dispatch
    /// without `externalid`): the request's fingerprint leaves the id out, so that the same
    /// request sent again under its idempotency key is a `duplicate` although the adapter drew
    /// another id for it (MODEL.md section 11).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub drawn_id: bool,
}

#[cfg(feature = "serde")]
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

impl FirstSight {
    /// A first sight with `media` and `direction`, no user data, no routing data.
    pub fn new(media: Media, direction: Direction) -> Self {
        FirstSight {
            media,
            direction,
            user_data: UserData::new(),
            routing: None,
            drawn_id: false,
        }
    }

    /// The same, with routing data `routing` (`None` when it is empty).
    #[must_use]
    pub fn with_routing(mut self, routing: Routing) -> Self {
        self.routing = (!routing.is_empty()).then(|| Box::new(routing));
        self
    }

    /// The same, for an interaction whose id the adapter drew ([`FirstSight::drawn_id`]).
    #[must_use]
    pub fn with_drawn_id(mut self) -> Self {
        self.drawn_id = true;
        self
    }
}

/// Hashed as before routing data and drawn ids existed when it has neither, so that the
/// fingerprints of requests without them (idempotency keys in snapshots) stay the same.
impl Hash for FirstSight {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.media.hash(state);
        self.direction.hash(state);
        self.user_data.hash(state);
        if let Some(routing) = &self.routing {
            routing.hash(state);
        }
        if self.drawn_id {
            state.write_u8(1);
        }
    }
}

/// One input for [`crate::Engine::apply`]: an action on an interaction by an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The interaction acted on.
    pub interaction: InteractionId,
    /// The action and its arguments.
    pub action: Action,
    /// Who acts.
    pub actor: Actor,
    /// An idempotency key (VCC `requestid`, `notificationid`): an input whose key was already
    /// applied is a `duplicate` and changes nothing.
    pub key: Option<IdempotencyKey>,
    /// For a platform `offer` or `assign` on an unknown id: create the interaction with this
    /// media and direction instead of refusing it as `unknown_interaction`. For a creating
    /// action (`dispatch`): its routing data, and whether its id was drawn ([`FirstSight`]).
    pub first_sight: Option<FirstSight>,
    /// The vendor API the input came through ([`Api::Core`] unless set): an interaction belongs
    /// to the API that created it, and another vendor API's input for it is refused
    /// (MODEL.md section 11).
    pub api: Api,
    /// Whether the interaction requires after-call work when this input ends its media (a
    /// `release`, the owner's `disconnect`): a vendor fact where the vendor says so (GWS: a
    /// `Released` call that still offers completion). `None`: the engine's setting for the
    /// interaction's media decides ([`crate::EngineSettings::wrap_up`]).
    pub wrap_up: Option<bool>,
    /// The caller's time when the input happened, in monotonic milliseconds (MODEL.md section
    /// 10: time is an input; the core reads no clock). It advances the engine's clock
    /// ([`crate::Engine::now`]) when later than it (an earlier time keeps the clock; a refused
    /// input or a duplicate moves nothing), and the timers this input arms run from the clock.
    /// `None`: the clock as it is. Timers that fall due are fired by
    /// [`crate::Engine::handle_timeout`], never by `apply`: call it with the same `now` first.
    pub now: Option<u64>,
}

impl Input {
    /// An input with no idempotency key and no first-sight creation, through [`Api::Core`].
    pub fn new(interaction: InteractionId, action: Action, actor: Actor) -> Self {
        Input {
            interaction,
            action,
            actor,
            key: None,
            first_sight: None,
            api: Api::Core,
            wrap_up: None,
            now: None,
        }
    }

    /// The same input, happened at `now` (monotonic milliseconds, [`Input::now`]).
    #[must_use]
    pub fn at(mut self, now: u64) -> Self {
        self.now = Some(now);
        self
    }

    /// The same input, saying whether the interaction requires after-call work when it ends
    /// its media ([`Input::wrap_up`]).
    #[must_use]
    pub fn with_wrap_up(mut self, wrap_up: bool) -> Self {
        self.wrap_up = Some(wrap_up);
        self
    }

    /// The same input, come through `api` (the adapters set their own).
    #[must_use]
    pub fn via(mut self, api: Api) -> Self {
        self.api = api;
        self
    }

    /// The same input with idempotency key `key`.
    #[must_use]
    pub fn with_key(mut self, key: IdempotencyKey) -> Self {
        self.key = Some(key);
        self
    }

    /// The same input, creating the interaction on first sight (platform `offer`/`assign` only).
    #[must_use]
    pub fn with_first_sight(mut self, media: Media, direction: Direction) -> Self {
        self.first_sight = Some(FirstSight::new(media, direction));
        self
    }

    /// The same input, creating the interaction on first sight with initial `user_data`.
    #[must_use]
    pub fn with_first_sight_data(
        mut self,
        media: Media,
        direction: Direction,
        user_data: UserData,
    ) -> Self {
        self.first_sight = Some(FirstSight {
            user_data,
            ..FirstSight::new(media, direction)
        });
        self
    }
}
