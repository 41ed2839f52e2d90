//! The CTI Broker's JSON, as serde types, and the enumerations it carries.
//!
//! * [`Event`]: the body the broker POSTs to a subscriber's callback URL (anywhere365-cti-broker.txt,
//!   "Events", "Payload": `{SubscriptionId : [guid], SessionType : [enum], ImAddress : [string],
//!   eventType : [enum], callId : [guid], ani : [string]}`).
//! * [`Command`]: the body of `POST /api/command` ("Fire Commands", "Payload": `{ImAddress :
//!   [string], commandType : [enum], number : [string]}`).
//! * [`Code`]: an `[enum]` member, a number or a name.
//! * [`EventType`], [`SessionType`], [`CommandType`]: the enumerations, with the page's numbers
//!   and names.
//!
//! These types check JSON types only and keep the vendor's member names and order, so that
//! serializing one gives the vendor's shape. The rules (required members, sip addresses, E.164
//! numbers, known codes) are applied by [`crate::decode_event`] and [`crate::decode_command`],
//! which name the offending member in every error. Unknown members are ignored on
//! deserialization; absent optional members are omitted on serialization.

use serde::{Deserialize, Serialize};

/// One event POSTed by the broker to the subscriber's callback URL.
///
/// Shape: `{"SubscriptionId": string, "SessionType"?: 0|1, "ImAddress": string, "eventType":
/// number|name, "callId"?: string, "ani"?: string}`.
/// Source: anywhere365-cti-broker.txt, "Events" ("Payload", "Parameters").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Event {
    /// "The id of the subscription (returned when the callback URL was subscribed)".
    #[serde(rename = "SubscriptionId")]
    pub subscription_id: String,
    /// "0 = Inbound, 1 = Outbound".
    #[serde(
        rename = "SessionType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub session_type: Option<Code>,
    /// "The sip address of the agent".
    #[serde(rename = "ImAddress")]
    pub im_address: String,
    /// "0 = LoggedIn, 1 = LoggedOff, 3 = Hunting, 4 = Connected, 5 = Disconnected, 6 = OnHold,
    /// 7 = Retrieve".
    #[serde(rename = "eventType")]
    pub event_type: Code,
    /// "The id of the conversation"; for `LoggedIn`, empty on success and "failed" when the login
    /// failed ("Note loginEvent").
    #[serde(rename = "callId", default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// "The caller’s phone number".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ani: Option<String>,
}

/// The body of `POST /api/command`.
///
/// Shape: `{"ImAddress": string, "commandType": number|name, "number"?: string}`.
/// Source: anywhere365-cti-broker.txt, "Fire Commands" ("Payload", "Parameters", "Notes").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Command {
    /// "the sip address of the agent Example: sip:agentname@domain.com".
    #[serde(rename = "ImAddress")]
    pub im_address: String,
    /// "Enum of commands": `0 = AgentLogin`, `1 = AgentLogout`, `4 = Dial`, `14 = HeartBeat`.
    #[serde(rename = "commandType")]
    pub command_type: Code,
    /// "used for command “dial” and is optional for other commands. This is the customer number
    /// which will be dialed. Example: tel:+31880000000".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// An `[enum]` member as it travels: the page documents numbers (`3 = Hunting`), and its own
/// command sample sends a name (`'commandType' : 'AgentLogin'`); both are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Code {
    /// The number, for example `3`.
    Number(u64),
    /// The name, for example `"Hunting"`.
    Name(String),
}

impl Default for Code {
    fn default() -> Self {
        Code::Number(0)
    }
}

macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in the page's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The page's number for it.
            pub const fn code(self) -> u64 {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// The page's name for it (case-sensitive).
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                }
            }

            /// The value with that number, if the page lists it.
            pub fn from_code(code: u64) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// The value with that name, if the page lists it (exact spelling).
            pub fn from_name(name: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.name() == name)
            }

            /// The value a wire [`Code`] names, if any.
            pub fn from_wire(code: &Code) -> Option<$name> {
                match code {
                    Code::Number(n) => Self::from_code(*n),
                    Code::Name(name) => Self::from_name(name),
                }
            }
        }
    };
}

