//! GWS v2 records: `/me/interactions` operations and CometD notifications (`shared/spec/gws-v2-interactions.txt`; the mapping is in `docs/gws.md`).

use interaction_core::Error;

use super::{Labels, Replayer};
use crate::Record;
use crate::trace;

impl Replayer {
    /// Not mapped yet: every record is refused `unsupported`.
    pub(crate) fn replay_gws(
        &mut self,
        item: &mut Labels<'_>,
        rec: &trace::Record<'_>,
        out: &mut Vec<Record>,
    ) {
        let e = Error::unsupported("api", rec.api.name());
        out.push(self.apply(item, Err(e), None));
    }
}
