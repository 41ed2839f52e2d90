//! `POST /me/interactions/{id}`: an agent's operation into a core [`Input`] (or a read).
//!
//! Source: gws-v2-interactions.txt ("The following operations are supported on
//! me/interactions/{id}" and each operation's "Input Parameters"); rules: MODEL.md section 6,
//! "GWS v2".

use interaction_core::{
    Action, ActionKind, Actor, AgentId, Api, Error, Input, InteractionId, Name, UserData,
};
use interaction_wire::{BoundedUserData, Object, ObjectOnly, SmolStr, printable};
use serde::Deserialize;

use crate::response::Style;
use crate::wire;

/// An operation of `/me/interactions/{id}` (gws-v2-interactions.txt, the operations table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `Accept`: "Accepts a new interaction" -> `accept`.
    Accept,
    /// `Reject`: "Rejects a new interaction" -> `reject`.
    Reject,
    /// `Cancel`: "Cancels a new interaction" (after a Reply) -> `cancel`.
    Cancel,
    /// `Complete`: "Stops the interaction processing" -> `complete`.
    Complete,
    /// `PlaceInQueue{queueName}` -> `place_in_queue`.
    PlaceInQueue,
    /// `UpdateUserData{userData}` -> `update_user_data`.
    UpdateUserData,
    /// `AttachUserData{userData}` -> `attach_user_data`.
    AttachUserData,
    /// `DeleteUserData{userData}` -> `delete_user_data` of the keys of `userData`.
    DeleteUserData,
    /// `PlaceInWorkbin{workbin}` -> `place_in_workbin`.
    PlaceInWorkbin,
    /// `GetWorkbinContent{workbin}`: a read of the workbin; nothing changes.
    GetWorkbinContent,
    /// `Transfer{userId}` (the page's `SingleStepTransfer`) -> `transfer_to_agent`.
    Transfer,
}

impl Operation {
    /// Every operation, in the page's order.
    pub const ALL: [Operation; 11] = [
        Operation::Accept,
        Operation::Reject,
        Operation::Cancel,
        Operation::Complete,
        Operation::PlaceInQueue,
        Operation::UpdateUserData,
        Operation::AttachUserData,
        Operation::DeleteUserData,
        Operation::PlaceInWorkbin,
        Operation::GetWorkbinContent,
        Operation::Transfer,
    ];

    /// The `operationName` as the page spells it (`Transfer` for SingleStepTransfer).
    pub const fn wire_name(self) -> &'static str {
        match self {
            Operation::Accept => "Accept",
            Operation::Reject => "Reject",
            Operation::Cancel => "Cancel",
            Operation::Complete => "Complete",
            Operation::PlaceInQueue => "PlaceInQueue",
            Operation::UpdateUserData => "UpdateUserData",
            Operation::AttachUserData => "AttachUserData",
            Operation::DeleteUserData => "DeleteUserData",
            Operation::PlaceInWorkbin => "PlaceInWorkbin",
            Operation::GetWorkbinContent => "GetWorkbinContent",
            Operation::Transfer => "Transfer",
        }
    }

    /// The operation with that `operationName`, case-sensitive. `SingleStepTransfer` (the
    /// operation's name in the page's table) is accepted beside `Transfer` (its `operationName`
    /// in the page's input sample).
    pub fn from_wire(name: &str) -> Option<Operation> {
        if name == "SingleStepTransfer" {
            return Some(Operation::Transfer);
        }
        Operation::ALL.into_iter().find(|op| op.wire_name() == name)
    }

    /// The core action the operation maps to; `None` for the read `GetWorkbinContent`.
    pub const fn action_kind(self) -> Option<ActionKind> {
        Some(match self {
            Operation::Accept => ActionKind::Accept,
            Operation::Reject => ActionKind::Reject,
            Operation::Cancel => ActionKind::Cancel,
            Operation::Complete => ActionKind::Complete,
            Operation::PlaceInQueue => ActionKind::PlaceInQueue,
            Operation::UpdateUserData => ActionKind::UpdateUserData,
            Operation::AttachUserData => ActionKind::AttachUserData,
            Operation::DeleteUserData => ActionKind::DeleteUserData,
            Operation::PlaceInWorkbin => ActionKind::PlaceInWorkbin,
            Operation::Transfer => ActionKind::TransferToAgent,
            Operation::GetWorkbinContent => return None,
        })
    }

    /// The name a replay record shows: the core action's name ([`ActionKind::name`]: `accept`,
    /// `transfer_to_agent`, ...), or `get_workbin_content` for the read.
    pub const fn action_name(self) -> &'static str {
        match self.action_kind() {
            Some(kind) => kind.name(),
            None => "get_workbin_content",
        }
    }

    /// The response style the page gives the operation: [`Style::StatusCode`] for Complete and
    /// Transfer, [`Style::Cancel`] for Cancel, [`Style::Status`] for the others.
    pub const fn style(self) -> Style {
        match self {
            Operation::Complete | Operation::Transfer => Style::StatusCode,
            Operation::Cancel => Style::Cancel,
            _ => Style::Status,
        }
    }
}

