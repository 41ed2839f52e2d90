//! Typed errors with the public error kinds of MODEL.md section 5, split by layer behind the
//! shared [`ErrorKind`]:
//!
//! * what decoding refuses (the input's shape, before any state is read): [`Error`]'s own
//!   variants, [`Error::Malformed`], [`Error::MissingField`], [`Error::InvalidField`],
//!   [`Error::Unsupported`] and the vendor-worded two;
//! * what the engine refuses (an input that reads, against the state it holds): [`Refusal`],
//!   which every engine call returns, and [`Error::Refused`] where an item holds any error;
//! * what an endpoint answers is the vendor crates' (a `Response` per refusal, built from these
//!   variants: the VCC Calls API's `415` has its own type, `UnsupportedContentType`).
//!
//! So a replay record's `error.kind` is always one of [`ErrorKind`]'s snake_case names,
//! whichever layer refused the input. Every message names the field, state, agent or provider
//! involved.

use std::borrow::Cow;

use crate::action::ActionKind;
use crate::engine::{AgentActionKind, Session};
use crate::id::{AgentId, IdempotencyKey, InteractionId, ProviderName};
use crate::state::{EndReason, StateKind};
use crate::text::{Escaping, quote};

/// The most characters a message ([`Error`]'s `Display`) has; a longer one is cut with `…`.
pub const MAX_MESSAGE_CHARS: usize = 1024;

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
    /// An idempotency key already named a different request in its scope (MODEL.md section 11).
    IdempotencyConflict,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 16] = [
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
        ErrorKind::IdempotencyConflict,
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
            ErrorKind::IdempotencyConflict => "idempotency_conflict",
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Not JSON, or the wrong shape or type; `detail` says where.
    Malformed {
        /// What was wrong, with the field path or position where known.
        detail: String,
    },
    /// A required field is absent or empty.
    MissingField {
        /// The field, with the vendor's name (for example `externalid`).
        field: Cow<'static, str>,
    },
    /// A required field is absent, with a fixed message in the vendor's own words (the VCC
    /// Calls API's 400 list, vcc-calls.txt: "Agent Id must be specified"): kind
    /// `missing_field`, shown as [`Error::MissingField`] is. The vendor's endpoint answers with
    /// `message` alone, read from this variant, not by comparing field names.
    MissingFieldWorded {
        /// The field, with the vendor's name.
        field: &'static str,
        /// The vendor's message.
        message: &'static str,
    },
    /// A field's value is refused; `reason` says why.
    InvalidField {
        /// The field, with the vendor's name.
        field: Cow<'static, str>,
        /// Why it was refused.
        reason: Cow<'static, str>,
    },
    /// A field's value is refused with a fixed message in the vendor's own words (the VCC Calls
    /// API's 400 list, vcc-calls.txt): kind `invalid_field`, shown as [`Error::InvalidField`]
    /// is. The vendor's endpoint answers with `message` alone, read from this variant, not by
    /// comparing texts.
    InvalidFieldWorded {
        /// The field, with the vendor's name.
        field: &'static str,
        /// The vendor's message.
        message: &'static str,
    },
    /// An unknown operation, notification, event type, state or api.
    Unsupported {
        /// What kind of thing was not recognised (for example `notification`).
        what: Cow<'static, str>,
        /// The value that came.
        value: String,
    },
    /// What the engine (or an adapter checking against the engine's state) refuses: the input
    /// reads, but not against the state the engine holds.
    Refused(Refusal),
}

