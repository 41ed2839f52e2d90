//! Provider permission rules (MODEL.md section 4) and provider settings.
//!
//! Source: vcc-interactions-register.txt, `agentactionspermitted`: "Currently the only supported
//! operations are release, hold, transferToAgent and transferToRoute", "The hold operation
//! enables the retrieve operation by inference", "Unless specified, all operations—other than
//! the release operation—are not allowed."

/// An operation a provider may permit or forbid to agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Permission {
    /// `release`: end the interaction. Allowed unless set to 0.
    Release,
    /// `hold`: hold (live) or park (nonlive); also allows retrieve. Denied unless set to 1.
    Hold,
    /// `transferToAgent`. Denied unless set to 1.
    TransferToAgent,
    /// `transferToRoute`. Denied unless set to 1.
    TransferToRoute,
}

impl Permission {
    /// Every permission, in the page's order.
    pub const ALL: [Permission; 4] = [
        Permission::Release,
        Permission::Hold,
        Permission::TransferToAgent,
        Permission::TransferToRoute,
    ];

    /// The vendor's key: `release`, `hold`, `transferToAgent`, `transferToRoute`.
    pub const fn key(self) -> &'static str {
        match self {
            Permission::Release => "release",
            Permission::Hold => "hold",
            Permission::TransferToAgent => "transferToAgent",
            Permission::TransferToRoute => "transferToRoute",
        }
    }

    /// The permission with that vendor key (case-sensitive, as the page spells it), if any.
    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The default when a provider does not specify it: only `release` is allowed.
    pub const fn default_allowed(self) -> bool {
        matches!(self, Permission::Release)
    }
}

/// The `agentactionspermitted` of one provider: each permission set to allowed, forbidden, or
/// left to its default ([`Permission::default_allowed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Permissions {
    release: Option<bool>,
    hold: Option<bool>,
    transfer_to_agent: Option<bool>,
    transfer_to_route: Option<bool>,
}

impl Permissions {
    /// The defaults: nothing specified.
    pub const fn defaults() -> Self {
        Permissions {
            release: None,
            hold: None,
            transfer_to_agent: None,
            transfer_to_route: None,
        }
    }

    /// Sets `permission` explicitly (`true` for 1, `false` for 0).
    #[must_use]
    pub const fn with(mut self, permission: Permission, allowed: bool) -> Self {
        let slot = match permission {
            Permission::Release => &mut self.release,
            Permission::Hold => &mut self.hold,
            Permission::TransferToAgent => &mut self.transfer_to_agent,
            Permission::TransferToRoute => &mut self.transfer_to_route,
        };
        *slot = Some(allowed);
        self
    }

    /// The explicit setting of `permission`, if one was given.
    pub const fn explicit(&self, permission: Permission) -> Option<bool> {
        match permission {
            Permission::Release => self.release,
            Permission::Hold => self.hold,
            Permission::TransferToAgent => self.transfer_to_agent,
            Permission::TransferToRoute => self.transfer_to_route,
        }
    }

    /// Whether agents may take `permission`'s operation: the explicit setting, else the default.
    pub const fn allows(&self, permission: Permission) -> bool {
        match self.explicit(permission) {
            Some(allowed) => allowed,
            None => permission.default_allowed(),
        }
    }
}

/// A registered provider's settings (vcc-interactions-register.txt, "Register provider settings").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProviderSettings {
    /// The `https://` endpoint that receives notifications, if any.
    pub endpoint: Option<String>,
    /// Headers sent with every notification, in the order given.
    pub headers: Vec<(String, String)>,
    /// `agentactionspermitted`.
    pub permissions: Permissions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_allow_only_release() {
        let p = Permissions::defaults();
        assert!(p.allows(Permission::Release));
        assert!(!p.allows(Permission::Hold));
        assert!(!p.allows(Permission::TransferToAgent));
        assert!(!p.allows(Permission::TransferToRoute));
    }

    #[test]
    fn explicit_settings_win() {
        let p = Permissions::defaults()
            .with(Permission::Release, false)
            .with(Permission::Hold, true);
        assert!(!p.allows(Permission::Release));
        assert!(p.allows(Permission::Hold));
        assert_eq!(p.explicit(Permission::TransferToRoute), None);
    }

    #[test]
    fn keys_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_key(p.key()), Some(p));
        }
        assert_eq!(Permission::from_key("Hold"), None);
    }
}
