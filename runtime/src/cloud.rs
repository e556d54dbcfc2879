//! [`NationalCloud`]: where Microsoft Graph and its sign-in service are for each cloud.

use std::fmt;
use std::str::FromStr;

/// A Microsoft cloud that serves Microsoft Graph: the global service or a national cloud.
///
/// Each cloud is a separate instance with its own Graph host, its own sign-in authority and
/// its own app registrations: an app registered in the global cloud cannot sign in to a
/// national one. A token is asked for the cloud's Graph host (`{graph}/.default` for app-only
/// access), so a token of one cloud is refused by the others.
///
/// | cloud | Graph ([`graph_url`](Self::graph_url)) | sign-in ([`login_url`](Self::login_url)) |
/// |---|---|---|
/// | [`Global`](Self::Global) | `https://graph.microsoft.com` | `https://login.microsoftonline.com` |
/// | [`UsGovL4`](Self::UsGovL4) (GCC High) | `https://graph.microsoft.us` | `https://login.microsoftonline.us` |
/// | [`UsGovL5`](Self::UsGovL5) (DoD) | `https://dod-graph.microsoft.us` | `https://login.microsoftonline.us` |
/// | [`China`](Self::China) (operated by 21Vianet) | `https://microsoftgraph.chinacloudapi.cn` | `https://login.chinacloudapi.cn` |
///
/// The hosts are those of Microsoft's "Microsoft Graph national cloud deployments" page.
/// (The identity platform's own page also names `https://login.partner.microsoftonline.cn`
/// for China; both sign in to the same cloud. Use a provider's `login_url` to choose it.)
///
/// ```
/// use graph_runtime::NationalCloud;
///
/// let cloud: NationalCloud = "usgov-l5".parse().unwrap();
/// assert_eq!(cloud, NationalCloud::UsGovL5);
/// assert_eq!(cloud.base_url("v1.0"), "https://dod-graph.microsoft.us/v1.0");
/// assert_eq!(cloud.default_scope(), "https://dod-graph.microsoft.us/.default");
/// assert_eq!(cloud.login_url(), "https://login.microsoftonline.us");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service.
    #[default]
    Global,
    /// Microsoft Cloud for US Government, L4 (GCC High).
    UsGovL4,
    /// Microsoft Cloud for US Government, L5 (DoD).
    UsGovL5,
    /// Microsoft Azure and Microsoft 365 operated by 21Vianet in China.
    China,
}

impl NationalCloud {
    /// Every cloud, the global one first.
    pub const ALL: [NationalCloud; 4] = [
        NationalCloud::Global,
        NationalCloud::UsGovL4,
        NationalCloud::UsGovL5,
        NationalCloud::China,
    ];

    /// The Microsoft Graph service root, without a version or a trailing `/`.
    pub const fn graph_url(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovL5 => "https://dod-graph.microsoft.us",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The sign-in authority host of the Microsoft identity platform, without a tenant or a
    /// trailing `/`: tokens come from `{login_url}/{tenant}/oauth2/v2.0/token`.
    pub const fn login_url(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://login.microsoftonline.com",
            NationalCloud::UsGovL4 | NationalCloud::UsGovL5 => "https://login.microsoftonline.us",
            NationalCloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The scope that asks for every permission the app was granted on this cloud's Graph:
    /// `{graph_url}/.default`.
    pub const fn default_scope(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com/.default",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us/.default",
            NationalCloud::UsGovL5 => "https://dod-graph.microsoft.us/.default",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn/.default",
        }
    }

    /// The base URL of one API version (`"v1.0"`, `"beta"`) on this cloud.
    pub fn base_url(self, version: &str) -> String {
        format!("{}/{version}", self.graph_url())
    }

    /// The name [`FromStr`] reads: `global`, `usgov-l4`, `usgov-l5` or `china`.
    pub const fn name(self) -> &'static str {
        match self {
            NationalCloud::Global => "global",
            NationalCloud::UsGovL4 => "usgov-l4",
            NationalCloud::UsGovL5 => "usgov-l5",
            NationalCloud::China => "china",
        }
    }
}

impl fmt::Display for NationalCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cloud name [`NationalCloud::from_str`] does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cloud {0:?}: expected global, usgov-l4, usgov-l5 or china")]
pub struct UnknownCloud(pub String);

impl FromStr for NationalCloud {
    type Err = UnknownCloud;

    /// Reads [`NationalCloud::name`], ignoring case; `_` may stand for `-`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        NationalCloud::ALL
            .into_iter()
            .find(|cloud| cloud.name() == wanted)
            .ok_or_else(|| UnknownCloud(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_base_url_are_on_the_graph_host() {
        for cloud in NationalCloud::ALL {
            assert_eq!(
                cloud.default_scope(),
                format!("{}/.default", cloud.graph_url())
            );
            assert_eq!(
                cloud.base_url("beta"),
                format!("{}/beta", cloud.graph_url())
            );
            assert!(cloud.login_url().starts_with("https://login."), "{cloud}");
            assert_eq!(cloud.name().parse::<NationalCloud>(), Ok(cloud));
            assert_eq!(cloud.to_string(), cloud.name());
        }
        assert_eq!("USGOV_L4".parse(), Ok(NationalCloud::UsGovL4));
        assert_eq!(
            "germany".parse::<NationalCloud>(),
            Err(UnknownCloud("germany".to_owned()))
        );
        assert_eq!(NationalCloud::default(), NationalCloud::Global);
    }
}
