//! `POST /me/interactions/{id}`: an agent's operation into a core [`Input`] (or a read).
//!
//! Source: gws-v2-interactions.txt ("The following operations are supported on
//! me/interactions/{id}" and each operation's "Input Parameters"); rules: MODEL.md section 6,
//! "GWS v2".

use interaction_core::{
    Action, ActionKind, Actor, AgentAction, AgentActionKind, AgentId, Api, Error, Input,
    InteractionId, Name, UserData,
};
use std::borrow::Cow;

use interaction_wire::{
    Fast, Lax, Mode, ObjectMember, Read, SmolStr, Text, UserDataMember, members, printable, text,
    text_at,
};

use crate::response::Style;

macro_rules! operations {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal => $use:expr,)*) => {
        /// An agent operation (`operationName`): the seed page's on `/me/interactions/{id}`
        /// (gws-v2-interactions.txt, the operations table) and the GWS 8.5 pages' on the media
        /// paths, the agent's channels, `/api/v2/me` and the workbins
        /// (`../shared/spec/vendor-supplement.md` names the pages).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $($(#[$doc])* $variant,)*
        }

        impl Operation {
            /// Every operation.
            pub const ALL: [Operation; operations!(@count $($variant)*)] = [$(Operation::$variant,)*];

            /// The `operationName` as the pages spell it.
            pub const fn wire_name(self) -> &'static str {
                match self {
                    $(Operation::$variant => $wire,)*
                }
            }

            /// What the operation does ([`Use`]).
            pub const fn use_(self) -> Use {
                match self {
                    $(Operation::$variant => $use,)*
                }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + operations!(@count $($tail)*) };
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Use {
    /// A core action on the interaction (its arguments from the body; some operations pick
    /// the action by their arguments: `Transfer` by `userId`, `targetUri`, `queueName` or
    /// `destination`, `Complete` by `queueName`).
    Core(ActionKind),
    /// An agent action of the authenticated agent (no interaction).
    Agent(AgentActionKind),
    /// A read: `GetWorkbinContent`.
    Read,
    /// Accepted and answered; it changes nothing in the model until the platform reports what
    /// it did (a consultation, a conference, a message, a draft, a subscription, a dial whose
    /// call arrives as `Dialing`, ...).
    Accepted,
    /// A workbin operation on the interaction the body's `id` names: `Add*` places it in the
    /// path's workbin, `Pull*` takes it out to the agent.
    Workbin(ActionKind),
}

