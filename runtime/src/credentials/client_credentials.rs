//! [`ClientCredentials`]: app-only access with a client secret.

use std::fmt;

use super::cache::TokenCache;
use super::endpoint::SignInClient;
use crate::{NationalCloud, TokenFuture, TokenProvider};

/// App-only access: the OAuth 2.0 client credentials grant with a client secret, for
/// daemons and services that act as themselves, not as a user.
///
/// Asks `{login}/{tenant}/oauth2/v2.0/token` for the cloud's `{graph}/.default` scope (every
/// application permission an administrator granted the app), caches the token and refreshes
/// it 5 minutes before it expires, one refresh at a time however many requests wait for it.
/// A wrong or expired secret is an [`Error::SignIn`](crate::Error::SignIn) with the code
/// `invalid_client`.
///
/// ```no_run
/// # async fn demo() -> Result<(), graph_runtime::Error> {
/// use graph_runtime::credentials::ClientCredentials;
/// use graph_runtime::{HttpClient, NationalCloud};
///
/// let cloud = NationalCloud::Global;
/// let tokens = ClientCredentials::new("contoso.onmicrosoft.com", "app-id", "client-secret")
///     .cloud(cloud);
/// let graph = HttpClient::new(cloud.base_url("v1.0"), tokens)?;
/// # let _ = graph; Ok(()) }
/// ```
///
/// For certificates, managed identities, workload identity federation or the Azure CLI, use
/// the `azure-identity` feature's `AzureIdentity`.
#[derive(Clone)]
pub struct ClientCredentials {
    client: SignInClient,
    secret: String,
    cache: std::sync::Arc<TokenCache>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("sign_in", &self.client)
            .field("secret", &"<redacted>")
            .finish()
    }
}

fn app_only_scopes(cloud: NationalCloud) -> Vec<String> {
    vec![cloud.default_scope().to_owned()]
}

impl ClientCredentials {
    /// The app `client_id` of tenant `tenant` (its id or a domain name), with one of the
    /// app's client secrets; the global cloud unless [`cloud`](Self::cloud) says otherwise.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            client: SignInClient::new(tenant, client_id, app_only_scopes),
            secret: client_secret.into(),
            cache: Default::default(),
        }
    }

    super::sign_in_settings!();

    async fn fetch(&self) -> Result<(crate::AccessToken, std::time::Duration), crate::Error> {
        let scope = self.client.scope_parameter();
        let issued = self
            .client
            .request_token(&[
                ("client_id", self.client.client_id.as_str()),
                ("scope", &scope),
                ("client_secret", &self.secret),
                ("grant_type", "client_credentials"),
            ])
            .await?;
        Ok((issued.access_token, issued.lifetime))
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cache.get(|| self.fetch()))
    }
}
