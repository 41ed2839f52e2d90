//! The replay tool on the bundled GWS 8.5 day (`docs/traces/gws-8.5-day.jsonl`): voice with a
//! consult transfer and a conference, an outbound call with after-call work, chats (one
//! transferred to a queue, one left), emails with a reply draft, workitems (one completed into
//! a post-processing queue, one parked in a workbin and pulled back), agent state and a
//! resync; and the second day (`docs/traces/gws-8.5-calls.jsonl`): a call rejected back to its
//! queue, a single-step transfer to a number, a single-step conference whose parties change, a
//! consult transfer swapped twice and given up, a chat parked in a group workbin, an email
//! forwarded, an outbound acknowledgement. Snapshots of the output, and the behaviour
//! docs/gws.md promises for each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use interaction_cli::{Format, Record, replay_str};
use serde_json::json;

mod common;
use common::{at, find, read, replay, response};

const DAY: &str = "docs/traces/gws-8.5-day.jsonl";
const CALLS: &str = "docs/traces/gws-8.5-calls.jsonl";

fn records() -> Vec<Record> {
    replay_str(&read(DAY))
}

fn agent_state(record: &Record) -> serde_json::Value {
    serde_json::to_value(record.agent_state.as_ref().unwrap()).unwrap()
}

#[test]
fn gws_85_day_json() {
    insta::assert_snapshot!(replay(DAY, Format::Json));
}

#[test]
fn gws_85_day_text() {
    insta::assert_snapshot!(replay(DAY, Format::Text));
}

#[test]
fn gws_85_calls_json() {
    insta::assert_snapshot!(replay(CALLS, Format::Json));
}

#[test]
fn gws_85_calls_text() {
    insta::assert_snapshot!(replay(CALLS, Format::Text));
}

#[test]
fn the_second_day_refuses_nothing_and_follows_the_pages() {
    let records = replay_str(&read(CALLS));
    let refused: Vec<_> = records.iter().filter(|r| r.error.is_some()).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    // CallsReject: the call goes back to its queue; the agent's Released is its own view.
    assert_eq!(
        (at(&records, 5).action.as_deref(), at(&records, 5).to),
        (Some("reject"), Some("queued"))
    );
    assert_eq!(at(&records, 6).outcome, "ignored");
    // SingleStepTransfer to a number: the call leaves our agents at the request.
    assert_eq!(at(&records, 10).to, Some("ended"));
    // The conference's parties as ParticipantsUpdated lists them.
    let parties = |line| serde_json::to_value(&at(&records, line).notes).unwrap();
    assert_eq!(
        parties(16),
        json!([{"type": "participants", "participants": ["15001", "15002"]}])
    );
    assert_eq!(
        parties(18),
        json!([{"type": "participants", "participants": ["15002"]}])
    );
    // A consult transfer swapped twice: the held original never offers retrieve while the
    // consult call lives; once it is hung up without completion, it does again.
    for line in [25, 33] {
        let held = at(&records, line);
        assert_eq!(held.to, Some("held"), "line {line}");
        assert!(
            !held.allowed.contains(&"retrieve"),
            "line {line}: {:?}",
            held.allowed
        );
    }
    assert_eq!(
        (at(&records, 29).action.as_deref(), at(&records, 29).to),
        (Some("retrieve"), Some("connected"))
    );
    assert_eq!(at(&records, 35).to, Some("ended"));
    assert!(at(&records, 36).allowed.contains(&"retrieve"));
    assert_eq!(at(&records, 37).to, Some("connected"));
    // A chat parked in a group workbin, read there (WorkbinGetWorkbinContent) and pulled back.
    assert_eq!(at(&records, 44).to, Some("in_workbin"));
    let (status, body) = response(at(&records, 46));
    assert_eq!(status, 200);
    assert_eq!(
        body["workbin"]["id"],
        "6c715fa9-de16-4d23-b07c-cbcb1caf3e07"
    );
    assert_eq!(body["workbin"]["chats"][0]["id"], "0001BaBFVPR20035");
    assert_eq!(body["workbin"]["chats"][0]["state"], "InWorkbin");
    assert_eq!(body["workbin"]["chats"][0]["capabilities"], json!([]));
    assert_eq!(body["workbin"]["workitems"], json!([]));
    assert_eq!(
        response(at(&records, 47)),
        (
            200,
            json!({"statusCode": 0, "workbins": [{"id": "6c715fa9-de16-4d23-b07c-cbcb1caf3e07"}]})
        )
    );
    assert_eq!(at(&records, 48).to, Some("connected"));
    // Each workitem notification repeats its request's referenceId (the replay's: the line).
    assert_eq!(
        response(at(&records, 60)),
        (200, json!({"statusCode": 0, "referenceId": 60}))
    );
    assert_eq!(
        serde_json::to_value(&at(&records, 61).notes).unwrap(),
        json!([{"type": "answers", "reference": "60", "action": "Create", "interaction": null}])
    );
    assert_eq!(
        serde_json::to_value(&at(&records, 63).notes).unwrap(),
        json!([{"type": "answers", "reference": "62", "action": "place_in_queue", "interaction": "03W0GH2KD56YV010"}])
    );
    assert_eq!(at(&records, 63).outcome, "ignored");
    // An internal call to another agent: the callee's Ringing is its view, its Answer is
    // accepted, its Established connects the caller's call.
    assert_eq!(at(&records, 72).outcome, "ignored");
    assert_eq!(
        (at(&records, 73).outcome, at(&records, 73).to),
        ("applied", Some("dialing"))
    );
    assert_eq!(
        (at(&records, 74).action.as_deref(), at(&records, 74).to),
        (Some("answer"), Some("connected"))
    );
    assert_eq!(at(&records, 75).from, Some("connected"));
    // A Released that still offers Complete is wrap-up; the call's Completed ends it.
    assert_eq!(at(&records, 69).to, Some("wrap_up"));
    let completed = at(&records, 70);
    assert_eq!(
        (completed.action.as_deref(), completed.to, completed.reason),
        (Some("complete"), Some("ended"), Some("completed"))
    );
}