/// What the engine refuses (MODEL.md section 5): an input that reads, refused against the state
/// the engine holds: the interaction, its owner, the provider's rules, the agents' sessions,
/// the idempotency keys, the engine's bounds. Every engine call that changes state returns it
/// ([`crate::Engine::apply`], [`crate::Engine::log_in`], ...), never a decoding error; an
/// adapter checking an input against the engine's state (the VCC Calls API's agent checks)
/// refuses with it too. An item or record holds it as [`Error::Refused`]; its kind is one of
/// [`ErrorKind`]'s, its message as [`Error`]'s.
///
/// A refused input never changes the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No interaction has that id.
    UnknownInteraction {
        /// The id asked for.
        interaction: InteractionId,
    },
    /// The interaction is already live; a second creation is refused.
    AlreadyExists {
        /// The id.
        interaction: InteractionId,
        /// Its current state.
        state: StateKind,
    },
    /// The interaction has ended; nothing more may happen to it.
    AlreadyEnded {
        /// The id.
        interaction: InteractionId,
        /// Why it ended.
        reason: EndReason,
        /// The refused action.
        action: ActionKind,
    },
    /// The action is not legal from the current state.
    InvalidTransition {
        /// The refused action.
        action: ActionKind,
        /// The current state.
        state: StateKind,
        /// Extra detail (empty, or a sentence starting with `: `).
        detail: &'static str,
    },
    /// The agent action is not legal from the agent's session (MODEL.md section 10: a
    /// logged-out agent cannot become ready). Kind `invalid_transition`.
    InvalidAgentTransition {
        /// The agent.
        agent: AgentId,
        /// The refused agent action.
        action: AgentActionKind,
        /// The agent's session.
        session: Session,
    },
    /// The acting agent neither owns nor has been offered the interaction.
    NotOwner {
        /// The refused action.
        action: ActionKind,
        /// The agent that tried.
        agent: AgentId,
        /// Who holds the interaction, in words.
        holder: String,
    },
    /// The actor may not take the action.
    NotPermitted {
        /// The refused action.
        action: ActionKind,
        /// Why: the provider rule or the actor kind.
        reason: Cow<'static, str>,
    },
    /// The provider was never registered.
    UnknownProvider {
        /// The provider named.
        provider: ProviderName,
    },
    /// The provider named differs from the interaction's.
    ProviderMismatch {
        /// The interaction's provider.
        expected: ProviderName,
        /// The provider the request named, in words (for example: provider `x`, or: no provider).
        got: String,
    },
    /// The agent is not known.
    UnknownAgent {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
    /// The agent is busy on a live interaction.
    AgentBusy {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
    /// The agent is not available.
    AgentUnavailable {
        /// The agent.
        agent: AgentId,
        /// The message (vendor wording where a vendor gives one).
        message: Cow<'static, str>,
    },
    /// The idempotency key was applied before with a different request in the same scope
    /// (MODEL.md section 11): a key names one request.
    IdempotencyConflict {
        /// The key, with its field and scope ([`IdempotencyKey::parts`]).
        key: IdempotencyKey,
    },
    /// A bound of [`crate::EngineSettings`] is reached: the input would add one more
    /// interaction, agent or provider than the engine may hold. Kind `not_permitted`.
    LimitReached {
        /// What is full: `live interactions`, `agents`, `providers`.
        what: &'static str,
        /// The setting that bounds it (`max_live`, `max_agents`, `max_providers`).
        setting: &'static str,
        /// Its value.
        limit: usize,
    },
    /// An `answer` that names no agent, of an interaction no agent owns (the calling agent
    /// answers for itself): kind `missing_field`, `missing required field `agent``.
    AgentNeeded,
    /// A user-data change that would leave the interaction more than
    /// [`crate::MAX_USER_DATA_BYTES`] of JSON: kind `invalid_field` `user_data`.
    UserDataTooLarge {
        /// The bytes of JSON it would hold.
        len: usize,
    },
}

impl Error {
    /// The stable public kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::MissingField { .. } | Error::MissingFieldWorded { .. } => {
                ErrorKind::MissingField
            }
            Error::InvalidField { .. } | Error::InvalidFieldWorded { .. } => {
                ErrorKind::InvalidField
            }
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Refused(refusal) => refusal.kind(),
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

    /// An [`Error::Unsupported`]: `what` (for example `operationName`) had the unknown `value`,
    /// which is kept escaped and cut to [`crate::text::QUOTE_MAX_CHARS`] characters
    /// ([`crate::text::quote`]): it came from outside.
    pub fn unsupported(what: impl Into<Cow<'static, str>>, value: impl AsRef<str>) -> Self {
        Error::Unsupported {
            what: what.into(),
            value: quote(value.as_ref()).into_owned(),
        }
    }
}

