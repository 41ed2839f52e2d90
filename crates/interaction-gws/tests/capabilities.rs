//! `allowed` against every capability list quoted on the GWS 8.5 pages (docs.genesys.com,
//! `Documentation/HTCC/8.5.2/API/...`, read for `../shared/spec/vendor-supplement.md`): the
//! interaction is brought to the state of the page's sample through the public endpoint, the
//! sample's notification is sent with its capabilities, and the item's `allowed` (the model's,
//! filtered by the GWS profile of the media) must equal the core actions the capabilities stand
//! for ([`capability_actions_for`]), or differ exactly as one of the documented rules of ours
//! below says (docs/gws.md, "Allowed and capabilities").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_core::{ActionKind, Engine};
use interaction_gws::endpoint::{Item, Request, handle_message, handle_request};
use interaction_gws::{AdapterState, GwsMedia, capability_actions_for};
use interaction_wire::{IdKind, IdSource};

struct Ids(u64);

impl IdSource for Ids {
    fn next_id(&mut self, _: IdKind) -> String {
        self.0 += 1;
        self.0.to_string()
    }
}

/// Sends notification `body` on agent 1001's channel; its one item.
fn notify(engine: &mut Engine, state: &mut AdapterState, body: &str) -> Item {
    let request = Request {
        identity: Some("1001"),
        ..Request::post("/cometd", body.as_bytes())
    };
    let mut handled = handle_message(engine, state, &request, &mut Ids(0));
    assert_eq!(handled.items.len(), 1);
    let item = handled.items.remove(0);
    assert!(item.error().is_none(), "{body}: {:?}", item.error());
    item
}

/// A `StatusChange` of `key` (`call`, `chat`, ...) `id` to `state`, with `extra` members.
fn status(message: &str, key: &str, id: &str, state: &str, extra: &str) -> String {
    format!(
        r#"{{"data": {{"messageType": "{message}", "notificationType": "StatusChange", "{key}": {{"id": "{id}", "state": "{state}"{extra}}}}}, "channel": "/v2/me/{key}s"}}"#
    )
}

/// One quoted sample: the media, the states that lead to it (each sent as a notification),
/// the sample's own state and type member, and its capabilities as the page lists them.
struct Sample {
    page: &'static str,
    media: GwsMedia,
    path: &'static [&'static str],
    state: &'static str,
    extra: &'static str,
    capabilities: &'static [&'static str],
    /// An operation agent 1001 posts on the interaction's media path just before the sample's
    /// notification (the request the page's sample answers), when there is one.
    operation: Option<&'static str>,
    /// Our documented difference: what `allowed` has beyond the mapped capabilities, and what
    /// it lacks of them.
    more: &'static [ActionKind],
    less: &'static [ActionKind],
}

const CALL_ESTABLISHED: &[&str] = &[
    "SingleStepTransfer",
    "InitiateConference",
    "Hold",
    "SingleStepConference",
    "InitiateTransfer",
    "SendDtmf",
    "DeleteUserData",
    "AttachUserData",
    "DeleteUserDataPair",
    "Hangup",
    "UpdateUserData",
];