operations! {
    /// `Accept`: "Accepts a new interaction" -> `accept` (also the 8.5 chat and email Accept).
    Accept = "Accept" => Use::Core(ActionKind::Accept),
    /// `Reject`: "Rejects a new interaction" -> `reject` (voice: "Web Services redirects the call
    /// to the queue from which it was delivered", CallsReject).
    Reject = "Reject" => Use::Core(ActionKind::Reject),
    /// `Cancel`: "Cancels a new interaction" (after a Reply) -> `cancel`.
    Cancel = "Cancel" => Use::Core(ActionKind::Cancel),
    /// `Complete`: "Stops the interaction processing" -> `complete`; with `queueName`, "the
    /// interaction will be placed in the specified queue" (ChatComplete, WorkitemComplete) ->
    /// `place_in_queue`.
    Complete = "Complete" => Use::Core(ActionKind::Complete),
    /// `PlaceInQueue{queueName}` -> `place_in_queue`.
    PlaceInQueue = "PlaceInQueue" => Use::Core(ActionKind::PlaceInQueue),
    /// `UpdateUserData{userData}` -> `update_user_data`.
    UpdateUserData = "UpdateUserData" => Use::Core(ActionKind::UpdateUserData),
    /// `AttachUserData{userData}` -> `attach_user_data`.
    AttachUserData = "AttachUserData" => Use::Core(ActionKind::AttachUserData),
    /// `DeleteUserData{userData}` -> `delete_user_data` of the keys of `userData`.
    DeleteUserData = "DeleteUserData" => Use::Core(ActionKind::DeleteUserData),
    /// `PlaceInWorkbin{workbin}` -> `place_in_workbin`.
    PlaceInWorkbin = "PlaceInWorkbin" => Use::Core(ActionKind::PlaceInWorkbin),
    /// `GetWorkbinContent{workbin}`: a read of the workbin; nothing changes.
    GetWorkbinContent = "GetWorkbinContent" => Use::Read,
    /// `Transfer` (the seed page's `SingleStepTransfer` sends `"operationName":"Transfer"`; the
    /// 8.5 chat Transfer takes `targetUri` or `queueName`, ChatSingleStepTransfer): `userId` or
    /// a user `targetUri` -> `transfer_to_agent`; a queue `targetUri` or `queueName` ->
    /// `place_in_queue`.
    Transfer = "Transfer" => Use::Core(ActionKind::TransferToAgent),
    /// `SingleStepTransfer` (SingleStepTransfer, voice): as `Transfer`, and with
    /// `destination.phoneNumber` the call goes to an external party: it leaves our agents
    /// (`release`).
    SingleStepTransfer = "SingleStepTransfer" => Use::Core(ActionKind::TransferToAgent),
    /// `Answer` (CallsAnswer): a ringing call -> `accept`.
    Answer = "Answer" => Use::Core(ActionKind::Accept),
    /// `Hangup` (CallsHangup): accepted; the call's `Released` notification ends it (or leads
    /// to wrap-up when it still offers `Complete`: only the notification says so).
    Hangup = "Hangup" => Use::Accepted,
    /// `Hold` (CallsHold) -> `hold`.
    Hold = "Hold" => Use::Core(ActionKind::Hold),
    /// `Retrieve` -> `retrieve`.
    Retrieve = "Retrieve" => Use::Core(ActionKind::Retrieve),
    /// `DeleteUserDataPair{key}` (DeleteUserDataPair) -> `delete_user_data` of `key`.
    DeleteUserDataPair = "DeleteUserDataPair" => Use::Core(ActionKind::DeleteUserData),
    /// `LeaveAndComplete` (chat resource capabilities) -> `complete`.
    LeaveAndComplete = "LeaveAndComplete" => Use::Core(ActionKind::Complete),
    /// `InitiateTransfer{destination}` (InitiateTransfer): a consult call is created; the
    /// original's `Held` and the consult call's `Dialing` arrive as notifications.
    InitiateTransfer = "InitiateTransfer" => Use::Accepted,
    /// `CompleteTransfer{consultCallUri?}` (CompleteTransfer): both of this agent's calls are
    /// then `Released`, which the notifications report.
    CompleteTransfer = "CompleteTransfer" => Use::Accepted,
    /// `InitiateConference{destination}` (InitiateConference).
    InitiateConference = "InitiateConference" => Use::Accepted,
    /// `CompleteConference{consultCallUri?}` (CompleteConference).
    CompleteConference = "CompleteConference" => Use::Accepted,
    /// `SingleStepConference{destination}`.
    SingleStepConference = "SingleStepConference" => Use::Accepted,
    /// `RemoveParticipantFromConference` ("will result in a "ParticipantsUpdated"
    /// notification").
    RemoveParticipantFromConference = "RemoveParticipantFromConference" => Use::Accepted,
    /// `SwapCalls` (SwapCalls).
    SwapCalls = "SwapCalls" => Use::Accepted,
    /// `SendDtmf{dtmfDigits}` (CallsSendDTMF): no state change.
    SendDtmf = "SendDtmf" => Use::Accepted,
    /// `Dial{destination}` on `/api/v2/me/devices/{id}/calls` (CallsDial): the call arrives as
    /// `Dialing`.
    Dial = "Dial" => Use::Accepted,
    /// Chat `Leave` (ChatLeave): the agent's `LeftChat` then `Completed` follow.
    Leave = "Leave" => Use::Accepted,
    /// Chat `SendMessage` (ChatSend).
    SendMessage = "SendMessage" => Use::Accepted,
    /// Chat `SendStartTypingNotification`.
    SendStartTypingNotification = "SendStartTypingNotification" => Use::Accepted,
    /// Chat `SendStopTypingNotification`.
    SendStopTypingNotification = "SendStopTypingNotification" => Use::Accepted,
    /// Chat `InitiateConsultation` (the 8.5.0 name).
    InitiateConsultation = "InitiateConsultation" => Use::Accepted,
    /// `InitiateConsulation`, as the 8.5.0 operations table spells it.
    InitiateConsulation = "InitiateConsulation" => Use::Accepted,
    /// Chat `Consult` (ChatConsult).
    Consult = "Consult" => Use::Accepted,
    /// Chat `Invite` (ChatInviteUser).
    Invite = "Invite" => Use::Accepted,
    /// `StopProcessing` (chat, email).
    StopProcessing = "StopProcessing" => Use::Accepted,
    /// `SetInFocus`.
    SetInFocus = "SetInFocus" => Use::Accepted,
    /// `InFocus`.
    InFocus = "InFocus" => Use::Accepted,
    /// Email `Reply` (EmailReply): a reply draft, `Composing`.
    Reply = "Reply" => Use::Accepted,
    /// Email `ReplyAll` (EmailReplyAll).
    ReplyAll = "ReplyAll" => Use::Accepted,
    /// Email `Forward`.
    Forward = "Forward" => Use::Accepted,
    /// Email `CancelReply`.
    CancelReply = "CancelReply" => Use::Accepted,
    /// Email `Send`.
    Send = "Send" => Use::Accepted,
    /// Email `Save` (EmailSave).
    Save = "Save" => Use::Accepted,
    /// Email `AddComment`.
    AddComment = "AddComment" => Use::Accepted,
    /// `SetDisposition` (EmailSetDisposition).
    SetDisposition = "SetDisposition" => Use::Accepted,
    /// `Create` on `/api/v2/me/workitems` or `/api/v2/me/emails` (WorkitemCreate, EmailCreate):
    /// the interaction arrives as a notification.
    Create = "Create" => Use::Accepted,
    /// `Subscribe` on a workbin (WorkbinSubscribingToGWNotif).
    Subscribe = "Subscribe" => Use::Accepted,
    /// `Unsubscribe` on a workbin.
    Unsubscribe = "Unsubscribe" => Use::Accepted,
    /// `AddInteraction{id}` on `/api/v2/me/workbins/{id}` -> `place_in_workbin`.
    AddInteraction = "AddInteraction" => Use::Workbin(ActionKind::PlaceInWorkbin),
    /// `AddChat{id}` -> `place_in_workbin`.
    AddChat = "AddChat" => Use::Workbin(ActionKind::PlaceInWorkbin),
    /// `AddEmail{id}` -> `place_in_workbin`.
    AddEmail = "AddEmail" => Use::Workbin(ActionKind::PlaceInWorkbin),
    /// `AddWorkitem{id}` -> `place_in_workbin`.
    AddWorkitem = "AddWorkitem" => Use::Workbin(ActionKind::PlaceInWorkbin),
    /// `AddOpenmedia{id}` -> `place_in_workbin`.
    AddOpenmedia = "AddOpenmedia" => Use::Workbin(ActionKind::PlaceInWorkbin),
    /// `PullInteraction{id}` on `/api/v2/workbins/{id}` -> `pull`: "restores the user's
    /// ownership of the Interaction".
    PullInteraction = "PullInteraction" => Use::Workbin(ActionKind::Pull),
    /// `PullChat{id}` -> `pull`.
    PullChat = "PullChat" => Use::Workbin(ActionKind::Pull),
    /// `PullEmail{id}` -> `pull`.
    PullEmail = "PullEmail" => Use::Workbin(ActionKind::Pull),
    /// `PullWorkitem{id}` -> `pull`.
    PullWorkitem = "PullWorkitem" => Use::Workbin(ActionKind::Pull),
    /// `Ready` (AgentStateReady) -> `set_ready`.
    Ready = "Ready" => Use::Agent(AgentActionKind::SetReady),
    /// `NotReady{reasonCode?}` (AgentStateNotReady) -> `set_not_ready`.
    NotReady = "NotReady" => Use::Agent(AgentActionKind::SetNotReady),
    /// `AfterCallWork{wrapUpTime?}` (AgentStateAfterCallWork) -> `set_after_call_work`.
    AfterCallWork = "AfterCallWork" => Use::Agent(AgentActionKind::SetAfterCallWork),
    /// `AuxWork` (AgentStateAuxWork): not ready in the aux work mode -> `set_not_ready` with
    /// reason `AuxWork`.
    AuxWork = "AuxWork" => Use::Agent(AgentActionKind::SetNotReady),
    /// `StartContactCenterSession{channels, place}` -> `log_in`.
    StartContactCenterSession = "StartContactCenterSession" => Use::Agent(AgentActionKind::LogIn),
    /// `EndContactCenterSession` -> `log_out`.
    EndContactCenterSession = "EndContactCenterSession" => Use::Agent(AgentActionKind::LogOut),
}