codes! {
    /// An event's `eventType` (anywhere365-cti-broker.txt, "Events", "eventType"). The page
    /// lists no 2; every other value is refused `unsupported`.
    EventType {
        /// `0`: the agent logged in (or, with callId "failed", failed to).
        LoggedIn = 0,
        /// `1`: the agent logged off.
        LoggedOff = 1,
        /// `3`: "the agent is currently invited for the call session".
        Hunting = 3,
        /// `4`: "the agent accepted the call".
        Connected = 4,
        /// `5`: "the agent disconnected the call".
        Disconnected = 5,
        /// `6`: "the agent put the customer on-hold".
        OnHold = 6,
        /// `7`: "the agent resumed the call (after it was put on-hold)".
        Retrieve = 7,
    }
}

codes! {
    /// An event's `SessionType` (anywhere365-cti-broker.txt, "Events", "SessionType").
    SessionType {
        /// `0`: a call from a customer.
        Inbound = 0,
        /// `1`: a call to a customer.
        Outbound = 1,
    }
}

codes! {
    /// A command's `commandType` (anywhere365-cti-broker.txt, "Fire Commands", "commandType –
    /// Enum of commands").
    CommandType {
        /// `0`: sign the agent in.
        AgentLogin = 0,
        /// `1`: sign the agent out.
        AgentLogout = 1,
        /// `4`: call `number` from the agent.
        Dial = 4,
        /// `14`: a keep-alive.
        HeartBeat = 14,
    }
}

impl EventType {
    /// Whether the event is about a call (Hunting to Retrieve) rather than the agent's session.
    pub const fn is_call_event(self) -> bool {
        !matches!(self, EventType::LoggedIn | EventType::LoggedOff)
    }
}

impl SessionType {
    /// The core direction: `Inbound` is inbound, `Outbound` outbound.
    pub const fn direction(self) -> interaction_core::Direction {
        match self {
            SessionType::Inbound => interaction_core::Direction::Inbound,
            SessionType::Outbound => interaction_core::Direction::Outbound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_numbers_and_names() {
        let events: Vec<(u64, &str)> = EventType::ALL
            .iter()
            .map(|e| (e.code(), e.name()))
            .collect();
        assert_eq!(
            events,
            [
                (0, "LoggedIn"),
                (1, "LoggedOff"),
                (3, "Hunting"),
                (4, "Connected"),
                (5, "Disconnected"),
                (6, "OnHold"),
                (7, "Retrieve")
            ]
        );
        assert_eq!(EventType::from_code(2), None);
        assert_eq!(EventType::from_name("hunting"), None);
        let commands: Vec<(u64, &str)> = CommandType::ALL
            .iter()
            .map(|c| (c.code(), c.name()))
            .collect();
        assert_eq!(
            commands,
            [
                (0, "AgentLogin"),
                (1, "AgentLogout"),
                (4, "Dial"),
                (14, "HeartBeat")
            ]
        );
        assert_eq!(SessionType::from_code(1), Some(SessionType::Outbound));
        assert_eq!(
            SessionType::from_wire(&Code::Name("Inbound".into())),
            Some(SessionType::Inbound)
        );
    }

    #[test]
    fn serializes_in_the_pages_member_order() {
        let event = Event {
            subscription_id: "296854af-2ba7-45d0-b460-085dc1843b3d".into(),
            session_type: Some(Code::Number(0)),
            im_address: "sip:agentname@domain.com".into(),
            event_type: Code::Number(3),
            call_id: Some("c1".into()),
            ani: Some("+31880000000".into()),
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"SubscriptionId":"296854af-2ba7-45d0-b460-085dc1843b3d","SessionType":0,"ImAddress":"sip:agentname@domain.com","eventType":3,"callId":"c1","ani":"+31880000000"}"#
        );
        let command = Command {
            im_address: "sip:agentname@domain.com".into(),
            command_type: Code::Name("AgentLogin".into()),
            number: None,
        };
        assert_eq!(
            serde_json::to_string(&command).unwrap(),
            r#"{"ImAddress":"sip:agentname@domain.com","commandType":"AgentLogin"}"#
        );
    }
}
