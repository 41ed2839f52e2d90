//! Anywhere365 CTI Broker records: events (`"path": "callback"`), commands and subscriptions (`shared/spec/anywhere365-cti-broker.txt`; the mapping is in `docs/anywhere365.md`).

use interaction_core::Error;

use super::{Labels, Replayer};
use crate::Record;
use crate::trace;

impl Replayer {
    /// Not mapped yet: every record is refused `unsupported`.
    pub(crate) fn replay_anywhere365(
        &mut self,
        item: &mut Labels<'_>,
        rec: &trace::Record<'_>,
        out: &mut Vec<Record>,
    ) {
        let e = Error::unsupported("api", rec.api.name());
        out.push(self.apply(item, Err(e), None));
    }
}
