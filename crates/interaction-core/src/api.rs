//! Which vendor API an input came through: one namespace of interactions per API (MODEL.md
//! section 11).

/// The API an input came through, with the trace's names (MODEL.md section 7, `"api"`): an
/// interaction belongs to the API whose input created it, and input from another vendor API is
/// refused `not_permitted` ([`crate::Engine::apply`]), unless [`crate::EngineSettings`]'
/// `shared_apis` puts both in one namespace on purpose. `core` input (the core's own actions,
/// for what a vendor's wire format does not show) acts on any interaction, and an interaction a
/// `core` action created belongs to no vendor: any API may act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[repr(u8)]
pub enum Api {
    /// The core's own actions (`"api": "core"`).
    #[default]
    Core = 0,
    /// Vonage Contact Center: the Interactions API and the Calls API.
    Vcc = 1,
    /// Genesys Web Services v2.
    Gws = 2,
    /// Anywhere365 CTI Broker.
    Anywhere365 = 3,
}

impl Api {
    /// Every API, in declaration order.
    pub const ALL: [Api; 4] = [Api::Core, Api::Vcc, Api::Gws, Api::Anywhere365];

    /// The public name: `core`, `vcc`, `gws`, `anywhere365`.
    pub const fn name(self) -> &'static str {
        match self {
            Api::Core => "core",
            Api::Vcc => "vcc",
            Api::Gws => "gws",
            Api::Anywhere365 => "anywhere365",
        }
    }

    /// The API with that public name, if any.
    pub fn from_name(name: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The API numbered `bits & 3` (the number [`Api`] is `repr` as).
    pub(crate) const fn from_bits(bits: u64) -> Api {
        match bits & 3 {
            0 => Api::Core,
            1 => Api::Vcc,
            2 => Api::Gws,
            _ => Api::Anywhere365,
        }
    }
}

impl core::fmt::Display for Api {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Api`]s: the vendor APIs that share one namespace ([`crate::EngineSettings`]'
/// `shared_apis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ApiSet(u8);

impl ApiSet {
    /// The empty set: every vendor API has a namespace of its own.
    pub const EMPTY: ApiSet = ApiSet(0);

    /// The set of `apis`.
    pub fn of(apis: impl IntoIterator<Item = Api>) -> ApiSet {
        let mut set = ApiSet::EMPTY;
        for api in apis {
            set.0 |= 1 << api as u8;
        }
        set
    }

    /// Whether `api` is in the set.
    pub const fn contains(self, api: Api) -> bool {
        self.0 & (1 << api as u8) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The APIs in the set, in [`Api::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Api> {
        Api::ALL.into_iter().filter(move |a| self.contains(*a))
    }

    /// Whether input from `input` may act on an interaction that belongs to `owner`: the same
    /// API, either of them `core`, or both in this set.
    pub const fn may_act(self, owner: Api, input: Api) -> bool {
        matches!(owner, Api::Core)
            || matches!(input, Api::Core)
            || owner as u8 == input as u8
            || (self.contains(owner) && self.contains(input))
    }
}
