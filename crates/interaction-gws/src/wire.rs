//! The GWS v2 Interactions API's JSON, as serde types.
//!
//! These types model the vendor's documents field for field, in the vendor's spelling, so that
//! serializing one gives the vendor's shape:
//!
//! * [`OperationRequest`]: the body of `POST /me/interactions/{id}` (gws-v2-interactions.txt,
//!   "Input Parameters" of each operation).
//! * [`StatusResponse`], [`StatusCodeResponse`], [`CancelResponse`]: the page's three response
//!   styles ("Output" / "HTTP Response" of each operation).
//! * [`CometdMessage`], [`Notification`], [`Resource`]: a CometD notification on a `/v2/me/...`
//!   channel (the page: "the true response arrives on the CometD topic (channel)
//!   /v2/me/interactions/"; the resource shape follows GWS's documented `WorkitemStateChangeMessage`
//!   example: `{"data": {"workitem": {"state", "capabilities", "id", "workitemType", "uri"},
//!   "referenceId", "notificationType", "messageType"}}`).
//!
//! They check JSON types only. The rules (which members are required, which values are allowed)
//! are applied when a body is decoded into core inputs by [`crate::decode_operation`] and
//! [`crate::decode_notification`], which also name the offending member in every error. Unknown
//! members are ignored on deserialization; absent optional members are omitted on serialization.

use interaction_core::UserData;
use serde::{Deserialize, Serialize};

/// The body of `POST /me/interactions/{id}`.
///
/// Shape: `{"operationName": string, "queueName"?: string, "userData"?: {..}, "workbin"?: string,
/// "userId"?: string}`. Which members an operation needs: `PlaceInQueue` `queueName`;
/// `UpdateUserData`, `AttachUserData`, `DeleteUserData` `userData`; `PlaceInWorkbin` and
/// `GetWorkbinContent` `workbin`; `Transfer` `userId` (gws-v2-interactions.txt, each operation's
/// "Input Parameters").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRequest {
    /// `Accept`, `Reject`, `Cancel`, `Complete`, `PlaceInQueue`, `UpdateUserData`,
    /// `AttachUserData`, `DeleteUserData`, `PlaceInWorkbin`, `GetWorkbinContent`, `Transfer`
    /// (the page's `SingleStepTransfer` sends `"operationName":"Transfer"`).
    pub operation_name: String,
    /// `PlaceInQueue`: "queueName":queue-name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_name: Option<String>,
    /// `UpdateUserData`, `AttachUserData`, `DeleteUserData`: the keys and values, nested values
    /// kept as JSON ("field3" : { "fieldA" : valueA, ... }).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<UserData>,
    /// `PlaceInWorkbin`, `GetWorkbinContent`: "workbin":workbin-identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workbin: Option<String>,
    /// `Transfer`: "userId":a unique Agent identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `Transfer` (8.5 chat, ChatSingleStepTransfer): the URI of the user or queue to transfer
    /// to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_uri: Option<String>,
    /// `SingleStepTransfer`, `InitiateTransfer`, `InitiateConference`, `Dial` (the voice
    /// pages): `{"phoneNumber": ...}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// `DeleteUserDataPair`: the key to delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Workbin operations (`AddChat`, `PullWorkitem`, ...): the interaction's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The consult call a `CompleteTransfer` or `CompleteConference` completes with
    /// (CompleteTransfer: "You can use this optional parameter to specify the consult call
    /// that should be used to complete the transfer"): `http://host/api/v2/me/calls/<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consult_call_uri: Option<String>,
}

/// A voice operation's `destination` (SingleStepTransfer, InitiateTransfer, CallsDial).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    /// The number to call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// The response style of most operations: `{"status":"ok"}` or
/// `{"status":"error","errorDescription":details}` (gws-v2-interactions.txt: Accept, Reject,
/// PlaceInQueue, UpdateUserData, AttachUserData, DeleteUserData, PlaceInWorkbin,
/// GetWorkbinContent).
///
/// `interactions` is this adapter's addition for `GetWorkbinContent`, whose content GWS sends
/// as CometD messages ("The content comes as a CometD message"): the replay has no CometD
/// stream of its own, so the list rides in the response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusResponse {
    /// `ok` or `error`.
    pub status: String,
    /// On `error`: what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// `GetWorkbinContent` only: the interactions in the workbin, sorted by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions: Option<Vec<WorkbinItem>>,
}

