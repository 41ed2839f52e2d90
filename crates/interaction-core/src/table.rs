//! The transition table: the single source of truth for what is legal (MODEL.md section 3).
//!
//! [`TRANSITIONS`] has one [`Rule`] per [`ActionKind`], in `ActionKind` order. The engine's
//! `apply` and `allowed`, the generated docs (`docs/lifecycle.md`) and the `interactions diagram`
//! command all read this one table; the engine's code only computes the data that goes with the
//! destination state (which agent, which target).

use crate::action::ActionKind;
use crate::permission::Permission;
use crate::state::StateKind;

/// A set of [`StateKind`]s, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateSet(u8);

impl StateSet {
    /// The empty set: the action creates the interaction and needs none.
    pub const NONE: StateSet = StateSet(0);

    // Only ever called at compile time on the table's literals; `i < kinds.len()` bounds it.
    #[allow(clippy::indexing_slicing)]
    const fn of(kinds: &[StateKind]) -> StateSet {
        let mut bits = 0u8;
        let mut i = 0;
        while i < kinds.len() {
            bits |= kinds[i].bit();
            i += 1;
        }
        StateSet(bits)
    }

    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: StateKind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in [`StateKind::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = StateKind> {
        StateKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// Who may take an action, as a bit set of actor roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actors(u8);

impl Actors {
    /// The agent who owns the interaction (connected or held owner; the calling agent of a dial).
    pub const OWNER: Actors = Actors(1);
    /// The agent the interaction is offered to.
    pub const OFFERED: Actors = Actors(2);
    /// Any agent, acting for itself: the agent argument must be the acting agent (`pull`, `dial`).
    pub const SELF: Actors = Actors(4);
    /// An API client (a provider).
    pub const PROVIDER: Actors = Actors(8);
    /// The vendor platform reporting a fact.
    pub const PLATFORM: Actors = Actors(16);

    const fn or(self, other: Actors) -> Actors {
        Actors(self.0 | other.0)
    }

    /// Whether every role of `other` is in `self`.
    pub const fn contains(self, other: Actors) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether some agent role (owner, offered, self) is in the set.
    pub const fn any_agent(self) -> bool {
        self.0 & (Self::OWNER.0 | Self::OFFERED.0 | Self::SELF.0) != 0
    }

    /// The roles' names, for docs: `owner`, `offered agent`, `agent (self)`, `provider`, `platform`.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (Self::OWNER, "owner"),
            (Self::OFFERED, "offered agent"),
            (Self::SELF, "agent (self)"),
            (Self::PROVIDER, "provider"),
            (Self::PLATFORM, "platform"),
        ]
        .into_iter()
        .filter(move |(role, _)| self.contains(*role))
        .map(|(_, name)| name)
    }
}

/// Where a legal action leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum To {
    /// Always to this state kind.
    State(StateKind),
    /// The state is unchanged (user-data actions).
    Same,
    /// `disconnect`: `queued` when the offered agent leaves, `ended` when the owner does (or
    /// `wrap_up` when the interaction requires after-call work), and `ignored` (nothing
    /// changes) for any other agent.
    Disconnect,
    /// `release`: `ended`, or `wrap_up` when the interaction requires after-call work and an
    /// agent owns it (connected, held, or dialing from one agent) (MODEL.md section 10).
    EndOrWrapUp,
}

/// One row of the transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The action this row is for.
    pub action: ActionKind,
    /// The states it is legal from; [`StateSet::NONE`] for the creating actions.
    pub from: StateSet,
    /// Where it leads.
    pub to: To,
    /// Who may take it. The platform reports facts and skips ownership checks (MODEL.md
    /// section 3), so it may take every row except the creating ones it does not report.
    pub actors: Actors,
    /// The provider permission an agent actor needs on a provider's interaction.
    pub permission: Option<Permission>,
    /// Only legal on outbound interactions (`cancel`).
    pub outbound_only: bool,
}

impl Rule {
    /// Whether this action creates the interaction (`dispatch`, `dial`).
    pub const fn creates(&self) -> bool {
        self.from.is_empty()
    }
}

use StateKind::{
    Connected as C, Dialing as D, Held as H, InWorkbin as W, Offered as O, Queued as Q, WrapUp as U,
};

const OWNER: Actors = Actors::OWNER;
const OFFERED: Actors = Actors::OFFERED;
const SELF: Actors = Actors::SELF;
const PROVIDER: Actors = Actors::PROVIDER;
const PLATFORM: Actors = Actors::PLATFORM;

const fn rule(action: ActionKind, from: &[StateKind], to: To, actors: Actors) -> Rule {
    Rule {
        action,
        from: StateSet::of(from),
        to,
        actors,
        permission: None,
        outbound_only: false,
    }
}

const fn permitted(mut r: Rule, permission: Permission) -> Rule {
    r.permission = Some(permission);
    r
}

const fn outbound(mut r: Rule) -> Rule {
    r.outbound_only = true;
    r
}

const fn to(kind: StateKind) -> To {
    To::State(kind)
}

/// The transition table (MODEL.md section 3), one row per [`ActionKind`] in `ActionKind` order.
pub const TRANSITIONS: [Rule; ActionKind::COUNT] = [
    rule(ActionKind::Dispatch, &[], to(Q), PROVIDER.or(PLATFORM)),
    rule(ActionKind::Offer, &[Q, O], to(O), PLATFORM),
    rule(ActionKind::Accept, &[O], to(C), OFFERED.or(PLATFORM)),
    rule(ActionKind::Reject, &[O], to(Q), OFFERED.or(PLATFORM)),
    rule(ActionKind::Revoke, &[O], to(Q), PLATFORM),
    rule(ActionKind::Assign, &[Q, O], to(C), PLATFORM),
    permitted(
        rule(ActionKind::Hold, &[C], to(H), OWNER.or(PLATFORM)),
        Permission::Hold,
    ),
    permitted(
        rule(ActionKind::Retrieve, &[H], to(C), OWNER.or(PLATFORM)),
        Permission::Hold,
    ),
    permitted(
        rule(
            ActionKind::TransferToAgent,
            &[C, H],
            to(O),
            OWNER.or(PLATFORM),
        ),
        Permission::TransferToAgent,
    ),
    permitted(
        rule(
            ActionKind::TransferToRoute,
            &[C, H],
            to(Q),
            OWNER.or(PLATFORM),
        ),
        Permission::TransferToRoute,
    ),
    rule(ActionKind::Transferred, &[C, H, O], to(C), PLATFORM),
    rule(ActionKind::PlaceInQueue, &[C, H], to(Q), OWNER.or(PLATFORM)),
    rule(
        ActionKind::PlaceInWorkbin,
        &[C, H],
        to(W),
        OWNER.or(PLATFORM),
    ),
    rule(ActionKind::Pull, &[W], to(C), SELF.or(PLATFORM)),
    rule(ActionKind::Dial, &[], to(D), SELF.or(PROVIDER).or(PLATFORM)),
    rule(ActionKind::Answer, &[D], to(C), PLATFORM),
    rule(
        ActionKind::Complete,
        &[C, H, U],
        to(StateKind::Ended),
        OWNER.or(PLATFORM),
    ),
    outbound(rule(
        ActionKind::Cancel,
        &[C, H],
        to(StateKind::Ended),
        OWNER.or(PLATFORM),
    )),
    permitted(
        rule(
            ActionKind::Release,
            &[Q, O, C, H, D, W],
            To::EndOrWrapUp,
            OWNER.or(PROVIDER).or(PLATFORM),
        ),
        Permission::Release,
    ),
    rule(
        ActionKind::Disconnect,
        &[O, C, H, D],
        To::Disconnect,
        PLATFORM,
    ),
    rule(
        ActionKind::UpdateUserData,
        &[C, H, D, U],
        To::Same,
        OWNER.or(PLATFORM),
    ),
    rule(
        ActionKind::AttachUserData,
        &[C, H, D, U],
        To::Same,
        OWNER.or(PLATFORM),
    ),
    rule(
        ActionKind::DeleteUserData,
        &[C, H, D, U],
        To::Same,
        OWNER.or(PLATFORM),
    ),
];

// The table is indexed by `ActionKind as usize`: check the order once, at compile time.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 0;
    while i < TRANSITIONS.len() {
        assert!(
            TRANSITIONS[i].action as usize == i,
            "TRANSITIONS must follow ActionKind order"
        );
        i += 1;
    }
};

/// The table's row for `action`.
pub const fn rule_for(action: ActionKind) -> &'static Rule {
    // `ActionKind` has exactly `TRANSITIONS.len()` variants and the compile-time check above ties
    // each row to its discriminant, so this index is always in bounds (it is no input-derived data).
    #[allow(clippy::indexing_slicing)]
    &TRANSITIONS[action as usize]
}

/// For each state kind, the actions (bits by [`ActionKind`]) an agent may take from it by role,
/// read from [`TRANSITIONS`] at compile time: `[owner, offered agent, any agent for itself]`.
/// The engine's `allowed` is a few bit operations on these (`crate::Engine::allowed`).
pub(crate) const ROLE_MASKS: [[u32; 3]; ROWS] = {
    let mut masks = [[0u32; 3]; ROWS];
    let mut s = 0;
    #[allow(clippy::indexing_slicing)]
    while s < StateKind::ALL.len() {
        let state = StateKind::ALL[s];
        let mut a = 0;
        while a < ActionKind::COUNT {
            let rule = &TRANSITIONS[a];
            if !rule.creates() && rule.from.contains(state) {
                let bit = 1u32 << a;
                if rule.actors.contains(Actors::OWNER) {
                    masks[s][0] |= bit;
                }
                if rule.actors.contains(Actors::OFFERED) {
                    masks[s][1] |= bit;
                }
                if rule.actors.contains(Actors::SELF) {
                    masks[s][2] |= bit;
                }
            }
            a += 1;
        }
        s += 1;
    }
    masks
};

/// The actions (bits by [`ActionKind`]) legal on outbound interactions only (`cancel`).
pub(crate) const OUTBOUND_ONLY: u32 = {
    let mut mask = 0u32;
    let mut a = 0;
    #[allow(clippy::indexing_slicing)]
    while a < ActionKind::COUNT {
        if TRANSITIONS[a].outbound_only {
            mask |= 1 << a;
        }
        a += 1;
    }
    mask
};

/// The actions (bits by [`ActionKind`]) that need each permission from a provider, in
/// [`Permission::ALL`] order.
pub(crate) const NEEDING: [u32; 4] = [
    needing(Permission::ALL[0]),
    needing(Permission::ALL[1]),
    needing(Permission::ALL[2]),
    needing(Permission::ALL[3]),
];

/// The actions (bits by [`ActionKind`]) that need `permission` from a provider.
const fn needing(permission: Permission) -> u32 {
    let mut mask = 0u32;
    let mut a = 0;
    #[allow(clippy::indexing_slicing)]
    while a < ActionKind::COUNT {
        if let Some(p) = TRANSITIONS[a].permission
            && p as u8 == permission as u8
        {
            mask |= 1 << a;
        }
        a += 1;
    }
    mask
}

/// Rows and columns of the kind-level tables, padded to powers of two so that a cell's index is
/// a shift and an add (`state * 32 + action`) rather than a multiplication.
const ROWS: usize = 8;
const COLUMNS: usize = 32;
const _: () = assert!(StateKind::ALL.len() <= ROWS && ActionKind::COUNT <= COLUMNS);

/// Where a rule leads from `state`, with or without after-call work required.
const fn destination(rule: Rule, state: StateKind, wrap_up: bool) -> StateKind {
    let owned = matches!(
        state,
        StateKind::Connected | StateKind::Held | StateKind::Dialing
    );
    match rule.to {
        To::State(kind) => kind,
        To::Same => state,
        To::Disconnect if matches!(state, StateKind::Offered) => StateKind::Queued,
        To::Disconnect | To::EndOrWrapUp if wrap_up && owned => StateKind::WrapUp,
        To::Disconnect | To::EndOrWrapUp => StateKind::Ended,
    }
}

/// The lifecycle at the level of kinds, one cell per (state kind, action kind): built from
/// [`TRANSITIONS`] at compile time, read by [`step`]. Padding cells are `None`.
const STEPS: [[Option<StateKind>; COLUMNS]; ROWS] = steps(false);

/// [`STEPS`] for an interaction that requires after-call work: read by [`step_with_wrap_up`].
const WRAP_UP_STEPS: [[Option<StateKind>; COLUMNS]; ROWS] = steps(true);

const fn steps(wrap_up: bool) -> [[Option<StateKind>; COLUMNS]; ROWS] {
    let mut table = [[None; COLUMNS]; ROWS];
    let mut s = 0;
    // Loops bounded by the arrays' own lengths, at compile time.
    #[allow(clippy::indexing_slicing)]
    while s < StateKind::ALL.len() {
        let state = StateKind::ALL[s];
        let mut a = 0;
        while a < ActionKind::COUNT {
            let rule = &TRANSITIONS[a];
            if rule.from.contains(state) {
                table[s][a] = Some(destination(*rule, state, wrap_up));
            }
            a += 1;
        }
        s += 1;
    }
    table
}

/// [`STEPS`] with a refused action's cell holding the state itself: read by [`next`].
const NEXT: [[StateKind; COLUMNS]; ROWS] = {
    let mut table = [[StateKind::Ended; COLUMNS]; ROWS];
    let mut s = 0;
    #[allow(clippy::indexing_slicing)]
    while s < StateKind::ALL.len() {
        let mut a = 0;
        while a < COLUMNS {
            table[s][a] = match STEPS[s][a] {
                Some(kind) => kind,
                None => StateKind::ALL[s],
            };
            a += 1;
        }
        s += 1;
    }
    table
};

/// One step of the lifecycle on kinds alone: the state kind `action` leads to from a state of
/// kind `state`, or `None` when the table does not allow it from there (the creating actions,
/// `dispatch` and `dial`, are allowed from no state).
///
/// This is [`TRANSITIONS`] and nothing else: who acts, ownership, provider permissions, the
/// direction (`cancel` is for outbound interactions), and a platform fact restating the current
/// state are the engine's ([`crate::Engine::apply`]). `update_user_data`, `attach_user_data`
/// and `delete_user_data` stay in `state`; `disconnect` is taken as the holder's (the offered
/// agent's, back to `queued`; otherwise the owner's, to `ended`).
///
/// Pure: one load from a table built from [`TRANSITIONS`] at compile time. To follow a stream
/// of actions, refused ones leaving the state as it is, [`next`] is the same without the
/// `Option` (and so without a branch to unwrap it).
///
/// ```
/// use interaction_core::{ActionKind, StateKind, table};
///
/// assert_eq!(table::step(StateKind::Offered, ActionKind::Accept), Some(StateKind::Connected));
/// assert_eq!(table::step(StateKind::Queued, ActionKind::Hold), None);
/// assert_eq!(table::step(StateKind::Held, ActionKind::AttachUserData), Some(StateKind::Held));
/// ```
pub const fn step(state: StateKind, action: ActionKind) -> Option<StateKind> {
    // Both enums are `repr(u8)` with their variants numbered from 0, and the table has a row
    // per `StateKind` and a column per `ActionKind` (checked above): always in bounds.
    #[allow(clippy::indexing_slicing)]
    STEPS[state as usize][action as usize]
}

/// [`step`] for an interaction that requires after-call work (MODEL.md section 10): `release`
/// and the owner's `disconnect` from `connected`, `held` or `dialing` lead to `wrap_up`
/// instead of `ended` (from `dialing`, the engine does so only for a call placed by one agent:
/// a call from agent groups has no owner to do the work). Every other cell is [`step`]'s.
///
/// ```
/// use interaction_core::{ActionKind, StateKind, table};
///
/// assert_eq!(
///     table::step_with_wrap_up(StateKind::Connected, ActionKind::Release),
///     Some(StateKind::WrapUp)
/// );
/// assert_eq!(
///     table::step_with_wrap_up(StateKind::WrapUp, ActionKind::Complete),
///     Some(StateKind::Ended)
/// );
/// ```
pub const fn step_with_wrap_up(state: StateKind, action: ActionKind) -> Option<StateKind> {
    // As in `step`: always in bounds.
    #[allow(clippy::indexing_slicing)]
    WRAP_UP_STEPS[state as usize][action as usize]
}

/// The state kind after `action` from a state of kind `state`: where [`step`] leads, or
/// `state` itself when the action is not allowed from it. One load from a table built at
/// compile time, and no branch: following a stream of actions costs about what a hand-written
/// `[[u8; ACTIONS]; STATES]` table does (`docs/PERFORMANCE.md`).
///
/// ```
/// use interaction_core::{ActionKind, StateKind, table};
///
/// assert_eq!(table::next(StateKind::Offered, ActionKind::Accept), StateKind::Connected);
/// assert_eq!(table::next(StateKind::Queued, ActionKind::Hold), StateKind::Queued);
/// ```
pub const fn next(state: StateKind, action: ActionKind) -> StateKind {
    // As in `step`: always in bounds.
    #[allow(clippy::indexing_slicing)]
    NEXT[state as usize][action as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_row() {
        for kind in ActionKind::ALL {
            assert_eq!(rule_for(kind).action, kind);
        }
    }

    #[test]
    fn only_dispatch_and_dial_create() {
        let creating: Vec<_> = TRANSITIONS
            .iter()
            .filter(|r| r.creates())
            .map(|r| r.action)
            .collect();
        assert_eq!(creating, [ActionKind::Dispatch, ActionKind::Dial]);
    }

    #[test]
    fn step_reads_the_table() {
        for state in StateKind::ALL {
            for action in ActionKind::ALL {
                let rule = rule_for(action);
                let expected = rule.from.contains(state).then(|| match rule.to {
                    To::State(kind) => kind,
                    To::Same => state,
                    To::Disconnect if state == StateKind::Offered => StateKind::Queued,
                    To::Disconnect | To::EndOrWrapUp => StateKind::Ended,
                });
                assert_eq!(step(state, action), expected, "{state} {action}");
                assert_eq!(next(state, action), expected.unwrap_or(state));
                let owned = matches!(
                    state,
                    StateKind::Connected | StateKind::Held | StateKind::Dialing
                );
                let wrapping = match (rule.to, expected) {
                    (To::Disconnect | To::EndOrWrapUp, Some(StateKind::Ended)) if owned => {
                        Some(StateKind::WrapUp)
                    }
                    _ => expected,
                };
                assert_eq!(
                    step_with_wrap_up(state, action),
                    wrapping,
                    "{state} {action}"
                );
            }
        }
        assert_eq!(step(StateKind::Ended, ActionKind::Release), None);
        assert_eq!(step(StateKind::WrapUp, ActionKind::Release), None);
        assert_eq!(
            step(StateKind::WrapUp, ActionKind::Complete),
            Some(StateKind::Ended)
        );
        assert_eq!(step(StateKind::Connected, ActionKind::Dispatch), None);
    }

    #[test]
    fn nothing_leaves_ended() {
        for r in TRANSITIONS {
            assert!(
                !r.from.contains(StateKind::Ended),
                "{:?} leaves ended",
                r.action
            );
        }
    }
}