const SAMPLES: &[Sample] = &[
    Sample {
        page: "CallsDial (Dialing)",
        operation: None,
        media: GwsMedia::Call,
        path: &[],
        state: "Dialing",
        extra: r#", "callType": "Internal", "dnis": "15002""#,
        capabilities: &[
            "SendDtmf",
            "DeleteUserData",
            "AttachUserData",
            "DeleteUserDataPair",
            "Hangup",
            "UpdateUserData",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "CallsAnswer (Established)",
        operation: None,
        media: GwsMedia::Call,
        path: &["Ringing"],
        state: "Established",
        extra: r#", "callType": "Internal""#,
        capabilities: CALL_ESTABLISHED,
        more: &[],
        less: &[],
    },
    Sample {
        page: "SwapCalls (Established, a held partner)",
        operation: None,
        media: GwsMedia::Call,
        path: &["Ringing"],
        state: "Established",
        extra: r#", "callType": "Internal""#,
        capabilities: &[
            "UpdateUserData",
            "SendDtmf",
            "SwapCalls",
            "InitiateConference",
            "Hold",
            "SingleStepTransfer",
            "InitiateTransfer",
            "AttachUserData",
            "CompleteConference",
            "DeleteUserDataPair",
            "SingleStepConference",
            "DeleteUserData",
            "Hangup",
            "CompleteTransfer",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "CallsHold (Held)",
        operation: None,
        media: GwsMedia::Call,
        path: &["Ringing", "Established"],
        state: "Held",
        extra: r#", "callType": "Internal""#,
        capabilities: &[
            "SingleStepTransfer",
            "InitiateConference",
            "Retrieve",
            "SingleStepConference",
            "InitiateTransfer",
            "DeleteUserData",
            "AttachUserData",
            "DeleteUserDataPair",
            "Hangup",
            "UpdateUserData",
        ],
        more: &[],
        less: &[],
    },
    // While a consult transfer is pending GWS offers SwapCalls and CompleteTransfer instead of
    // Retrieve: the InitiateTransfer request pairs the call with the consult call to come
    // (interaction_gws::Consults), and `allowed` has no retrieve.
    Sample {
        page: "InitiateTransfer (Held, consult pending)",
        operation: Some(
            r#"{"operationName": "InitiateTransfer", "destination": {"phoneNumber": "15002"}}"#,
        ),
        media: GwsMedia::Call,
        path: &["Ringing", "Established"],
        state: "Held",
        extra: r#", "callType": "Internal""#,
        capabilities: &[
            "UpdateUserData",
            "SwapCalls",
            "InitiateConference",
            "SingleStepTransfer",
            "InitiateTransfer",
            "AttachUserData",
            "DeleteUserDataPair",
            "SingleStepConference",
            "DeleteUserData",
            "Hangup",
            "CompleteTransfer",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "CallsHangup (Released)",
        operation: None,
        media: GwsMedia::Call,
        path: &["Ringing", "Established"],
        state: "Released",
        extra: r#", "callType": "Internal""#,
        capabilities: &[],
        more: &[],
        less: &[],
    },
    // The ChatConsult / ChatInviteUser sample of a chatting chat lists the user-data
    // capabilities; the ChatAccept one (an older revision) does not. The profile follows the
    // fuller list: the ChatAccept sample differs by the user-data actions.
    Sample {
        page: "ChatConsult (Chatting)",
        operation: None,
        media: GwsMedia::Chat,
        path: &["Invited"],
        state: "Chatting",
        extra: r#", "chatType": "Inbound""#,
        capabilities: &[
            "Transfer",
            "Leave",
            "Invite",
            "Consult",
            "SetInFocus",
            "SetDisposition",
            "AttachUserData",
            "DeleteUserData",
            "UpdateUserData",
            "SendToAgents",
            "Complete",
            "SendMessage",
            "SendStartTypingNotification",
            "SendStopTypingNotification",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "ChatAccept (Chatting, older revision)",
        operation: None,
        media: GwsMedia::Chat,
        path: &["Invited"],
        state: "Chatting",
        extra: r#", "chatType": "Inbound""#,
        capabilities: &[
            "Transfer",
            "Complete",
            "Leave",
            "InFocus",
            "SendMessage",
            "SendStartTypingNotification",
            "SendStopTypingNotification",
        ],
        more: &[
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ],
        less: &[],
    },
    // After Leave the agent's part is over and its work is not: the model's wrap_up, which
    // offers complete and the user-data actions (MODEL.md section 10), not another transfer or
    // leave.
    Sample {
        page: "ChatLeave (LeftChat)",
        operation: None,
        media: GwsMedia::Chat,
        path: &["Invited", "Chatting"],
        state: "LeftChat",
        extra: r#", "chatType": "Inbound""#,
        capabilities: &["Transfer", "Complete", "Leave", "InFocus"],
        more: &[
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ],
        less: &[
            ActionKind::TransferToAgent,
            ActionKind::PlaceInQueue,
            ActionKind::Release,
        ],
    },
    Sample {
        page: "EmailCreate (Composing, outbound)",
        operation: None,
        media: GwsMedia::Email,
        path: &[],
        state: "Composing",
        extra: r#", "emailType": "Outbound""#,
        capabilities: &[
            "Cancel",
            "Send",
            "AddComment",
            "AttachUserData",
            "UpdateUserData",
            "DeleteUserData",
            "SetDisposition",
            "SetInFocus",
            "Transfer",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "EmailCancel (Canceled)",
        operation: None,
        media: GwsMedia::Email,
        path: &["Composing"],
        state: "Canceled",
        extra: r#", "emailType": "Outbound""#,
        capabilities: &[],
        more: &[],
        less: &[],
    },
    // The EmailResource sample lists no user-data capability where the Composing samples do;
    // the profile lets an agent attach data to any email it works.
    Sample {
        page: "EmailResource (Processing, inbound)",
        operation: None,
        media: GwsMedia::Email,
        path: &["Invited"],
        state: "Processing",
        extra: r#", "emailType": "Inbound""#,
        capabilities: &["Reply", "ReplyAll", "Save", "Complete", "Transfer", "Send"],
        more: &[
            ActionKind::UpdateUserData,
            ActionKind::AttachUserData,
            ActionKind::DeleteUserData,
        ],
        less: &[],
    },
    Sample {
        page: "InteractionsOnEmailNotifications (Invited)",
        operation: None,
        media: GwsMedia::Email,
        path: &[],
        state: "Invited",
        extra: r#", "emailType": "Inbound""#,
        capabilities: &["Accept", "Reject"],
        more: &[],
        less: &[],
    },
    Sample {
        page: "WorkitemCreate (Processing)",
        operation: None,
        media: GwsMedia::Workitem,
        path: &["Invited"],
        state: "Processing",
        extra: r#", "workitemType": "Inbound""#,
        capabilities: &[
            "Transfer",
            "AttachUserData",
            "UpdateUserData",
            "DeleteUserData",
            "SetInFocus",
            "Complete",
        ],
        more: &[],
        less: &[],
    },
    Sample {
        page: "WorkitemComplete (Completed)",
        operation: None,
        media: GwsMedia::Workitem,
        path: &["Invited", "Processing"],
        state: "Completed",
        extra: r#", "workitemType": "Inbound""#,
        capabilities: &[],
        more: &[],
        less: &[],
    },
    Sample {
        page: "WorkbinSupAddIntToWorkbin (InWorkbin)",
        operation: None,
        media: GwsMedia::Workitem,
        path: &["Invited", "Processing"],
        state: "InWorkbin",
        extra: r#", "workitemType": "Inbound", "workbin": "wb-1""#,
        capabilities: &[],
        more: &[],
        less: &[],
    },
];

#[test]
fn allowed_equals_the_capabilities_of_every_quoted_sample_or_differs_as_documented() {
    for sample in SAMPLES {
        let (message, key) = match sample.media {
            GwsMedia::Call => ("CallStateChangeMessage", "call"),
            GwsMedia::Chat => ("ChatStateChangeMessage", "chat"),
            GwsMedia::Email => ("EmailStateChangeMessage", "email"),
            GwsMedia::Workitem | GwsMedia::Other => ("WorkitemStateChangeMessage", "workitem"),
        };
        let mut engine = Engine::new();
        let mut state = AdapterState::new();
        for step in sample.path {
            notify(
                &mut engine,
                &mut state,
                &status(message, key, "ix-1", step, sample.extra),
            );
        }
        if let Some(body) = sample.operation {
            let path = format!("/api/v2/me/{key}s/ix-1");
            let request = Request {
                identity: Some("1001"),
                ..Request::post(&path, body.as_bytes())
            };
            let handled = handle_request(&mut engine, &mut state, &request, &mut Ids(0));
            assert_eq!(handled.response.status, 200, "{}", sample.page);
        }
        let caps = serde_json::to_string(sample.capabilities).unwrap();
        let extra = format!(r#"{}, "capabilities": {caps}"#, sample.extra);
        let item = notify(
            &mut engine,
            &mut state,
            &status(message, key, "ix-1", sample.state, &extra),
        );
        let mapped = capability_actions_for(sample.media, sample.capabilities.iter().copied());
        let more: Vec<ActionKind> = item
            .allowed
            .iter()
            .filter(|k| !mapped.contains(*k))
            .collect();
        let less: Vec<ActionKind> = mapped
            .iter()
            .filter(|k| !item.allowed.contains(*k))
            .collect();
        assert_eq!(
            (more.as_slice(), less.as_slice()),
            (sample.more, sample.less),
            "{}: allowed {:?}, capabilities {:?}",
            sample.page,
            item.allowed.iter().collect::<Vec<_>>(),
            sample.capabilities
        );
    }
}