impl Operation {
    /// The operations of the seed page (gws-v2-interactions.txt), in its order.
    pub const SEED: [Operation; 11] = [
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

    /// The operation with that `operationName`, case-sensitive.
    pub fn from_wire(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.wire_name() == name)
    }

    /// The core action the operation maps to when it is one; `None` for the others (agent,
    /// read, accepted). [`Operation::use_`] says what those do.
    pub const fn action_kind(self) -> Option<ActionKind> {
        match self.use_() {
            Use::Core(kind) | Use::Workbin(kind) => Some(kind),
            Use::Agent(_) | Use::Read | Use::Accepted => None,
        }
    }

    /// The name a replay record shows until the arguments pick the action: the core action's
    /// name ([`ActionKind::name`]: `accept`, `transfer_to_agent`, ...), an agent action's
    /// (`set_ready`, ...), `get_workbin_content` for the read, and the `operationName` itself
    /// for an accepted operation (`SendDtmf`, `InitiateTransfer`, ...).
    pub const fn action_name(self) -> &'static str {
        match self.use_() {
            Use::Core(kind) | Use::Workbin(kind) => kind.name(),
            Use::Agent(kind) => kind.name(),
            Use::Read => "get_workbin_content",
            Use::Accepted => self.wire_name(),
        }
    }

    /// The response style the seed page gives the operation on `/me/interactions/{id}`:
    /// [`Style::StatusCode`] for Complete and Transfer (and every operation the seed page does
    /// not have), [`Style::Cancel`] for Cancel, [`Style::Status`] for the other seed ones. On
    /// the 8.5 paths every operation answers [`Style::StatusCode`] (`{"statusCode":0}`).
    pub const fn style(self) -> Style {
        match self {
            Operation::Cancel => Style::Cancel,
            Operation::Accept
            | Operation::Reject
            | Operation::PlaceInQueue
            | Operation::UpdateUserData
            | Operation::AttachUserData
            | Operation::DeleteUserData
            | Operation::PlaceInWorkbin
            | Operation::GetWorkbinContent => Style::Status,
            _ => Style::StatusCode,
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
    /// An agent action of `agent` ([`Use::Agent`]).
    Agent {
        /// The authenticated agent.
        agent: AgentId,
        /// What it does.
        action: AgentAction,
    },
    /// An operation accepted without a change to the model ([`Use::Accepted`]).
    Accepted {
        /// The interaction the path names, if it names one.
        interaction: Option<InteractionId>,
        /// The authenticated agent.
        agent: AgentId,
        /// `InitiateTransfer`, `InitiateConference`: the `destination.phoneNumber` the consult
        /// call dials (the consulted party), when given.
        destination: Option<Name>,
        /// `CompleteTransfer`, `CompleteConference`: the consult call its `consultCallUri`
        /// names ("If not provided, Web Services determines the related call").
        consult: Option<InteractionId>,
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

/// Where an operation is posted: the interaction the path names (`/me/{collection}/{id}`),
/// and the workbin it names (`/api/v2/me/workbins/{id}`, `/api/v2/workbins/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target<'a> {
    /// The path's interaction id, not yet checked.
    pub interaction: Option<&'a str>,
    /// The path's workbin id, not yet checked.
    pub workbin: Option<&'a str>,
}

/// Decodes the body of `POST /me/interactions/{id}` (or a media path), sent by agent
/// `as_agent` (the trace's `as`), on interaction `id` (the path's last segment):
/// [`decode_operation_at`] with the path's interaction.
pub fn decode_operation(id: &str, as_agent: Option<&str>, body: &[u8]) -> OperationItem {
    decode_operation_at(
        Target {
            interaction: Some(id),
            workbin: None,
        },
        as_agent,
        body,
    )
}

/// Decodes an operation body posted to `target` by agent `as_agent`.
///
/// Shape: `{"operationName": string, "queueName"?, "userData"?, "workbin"?, "userId"?,
/// "targetUri"?, "destination"?: {"phoneNumber"?}, "key"?, "id"?}` (gws-v2-interactions.txt,
/// each operation's "Input Parameters"; the GWS 8.5 pages for the others). Members an
/// operation does not use are not read, so they may hold anything.
///
/// Each operation becomes, with actor [`Actor::Agent`]`(as)` (MODEL.md section 6; docs/gws.md
/// has the full table):
///
/// | operationName | core |
/// |---|---|
/// | `Accept`, `Answer` / `Reject` / `Cancel` | [`Action::Accept`] / [`Action::Reject`] / [`Action::Cancel`] |
/// | `Complete`, `LeaveAndComplete` | [`Action::Complete`]; with `queueName`, [`Action::PlaceInQueue`] |
/// | `PlaceInQueue` | [`Action::PlaceInQueue`] at `queueName` |
/// | `UpdateUserData` / `AttachUserData` | [`Action::UpdateUserData`] / [`Action::AttachUserData`] with `userData` |
/// | `DeleteUserData` / `DeleteUserDataPair` | [`Action::DeleteUserData`] of the keys of `userData` / of `key` |
/// | `PlaceInWorkbin` | [`Action::PlaceInWorkbin`] |
/// | `GetWorkbinContent` | [`Request::WorkbinContent`] (a read) |
/// | `Transfer`, `SingleStepTransfer` | `userId` or a `.../users/{id}` `targetUri`: [`Action::TransferToAgent`]; a `.../queues/{name}` `targetUri` or `queueName`: [`Action::PlaceInQueue`]; `destination.phoneNumber` (SingleStepTransfer): [`Action::Release`], the call leaves our agents |
/// | `Hold` / `Retrieve` | [`Action::Hold`] / [`Action::Retrieve`] (`Hangup` is accepted: the call's `Released` ends it) |
/// | `AddChat`, `AddWorkitem`, ... on a workbin | [`Action::PlaceInWorkbin`] of the body's `id` in the path's workbin |
/// | `PullWorkitem`, `PullChat`, ... | [`Action::Pull`] of the body's `id` by `as` |
/// | `Ready`, `NotReady`, `AfterCallWork`, `AuxWork`, `StartContactCenterSession`, `EndContactCenterSession` | [`Request::Agent`] |
/// | every other known operation ([`Use::Accepted`]) | [`Request::Accepted`] |
///
/// Ownership (an agent may act only on what it owns or is offered) is the engine's check.
///
/// # Errors
/// In this order: the body is not JSON or not an object ([`Error::Malformed`] `operation body`);
/// `operationName` absent ([`Error::MissingField`]), not a string ([`Error::Malformed`]) or
/// unknown ([`Error::Unsupported`] `operationName`, case-sensitive); a member the operation
/// needs absent ([`Error::MissingField`] `queueName`, `userData`, `workbin`, `userId`, `key`,
/// `id`) or of the wrong type ([`Error::Malformed`] naming it; `userData` must be an object,
/// and a value nested deeper than 128 levels is refused naming `userData.<key>`); a name or id
/// empty, over 256 bytes or holding a control character ([`Error::MissingField`] /
/// [`Error::InvalidField`]); `userId` naming the requesting agent ([`Error::InvalidField`]);
/// a `targetUri` naming neither a user nor a queue ([`Error::InvalidField`]); the path's `id`
/// invalid ([`Error::InvalidField`] / [`Error::MissingField`] `id`); `as` absent
/// ([`Error::MissingField`] `as`) or invalid ([`Error::InvalidField`] `as`).
pub fn decode_operation_at(
    target: Target<'_>,
    as_agent: Option<&str>,
    body: &[u8],
) -> OperationItem {
    const WHAT: &str = "operation body";
    match interaction_wire::read_body::<OperationBody<'_, Fast>, OperationBody<'_, Lax>>(body, WHAT)
    {
        Ok(Read::Fast(body)) => item(body, target, as_agent),
        Ok(Read::Lax(body)) => item(body, target, as_agent),
        Err(e) => OperationItem {
            operation: None,
            action: None,
            result: Err(e),
        },
    }
}

members! {
    /// An operation body ([`interaction_wire::read_body`]), its members as pass `M` holds
    /// them: [`Fast`] or [`Lax`]. Only the members the operation reads are type-checked
    /// ([`reads`]), whichever pass read them: a wrong-typed `queueName` on an `Accept` is not
    /// an error.
    struct OperationBody<'a, M: Mode> {
        "operationName" => operation_name: M::Raw<'a>,
        "queueName" => queue_name: M::Text<'a>,
        "userData" => user_data: M::UserData<'a>,
        "workbin" => workbin: M::Text<'a>,
        "userId" => user_id: M::Text<'a>,
        "targetUri" => target_uri: M::Text<'a>,
        "destination" => destination: M::Object<'a, DestinationBody<'a, M>>,
        "key" => key: M::Text<'a>,
        "id" => id: M::Text<'a>,
        "consultCallUri" => consult_call_uri: M::Text<'a>,
    }
}

members! {
    /// `destination`.
    struct DestinationBody<'a, M: Mode> {
        "phoneNumber" => phone_number: M::Text<'a>,
    }
}