impl Refusal {
    /// The stable public kind of this refusal.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Refusal::UnknownInteraction { .. } => ErrorKind::UnknownInteraction,
            Refusal::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Refusal::AlreadyEnded { .. } => ErrorKind::AlreadyEnded,
            Refusal::InvalidTransition { .. } | Refusal::InvalidAgentTransition { .. } => {
                ErrorKind::InvalidTransition
            }
            Refusal::NotOwner { .. } => ErrorKind::NotOwner,
            Refusal::NotPermitted { .. } | Refusal::LimitReached { .. } => ErrorKind::NotPermitted,
            Refusal::UnknownProvider { .. } => ErrorKind::UnknownProvider,
            Refusal::ProviderMismatch { .. } => ErrorKind::ProviderMismatch,
            Refusal::UnknownAgent { .. } => ErrorKind::UnknownAgent,
            Refusal::AgentBusy { .. } => ErrorKind::AgentBusy,
            Refusal::AgentUnavailable { .. } => ErrorKind::AgentUnavailable,
            Refusal::IdempotencyConflict { .. } => ErrorKind::IdempotencyConflict,
            Refusal::AgentNeeded => ErrorKind::MissingField,
            Refusal::UserDataTooLarge { .. } => ErrorKind::InvalidField,
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        Error::Refused(refusal)
    }
}

/// The message for people. Every value it quotes is escaped as it is written
/// ([`crate::text::escape`]: control, line-separator and invisible formatting characters), and
/// the whole message is cut at [`MAX_MESSAGE_CHARS`] characters, so no message carries a raw
/// control character or a megabyte of input, whatever the value it quotes.
impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use core::fmt::Write as _;
        let mut w = Escaping::new(f, MAX_MESSAGE_CHARS);
        match self {
            Error::Malformed { detail } => write!(w, "malformed input: {detail}"),
            Error::MissingField { field } => write!(w, "missing required field `{field}`"),
            Error::MissingFieldWorded { field, .. } => {
                write!(w, "missing required field `{field}`")
            }
            Error::InvalidField { field, reason } => write!(w, "invalid `{field}`: {reason}"),
            Error::InvalidFieldWorded { field, message } => {
                write!(w, "invalid `{field}`: {message}")
            }
            Error::Unsupported { what, value } => write!(w, "unsupported {what} `{value}`"),
            Error::Refused(refusal) => refusal.write(&mut w),
        }
    }
}

impl std::error::Error for Error {}

