//! The lifecycle on kinds (`interaction_core::table::step`), written again with the peer
//! libraries, statig and rust-fsm, and as a plain table: the contenders of `benches/step.rs`.
//! `tests/peers.rs` checks that all four agree on every (state, action) pair.
//!
//! Each keeps the state when an action is not allowed from it (the same as
//! `step(s, a).unwrap_or(s)`): statig handles the event without a transition, rust-fsm refuses
//! it and keeps its state, the table holds the state itself in that cell.

#![allow(dead_code, unreachable_pub)]

use interaction_core::{ActionKind, StateKind, table};

/// The 8 state kinds, as the peers name them (`StateKind` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Queued,
    Offered,
    Connected,
    Held,
    Dialing,
    InWorkbin,
    WrapUp,
    Ended,
}

/// The 23 actions, as the peers take them (`ActionKind` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    Dispatch,
    Offer,
    Accept,
    Reject,
    Revoke,
    Assign,
    Hold,
    Retrieve,
    TransferToAgent,
    TransferToRoute,
    Transferred,
    PlaceInQueue,
    PlaceInWorkbin,
    Pull,
    Dial,
    Answer,
    Complete,
    Cancel,
    Release,
    Disconnect,
    UpdateUserData,
    AttachUserData,
    DeleteUserData,
}

impl Ev {
    pub const ALL: [Ev; 23] = [
        Ev::Dispatch,
        Ev::Offer,
        Ev::Accept,
        Ev::Reject,
        Ev::Revoke,
        Ev::Assign,
        Ev::Hold,
        Ev::Retrieve,
        Ev::TransferToAgent,
        Ev::TransferToRoute,
        Ev::Transferred,
        Ev::PlaceInQueue,
        Ev::PlaceInWorkbin,
        Ev::Pull,
        Ev::Dial,
        Ev::Answer,
        Ev::Complete,
        Ev::Cancel,
        Ev::Release,
        Ev::Disconnect,
        Ev::UpdateUserData,
        Ev::AttachUserData,
        Ev::DeleteUserData,
    ];

    /// The peer event for a core action kind.
    pub fn of(action: ActionKind) -> Ev {
        Ev::ALL.get(action as usize).copied().unwrap_or(Ev::Release)
    }
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Queued,
        Kind::Offered,
        Kind::Connected,
        Kind::Held,
        Kind::Dialing,
        Kind::InWorkbin,
        Kind::WrapUp,
        Kind::Ended,
    ];

    pub fn of(state: StateKind) -> Kind {
        Kind::ALL
            .get(state as usize)
            .copied()
            .unwrap_or(Kind::Ended)
    }
}

/// The baseline: a branch-free `[[u8; ACTIONS]; STATES]` table, rows and columns padded to
/// powers of two so that indexing needs no bounds check (about one L1 load per step).
pub struct Table([[u8; 32]; 8]);

impl Table {
    pub fn new() -> Table {
        let mut cells = [[0u8; 32]; 8];
        for (s, row) in cells.iter_mut().enumerate() {
            for (a, cell) in row.iter_mut().enumerate() {
                *cell = u8::try_from(s).unwrap_or(0);
                if let (Some(state), Some(action)) = (StateKind::ALL.get(s), ActionKind::ALL.get(a))
                    && let Some(next) = table::step(*state, *action)
                {
                    *cell = next as u8;
                }
            }
        }
        Table(cells)
    }

    // The masks keep both indexes in bounds (8 rows, 32 columns), so the compiler emits no
    // check: this is the floor the benchmark compares against.
    #[allow(clippy::indexing_slicing)]
    #[inline]
    pub fn step(&self, state: u8, action: u8) -> u8 {
        let row = &self.0[usize::from(state & 7)];
        row[usize::from(action & 31)]
    }
}

/// The lifecycle with statig: one state handler per kind.
// statig hands each state handler the event by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
pub mod with_statig {
    use super::Ev;
    use statig::prelude::*;

    #[derive(Default)]
    pub struct Lifecycle;

