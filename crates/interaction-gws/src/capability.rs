//! GWS `capabilities` (what the platform says an agent may do now) beside the core's
//! [`interaction_core::Engine::allowed`] (what the model says).
//!
//! MODEL.md section 4: "`allowed(interaction, agent)` answers ... which actions that agent may
//! take now (the XState `can` query; GWS calls the same list `capabilities`)". The names differ;
//! this is the one table that joins them.

use interaction_core::{ActionKind, ActionSet, Direction, Media, StateKind};

/// The GWS capability names that have a core counterpart, and that counterpart.
///
/// `Answer` (a ringing call) is the call's `Accept`; `Hangup` and `Release` end the interaction
/// (`release`). Capabilities without a counterpart (`SetInFocus`, `SendMessage`, `Reply`,
/// `ReplyAll`, `InitiateTransfer`, `InitiateConference`, `SingleStepConference`, `SendDtmf`,
/// `Leave`, ...) are GWS features the model does not hold.
pub const CAPABILITIES: [(&str, ActionKind); 19] = [
    ("Accept", ActionKind::Accept),
    ("Answer", ActionKind::Accept),
    ("Reject", ActionKind::Reject),
    ("Hold", ActionKind::Hold),
    ("Retrieve", ActionKind::Retrieve),
    ("Transfer", ActionKind::TransferToAgent),
    ("SingleStepTransfer", ActionKind::TransferToAgent),
    ("PlaceInQueue", ActionKind::PlaceInQueue),
    ("PlaceInWorkbin", ActionKind::PlaceInWorkbin),
    ("Complete", ActionKind::Complete),
    ("Cancel", ActionKind::Cancel),
    ("Release", ActionKind::Release),
    ("Hangup", ActionKind::Release),
    ("UpdateUserData", ActionKind::UpdateUserData),
    ("AttachUserData", ActionKind::AttachUserData),
    ("DeleteUserData", ActionKind::DeleteUserData),
    ("DeleteUserDataPair", ActionKind::DeleteUserData),
    ("LeaveAndComplete", ActionKind::Complete),
    ("Dial", ActionKind::Dial),
];

/// The core action a GWS capability name stands for (case-sensitive), if any.
pub fn capability_action(name: &str) -> Option<ActionKind> {
    CAPABILITIES
        .iter()
        .find(|(gws, _)| *gws == name)
        .map(|(_, kind)| *kind)
}

/// The core actions a list of GWS capabilities stands for, as a set (names without a
/// counterpart are left out). Compare it with [`interaction_core::Engine::allowed`] to see
/// where the platform and the model differ.
pub fn capability_actions<'a>(names: impl IntoIterator<Item = &'a str>) -> ActionSet {
    let mut set = ActionSet::EMPTY;
    for kind in names.into_iter().filter_map(capability_action) {
        set.insert(kind);
    }
    set
}

/// The GWS media an interaction is seen through: the message type or the media path names it;
/// an interaction reached through `/me/interactions/{id}` or the generic messages is
/// [`GwsMedia::Other`] unless its core media says more (voice, chat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GwsMedia {
    /// A call (`CallStateChangeMessage`, `/api/v2/me/calls`).
    Call,
    /// A chat.
    Chat,
    /// An email.
    Email,
    /// A workitem.
    Workitem,
    /// Open media or the generic `/me/interactions`: no profile, the model's `allowed` as is.
    Other,
}

impl GwsMedia {
    /// The GWS media of a core media, as far as it tells: voice is a call, chat a chat,
    /// nonlive work [`GwsMedia::Other`] (the core does not tell an email from a workitem).
    pub const fn of_media(media: Media) -> GwsMedia {
        match media {
            Media::Live => GwsMedia::Call,
            Media::Chat => GwsMedia::Chat,
            Media::Nonlive => GwsMedia::Other,
        }
    }
}

const fn bits(kinds: &[ActionKind]) -> u32 {
    let mut b = 0u32;
    let mut i = 0;
    // Bounded by the slice's own length, at compile time.
    #[allow(clippy::indexing_slicing)]
    while i < kinds.len() {
        b |= 1 << kinds[i] as u32;
        i += 1;
    }
    b
}

const USER_DATA: u32 = bits(&[
    ActionKind::UpdateUserData,
    ActionKind::AttachUserData,
    ActionKind::DeleteUserData,
]);
const TRANSFER: u32 = bits(&[ActionKind::TransferToAgent, ActionKind::PlaceInQueue]);
const OFFER: u32 = bits(&[ActionKind::Accept, ActionKind::Reject]);