/// What a decoded operation asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// An action on the interaction, by [`Actor::Agent`] (the trace's `as`).
    Apply(Input),
    /// `GetWorkbinContent`: list the interactions in `workbin`
    /// ([`crate::workbin_content_response`]); nothing changes.
    WorkbinContent {
        /// The interaction named by the path (the page posts the read on
        /// `/me/interactions/{id}`).
        interaction: InteractionId,
        /// The agent asking (the trace's `as`).
        agent: AgentId,
        /// The workbin to list.
        workbin: Name,
    },
}

/// One decoded (or refused) operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationItem {
    /// The operation, when `operationName` is a known one (even if the request was refused
    /// later): it picks the response [`Style`]. `None` for an unknown or absent operation.
    pub operation: Option<Operation>,
    /// What the record shows as its action: [`Operation::action_name`] for a known operation,
    /// else the raw `operationName` (a non-string as its JSON text, shortened to 64
    /// characters); `None` when there is no `operationName` or the body is not an object.
    pub action: Option<SmolStr>,
    /// The request, or why it was refused.
    pub result: Result<Request, Error>,
}

/// Decodes the body of `POST /me/interactions/{id}` (or a media path), sent by agent
/// `as_agent` (the trace's `as`), on interaction `id` (the path's last segment).
///
/// Shape: `{"operationName": string, "queueName"?, "userData"?, "workbin"?, "userId"?}`
/// (gws-v2-interactions.txt, each operation's "Input Parameters"). Members an operation does
/// not use are not read, so they may hold anything.
///
/// Each operation becomes, with actor [`Actor::Agent`]`(as)` (MODEL.md section 6):
///
/// | operationName | core |
/// |---|---|
/// | `Accept` / `Reject` / `Cancel` / `Complete` | [`Action::Accept`] / [`Action::Reject`] / [`Action::Cancel`] / [`Action::Complete`] |
/// | `PlaceInQueue` | [`Action::PlaceInQueue`] at `queueName` |
/// | `UpdateUserData` / `AttachUserData` | [`Action::UpdateUserData`] / [`Action::AttachUserData`] with `userData` |
/// | `DeleteUserData` | [`Action::DeleteUserData`] of the keys of `userData` (values ignored) |
/// | `PlaceInWorkbin` | [`Action::PlaceInWorkbin`] |
/// | `GetWorkbinContent` | [`Request::WorkbinContent`] (a read) |
/// | `Transfer`, `SingleStepTransfer` | [`Action::TransferToAgent`] to `userId` |
///
/// Ownership (an agent may act only on what it owns or is offered) is the engine's check.
///
/// # Errors
/// In this order: the body is not JSON or not an object ([`Error::Malformed`] `operation body`);
/// `operationName` absent ([`Error::MissingField`]), not a string ([`Error::Malformed`]) or
/// unknown ([`Error::Unsupported`] `operationName`, case-sensitive); a member the operation
/// needs absent ([`Error::MissingField`] `queueName`, `userData`, `workbin`, `userId`) or of the
/// wrong type ([`Error::Malformed`] naming it; `userData` must be an object, and a value nested
/// deeper than 128 levels is refused naming `userData.<key>`); `queueName`, `workbin` or `userId`
/// empty, over 256 bytes or holding a control character ([`Error::MissingField`] /
/// [`Error::InvalidField`]); `userId` naming the requesting agent ([`Error::InvalidField`]);
/// `id` invalid ([`Error::InvalidField`] / [`Error::MissingField`] `id`); `as` absent
/// ([`Error::MissingField`] `as`) or invalid ([`Error::InvalidField`] `as`).
pub fn decode_operation(id: &str, as_agent: Option<&str>, body: &[u8]) -> OperationItem {
    match interaction_wire::typed::<ObjectOnly<FastOperation<'_>>>(body) {
        Some(ObjectOnly(fast)) => decode_fast(fast, id, as_agent),
        None => decode_precise(id, as_agent, body),
    }
}