/// One interaction of a `GetWorkbinContent` answer: `{"id", "state": "InWorkbin", "workbin",
/// "userData"}`, in the shape of a notification [`Resource`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkbinItem {
    /// The interaction id.
    pub id: String,
    /// Always `InWorkbin`.
    pub state: String,
    /// The workbin it sits in.
    pub workbin: String,
    /// Its user data.
    pub user_data: UserData,
}

/// The response style of `Complete` and `Transfer` (`SingleStepTransfer`): `{"statusCode":0}`
/// or `{"statusCode":<an integer value above 0>,"statusMessage":details}`; also the failure of
/// `Cancel` (gws-v2-interactions.txt, "Complete", "SingleStepTransfer", "Cancel").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCodeResponse {
    /// 0 on success; above 0 on failure ([`crate::status_code`] lists the codes).
    pub status_code: u32,
    /// On failure: what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
}

/// The success of `Cancel`: `{"status": 0}` (gws-v2-interactions.txt, "Cancel", "HTTP Response").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CancelResponse {
    /// Always 0.
    pub status: u32,
}

/// A whole CometD message: `{"channel"?: "/v2/me/workitems", "data": Notification}`. A trace
/// body may hold this envelope or just its `data`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CometdMessage {
    /// The channel the message was published on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The notification.
    pub data: Notification,
}

/// A notification about one interaction: `{"messageType", "notificationType", <resource>}`
/// where the resource member is named for the message type: `call` (CallStateChangeMessage),
/// `chat` (ChatStateChangeMessage), `email` (EmailStateChangeMessage), `workitem`
/// (WorkitemStateChangeMessage), `interaction` (OpenMediaStateChangeMessage and the generic
/// InteractionStateChangeMessage). MODEL.md section 6, "GWS v2".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// `CallStateChangeMessage`, `ChatStateChangeMessage`, `EmailStateChangeMessage`,
    /// `WorkitemStateChangeMessage`, `OpenMediaStateChangeMessage`,
    /// `InteractionStateChangeMessage`.
    pub message_type: String,
    /// `StatusChange`, or another type such as `ParticipantsUpdated`, `PropertiesUpdated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_type: Option<String>,
    /// The call, for a `CallStateChangeMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Resource>,
    /// The chat, for a `ChatStateChangeMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Resource>,
    /// The email, for an `EmailStateChangeMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Resource>,
    /// The workitem, for a `WorkitemStateChangeMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workitem: Option<Resource>,
    /// The interaction, for an `OpenMediaStateChangeMessage` or `InteractionStateChangeMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<Resource>,
}

/// The interaction resource inside a notification.
///
/// Shape: `{"id": string, "state"?: string, "capabilities"?: [string], "userData"?: {..},
/// "callType"|"chatType"|"emailType"|"workitemType"?: "Inbound"|"Outbound"|..., "workbin"?:
/// string, "dnis"?: string, "parentCallPath"?: string, "parentCallUri"?: string}`. Other
/// members (`uri`, `participants`, `queueName`, ...) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// The interaction id (the `{id}` of `/me/interactions/{id}`).
    pub id: String,
    /// `Invited`, `Processing`, `Chatting`, `Established`, `Held`, `Revoked`, `InWorkbin`,
    /// `Completed`, `Released`; required for `StatusChange`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// What the platform says the agent may do now (`Accept`, `Reject`, `Complete`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
    /// The interaction's user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<UserData>,
    /// A call's direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// A chat's direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<String>,
    /// An email's direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_type: Option<String>,
    /// A workitem's direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workitem_type: Option<String>,
    /// The workbin an `InWorkbin` interaction sits in (the name `PlaceInWorkbin` uses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workbin: Option<String>,
    /// A call's `dnis`: the number dialed (CallsDial sample: `"dnis":"15002"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dnis: Option<String>,
    /// A consult call's original: `"/calls/<id>"` (CompleteConference sample:
    /// `"parentCallPath":"/calls/01RCC3N118B1V0SL8O7GK2LAES000009"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_call_path: Option<String>,
    /// The same as a URI (`"parentCallUri":"http://127.0.0.1:8080/api/v2/me/calls/<id>"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_call_uri: Option<String>,
}
