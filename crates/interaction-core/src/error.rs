//! Typed errors with the public error kinds of MODEL.md section 5.
//!
//! One error type serves the core and every adapter, so that a replay record's
//! `error.kind` is always one of [`ErrorKind`]'s snake_case names whichever layer refused the
//! input. Every message names the field, state, agent or provider involved.

use std::borrow::Cow;

use crate::action::ActionKind;
use crate::id::{AgentId, InteractionId, ProviderName};
use crate::state::{EndReason, StateKind};

/// The public error kinds (MODEL.md section 5). The snake_case names ([`ErrorKind::name`]) are
/// part of the contract: other tools read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not JSON, or JSON of the wrong shape or type.
    Malformed,
    /// A required field is absent (or empty).
    MissingField,
    /// A field is present but its value is not acceptable.
    InvalidField,
    /// An unknown operation, notification, event type, state or api.
    Unsupported,
    /// No interaction with that id is known.
    UnknownInteraction,
    /// An interaction with that id is already live.
    AlreadyExists,
    /// The interaction has ended; ended is absorbing.
    AlreadyEnded,
    /// The action is not legal from the interaction's current state.
    InvalidTransition,
    /// The acting agent neither owns the interaction nor has it offered.
    NotOwner,
    /// The actor may not take this action (provider permission rules, or the wrong kind of actor).
    NotPermitted,
    /// The named provider was never registered.
    UnknownProvider,
    /// The provider named is not the one the interaction was dispatched with.
    ProviderMismatch,
    /// The agent is not known to the engine.
    UnknownAgent,
    /// The agent is busy on a live interaction.
    AgentBusy,
    /// The agent is known but not available.
    AgentUnavailable,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::Malformed,
        ErrorKind::MissingField,
        ErrorKind::InvalidField,
        ErrorKind::Unsupported,
        ErrorKind::UnknownInteraction,
        ErrorKind::AlreadyExists,
        ErrorKind::AlreadyEnded,
        ErrorKind::InvalidTransition,
        ErrorKind::NotOwner,
        ErrorKind::NotPermitted,
        ErrorKind::UnknownProvider,
        ErrorKind::ProviderMismatch,
        ErrorKind::UnknownAgent,
        ErrorKind::AgentBusy,
        ErrorKind::AgentUnavailable,
    ];

    /// The public snake_case name, for example `not_owner`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "malformed",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::InvalidField => "invalid_field",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::UnknownInteraction => "unknown_interaction",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::AlreadyEnded => "already_ended",
            ErrorKind::InvalidTransition => "invalid_transition",
            ErrorKind::NotOwner => "not_owner",
            ErrorKind::NotPermitted => "not_permitted",
            ErrorKind::UnknownProvider => "unknown_provider",
            ErrorKind::ProviderMismatch => "provider_mismatch",
            ErrorKind::UnknownAgent => "unknown_agent",
            ErrorKind::AgentBusy => "agent_busy",
            ErrorKind::AgentUnavailable => "agent_unavailable",
        }
    }
}