/// An operation body read in one typed pass ([`interaction_wire::typed`]): every member the
/// precise read may type-check, whatever the operation, and nothing more lenient.
#[derive(Deserialize)]
struct FastOperation<'a> {
    #[serde(rename = "operationName", borrow, default)]
    operation_name: Option<&'a str>,
    #[serde(rename = "queueName", borrow, default)]
    queue_name: Option<&'a str>,
    #[serde(rename = "userData", default)]
    user_data: Option<BoundedUserData>,
    #[serde(borrow, default)]
    workbin: Option<&'a str>,
    #[serde(rename = "userId", borrow, default)]
    user_id: Option<&'a str>,
}

/// [`decode_operation`] on a body the typed pass read: the same checks, in the same order, on
/// the same values.
fn decode_fast(fast: FastOperation<'_>, id: &str, as_agent: Option<&str>) -> OperationItem {
    let Some(name) = fast.operation_name else {
        return OperationItem {
            operation: None,
            action: None,
            result: Err(Error::missing_field("operationName")),
        };
    };
    let Some(operation) = Operation::from_wire(name) else {
        return OperationItem {
            operation: None,
            action: Some(interaction_wire::label(name)),
            result: Err(Error::unsupported("operationName", printable(name))),
        };
    };
    // Only the member the operation reads, as the precise read does.
    let mut view = Arguments::default();
    match operation {
        Operation::PlaceInQueue => view.queue_name = fast.queue_name,
        Operation::UpdateUserData | Operation::AttachUserData | Operation::DeleteUserData => {
            view.user_data = fast.user_data.map(|d| d.0);
        }
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => view.workbin = fast.workbin,
        Operation::Transfer => view.user_id = fast.user_id,
        Operation::Accept | Operation::Reject | Operation::Cancel | Operation::Complete => {}
    }
    OperationItem {
        operation: Some(operation),
        action: Some(SmolStr::new_static(operation.action_name())),
        result: to_request(view, operation, id, as_agent),
    }
}

/// An operation's arguments as [`to_request`] reads them, from either read.
#[derive(Default)]
struct Arguments<'r> {
    queue_name: Option<&'r str>,
    user_data: Option<UserData>,
    workbin: Option<&'r str>,
    user_id: Option<&'r str>,
}

impl<'r> Arguments<'r> {
    /// The view of the wire form the precise read gave.
    fn of(wire: &'r wire::OperationRequest) -> Self {
        Arguments {
            queue_name: wire.queue_name.as_deref(),
            user_data: wire.user_data.clone(),
            workbin: wire.workbin.as_deref(),
            user_id: wire.user_id.as_deref(),
        }
    }
}