/// The members each operation reads (and so may type-check): a row of flags, one per member.
#[allow(clippy::struct_excessive_bools)]
struct Reads {
    queue_name: bool,
    user_data: bool,
    workbin: bool,
    transfer: bool,
    key: bool,
    id: bool,
    /// `destination` only (a consult's party).
    destination: bool,
    consult_call_uri: bool,
}

const fn reads(operation: Operation) -> Reads {
    let none = Reads {
        queue_name: false,
        user_data: false,
        workbin: false,
        transfer: false,
        key: false,
        id: false,
        destination: false,
        consult_call_uri: false,
    };
    match operation {
        Operation::PlaceInQueue | Operation::Complete | Operation::LeaveAndComplete => Reads {
            queue_name: true,
            ..none
        },
        Operation::UpdateUserData | Operation::AttachUserData | Operation::DeleteUserData => {
            Reads {
                user_data: true,
                ..none
            }
        }
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => Reads {
            workbin: true,
            ..none
        },
        Operation::Transfer | Operation::SingleStepTransfer => Reads {
            queue_name: true,
            transfer: true,
            ..none
        },
        Operation::DeleteUserDataPair => Reads { key: true, ..none },
        Operation::InitiateTransfer | Operation::InitiateConference => Reads {
            destination: true,
            ..none
        },
        Operation::CompleteTransfer | Operation::CompleteConference => Reads {
            consult_call_uri: true,
            ..none
        },
        _ => match operation.use_() {
            Use::Workbin(_) => Reads { id: true, ..none },
            _ => none,
        },
    }
}