#[test]
fn nothing_the_vendor_accepts_is_refused() {
    let records = records();
    let refused: Vec<_> = records.iter().filter(|r| r.error.is_some()).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    assert_eq!(
        records.len(),
        96,
        "one record per line, the resync's three corrections"
    );
}

#[test]
fn the_agent_state_follows_the_session_the_operations_and_the_device() {
    let records = records();
    let start = at(&records, 1);
    assert_eq!(start.action.as_deref(), Some("log_in"));
    assert_eq!(response(start), (200, json!({"statusCode": 0})));
    assert_eq!(agent_state(start)["session"], "logged_in");
    assert_eq!(agent_state(at(&records, 2))["availability"], "ready");
    // DeviceStateChangeMessage: the state the device reports.
    let device = at(&records, 3);
    assert_eq!(
        (
            device.action.as_deref(),
            device.agent.as_ref().map(interaction_core::AgentId::as_str)
        ),
        (Some("set_ready"), Some("1001"))
    );
    assert_eq!(
        agent_state(at(&records, 40))["availability"],
        "after_call_work"
    );
    let not_ready = at(&records, 44);
    assert_eq!(agent_state(not_ready)["availability"], "not_ready");
    let end = at(&records, 94);
    assert_eq!(agent_state(end)["session"], "logged_out");
    // An answered call makes the agent busy.
    assert_eq!(agent_state(at(&records, 5))["activity"], "busy");
}

#[test]
fn a_consult_transfer_is_two_calls_each_released_on_this_agents_channel() {
    let records = records();
    // InitiateTransfer changes nothing itself; the original's Held and the consult's Dialing
    // arrive as notifications.
    let initiate = at(&records, 15);
    assert_eq!(
        (initiate.action.as_deref(), initiate.from, initiate.to),
        (
            Some("InitiateTransfer"),
            Some("connected"),
            Some("connected")
        )
    );
    // The held original of a consult transfer offers no retrieve (GWS: SwapCalls instead).
    let held = at(&records, 16);
    assert_eq!(held.to, Some("held"));
    assert!(!held.allowed.contains(&"retrieve"), "{:?}", held.allowed);
    // The consult call names its original (parentCallUri): the record says whose it is.
    let consult = at(&records, 17);
    assert_eq!(
        (consult.action.as_deref(), consult.from, consult.to),
        (Some("dial"), None, Some("dialing"))
    );
    let notes = serde_json::to_value(&consult.notes).unwrap();
    assert_eq!(
        notes,
        json!([{"type": "consult_call", "original": "012PUFMMS0ASNAK48O7GK2LAES000001"}])
    );
    assert_eq!(at(&records, 18).to, Some("connected"));
    // CompleteTransfer posted on the consult call; then both calls are Released for this agent,
    // the original's saying the customer went on with the consulted party.
    assert_eq!(at(&records, 19).action.as_deref(), Some("CompleteTransfer"));
    for line in [20, 21] {
        let released = at(&records, line);
        assert_eq!(
            (released.to, released.reason),
            (Some("ended"), Some("released")),
            "line {line}"
        );
    }
    assert_eq!(
        serde_json::to_value(&at(&records, 20).notes).unwrap(),
        json!([{"type": "transfer_completed", "consult": "012PUFMMS0ASNAK48O7GK2LAES000002", "party": "5002", "agent": null}])
    );
    assert!(at(&records, 21).notes.is_empty());
}

