//! Anywhere365 CTI Broker adapter (work in progress).

/// The broker-side state the adapter keeps between messages (work in progress).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Subscriptions {}