/// [`decode_operation_at`] on a body either pass read: the operation, then the JSON types of
/// the members it reads, in this order: `queueName`, `userData`, `workbin`, `userId`,
/// `targetUri`, `destination` (and its `phoneNumber`), `key`, `id`, `consultCallUri`.
fn item<M: Mode>(
    mut body: OperationBody<'_, M>,
    target: Target<'_>,
    as_agent: Option<&str>,
) -> OperationItem {
    let operation = match operation_of(&body) {
        Ok(operation) => operation,
        Err((action, e)) => {
            return OperationItem {
                operation: None,
                action,
                result: Err(e),
            };
        }
    };
    let r = reads(operation);
    // Only the user-data operations read `userData`, and they read nothing else: it is taken
    // out of the body (no copy) before the other members are borrowed.
    let user_data = match body.user_data.take().filter(|_| r.user_data) {
        Some(data) => match data.user_data("", "userData") {
            Ok(data) => Some(data),
            Err(e) => return finish(operation, Err(e)),
        },
        None => None,
    };
    let result = texts(&body, &r)
        .and_then(|texts| to_request(texts.view(user_data), operation, target, as_agent));
    finish(operation, result)
}

/// The operation a body names, or why not with the item's label.
fn operation_of<M: Mode>(
    body: &OperationBody<'_, M>,
) -> Result<Operation, (Option<SmolStr>, Error)> {
    let Some(raw_name) = &body.operation_name else {
        return Err((None, Error::missing_field("operationName")));
    };
    let name = raw_name
        .text("", "operationName")
        .map_err(|e| (raw_name.json().map(interaction_wire::label), e))?;
    Operation::from_wire(&name).ok_or_else(|| {
        (
            Some(interaction_wire::label(&name)),
            Error::unsupported("operationName", printable(&name)),
        )
    })
}

/// The string arguments an operation reads, each `None` when it does not read it.
#[derive(Default)]
struct Texts<'r> {
    queue_name: Option<Cow<'r, str>>,
    workbin: Option<Cow<'r, str>>,
    user_id: Option<Cow<'r, str>>,
    target_uri: Option<Cow<'r, str>>,
    phone_number: Option<Cow<'r, str>>,
    key: Option<Cow<'r, str>>,
    id: Option<Cow<'r, str>>,
    consult_call_uri: Option<Cow<'r, str>>,
}