    #[state_machine(
        initial = "State::queued()",
        state(derive(Debug, Clone, Copy, PartialEq, Eq))
    )]
    impl Lifecycle {
        #[state]
        fn queued(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Offer => Transition(State::offered()),
                Ev::Assign => Transition(State::connected()),
                Ev::Release => Transition(State::ended()),
                _ => Handled,
            }
        }

        #[state]
        fn offered(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Offer => Transition(State::offered()),
                Ev::Accept | Ev::Assign | Ev::Transferred => Transition(State::connected()),
                Ev::Reject | Ev::Revoke | Ev::Disconnect => Transition(State::queued()),
                Ev::Release => Transition(State::ended()),
                _ => Handled,
            }
        }

        #[state]
        fn connected(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Hold => Transition(State::held()),
                Ev::TransferToAgent => Transition(State::offered()),
                Ev::TransferToRoute | Ev::PlaceInQueue => Transition(State::queued()),
                Ev::Transferred => Transition(State::connected()),
                Ev::PlaceInWorkbin => Transition(State::in_workbin()),
                Ev::Complete | Ev::Cancel | Ev::Release | Ev::Disconnect => {
                    Transition(State::ended())
                }
                Ev::UpdateUserData | Ev::AttachUserData | Ev::DeleteUserData => {
                    Transition(State::connected())
                }
                _ => Handled,
            }
        }

        #[state]
        fn held(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Retrieve | Ev::Transferred => Transition(State::connected()),
                Ev::TransferToAgent => Transition(State::offered()),
                Ev::TransferToRoute | Ev::PlaceInQueue => Transition(State::queued()),
                Ev::PlaceInWorkbin => Transition(State::in_workbin()),
                Ev::Complete | Ev::Cancel | Ev::Release | Ev::Disconnect => {
                    Transition(State::ended())
                }
                Ev::UpdateUserData | Ev::AttachUserData | Ev::DeleteUserData => {
                    Transition(State::held())
                }
                _ => Handled,
            }
        }

        #[state]
        fn dialing(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Answer => Transition(State::connected()),
                Ev::Release | Ev::Disconnect => Transition(State::ended()),
                _ => Handled,
            }
        }

        #[state]
        fn in_workbin(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Pull => Transition(State::connected()),
                Ev::Release => Transition(State::ended()),
                _ => Handled,
            }
        }

        #[state]
        fn wrap_up(event: &Ev) -> Outcome<State> {
            match event {
                Ev::Complete => Transition(State::ended()),
                _ => Handled,
            }
        }

        #[state]
        fn ended(event: &Ev) -> Outcome<State> {
            let _ = event;
            Handled
        }
    }

    /// A new machine, initialized (queued).
    pub fn machine() -> statig::blocking::InitializedStateMachine<Lifecycle> {
        Lifecycle.uninitialized_state_machine().init()
    }

    /// The machine's state as a peer kind.
    pub fn kind(state: State) -> super::Kind {
        match state {
            State::Queued {} => super::Kind::Queued,
            State::Offered {} => super::Kind::Offered,
            State::Connected {} => super::Kind::Connected,
            State::Held {} => super::Kind::Held,
            State::Dialing {} => super::Kind::Dialing,
            State::InWorkbin {} => super::Kind::InWorkbin,
            State::WrapUp {} => super::Kind::WrapUp,
            State::Ended {} => super::Kind::Ended,
        }
    }
}

/// The lifecycle with rust-fsm's DSL, on the peer `Kind` and `Ev` types.
pub mod with_rust_fsm {
    use rust_fsm::state_machine;

    state_machine! {
        #[state_machine(input(crate::peers::Ev), state(crate::peers::Kind))]
        pub lifecycle(Queued)

        Queued => {
            Offer => Offered,
            Assign => Connected,
            Release => Ended
        },
        Offered => {
            Offer => Offered,
            Accept => Connected,
            Assign => Connected,
            Transferred => Connected,
            Reject => Queued,
            Revoke => Queued,
            Disconnect => Queued,
            Release => Ended
        },
        Connected => {
            Hold => Held,
            TransferToAgent => Offered,
            TransferToRoute => Queued,
            PlaceInQueue => Queued,
            Transferred => Connected,
            PlaceInWorkbin => InWorkbin,
            Complete => Ended,
            Cancel => Ended,
            Release => Ended,
            Disconnect => Ended,
            UpdateUserData => Connected,
            AttachUserData => Connected,
            DeleteUserData => Connected
        },
        Held => {
            Retrieve => Connected,
            Transferred => Connected,
            TransferToAgent => Offered,
            TransferToRoute => Queued,
            PlaceInQueue => Queued,
            PlaceInWorkbin => InWorkbin,
            Complete => Ended,
            Cancel => Ended,
            Release => Ended,
            Disconnect => Ended,
            UpdateUserData => Held,
            AttachUserData => Held,
            DeleteUserData => Held
        },
        Dialing => {
            Answer => Connected,
            Release => Ended,
            Disconnect => Ended
        },
        InWorkbin => {
            Pull => Connected,
            Release => Ended
        },
        WrapUp => {
            Complete => Ended,
            UpdateUserData => WrapUp,
            AttachUserData => WrapUp,
            DeleteUserData => WrapUp
        }
    }
}
