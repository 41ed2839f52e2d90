//! The `interactions` command.
fn main() {}