impl Texts<'_> {
    /// The view [`to_request`] reads.
    fn view(&self, user_data: Option<UserData>) -> Arguments<'_> {
        Arguments {
            queue_name: self.queue_name.as_deref(),
            user_data,
            workbin: self.workbin.as_deref(),
            user_id: self.user_id.as_deref(),
            target_uri: self.target_uri.as_deref(),
            phone_number: self.phone_number.as_deref(),
            key: self.key.as_deref(),
            id: self.id.as_deref(),
            consult_call_uri: self.consult_call_uri.as_deref(),
        }
    }
}

/// The string members the operation reads (`r`), type-checked in [`item`]'s order; the others
/// are not looked at.
fn texts<'a, M: Mode>(body: &OperationBody<'a, M>, r: &Reads) -> Result<Texts<'a>, Error> {
    let mut texts = Texts::default();
    if r.queue_name {
        texts.queue_name = text(body.queue_name.as_ref(), "queueName")?;
    }
    if r.workbin {
        texts.workbin = text(body.workbin.as_ref(), "workbin")?;
    }
    if r.transfer {
        texts.user_id = text(body.user_id.as_ref(), "userId")?;
        texts.target_uri = text(body.target_uri.as_ref(), "targetUri")?;
    }
    if (r.transfer || r.destination)
        && let Some(destination) = &body.destination
    {
        let destination = destination.object("", "destination")?;
        texts.phone_number = text_at(
            destination.phone_number.as_ref(),
            "destination",
            "phoneNumber",
        )?;
    }
    if r.key {
        texts.key = text(body.key.as_ref(), "key")?;
    }
    if r.id {
        texts.id = text(body.id.as_ref(), "id")?;
    }
    if r.consult_call_uri {
        texts.consult_call_uri = text(body.consult_call_uri.as_ref(), "consultCallUri")?;
    }
    Ok(texts)
}

/// The item of a known operation: its label is the action its arguments picked.
fn finish(operation: Operation, result: Result<Request, Error>) -> OperationItem {
    let action = match &result {
        Ok(Request::Apply(input)) => SmolStr::new_static(input.action.kind().name()),
        Ok(Request::Agent { action, .. }) => SmolStr::new_static(action.kind().name()),
        _ => SmolStr::new_static(operation.action_name()),
    };
    OperationItem {
        operation: Some(operation),
        action: Some(action),
        result,
    }
}

/// An operation's arguments as [`to_request`] reads them, from either pass.
#[derive(Default)]
struct Arguments<'r> {
    queue_name: Option<&'r str>,
    user_data: Option<UserData>,
    workbin: Option<&'r str>,
    user_id: Option<&'r str>,
    target_uri: Option<&'r str>,
    phone_number: Option<&'r str>,
    key: Option<&'r str>,
    id: Option<&'r str>,
    consult_call_uri: Option<&'r str>,
}

/// What a `targetUri` names: a user (`.../users/{id}`) or a queue (`.../queues/{name}`).
fn target_uri(uri: &str) -> Result<Action, Error> {
    let path = interaction_wire::Path::parse(uri);
    let parts = path.parts();
    let word = |s: &str, w: &str| s.eq_ignore_ascii_case(w);
    match parts.as_slice() {
        [.., users, id] if word(users, "users") => Ok(Action::TransferToAgent {
            agent: AgentId::parse(id, "targetUri")?,
        }),
        [.., queues, name] if word(queues, "queues") => Ok(Action::PlaceInQueue {
            queue: Name::parse(name, "targetUri")?,
        }),
        _ => Err(Error::invalid_field(
            "targetUri",
            format!(
                "`{}` names neither a user (.../users/{{id}}) nor a queue (.../queues/{{name}})",
                printable(uri)
            ),
        )),
    }
}