#[test]
fn a_completed_conference_says_the_consulted_party_joined_the_original() {
    let records = records();
    // InitiateConference: the held original keeps retrieve (GWS lists it there).
    let held = at(&records, 26);
    assert_eq!(held.to, Some("held"));
    assert!(held.allowed.contains(&"retrieve"), "{:?}", held.allowed);
    let released = at(&records, 29);
    assert_eq!(released.to, Some("ended"));
    assert_eq!(
        serde_json::to_value(&released.notes).unwrap(),
        json!([{"type": "conference_completed", "original": "012PUFMMS0ASNAK48O7GK2LAES000003", "party": "5003"}])
    );
    assert_eq!(at(&records, 30).to, Some("connected"));
}

#[test]
fn a_released_call_that_still_offers_complete_is_in_wrap_up_until_completed() {
    let records = records();
    // Hangup is answered; the Released that follows says whether wrap-up is required.
    let hangup = at(&records, 37);
    assert_eq!(
        (hangup.action.as_deref(), hangup.to),
        (Some("Hangup"), Some("connected"))
    );
    let released = at(&records, 38);
    assert_eq!(
        (released.from, released.to),
        (Some("connected"), Some("wrap_up"))
    );
    assert_eq!(
        released.allowed,
        [
            "complete",
            "update_user_data",
            "attach_user_data",
            "delete_user_data"
        ]
    );
    assert_eq!(agent_state(released)["activity"], "wrap_up");
    assert_eq!(at(&records, 41).to, Some("wrap_up"), "data during wrap-up");
    let complete = at(&records, 42);
    assert_eq!(
        (complete.from, complete.to, complete.reason),
        (Some("wrap_up"), Some("ended"), Some("completed"))
    );
    // A call released without Complete offered ends at once.
    assert_eq!(at(&records, 33).to, Some("ended"));
}

#[test]
fn notifications_are_one_agents_view() {
    let records = records();
    // The chat transferred to a queue: this agent's Completed does not end it for the queue.
    let transfer = at(&records, 52);
    assert_eq!(
        (transfer.action.as_deref(), transfer.to),
        (Some("place_in_queue"), Some("queued"))
    );
    let completed = at(&records, 53);
    assert_eq!(
        (completed.outcome, completed.to),
        ("ignored", Some("queued"))
    );
    // The workitem completed into a post-processing queue: the same.
    let into_queue = at(&records, 74);
    assert_eq!(into_queue.to, Some("queued"));
    assert_eq!(
        response(into_queue),
        (200, json!({"statusCode": 0, "referenceId": 74}))
    );
    assert_eq!(at(&records, 75).outcome, "ignored");
    // Leaving a chat: the agent's part is over, its work is not.
    let left = at(&records, 58);
    assert_eq!((left.from, left.to), (Some("connected"), Some("wrap_up")));
    assert_eq!(at(&records, 59).to, Some("ended"));
    assert_eq!(
        at(&records, 60).outcome,
        "applied",
        "Completed restates the end"
    );
}

#[test]
fn operations_without_lifecycle_meaning_are_accepted_as_what_they_are() {
    let records = records();
    for (line, action) in [
        (13, "SendDtmf"),
        (25, "InitiateConference"),
        (28, "CompleteConference"),
        (34, "Dial"),
        (49, "SendStartTypingNotification"),
        (50, "SendMessage"),
        (57, "Leave"),
        (64, "Reply"),
        (66, "Save"),
        (67, "Send"),
        (69, "SetDisposition"),
        (72, "Create"),
        (81, "Subscribe"),
    ] {
        let record = at(&records, line);
        assert_eq!(
            (
                record.action.as_deref(),
                record.outcome,
                record.from == record.to
            ),
            (Some(action), "applied", true),
            "line {line}"
        );
        assert_eq!(response(record).0, 200, "line {line}");
    }
}

#[test]
fn workbins_place_and_pull() {
    let records = records();
    let add = at(&records, 79);
    assert_eq!(
        (add.action.as_deref(), add.to),
        (Some("place_in_workbin"), Some("in_workbin"))
    );
    assert_eq!(
        at(&records, 80).to,
        Some("in_workbin"),
        "ItemAdded confirms it"
    );
    let pull = at(&records, 83);
    assert_eq!(
        (pull.action.as_deref(), pull.to),
        (Some("pull"), Some("connected"))
    );
}

