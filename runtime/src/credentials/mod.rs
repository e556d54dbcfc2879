//! Sign-in: [`TokenProvider`](crate::TokenProvider)s that get their tokens from the
//! Microsoft identity platform, for every [`NationalCloud`](crate::NationalCloud).
//!
//! | who calls Graph | provider | grant |
//! |---|---|---|
//! | the app itself (daemon, service) with a client secret | [`ClientCredentials`] | client credentials |
//! | a user, in a terminal or on a device without a browser | [`DeviceCode`] → [`UserTokens`] | device code, then refresh token |
//! | a user, in a browser (desktop or web app) | [`AuthorizationCode`] → [`UserTokens`] | authorization code with PKCE, then refresh token |
//! | the app, with a certificate, a managed identity, workload identity federation, the Azure CLI, … | `AzureIdentity` (feature `azure-identity`) | whatever the `azure_identity` credential does |
//!
//! Each provider caches its token and refreshes it 5 minutes before it expires (half way
//! for short-lived tokens), one refresh at a time: concurrent requests wait for that one
//! refresh and share its token, or its error. A refusal is [`Error::SignIn`](crate::Error::SignIn)
//! with the service's [`SignInError`] (`invalid_client`, `invalid_grant`, …). No token,
//! secret, refresh token, code or PKCE verifier appears in `Debug`, `Display` or a
//! tracing event.
//!
//! Every flow signs in to the global cloud unless told otherwise; `.cloud(…)` sets both the
//! sign-in host and the default scope, `.login_url(…)` and `.scopes(…)` override each on
//! its own (plain `http` login URLs are accepted for loopback addresses only, for tests).
//!
//! ```no_run
//! # async fn demo() -> Result<(), graph_runtime::Error> {
//! use graph_runtime::credentials::ClientCredentials;
//! use graph_runtime::{HttpClient, NationalCloud};
//!
//! let cloud = NationalCloud::UsGovL4;
//! let tokens = ClientCredentials::new("contoso.onmicrosoft.us", "app-id", "secret").cloud(cloud);
//! let graph = HttpClient::new(cloud.base_url("v1.0"), tokens)?;
//! # let _ = graph; Ok(()) }
//! ```

mod authorization_code;
#[cfg(feature = "azure-identity")]
mod azure;
mod cache;
mod client_credentials;
mod device_code;
mod endpoint;
mod user_tokens;

pub use authorization_code::{AuthorizationCode, AuthorizationRequest};
#[cfg(feature = "azure-identity")]
pub use azure::AzureIdentity;
/// The `azure_core` crate of [`azure_identity`]: its `TokenCredential` trait and the
/// `ClientOptions` of the credentials.
#[cfg(feature = "azure-identity")]
pub use azure_core;
/// The `azure_identity` crate the `azure-identity` feature builds on: its credentials
/// (`ManagedIdentityCredential`, `WorkloadIdentityCredential`, `AzureCliCredential`,
/// `ClientAssertionCredential`, …) go into [`AzureIdentity::new`].
#[cfg(feature = "azure-identity")]
pub use azure_identity;
pub use client_credentials::ClientCredentials;
pub use device_code::{DeviceCode, DeviceCodePrompt};
pub use endpoint::{DEFAULT_SIGN_IN_TIMEOUT, RefreshToken, SignInError};
pub use user_tokens::UserTokens;

/// The settings every flow shares, as builder methods on the flow (its `client` field).
macro_rules! sign_in_settings {
    () => {
        /// Signs in to `cloud`'s authority and, unless [`scopes`](Self::scopes) says
        /// otherwise, asks for that cloud's Graph. Default: the global cloud.
        pub fn cloud(mut self, cloud: $crate::NationalCloud) -> Self {
            self.client.cloud = cloud;
            self
        }

        /// Another sign-in host than the cloud's (`https://login.partner.microsoftonline.cn`,
        /// a proxy, or a test's loopback server: plain `http` only on a loopback address).
        pub fn login_url(mut self, url: impl Into<String>) -> Self {
            self.client.login_url = Some(url.into());
            self
        }

        /// The scopes to ask for, instead of the flow's default.
        pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
            self.client.scopes = Some(scopes.into_iter().map(Into::into).collect());
            self
        }

        /// Time limit of each request to the sign-in service
        /// (default [`DEFAULT_SIGN_IN_TIMEOUT`](crate::credentials::DEFAULT_SIGN_IN_TIMEOUT)).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.client.timeout = timeout;
            self
        }

        /// Uses a caller-configured `reqwest::Client` (a proxy, …) for the sign-in service.
        pub fn reqwest_client(mut self, client: ::reqwest::Client) -> Self {
            self.client.use_reqwest(client);
            self
        }

        /// The token endpoint this flow posts to: `{login}/{tenant}/oauth2/v2.0/token`.
        pub fn token_url(&self) -> ::core::result::Result<::std::string::String, $crate::Error> {
            self.client.endpoint_url("token").map(|url| url.to_string())
        }

        /// The scopes this flow asks for.
        pub fn requested_scopes(&self) -> ::std::vec::Vec<::std::string::String> {
            self.client.scopes()
        }
    };
}
pub(crate) use sign_in_settings;
