//! Effects: what the caller should do after an input was applied (MODEL.md section 5).
//!
//! The engine performs no IO; it returns effects and the caller acts on them (sends the
//! provider notification, answers the request, redistributes the work). Responses to vendor
//! requests are the adapters' business: they know the wire format of the answer.

use crate::id::{AgentId, InteractionId, ProviderName};
use crate::state::Target;

/// A notification for a provider's endpoint (vcc-interactions-register.txt, "Callbacks").
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Notification {
    /// `AssignToAgent`: the interaction was connected to `agent`.
    AssignToAgent {
        /// The agent now owning the interaction (`params.AgentId`).
        agent: AgentId,
    },
    /// `Release`: the interaction was released by an agent or by the platform.
    Release,
}

impl Notification {
    /// The vendor's `notification` value: `AssignToAgent` or `Release`.
    pub const fn name(&self) -> &'static str {
        match self {
            Notification::AssignToAgent { .. } => "AssignToAgent",
            Notification::Release => "Release",
        }
    }
}

/// Something the caller should do; returned by [`crate::Engine::apply`], never performed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Effect {
    /// Tell `provider` about its interaction. Emitted for interactions dispatched with a
    /// provider: `AssignToAgent` when the interaction becomes connected to a new agent,
    /// `Release` when an agent or the platform (not the provider itself) releases it.
    /// Delivery (the registered endpoint and headers, and a fresh `notificationid`) is the
    /// caller's: see [`crate::Engine::provider`].
    Notify {
        /// The provider to notify.
        provider: ProviderName,
        /// The interaction (`objectid`).
        interaction: InteractionId,
        /// What happened.
        notification: Notification,
    },
    /// A completed transfer (`transferred`): ownership moved from `from` to `to`.
    Transferred {
        /// The interaction.
        interaction: InteractionId,
        /// The previous owner, when it had one.
        from: Option<AgentId>,
        /// The new owner.
        to: AgentId,
    },
    /// The interaction went back to waiting after a `reject`, a `revoke` or the offered agent's
    /// `disconnect`: distribute it again.
    Redistribute {
        /// The interaction.
        interaction: InteractionId,
        /// Where it waits; `None` when the platform never said which route or queue.
        target: Option<Target>,
    },
}

impl Effect {
    /// The effect's public type name: `notification`, `transferred` or `redistribute`.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Effect::Notify { .. } => "notification",
            Effect::Transferred { .. } => "transferred",
            Effect::Redistribute { .. } => "redistribute",
        }
    }
}
