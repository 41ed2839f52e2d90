//! Lifecycle states (MODEL.md section 2) and the data they carry.
//!
//! ```text
//!             dispatch                 offer              accept / assign / transferred
//!   (new) ───────────────▶ queued ───────────▶ offered ─────────────────────────────▶ connected
//!                            ▲  ▲   reject / revoke │                                  │  ▲
//!                            │  └───────────────────┘                         hold     │  │ retrieve
//!                            │     transfer_to_route / place_in_queue                  ▼  │
//!                            └──────────────────────────────────────────────────── held ─┘
//!   (new) ── dial ──▶ dialing ── answer ──▶ connected        place_in_workbin ──▶ in_workbin ── pull ──▶ connected
//!   any state but ended ── release / complete / cancel / disconnect(owner) ──▶ ended (absorbing)
//!   connected / held / dialing ── release / disconnect(owner), wrap-up required ──▶ wrap_up ── complete ──▶ ended
//! ```
//!
//! The full, exact table is [`crate::table::TRANSITIONS`]; `docs/lifecycle.md` is generated from it.

use crate::id::{AgentId, Name};

/// The kind of a lifecycle state, without its data. The snake_case names ([`StateKind::name`])
/// are part of the public contract (MODEL.md section 2): other tools read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[repr(u8)]
pub enum StateKind {
    /// Waiting at a target (route or queue) for distribution. CSTA Queued.
    Queued,
    /// Presented to one agent, not yet accepted (GWS Invited, Anywhere365 Hunting). CSTA Alerting.
    Offered,
    /// Owned and worked by one agent. CSTA Connected, JTAPI ESTABLISHED.
    Connected,
    /// Owned, on hold (live) or parked (nonlive). CSTA Hold.
    Held,
    /// Outbound, requested, not yet answered. CSTA Initiated, JTAPI DIALING.
    Dialing,
    /// Parked in a workbin for later (GWS InWorkbin).
    InWorkbin,
    /// After-call work: the media has ended, the owner still holds the work (dispositions,
    /// notes, user data) until it is completed (MODEL.md section 10). Finesse WORK, Amazon
    /// Connect AfterContactWork.
    WrapUp,
    /// Terminal and absorbing. CSTA Null, JTAPI DISCONNECTED.
    Ended,
}

impl StateKind {
    /// Every state kind, in declaration order.
    pub const ALL: [StateKind; 8] = [
        StateKind::Queued,
        StateKind::Offered,
        StateKind::Connected,
        StateKind::Held,
        StateKind::Dialing,
        StateKind::InWorkbin,
        StateKind::WrapUp,
        StateKind::Ended,
    ];

    /// The public snake_case name: `queued`, `offered`, `connected`, `held`, `dialing`,
    /// `in_workbin`, `wrap_up`, `ended`.
    pub const fn name(self) -> &'static str {
        match self {
            StateKind::Queued => "queued",
            StateKind::Offered => "offered",
            StateKind::Connected => "connected",
            StateKind::Held => "held",
            StateKind::Dialing => "dialing",
            StateKind::InWorkbin => "in_workbin",
            StateKind::WrapUp => "wrap_up",
            StateKind::Ended => "ended",
        }
    }

    /// The state kind with that public name, if any.
    pub fn from_name(name: &str) -> Option<StateKind> {
        StateKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// This kind's bit in a [`crate::table::StateSet`].
    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl core::fmt::Display for StateKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an interaction ended (MODEL.md section 2, `ended` reason). Public snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EndReason {
    /// Ended by `release` (VCC release, GWS Released).
    Released,
    /// Ended by `complete` (GWS Complete / Completed).
    Completed,
    /// Ended by `cancel` of an outbound interaction (GWS Cancel).
    Cancelled,
    /// Ended by the owner's `disconnect` (Anywhere365 Disconnected).
    Disconnected,
}

impl EndReason {
    /// The public name: `released`, `completed`, `cancelled`, `disconnected`.
    pub const fn name(self) -> &'static str {
        match self {
            EndReason::Released => "released",
            EndReason::Completed => "completed",
            EndReason::Cancelled => "cancelled",
            EndReason::Disconnected => "disconnected",
        }
    }
}

impl core::fmt::Display for EndReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The interaction's media (MODEL.md section 1). VCC `routingdata.interactiontype` uses the
/// same three names (vcc-interactions-invoke.txt, "interactiontype").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Media {
    /// Voice.
    Live,
    /// Email, workitem, case.
    Nonlive,
    /// Web chat.
    Chat,
}

