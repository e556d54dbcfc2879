//! [`AzureIdentity`]: any `azure_identity` credential as a [`TokenProvider`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use azure_core::credentials::TokenCredential;

use super::cache::TokenCache;
use crate::{AccessToken, Error, NationalCloud, TokenFuture, TokenProvider};

/// An `azure_identity` credential (anything that implements `azure_core`'s
/// `TokenCredential`) as a [`TokenProvider`] for Graph: managed identity, workload identity
/// federation, a client assertion, the Azure CLI or Azure Developer CLI, Azure Pipelines, …
///
/// It asks the credential for the cloud's `{graph}/.default` scope and caches the token the
/// way the other providers do (5 minutes before expiry, one refresh at a time): some
/// credentials, the Azure CLI's for one, do not cache and would otherwise run a process per
/// request. A credential's error is an [`Error::Token`] whose `Display` includes its
/// causes.
///
/// Point the credential at the same cloud: its `ClientOptions::cloud`, from
/// [`NationalCloud::azure_cloud_configuration`].
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use graph_runtime::credentials::AzureIdentity;
/// use graph_runtime::credentials::azure_identity::ManagedIdentityCredential;
/// use graph_runtime::{HttpClient, GRAPH_V1_BASE_URL};
///
/// let tokens = AzureIdentity::new(ManagedIdentityCredential::new(None)?);
/// let graph = HttpClient::new(GRAPH_V1_BASE_URL, tokens)?;
/// # let _ = graph; Ok(()) }
/// ```
///
/// This feature builds `azure_identity` with rustls (through the same reqwest the runtime
/// uses) and without OpenSSL, so its `ClientCertificateCredential` (which needs OpenSSL) is
/// not there; a certificate works through `ClientAssertionCredential` with an assertion
/// signed elsewhere.
#[derive(Clone)]
pub struct AzureIdentity {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    cache: Arc<TokenCache>,
}

impl fmt::Debug for AzureIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credential's own `Debug` (azure_identity keeps secrets out of it).
        f.debug_struct("AzureIdentity")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl AzureIdentity {
    /// Tokens for the global cloud's Graph (`https://graph.microsoft.com/.default`).
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        AzureIdentity {
            credential,
            scopes: vec![NationalCloud::Global.default_scope().to_owned()],
            cache: Default::default(),
        }
    }

    /// Tokens for `cloud`'s Graph (`{graph}/.default`).
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.scopes = vec![cloud.default_scope().to_owned()];
        self
    }

    /// Other scopes than the cloud's `/.default`.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The scopes asked for.
    pub fn requested_scopes(&self) -> &[String] {
        &self.scopes
    }

    async fn fetch(&self) -> Result<(AccessToken, Duration), Error> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let token = self
            .credential
            .get_token(&scopes, None)
            .await
            .map_err(Error::token)?;
        let remaining = token.expires_on - azure_core::time::OffsetDateTime::now_utc();
        let lifetime = Duration::from_secs(u64::try_from(remaining.whole_seconds()).unwrap_or(0));
        Ok((AccessToken::new(token.token.secret()), lifetime))
    }
}

impl TokenProvider for AzureIdentity {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cache.get(|| self.fetch()))
    }
}

impl NationalCloud {
    /// The `azure_core` cloud of the same sign-in authority, for the `cloud` of an
    /// `azure_identity` credential's `ClientOptions` (feature `azure-identity`).
    /// Both US Government clouds sign in at `login.microsoftonline.us`.
    pub fn azure_cloud_configuration(self) -> azure_core::cloud::CloudConfiguration {
        use azure_core::cloud::CloudConfiguration;
        match self {
            NationalCloud::Global => CloudConfiguration::AzurePublic,
            NationalCloud::UsGovL4 | NationalCloud::UsGovL5 => CloudConfiguration::AzureGovernment,
            NationalCloud::China => CloudConfiguration::AzureChina,
        }
    }
}
