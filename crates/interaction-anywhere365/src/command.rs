//! `POST /api/command`: a command body into a typed [`Command`].
//!
//! Source: anywhere365-cti-broker.txt, "Fire Commands"; rules: MODEL.md section 6, "Anywhere365
//! CTI Broker".

use interaction_core::{AgentId, Error};
use interaction_wire::{Read, SmolStr, Text, members, text};
use serde_json::value::RawValue;

use crate::address::{TelNumber, sip_address};
use crate::json::{CodeMember, FastCode, RawCode, code};
use crate::wire::{self, CommandType};

/// A command, checked: who it is for and what it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `AgentLogin` (0): sign `agent` in.
    AgentLogin {
        /// The agent (`ImAddress`).
        agent: AgentId,
    },
    /// `AgentLogout` (1): sign `agent` out.
    AgentLogout {
        /// The agent (`ImAddress`).
        agent: AgentId,
    },
    /// `Dial` (4): call `number` from `agent`. The call itself shows up in the events that
    /// follow (Connected with `SessionType` 1); the command names no call id.
    Dial {
        /// The agent (`ImAddress`).
        agent: AgentId,
        /// The customer number (`number`), E.164.
        number: TelNumber,
    },
    /// `HeartBeat` (14): a keep-alive; re-arms the agent's heartbeat timer when one is set
    /// (`EngineSettings::agent_heartbeat_timeout`), else changes nothing.
    HeartBeat {
        /// The agent (`ImAddress`).
        agent: AgentId,
    },
}

impl Command {
    /// The agent the command is for.
    pub fn agent(&self) -> &AgentId {
        match self {
            Command::AgentLogin { agent }
            | Command::AgentLogout { agent }
            | Command::Dial { agent, .. }
            | Command::HeartBeat { agent } => agent,
        }
    }

    /// The command's type.
    pub fn command_type(&self) -> CommandType {
        match self {
            Command::AgentLogin { .. } => CommandType::AgentLogin,
            Command::AgentLogout { .. } => CommandType::AgentLogout,
            Command::Dial { .. } => CommandType::Dial,
            Command::HeartBeat { .. } => CommandType::HeartBeat,
        }
    }

    /// The command in its wire form, `commandType` as the page's number (the form the page's
    /// "Payload" documents). Decoding it gives the command back.
    pub fn to_wire(&self) -> wire::Command {
        wire::Command {
            im_address: self.agent().as_str().to_owned(),
            command_type: wire::Code::Number(self.command_type().code()),
            number: match self {
                Command::Dial { number, .. } => Some(number.as_str().to_owned()),
                _ => None,
            },
        }
    }
}

/// The label of a command in the replay output: `log_in` (AgentLogin), `log_out`
/// (AgentLogout), `dial`, `heartbeat`.
pub fn command_label(command_type: CommandType) -> &'static str {
    match command_type {
        CommandType::AgentLogin => "log_in",
        CommandType::AgentLogout => "log_out",
        CommandType::Dial => "dial",
        CommandType::HeartBeat => "heartbeat",
    }
}

/// One command body, decoded (or refused), with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandItem {
    /// What the command asked for: [`command_label`] of its `commandType`; the raw value when
    /// the type is unknown (a non-string as its JSON text, shortened to 64 characters);
    /// `command` when the body has no readable `commandType`.
    pub action: SmolStr,
    /// The command, or why it was refused.
    pub result: Result<Command, Error>,
}

/// Decodes a `POST /api/command` body.
///
/// Shape: `{"ImAddress": "sip:user@domain", "commandType": 0|1|4|14 or "AgentLogin"|
/// "AgentLogout"|"Dial"|"HeartBeat", "number"?: "tel:+<digits>"}` (anywhere365-cti-broker.txt,
/// "Fire Commands"). Unknown members are ignored. `number` is read for `Dial` only ("used for
/// command “dial” and is optional for other commands"); for the others only its JSON type is
/// checked.
///
/// Checked in this order:
/// 1. the body is a JSON object: else [`Error::Malformed`] `command body` (the page's own
///    "Sample", with single quotes and an empty `'number' :`, is not JSON and is refused here);
/// 2. `commandType`: absent [`Error::MissingField`]; not a number or a string
///    [`Error::Malformed`]; another number or name (case-sensitive) [`Error::Unsupported`]
///    `commandType`;
/// 3. `ImAddress`: absent or empty [`Error::MissingField`]; not a string [`Error::Malformed`];
///    not a sip address `sip:user@domain`, over 256 bytes or holding a control character
///    [`Error::InvalidField`] ([`crate::sip_address`]);
/// 4. `number`: not a string [`Error::Malformed`]; for `Dial`, absent or empty
///    [`Error::MissingField`], not `tel:+` and 1 to 15 digits [`Error::InvalidField`]
///    ([`TelNumber::parse`]).
///
/// Every error names the member.
pub fn decode_command(body: &[u8]) -> CommandItem {
    match interaction_wire::read_body::<FastBody<'_>, LaxBody<'_>>(body, "command body") {
        Ok(Read::Fast(body)) => item(&body),
        Ok(Read::Lax(body)) => item(&body),
        Err(e) => CommandItem {
            action: SmolStr::new_static("command"),
            result: Err(e),
        },
    }
}