/// What GWS offers an agent on an interaction of `media` in `state` (a `direction` for email:
/// an outbound draft offers `Cancel`, an inbound one `Complete`), as the core actions the
/// capabilities stand for: the vendor profile `allowed` is filtered by (docs/gws.md, "Allowed
/// and capabilities", gives the capability lists of the pages it was read from). `None`: no
/// profile, the model's `allowed` stands.
///
/// | media | offered | connected | held | dialing | wrap_up | in_workbin |
/// |---|---|---|---|---|---|---|
/// | call | Answer, Reject | SingleStepTransfer, Hold, Hangup, user data | SingleStepTransfer, Retrieve, Hangup, user data | Hangup, user data | Complete, user data | - |
/// | chat | Accept, Reject | Transfer, Complete, Leave, user data | (as connected) | - | Complete, user data | - |
/// | email, inbound | Accept, Reject | Transfer, Complete, user data | (as connected) | - | Complete, user data | - |
/// | email, outbound | Accept, Reject | Transfer, Cancel, user data | (as connected) | - | Complete, user data | - |
/// | workitem | Accept, Reject | Transfer, Complete, user data | (as connected) | - | Complete, user data | - |
pub fn profile(media: GwsMedia, state: StateKind, direction: Direction) -> Option<ActionSet> {
    use ActionKind as A;
    let complete = bits(&[A::Complete]);
    let release = bits(&[A::Release]);
    let b = match (media, state) {
        (GwsMedia::Other, _) => return None,
        (_, StateKind::Offered) => OFFER,
        (_, StateKind::WrapUp) => complete | USER_DATA,
        (_, StateKind::Queued | StateKind::InWorkbin | StateKind::Ended)
        | (GwsMedia::Chat | GwsMedia::Email | GwsMedia::Workitem, StateKind::Dialing) => 0,
        (GwsMedia::Call, StateKind::Connected) => {
            bits(&[A::TransferToAgent, A::Hold, A::Release]) | USER_DATA
        }
        (GwsMedia::Call, StateKind::Held) => {
            bits(&[A::TransferToAgent, A::Retrieve, A::Release]) | USER_DATA
        }
        (GwsMedia::Call, StateKind::Dialing) => release | USER_DATA,
        (GwsMedia::Chat, _) => TRANSFER | complete | release | USER_DATA,
        (GwsMedia::Email, _) if direction == Direction::Outbound => {
            TRANSFER | bits(&[A::Cancel]) | USER_DATA
        }
        // The EmailResource sample lists no user-data capability, the Composing ones do;
        // GWS lets an agent attach data to any interaction it works (docs/gws.md).
        (GwsMedia::Email | GwsMedia::Workitem, _) => TRANSFER | complete | USER_DATA,
    };
    Some(ActionSet::from_bits(b))
}

/// [`capability_actions`] for an interaction of `media`: a multimedia `Transfer` also stands for
/// `place_in_queue` (ChatSingleStepTransfer takes `queueName`), and a chat's `Leave` for
/// `release` (the agent's part of the chat ends).
pub fn capability_actions_for<'a>(
    media: GwsMedia,
    names: impl IntoIterator<Item = &'a str>,
) -> ActionSet {
    let mut set = ActionSet::EMPTY;
    for name in names {
        match (media, name) {
            (
                GwsMedia::Chat | GwsMedia::Email | GwsMedia::Workitem | GwsMedia::Other,
                "Transfer",
            ) => {
                set.insert(ActionKind::TransferToAgent);
                set.insert(ActionKind::PlaceInQueue);
            }
            (GwsMedia::Chat, "Leave") => set.insert(ActionKind::Release),
            _ => {
                if let Some(kind) = capability_action(name) {
                    set.insert(kind);
                }
            }
        }
    }
    set
}

/// The capability names of `allowed` for an interaction of `media`, in core action order, each
/// action by its first name in [`CAPABILITIES`] (a call's by its voice name: `Answer`, `Hangup`,
/// `SingleStepTransfer`; a chat's release as `Leave`): what a GWS read
/// (`GET /api/v2/me/interactions`) lists.
pub fn capability_names(media: GwsMedia, allowed: ActionSet) -> Vec<&'static str> {
    let mut names = Vec::new();
    for kind in allowed.iter() {
        let name = match (media, kind) {
            (GwsMedia::Call, ActionKind::Accept) => "Answer",
            (GwsMedia::Call, ActionKind::Release) => "Hangup",
            (GwsMedia::Call, ActionKind::TransferToAgent) => "SingleStepTransfer",
            (GwsMedia::Chat, ActionKind::Release) => "Leave",
            (_, ActionKind::PlaceInQueue) if allowed.contains(ActionKind::TransferToAgent) => {
                continue;
            }
            (_, kind) => match CAPABILITIES.iter().find(|(_, k)| *k == kind) {
                Some((name, _)) => name,
                None => continue,
            },
        };
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_names_map_and_the_rest_do_not() {
        assert_eq!(capability_action("Accept"), Some(ActionKind::Accept));
        assert_eq!(
            capability_action("SingleStepTransfer"),
            Some(ActionKind::TransferToAgent)
        );
        assert_eq!(capability_action("SetInFocus"), None);
        assert_eq!(capability_action("accept"), None);
        let set = capability_actions(["Accept", "Reject", "SetInFocus"]);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [ActionKind::Accept, ActionKind::Reject]
        );
    }
}
