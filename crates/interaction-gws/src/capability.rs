//! GWS `capabilities` (what the platform says an agent may do now) beside the core's
//! [`interaction_core::Engine::allowed`] (what the model says).
//!
//! MODEL.md section 4: "`allowed(interaction, agent)` answers ... which actions that agent may
//! take now (the XState `can` query; GWS calls the same list `capabilities`)". The names differ;
//! this is the one table that joins them.

use interaction_core::{ActionKind, ActionSet};

/// The GWS capability names that have a core counterpart, and that counterpart.
///
/// `Answer` (a ringing call) is the call's `Accept`; `Hangup` and `Release` end the interaction
/// (`release`). Capabilities without a counterpart (`SetInFocus`, `SendMessage`, `Reply`,
/// `ReplyAll`, `InitiateTransfer`, `InitiateConference`, `SingleStepConference`, `SendDtmf`,
/// `Leave`, ...) are GWS features the model does not hold.
pub const CAPABILITIES: [(&str, ActionKind); 16] = [
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