impl core::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an input was refused. [`Error::kind`] gives the stable public kind; `Display` gives a
/// message for people that names the field or state involved.
///
/// A refused input never changes the engine (MODEL.md section 5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not JSON, or the wrong shape or type; `detail` says where.
    #[error("malformed input: {detail}")]
    Malformed {
        /// What was wrong, with the field path or position where known.
        detail: String,
    },
    /// A required field is absent or empty.
    #[error("missing required field `{field}`")]
    MissingField {
        /// The field, with the vendor's name (for example `externalid`).
        field: Cow<'static, str>,
    },
    /// A field's value is refused; `reason` says why.
    #[error("invalid `{field}`: {reason}")]
    InvalidField {
        /// The field, with the vendor's name.
        field: Cow<'static, str>,
        /// Why it was refused.
        reason: Cow<'static, str>,
    },
    /// An unknown operation, notification, event type, state or api.
    #[error("unsupported {what} `{value}`")]
    Unsupported {
        /// What kind of thing was not recognised (for example `notification`).
        what: Cow<'static, str>,
        /// The value that came.
        value: String,
    },
    /// No interaction has that id.
    #[error("unknown interaction `{interaction}`")]
    UnknownInteraction {
        /// The id asked for.
        interaction: InteractionId,
    },
    /// The interaction is already live; a second creation is refused.
    #[error("interaction `{interaction}` already exists (state `{state}`)")]
    AlreadyExists {
        /// The id.
        interaction: InteractionId,
        /// Its current state.
        state: StateKind,
    },
    /// The interaction has ended; nothing more may happen to it.
    #[error("interaction `{interaction}` already ended ({reason}); `{action}` refused")]
    AlreadyEnded {
        /// The id.
        interaction: InteractionId,
        /// Why it ended.
        reason: EndReason,
        /// The refused action.
        action: ActionKind,
    },
    /// The action is not legal from the current state.
    #[error("`{action}` is not allowed from state `{state}`{detail}")]
    InvalidTransition {
        /// The refused action.
        action: ActionKind,
        /// The current state.
        state: StateKind,
        /// Extra detail (empty, or a sentence starting with `: `).
        detail: &'static str,
    },
    /// The acting agent neither owns nor has been offered the interaction.
    #[error("agent `{agent}` may not `{action}`: {holder}")]
    NotOwner {
        /// The refused action.
        action: ActionKind,
        /// The agent that tried.
        agent: AgentId,
        /// Who holds the interaction, in words.
        holder: String,
    },
    /// The actor may not take the action.
    #[error("`{action}` is not permitted: {reason}")]
    NotPermitted {
        /// The refused action.
        action: ActionKind,
        /// Why: the provider rule or the actor kind.
        reason: Cow<'static, str>,
    },
    /// The provider was never registered.
    #[error("unknown provider `{provider}` (register it first)")]
    UnknownProvider {
        /// The provider named.
        provider: ProviderName,
    },
    /// The provider named differs from the interaction's.
    #[error(
        "provider mismatch: interaction was dispatched with provider `{expected}`, request names {got}"
    )]
    ProviderMismatch {
        /// The interaction's provider.
        expected: ProviderName,
        /// The provider the request named, in words (for example: provider `x`, or: no provider).
        got: String,
    },
    /// The agent is not known.
    #[error("{message}")]
    UnknownAgent {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
    /// The agent is busy on a live interaction.
    #[error("{message}")]
    AgentBusy {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
    /// The agent is not available.
    #[error("{message}")]
    AgentUnavailable {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
}

impl Error {
    /// The stable public kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::MissingField { .. } => ErrorKind::MissingField,
            Error::InvalidField { .. } => ErrorKind::InvalidField,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::UnknownInteraction { .. } => ErrorKind::UnknownInteraction,
            Error::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Error::AlreadyEnded { .. } => ErrorKind::AlreadyEnded,
            Error::InvalidTransition { .. } => ErrorKind::InvalidTransition,
            Error::NotOwner { .. } => ErrorKind::NotOwner,
            Error::NotPermitted { .. } => ErrorKind::NotPermitted,
            Error::UnknownProvider { .. } => ErrorKind::UnknownProvider,
            Error::ProviderMismatch { .. } => ErrorKind::ProviderMismatch,
            Error::UnknownAgent { .. } => ErrorKind::UnknownAgent,
            Error::AgentBusy { .. } => ErrorKind::AgentBusy,
            Error::AgentUnavailable { .. } => ErrorKind::AgentUnavailable,
        }
    }

    /// A [`Error::Malformed`] with `detail`.
    pub fn malformed(detail: impl Into<String>) -> Self {
        Error::Malformed {
            detail: detail.into(),
        }
    }

    /// A [`Error::MissingField`] naming `field`.
    pub fn missing_field(field: impl Into<Cow<'static, str>>) -> Self {
        Error::MissingField {
            field: field.into(),
        }
    }

    /// A [`Error::InvalidField`] naming `field`, with `reason`.
    pub fn invalid_field(
        field: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::InvalidField {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Unsupported`]: `what` (for example `operationName`) had the unknown `value`.
    pub fn unsupported(what: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        Error::Unsupported {
            what: what.into(),
            value: value.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_public_contract() {
        let names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "malformed",
                "missing_field",
                "invalid_field",
                "unsupported",
                "unknown_interaction",
                "already_exists",
                "already_ended",
                "invalid_transition",
                "not_owner",
                "not_permitted",
                "unknown_provider",
                "provider_mismatch",
                "unknown_agent",
                "agent_busy",
                "agent_unavailable"
            ]
        );
    }

    #[test]
    fn messages_name_the_field() {
        let e = Error::missing_field("externalid");
        assert_eq!(e.kind(), ErrorKind::MissingField);
        assert_eq!(e.to_string(), "missing required field `externalid`");
        let e = Error::invalid_field("endpoint", "must be an absolute https:// URL");
        assert_eq!(
            e.to_string(),
            "invalid `endpoint`: must be an absolute https:// URL"
        );
    }
}