impl Media {
    /// The public name: `live`, `nonlive`, `chat`.
    pub const fn name(self) -> &'static str {
        match self {
            Media::Live => "live",
            Media::Nonlive => "nonlive",
            Media::Chat => "chat",
        }
    }

    /// The media with that public name, if any.
    pub fn from_name(name: &str) -> Option<Media> {
        [Media::Live, Media::Nonlive, Media::Chat]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// A set of [`Media`], as a bit set: which media require after-call work
/// ([`crate::EngineSettings::wrap_up`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MediaSet(u8);

impl MediaSet {
    /// No media.
    pub const EMPTY: MediaSet = MediaSet(0);
    /// Every media.
    pub const ALL: MediaSet = MediaSet(0b111);

    const fn bit(media: Media) -> u8 {
        match media {
            Media::Live => 1,
            Media::Nonlive => 2,
            Media::Chat => 4,
        }
    }

    /// The set of `media`.
    pub fn of(media: &[Media]) -> MediaSet {
        MediaSet(media.iter().fold(0, |bits, m| bits | Self::bit(*m)))
    }

    /// Whether `media` is in the set.
    pub const fn contains(self, media: Media) -> bool {
        self.0 & Self::bit(media) != 0
    }

    /// The set with `media` added.
    #[must_use]
    pub const fn with(self, media: Media) -> MediaSet {
        MediaSet(self.0 | Self::bit(media))
    }

    /// The media in the set: `live`, `nonlive`, `chat` order.
    pub fn iter(self) -> impl Iterator<Item = Media> {
        [Media::Live, Media::Nonlive, Media::Chat]
            .into_iter()
            .filter(move |m| self.contains(*m))
    }
}

/// Serialized as the list of the media's names (`["live", "chat"]`).
#[cfg(feature = "serde")]
impl serde::Serialize for MediaSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MediaSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let media = Vec::<Media>::deserialize(deserializer)?;
        Ok(MediaSet::of(&media))
    }
}

/// The interaction's direction (MODEL.md section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// From a customer to the contact center.
    Inbound,
    /// From the contact center to a customer (a dial).
    Outbound,
}

impl Direction {
    /// The public name: `inbound`, `outbound`.
    pub const fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    /// The direction with that public name, if any.
    pub fn from_name(name: &str) -> Option<Direction> {
        [Direction::Inbound, Direction::Outbound]
            .into_iter()
            .find(|d| d.name() == name)
    }
}

/// Where waiting work sits (MODEL.md section 1, "Target"): a VCC named route or a GWS queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Target {
    /// A VCC named route (Invoke `route`).
    Route(Name),
    /// A GWS queue (`PlaceInQueue` `queueName`).
    Queue(Name),
}

impl Target {
    /// The route or queue name.
    pub fn name(&self) -> &Name {
        match self {
            Target::Route(n) | Target::Queue(n) => n,
        }
    }
}

/// Who an outbound interaction is placed from (vcc-calls.txt, `from`: `agentId` or `groups`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Caller {
    /// One agent (`from.agentId`); that agent owns the call once answered.
    Agent(AgentId),
    /// Agent groups by display id (`from.groups`); the answering agent is named by `answer`.
    Groups(Vec<Name>),
}

/// Who an outbound interaction is placed to (vcc-calls.txt, `to`: `telephoneNumber` or `agentId`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Callee {
    /// A telephone number (E.164 text, at most 30 characters in the Calls API).
    Number(Name),
    /// Another agent.
    Agent(AgentId),
}

/// A lifecycle state with its data (MODEL.md section 2).
///
/// The target an interaction last waited at is kept on the [`crate::Interaction`] itself (so a
/// `reject` can send it back there), not in the state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum State {
    /// Waiting for distribution at the interaction's target.
    Queued,
    /// Presented to `agent`.
    Offered {
        /// The agent the interaction is offered to.
        agent: AgentId,
    },
    /// Owned and worked by `owner`.
    Connected {
        /// The owning agent.
        owner: AgentId,
    },
    /// Owned by `owner`, on hold or parked.
    Held {
        /// The owning agent.
        owner: AgentId,
    },
    /// Outbound, requested, not yet answered.
    Dialing {
        /// Who the call is placed from; boxed to keep every state small.
        call: Box<(Caller, Callee)>,
    },
    /// Parked in `workbin`; `last_owner` is the agent who put it there.
    InWorkbin {
        /// The workbin.
        workbin: Name,
        /// The agent who placed it there, if known.
        last_owner: Option<AgentId>,
    },
    /// After-call work by `owner`: the media ended, the work is not completed yet.
    WrapUp {
        /// The agent doing the after-call work (the owner when the media ended).
        owner: AgentId,
    },
    /// Terminal and absorbing.
    Ended {
        /// Why it ended.
        reason: EndReason,
    },
}

impl State {
    /// The state's kind.
    pub fn kind(&self) -> StateKind {
        match self {
            State::Queued => StateKind::Queued,
            State::Offered { .. } => StateKind::Offered,
            State::Connected { .. } => StateKind::Connected,
            State::Held { .. } => StateKind::Held,
            State::Dialing { .. } => StateKind::Dialing,
            State::InWorkbin { .. } => StateKind::InWorkbin,
            State::WrapUp { .. } => StateKind::WrapUp,
            State::Ended { .. } => StateKind::Ended,
        }
    }

    /// The agent that owns the interaction now: the owner when connected, held or in wrap-up,
    /// the calling agent when dialing from one agent; `None` otherwise.
    pub fn owner(&self) -> Option<&AgentId> {
        match self {
            State::Connected { owner } | State::Held { owner } | State::WrapUp { owner } => {
                Some(owner)
            }
            State::Dialing { call } => match &call.0 {
                Caller::Agent(a) => Some(a),
                Caller::Groups(_) => None,
            },
            _ => None,
        }
    }

    /// The agent the interaction is offered to, when offered.
    pub fn offered_to(&self) -> Option<&AgentId> {
        match self {
            State::Offered { agent } => Some(agent),
            _ => None,
        }
    }

    /// The end reason, when ended.
    pub fn end_reason(&self) -> Option<EndReason> {
        match self {
            State::Ended { reason } => Some(*reason),
            _ => None,
        }
    }
}