/// Applies the operation rules to the wire form.
fn to_request(
    wire: Arguments<'_>,
    operation: Operation,
    target: Target<'_>,
    as_agent: Option<&str>,
) -> Result<Request, Error> {
    let required = |value: Option<&str>, field: &'static str| {
        let value = value.ok_or_else(|| Error::missing_field(field))?;
        Name::parse(value, field)
    };
    let optional =
        |value: Option<&str>, field: &'static str| value.map(|v| Name::parse(v, field)).transpose();
    // Arguments first, then the path's id, then who asks.
    let transfer = match operation {
        Operation::Transfer | Operation::SingleStepTransfer => {
            Some(transfer_action(&wire, operation)?)
        }
        _ => None,
    };
    if let Some(request) = non_core(&wire, operation, target, as_agent)? {
        return Ok(request);
    }
    let user_data = wire.user_data;
    let argument = match operation {
        Operation::PlaceInQueue => Some(required(wire.queue_name, "queueName")?),
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => {
            Some(required(wire.workbin, "workbin")?)
        }
        Operation::Complete | Operation::LeaveAndComplete => {
            optional(wire.queue_name, "queueName")?
        }
        _ => None,
    };
    let data = match operation {
        Operation::UpdateUserData | Operation::AttachUserData | Operation::DeleteUserData => {
            Some(user_data.ok_or_else(|| Error::missing_field("userData"))?)
        }
        _ => None,
    };
    let key = match operation {
        Operation::DeleteUserDataPair => Some(required(wire.key, "key")?),
        _ => None,
    };
    let agent_of = || AgentId::parse(as_agent.ok_or_else(|| Error::missing_field("as"))?, "as");
    let interaction = InteractionId::parse(target.interaction.unwrap_or(""), "id")?;
    let agent = agent_of()?;
    let action = match (operation, argument, data) {
        (Operation::Accept | Operation::Answer, ..) => Action::Accept,
        (Operation::Reject, ..) => Action::Reject,
        (Operation::Cancel, ..) => Action::Cancel,
        (Operation::Complete | Operation::LeaveAndComplete, Some(queue), _) => {
            Action::PlaceInQueue { queue }
        }
        (Operation::Complete | Operation::LeaveAndComplete, None, _) => Action::Complete,
        (Operation::PlaceInQueue, Some(queue), _) => Action::PlaceInQueue { queue },
        (Operation::PlaceInWorkbin, Some(workbin), _) => Action::PlaceInWorkbin { workbin },
        (Operation::GetWorkbinContent, Some(workbin), _) => {
            return Ok(Request::WorkbinContent {
                interaction,
                agent,
                workbin,
            });
        }
        (Operation::UpdateUserData, _, Some(user_data)) => Action::UpdateUserData { user_data },
        (Operation::AttachUserData, _, Some(user_data)) => Action::AttachUserData { user_data },
        (Operation::DeleteUserData, _, Some(data)) => Action::DeleteUserData {
            keys: data.into_keys().collect(),
        },
        (Operation::DeleteUserDataPair, ..) => Action::DeleteUserData {
            keys: key.map(|k| k.as_str().to_owned()).into_iter().collect(),
        },
        (Operation::Hold, ..) => Action::Hold,
        (Operation::Retrieve, ..) => Action::Retrieve,
        (Operation::Transfer | Operation::SingleStepTransfer, ..) => match transfer {
            Some(Action::TransferToAgent { agent: to }) if to == agent => {
                // The argument that named the agent: `userId` first, else a user `targetUri`.
                let field = if wire.user_id.is_some() {
                    "userId"
                } else {
                    "targetUri"
                };
                return Err(Error::invalid_field(
                    field,
                    format!("names the requesting agent `{agent}`; a transfer needs another agent"),
                ));
            }
            Some(action) => action,
            None => return Err(Error::missing_field("userId")),
        },
        // Each arm above has its argument: read_request and the checks above fill exactly the
        // one the operation needs. Kept total rather than panicking.
        (op, ..) => return Err(Error::missing_field(argument_name(op))),
    };
    Ok(Request::Apply(
        Input::new(interaction, action, Actor::Agent(agent)).via(Api::Gws),
    ))
}

/// The request of an operation that is not a core action on the path's interaction: an agent
/// action, an accepted operation, a workbin operation; `None` for the others.
fn non_core(
    wire: &Arguments<'_>,
    operation: Operation,
    target: Target<'_>,
    as_agent: Option<&str>,
) -> Result<Option<Request>, Error> {
    let agent_of = || AgentId::parse(as_agent.ok_or_else(|| Error::missing_field("as"))?, "as");
    Ok(Some(match operation.use_() {
        Use::Agent(_) => {
            let agent = agent_of()?;
            let action = match operation {
                Operation::Ready => AgentAction::SetReady,
                Operation::NotReady => AgentAction::SetNotReady { reason: None },
                Operation::AuxWork => AgentAction::SetNotReady {
                    reason: Some(Name::parse("AuxWork", "operationName")?),
                },
                Operation::AfterCallWork => AgentAction::SetAfterCallWork,
                Operation::StartContactCenterSession => AgentAction::LogIn,
                _ => AgentAction::LogOut,
            };
            Request::Agent { agent, action }
        }
        Use::Accepted => {
            let destination = wire
                .phone_number
                .map(|n| Name::parse(n, "destination.phoneNumber"))
                .transpose()?;
            let consult = wire
                .consult_call_uri
                .map(|uri| match crate::notification::call_id_in(uri) {
                    Some(id) => InteractionId::parse(id, "consultCallUri"),
                    None => Err(Error::invalid_field(
                        "consultCallUri",
                        format!("`{}` names no call (.../calls/{{id}})", printable(uri)),
                    )),
                })
                .transpose()?;
            let interaction = target
                .interaction
                .map(|id| InteractionId::parse(id, "id"))
                .transpose()?;
            Request::Accepted {
                interaction,
                agent: agent_of()?,
                destination,
                consult,
            }
        }
        Use::Workbin(kind) => {
            let interaction = match (wire.id, target.interaction) {
                (Some(id), _) | (None, Some(id)) => InteractionId::parse(id, "id")?,
                (None, None) => return Err(Error::missing_field("id")),
            };
            let agent = agent_of()?;
            let action = if kind == ActionKind::Pull {
                Action::Pull {
                    agent: agent.clone(),
                }
            } else {
                let workbin = target
                    .workbin
                    .ok_or_else(|| Error::missing_field("workbin"))?;
                Action::PlaceInWorkbin {
                    workbin: Name::parse(workbin, "workbin")?,
                }
            };
            Request::Apply(Input::new(interaction, action, Actor::Agent(agent)).via(Api::Gws))
        }
        Use::Core(_) | Use::Read => return Ok(None),
    }))
}