/// The rest of [`decode_command`], from either pass's body.
fn item<'a, S: Text<'a>, C: CodeMember>(body: &CommandBody<'a, S, C>) -> CommandItem {
    let code = code(body.command_type.as_ref(), "commandType");
    let action = match &code {
        Ok(Some(code)) => code
            .wire()
            .and_then(|c| CommandType::from_wire(&c))
            .map_or_else(
                || SmolStr::from(code.text()),
                |t| SmolStr::new_static(command_label(t)),
            ),
        _ => SmolStr::new_static("command"),
    };
    let result = code.and_then(|code| read(body, code));
    CommandItem { action, result }
}

members! {
    /// A command body ([`interaction_wire::read_body`]), `S` a string member and `C` the
    /// enumeration as the pass holds them: [`FastBody`] or [`LaxBody`]. [`read`] checks the
    /// members in [`decode_command`]'s order whichever pass read them.
    struct CommandBody<'a, S, C> {
        "commandType" => command_type: C,
        "ImAddress" => im_address: S,
        "number" => number: S,
    }
}

/// A command body in the fast pass: strings without escapes, the code a non-negative integer
/// or a plain string.
type FastBody<'a> = CommandBody<'a, &'a str, FastCode<'a>>;

/// A command body in the lax pass: each member kept raw, its JSON type checked when [`read`] asks
/// for it.
type LaxBody<'a> = CommandBody<'a, &'a RawValue, &'a RawValue>;

/// Applies the command rules to a body already read, `code` its `commandType`.
fn read<'a, S: Text<'a>, C: CodeMember>(
    body: &CommandBody<'a, S, C>,
    code: Option<RawCode>,
) -> Result<Command, Error> {
    let code = code.ok_or_else(|| Error::missing_field("commandType"))?;
    let command_type = code
        .wire()
        .and_then(|c| CommandType::from_wire(&c))
        .ok_or_else(|| Error::unsupported("commandType", code.text()))?;
    let im_address = text(body.im_address.as_ref(), "ImAddress")?
        .ok_or_else(|| Error::missing_field("ImAddress"))?;
    let agent = sip_address(&im_address, "ImAddress")?;
    let number = text(body.number.as_ref(), "number")?;
    Ok(match command_type {
        CommandType::AgentLogin => Command::AgentLogin { agent },
        CommandType::AgentLogout => Command::AgentLogout { agent },
        CommandType::HeartBeat => Command::HeartBeat { agent },
        CommandType::Dial => {
            let number = number.ok_or_else(|| Error::missing_field("number"))?;
            Command::Dial {
                agent,
                number: TelNumber::parse(&number, "number")?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use interaction_core::ErrorKind;

    #[test]
    fn every_command_by_number_and_by_name() {
        for (code, name, label) in [
            (0, "AgentLogin", "log_in"),
            (1, "AgentLogout", "log_out"),
            (4, "Dial", "dial"),
            (14, "HeartBeat", "heartbeat"),
        ] {
            for command_type in [code.to_string(), format!("\"{name}\"")] {
                let body = format!(
                    r#"{{"ImAddress": "sip:agentname@domain.com", "commandType": {command_type}, "number": "tel:+31880000000"}}"#
                );
                let item = decode_command(body.as_bytes());
                assert_eq!(item.action, label);
                let command = item.result.unwrap();
                assert_eq!(command.command_type().code(), code);
                assert_eq!(command.agent().as_str(), "sip:agentname@domain.com");
            }
        }
    }

    #[test]
    fn the_number_is_read_for_dial_only() {
        let login = decode_command(
            br#"{"ImAddress": "sip:a@b.com", "commandType": "AgentLogin", "number": ""}"#,
        );
        assert!(login.result.is_ok());
        let dial = decode_command(br#"{"ImAddress": "sip:a@b.com", "commandType": 4}"#);
        assert_eq!(dial.result.unwrap_err().kind(), ErrorKind::MissingField);
        let typed = decode_command(
            br#"{"ImAddress": "sip:a@b.com", "commandType": 0, "number": 31880000000}"#,
        );
        assert_eq!(typed.result.unwrap_err().kind(), ErrorKind::Malformed);
    }
}