#[test]
fn reads_answer_from_the_engine_and_a_resync_corrects_it() {
    let records = records();
    let (status, list) = response(at(&records, 90));
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "03W0GH2KD56YV001",
            "012PUFMMS0ASNAK48O7GK2LAES000006",
            "0001BaBFVPR20037"
        ]
    );
    assert_eq!(list["interactions"][1]["state"], "Established");
    let (_, one) = response(at(&records, 91));
    assert_eq!(one["interaction"]["state"], "Processing");
    // The resync: the call the platform lists as Held is held; a chat never seen appears; the
    // chat the platform no longer lists ends. Each correction is a `resync` record.
    let corrections: Vec<(&str, Option<&str>)> = (0..3)
        .map(|item| {
            let r = find(&records, 92, item);
            assert_eq!(
                (r.action.as_deref(), r.outcome),
                (Some("resync"), "applied")
            );
            (r.interaction.as_deref().unwrap(), r.to)
        })
        .collect();
    assert_eq!(
        corrections,
        [
            ("012PUFMMS0ASNAK48O7GK2LAES000006", Some("held")),
            ("0001BaBFVPR20050", Some("connected")),
            ("0001BaBFVPR20037", Some("ended")),
        ]
    );
}

/// Every record of both 8.5 days that carries the platform's `capabilities`: `allowed` equals
/// the core actions they stand for, or differs only by a documented rule of ours (docs/gws.md,
/// "Allowed and capabilities"): the user-data actions, which GWS lets an agent take on any
/// interaction it works though some samples do not list them; and a chat the agent left
/// (`LeftChat`) is the model's wrap-up, where only `complete` is left (ChatLeave lists
/// `Transfer` and `Leave` still).
#[test]
fn allowed_agrees_with_every_capability_list_of_the_8_5_days() {
    use interaction_core::ActionKind;
    use interaction_gws::{GwsMedia, capability_actions_for};
    let user_data = [
        ActionKind::UpdateUserData,
        ActionKind::AttachUserData,
        ActionKind::DeleteUserData,
    ];
    let mut compared = 0;
    for trace in [DAY, CALLS] {
        let text = read(trace);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // Each interaction's GWS media, from the resource key of its notifications and the
        // `<media>Type` of its resync entries.
        let mut media_of = std::collections::HashMap::new();
        for line in &lines {
            let body = &line["body"];
            let data = if body["data"].is_object() {
                &body["data"]
            } else {
                body
            };
            for (key, media) in [
                ("call", GwsMedia::Call),
                ("chat", GwsMedia::Chat),
                ("email", GwsMedia::Email),
                ("workitem", GwsMedia::Workitem),
            ] {
                if let Some(id) = data[key]["id"].as_str() {
                    media_of.insert(id.to_owned(), media);
                }
                for entry in data["interactions"].as_array().into_iter().flatten() {
                    if entry.get(format!("{key}Type")).is_some()
                        && let Some(id) = entry["id"].as_str()
                    {
                        media_of.insert(id.to_owned(), media);
                    }
                }
            }
        }
        for record in replay_str(&text) {
            let Some(capabilities) = &record.capabilities else {
                continue;
            };
            let media = record
                .interaction
                .as_deref()
                .and_then(|id| media_of.get(id).copied())
                .unwrap_or(GwsMedia::Other);
            let mapped = capability_actions_for(media, capabilities.iter().map(String::as_str));
            let allowed: Vec<ActionKind> = record
                .allowed
                .iter()
                .map(|name| ActionKind::from_name(name).unwrap())
                .collect();
            let more: Vec<ActionKind> = allowed
                .iter()
                .copied()
                .filter(|k| !mapped.contains(*k) && !user_data.contains(k))
                .collect();
            let wrap_up = [
                ActionKind::TransferToAgent,
                ActionKind::PlaceInQueue,
                ActionKind::Release,
            ];
            let left_chat = media == GwsMedia::Chat && record.to == Some("wrap_up");
            let less: Vec<ActionKind> = mapped
                .iter()
                .filter(|k| !(allowed.contains(k) || left_chat && wrap_up.contains(k)))
                .collect();
            assert!(
                more.is_empty() && less.is_empty(),
                "{trace}:{}: allowed {allowed:?}, capabilities {capabilities:?}: more {more:?}, less {less:?}",
                record.line
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared} records compared");
}