impl Refusal {
    /// Writes the message to `w` (escaping and cutting, as [`Error`]'s `Display`).
    fn write(&self, w: &mut impl core::fmt::Write) -> core::fmt::Result {
        match self {
            Refusal::UnknownInteraction { interaction } => {
                write!(w, "unknown interaction `{interaction}`")
            }
            Refusal::AlreadyExists { interaction, state } => {
                write!(
                    w,
                    "interaction `{interaction}` already exists (state `{state}`)"
                )
            }
            Refusal::AlreadyEnded {
                interaction,
                reason,
                action,
            } => write!(
                w,
                "interaction `{interaction}` already ended ({reason}); `{action}` refused"
            ),
            Refusal::InvalidTransition {
                action,
                state,
                detail,
            } => write!(w, "`{action}` is not allowed from state `{state}`{detail}"),
            Refusal::InvalidAgentTransition {
                agent,
                action,
                session,
            } => write!(
                w,
                "`{action}` is not allowed for agent `{agent}` while {}",
                session.name()
            ),
            Refusal::NotOwner {
                action,
                agent,
                holder,
            } => write!(w, "agent `{agent}` may not `{action}`: {holder}"),
            Refusal::NotPermitted { action, reason } => {
                write!(w, "`{action}` is not permitted: {reason}")
            }
            Refusal::UnknownProvider { provider } => {
                write!(w, "unknown provider `{provider}` (register it first)")
            }
            Refusal::ProviderMismatch { expected, got } => write!(
                w,
                "provider mismatch: interaction was dispatched with provider `{expected}`, request names {got}"
            ),
            Refusal::UnknownAgent { message, .. }
            | Refusal::AgentBusy { message, .. }
            | Refusal::AgentUnavailable { message, .. } => w.write_str(message),
            Refusal::IdempotencyConflict { key } => match key.parts() {
                Some((field, Some(scope), value)) => write!(
                    w,
                    "idempotency conflict: `{field}` `{}` already named a different request in scope `{}`",
                    quote(value),
                    quote(scope)
                ),
                Some((field, None, value)) => write!(
                    w,
                    "idempotency conflict: `{field}` `{}` already named a different request",
                    quote(value)
                ),
                None => write!(
                    w,
                    "idempotency conflict: key `{}` already named a different request",
                    quote(key.as_str())
                ),
            },
            Refusal::LimitReached {
                what,
                setting,
                limit,
            } => write!(
                w,
                "the engine holds {limit} {what}, the most its `{setting}` setting allows"
            ),
            Refusal::AgentNeeded => w.write_str("missing required field `agent`"),
            Refusal::UserDataTooLarge { len } => write!(
                w,
                "invalid `user_data`: would hold {len} bytes of JSON; at most {} are allowed",
                crate::MAX_USER_DATA_BYTES
            ),
        }
    }
}

/// The message for people, as [`Error`]'s.
impl core::fmt::Display for Refusal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut w = Escaping::new(f, MAX_MESSAGE_CHARS);
        self.write(&mut w)
    }
}

impl std::error::Error for Refusal {}

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
                "agent_unavailable",
                "idempotency_conflict"
            ]
        );
    }

    #[test]
    fn messages_never_carry_raw_control_or_format_characters() {
        let raw = "x\u{1b}[2J\r\nforged row\u{202e}";
        for e in [
            Error::malformed(format!("unknown field `{raw}`")),
            Error::unsupported("api", raw),
            Error::invalid_field("media", format!("`{raw}` is not live")),
            Error::missing_field(raw.to_owned()),
        ] {
            let text = e.to_string();
            assert!(!text.chars().any(crate::text::needs_escape), "{text:?}");
            assert!(text.contains("\\u{1b}"), "{text:?}");
        }
        let long = Error::malformed("y".repeat(100_000)).to_string();
        assert_eq!(long.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(long.ends_with('…'));
        let Error::Unsupported { value, .. } = Error::unsupported("api", "z".repeat(1000)) else {
            unreachable!()
        };
        assert_eq!(value.chars().count(), crate::text::QUOTE_MAX_CHARS + 1);
    }

    /// A refusal is its layer's type and the shared error alike: the same kind and message
    /// either way, and the engine's two input checks keep the words they had as decode errors.
    #[test]
    fn a_refusal_reads_the_same_as_the_error_holding_it() {
        let refusals = [
            Refusal::AgentNeeded,
            Refusal::UserDataTooLarge { len: 70_000 },
            Refusal::UnknownProvider {
                provider: ProviderName::parse("P", "provider").expect("a provider name"),
            },
        ];
        for refusal in refusals {
            let error = Error::from(refusal.clone());
            assert_eq!(error.kind(), refusal.kind());
            assert_eq!(error.to_string(), refusal.to_string());
        }
        assert_eq!(Refusal::AgentNeeded.kind(), ErrorKind::MissingField);
        assert_eq!(
            Refusal::AgentNeeded.to_string(),
            Error::missing_field("agent").to_string()
        );
        assert_eq!(
            Refusal::UserDataTooLarge { len: 70_000 }.kind(),
            ErrorKind::InvalidField
        );
        assert_eq!(
            Refusal::UserDataTooLarge { len: 70_000 }.to_string(),
            format!(
                "invalid `user_data`: would hold 70000 bytes of JSON; at most {} are allowed",
                crate::MAX_USER_DATA_BYTES
            )
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
