//! The replay engine behind the `interactions` command (work in progress).