/// What a `Transfer` or `SingleStepTransfer` asks for, from its arguments in this order:
/// `userId`, `targetUri`, `queueName`, `destination.phoneNumber` (SingleStepTransfer only).
fn transfer_action(wire: &Arguments<'_>, operation: Operation) -> Result<Action, Error> {
    if let Some(user_id) = wire.user_id {
        return Ok(Action::TransferToAgent {
            agent: AgentId::parse(user_id, "userId")?,
        });
    }
    if let Some(uri) = wire.target_uri {
        return target_uri(uri);
    }
    if let Some(queue) = wire.queue_name {
        return Ok(Action::PlaceInQueue {
            queue: Name::parse(queue, "queueName")?,
        });
    }
    if operation == Operation::SingleStepTransfer
        && let Some(number) = wire.phone_number
    {
        // An external party: the call leaves our agents.
        Name::parse(number, "destination.phoneNumber")?;
        return Ok(Action::Release);
    }
    Err(Error::missing_field("userId"))
}

/// The member an operation cannot do without.
const fn argument_name(operation: Operation) -> &'static str {
    match operation {
        Operation::PlaceInQueue => "queueName",
        Operation::PlaceInWorkbin | Operation::GetWorkbinContent => "workbin",
        Operation::Transfer | Operation::SingleStepTransfer => "userId",
        Operation::DeleteUserDataPair => "key",
        _ => "userData",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_members_an_operation_reads_are_type_checked() {
        let target = Target {
            interaction: Some("ix-1"),
            workbin: None,
        };
        let decode = |body: &str| decode_operation_at(target, Some("1001"), body.as_bytes());
        // Accept reads no queueName, even one of the wrong type or one serde_json cannot hold.
        for body in [
            r#"{"operationName": "Accept", "queueName": 5}"#,
            r#"{"operationName": "Accept", "queueName": 1e400, "destination": [1]}"#,
        ] {
            let item = decode(body);
            assert!(item.result.is_ok(), "{body}: {item:?}");
        }
        // PlaceInQueue reads it, in serde_json's words.
        let item = decode(r#"{"operationName": "PlaceInQueue", "queueName": 5}"#);
        assert_eq!(item.operation, Some(Operation::PlaceInQueue));
        assert_eq!(
            item.result.unwrap_err().to_string(),
            "malformed input: queueName: invalid type: integer `5`, expected a string"
        );
        // A non-string operationName labels the item with its JSON text.
        let item = decode(r#"{"operationName": [1]}"#);
        assert_eq!(item.action.as_deref(), Some("[1]"));
        assert_eq!(
            item.result.unwrap_err().kind(),
            interaction_core::ErrorKind::Malformed
        );
        // Escapes read as their characters; the last duplicate wins.
        let item =
            decode(r#"{"operationName": "Place\u0049nQueue", "queueName": "A", "queueName": "B"}"#);
        assert_eq!(item.operation, Some(Operation::PlaceInQueue));
        assert!(
            format!("{:?}", item.result).contains(r#"PlaceInQueue { queue: "B" }"#),
            "{item:?}"
        );
    }

    #[test]
    fn the_lax_pass_reads_every_variant_as_the_fast_one_does() {
        let mut both = 0;
        for seed in [
            r#"{"operationName": "Transfer", "userId": "1002", "queueName": "Q"}"#,
            r#"{"operationName": "UpdateUserData", "userData": {"a": 1, "b": [true]}}"#,
            r#"{"operationName": "SingleStepTransfer", "destination": {"phoneNumber": "5551212"}}"#,
            r#"{"operationName": "PullWorkitem", "id": "FE7978FEWFE"}"#,
        ] {
            for body in interaction_wire::variants(seed) {
                let Some((fast, lax)) = interaction_wire::both_passes::<
                    OperationBody<'_, Fast>,
                    OperationBody<'_, Lax>,
                >(&body) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&body);
                both += 1;
                let target = Target {
                    interaction: Some("ix-1"),
                    workbin: None,
                };
                assert_eq!(
                    format!("{:?}", item(fast, target, Some("1001"))),
                    format!("{:?}", item(lax, target, Some("1001"))),
                    "{text}"
                );
            }
        }
        assert!(both > 60, "only {both} variants read in both passes");
    }

    #[test]
    fn names_round_trip_and_styles_follow_the_page() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_wire(op.wire_name()), Some(op));
        }
        assert_eq!(
            Operation::from_wire("SingleStepTransfer"),
            Some(Operation::SingleStepTransfer)
        );
        assert_eq!(Operation::from_wire("accept"), None);
        assert_eq!(Operation::Complete.style(), Style::StatusCode);
        assert_eq!(Operation::Transfer.style(), Style::StatusCode);
        assert_eq!(Operation::Cancel.style(), Style::Cancel);
        assert_eq!(Operation::Accept.style(), Style::Status);
        assert_eq!(Operation::GetWorkbinContent.style(), Style::Status);
    }
}