/// [`decode_operation`] the precise way: member by member, every error naming its member.
fn decode_precise(id: &str, as_agent: Option<&str>, body: &[u8]) -> OperationItem {
    const WHAT: &str = "operation body";
    let object = match Object::body(body, WHAT) {
        Ok(object) => object,
        Err(e) => {
            return OperationItem {
                operation: None,
                action: None,
                result: Err(e),
            };
        }
    };
    let name = object
        .raw("operationName")
        .map(|raw| serde_json::from_str::<String>(raw.get()).map_err(|_| printable(raw.get())));
    let operation = match &name {
        Some(Ok(name)) => Operation::from_wire(name),
        _ => None,
    };
    let action = match (&name, operation) {
        (_, Some(op)) => Some(SmolStr::new_static(op.action_name())),
        (Some(Ok(name)), None) => Some(interaction_wire::label(name)),
        (Some(Err(text)), None) => Some(text.as_str().into()),
        (None, None) => None,
    };
    let result = read_request(&object)
        .and_then(|(wire, op)| to_request(Arguments::of(&wire), op, id, as_agent));
    OperationItem {
        operation,
        action,
        result,
    }
}

/// Reads the members the operation needs into the wire form, checking JSON types only.
fn read_request(object: &Object<'_>) -> Result<(wire::OperationRequest, Operation), Error> {
    let name: String = object
        .get("operationName")?
        .ok_or_else(|| Error::missing_field("operationName"))?;
    let operation = Operation::from_wire(&name)
        .ok_or_else(|| Error::unsupported("operationName", printable(&name)))?;
    let mut wire = wire::OperationRequest {
        operation_name: name,
        ..wire::OperationRequest::default()
    };
    match operation {
        Operation::PlaceInQueue => wire.queue_name = object.get("queueName")?,
        Operation::UpdateUserData | Operation::AttachUserData | Operation::DeleteUserData => {
            wire.user_data = object.user_data("userData")?;
        }
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => {
            wire.workbin = object.get("workbin")?;
        }
        Operation::Transfer => wire.user_id = object.get("userId")?,
        Operation::Accept | Operation::Reject | Operation::Cancel | Operation::Complete => {}
    }
    Ok((wire, operation))
}

/// Applies the operation rules to the wire form.
fn to_request(
    wire: Arguments<'_>,
    operation: Operation,
    id: &str,
    as_agent: Option<&str>,
) -> Result<Request, Error> {
    let required = |value: Option<&str>, field: &'static str| {
        let value = value.ok_or_else(|| Error::missing_field(field))?;
        Name::parse(value, field)
    };
    let user_data = wire.user_data;
    // Arguments first, then the path's id, then who asks.
    let argument = match operation {
        Operation::PlaceInQueue => Some(required(wire.queue_name, "queueName")?),
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => {
            Some(required(wire.workbin, "workbin")?)
        }
        _ => None,
    };
    let data = match operation {
        Operation::UpdateUserData | Operation::AttachUserData | Operation::DeleteUserData => {
            Some(user_data.ok_or_else(|| Error::missing_field("userData"))?)
        }
        _ => None,
    };
    let target = match operation {
        Operation::Transfer => {
            let user_id = wire.user_id.ok_or_else(|| Error::missing_field("userId"))?;
            Some(AgentId::parse(user_id, "userId")?)
        }
        _ => None,
    };
    let interaction = InteractionId::parse(id, "id")?;
    let agent = AgentId::parse(as_agent.ok_or_else(|| Error::missing_field("as"))?, "as")?;
    let action = match (operation, argument, data, target) {
        (Operation::Accept, ..) => Action::Accept,
        (Operation::Reject, ..) => Action::Reject,
        (Operation::Cancel, ..) => Action::Cancel,
        (Operation::Complete, ..) => Action::Complete,
        (Operation::PlaceInQueue, Some(queue), ..) => Action::PlaceInQueue { queue },
        (Operation::PlaceInWorkbin, Some(workbin), ..) => Action::PlaceInWorkbin { workbin },
        (Operation::GetWorkbinContent, Some(workbin), ..) => {
            return Ok(Request::WorkbinContent {
                interaction,
                agent,
                workbin,
            });
        }
        (Operation::UpdateUserData, _, Some(user_data), _) => Action::UpdateUserData { user_data },
        (Operation::AttachUserData, _, Some(user_data), _) => Action::AttachUserData { user_data },
        (Operation::DeleteUserData, _, Some(data), _) => Action::DeleteUserData {
            keys: data.into_keys().collect(),
        },
        (Operation::Transfer, _, _, Some(to)) => {
            if to == agent {
                return Err(Error::invalid_field(
                    "userId",
                    format!("names the requesting agent `{agent}`; a transfer needs another agent"),
                ));
            }
            Action::TransferToAgent { agent: to }
        }
        // Each arm above has its argument: read_request and the checks above fill exactly the
        // one the operation needs. Kept total rather than panicking.
        (op, ..) => return Err(Error::missing_field(argument_name(op))),
    };
    Ok(Request::Apply(
        Input::new(interaction, action, Actor::Agent(agent)).via(Api::Gws),
    ))
}

/// The member an operation cannot do without.
const fn argument_name(operation: Operation) -> &'static str {
    match operation {
        Operation::PlaceInQueue => "queueName",
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => "workbin",
        Operation::Transfer => "userId",
        _ => "userData",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_read_decodes_as_the_precise_read() {
        let mut seeds = vec![
            r#"{"operationName": "Accept"}"#.to_owned(),
            r#"{"operationName": "Transfer", "userId": "1002"}"#.to_owned(),
            r#"{"operationName": "Transfer", "userId": "1001"}"#.to_owned(),
            r#"{"operationName": "PlaceInQueue", "queueName": "Q"}"#.to_owned(),
            r#"{"operationName": "PlaceInWorkbin", "workbin": "WB"}"#.to_owned(),
            r#"{"operationName": "GetWorkbinContent", "workbin": "WB"}"#.to_owned(),
            r#"{"operationName": "UpdateUserData", "userData": {"a": 1, "b": [true]}}"#.to_owned(),
            r#"{"operationName": "DeleteUserData", "userData": {"a": null}}"#.to_owned(),
            r#"{"operationName": "Nope"}"#.to_owned(),
        ];
        for fixture in [
            include_str!("../tests/fixtures/accept.json"),
            include_str!("../tests/fixtures/attach-user-data.json"),
            include_str!("../tests/fixtures/transfer.json"),
            include_str!("../tests/fixtures/place-in-queue.json"),
        ] {
            seeds.push(fixture.to_owned());
        }
        let mut fast = 0;
        for seed in &seeds {
            for body in interaction_wire::variants(seed) {
                let text = String::from_utf8_lossy(&body);
                for (id, agent) in [("ix-1", Some("1001")), ("", None)] {
                    assert_eq!(
                        format!("{:?}", decode_operation(id, agent, &body)),
                        format!("{:?}", decode_precise(id, agent, &body)),
                        "{text}"
                    );
                }
                fast += usize::from(
                    interaction_wire::typed::<ObjectOnly<FastOperation<'_>>>(&body).is_some(),
                );
            }
        }
        assert!(fast > 300, "only {fast} bodies took the fast read");
    }

    #[test]
    fn names_round_trip_and_styles_follow_the_page() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_wire(op.wire_name()), Some(op));
        }
        assert_eq!(
            Operation::from_wire("SingleStepTransfer"),
            Some(Operation::Transfer)
        );
        assert_eq!(Operation::from_wire("accept"), None);
        assert_eq!(Operation::Complete.style(), Style::StatusCode);
        assert_eq!(Operation::Transfer.style(), Style::StatusCode);
        assert_eq!(Operation::Cancel.style(), Style::Cancel);
        assert_eq!(Operation::Accept.style(), Style::Status);
        assert_eq!(Operation::GetWorkbinContent.style(), Style::Status);
    }
}
