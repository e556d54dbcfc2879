//! Content downloads: following a redirect to a pre-authenticated download URL
//! without taking the bearer token along.
//!
//! Graph answers `GET …/content` with `302 Found` to a short-lived URL on a
//! storage host that needs no token. The runtime's reqwest client does not
//! follow redirects (it would decide on its own which headers to forward), so
//! [`Bytes`](crate::Bytes) requests follow them here, deciding per hop.

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, LOCATION, PROXY_AUTHORIZATION};
use reqwest::{StatusCode, Url};

use crate::Error;

/// Hops followed before a chain of redirects counts as a loop.
const MAX_HOPS: usize = 10;

/// Follows the redirects of one download attempt.
pub(crate) struct Redirects {
    http: reqwest::Client,
    /// The one origin the bearer token is sent to: the base URL's, serialised
    /// (`https://graph.microsoft.com`); `None` if the base URL does not parse,
    /// which sends the token nowhere.
    service: Option<String>,
    /// The first request's headers, `Authorization` included.
    headers: HeaderMap,
}

impl Redirects {
    pub(crate) fn new(http: reqwest::Client, base_url: &str, headers: HeaderMap) -> Self {
        Redirects {
            http,
            service: Url::parse(base_url)
                .ok()
                .map(|url| url.origin().ascii_serialization()),
            headers,
        }
    }

    /// `response`, or the answer at the end of the redirects it starts.
    ///
    /// A redirect without a usable `Location` is returned as it is, for the
    /// response kind to report.
    pub(crate) async fn follow(
        &self,
        mut response: reqwest::Response,
    ) -> Result<reqwest::Response, Error> {
        for _ in 0..MAX_HOPS {
            let Some(location) = redirect_target(&response) else {
                return Ok(response);
            };
            let target = response
                .url()
                .join(&location)
                .map_err(|e| Error::InvalidUrl {
                    url: location.clone(),
                    reason: format!("not a valid redirect target: {e}"),
                })?;
            let headers = self.hop_headers(response.url(), &target)?;
            response = self.http.get(target).headers(headers).send().await?;
        }
        match redirect_target(&response) {
            Some(location) => Err(Error::UnexpectedRedirect {
                status: response.status(),
                location: Some(location),
            }),
            None => Ok(response),
        }
    }

    /// The headers of the hop from `from` to `to`: all of the first request's
    /// on the service origin, all but the credentials anywhere else.
    fn hop_headers(&self, from: &Url, to: &Url) -> Result<HeaderMap, Error> {
        let refuse = |reason: &str| Error::InvalidUrl {
            url: to.to_string(),
            reason: reason.to_owned(),
        };
        match (from.scheme(), to.scheme()) {
            ("https", "http") => {
                return Err(refuse("a redirect from https to http is not followed"));
            }
            (_, "http" | "https") => {}
            _ => {
                return Err(refuse(
                    "a redirect to a scheme other than http(s) is not followed",
                ));
            }
        }
        let mut headers = self.headers.clone();
        if self.service.as_deref() != Some(to.origin().ascii_serialization().as_str()) {
            for credential in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
                headers.remove(credential);
            }
        }
        Ok(headers)
    }
}

/// The `Location` of a redirect answer (`301`, `302`, `303`, `307`, `308`).
/// `304 Not Modified` is an answer, not a redirect.
fn redirect_target(response: &reqwest::Response) -> Option<String> {
    let redirect = matches!(
        response.status(),
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    );
    if !redirect {
        return None;
    }
    response
        .headers()
        .get(LOCATION)?
        .to_str()
        .ok()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RANGE};

    fn redirects() -> Redirects {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer secret"));
        headers.insert(COOKIE, HeaderValue::from_static("a=b"));
        headers.insert(RANGE, HeaderValue::from_static("bytes=0-9"));
        Redirects::new(
            reqwest::Client::new(),
            "https://graph.microsoft.com/v1.0",
            headers,
        )
    }

    fn url(text: &str) -> Url {
        Url::parse(text).expect("url")
    }

    #[test]
    fn the_token_goes_to_the_service_origin_only() {
        let redirects = redirects();
        let graph = url("https://graph.microsoft.com/v1.0/me/drive/items/1/content");
        let same = redirects
            .hop_headers(
                &graph,
                &url("https://graph.microsoft.com/v1.0/drives/d/items/1/content"),
            )
            .expect("same origin");
        assert_eq!(
            same.get(AUTHORIZATION).map(HeaderValue::as_bytes),
            Some(&b"Bearer secret"[..])
        );

        for other in [
            "https://contoso.sharepoint.com/download.aspx?x=1",
            "https://graph.microsoft.com:8443/v1.0/x",
            "https://evil.graph.microsoft.com.example/x",
        ] {
            let headers = redirects.hop_headers(&graph, &url(other)).expect(other);
            assert!(headers.get(AUTHORIZATION).is_none(), "{other}");
            assert!(headers.get(COOKIE).is_none(), "{other}");
            assert_eq!(
                headers.get(RANGE).map(HeaderValue::as_bytes),
                Some(&b"bytes=0-9"[..]),
                "{other}: the range still applies to the file"
            );
        }
    }

    #[test]
    fn downgrades_and_other_schemes_are_refused() {
        let redirects = redirects();
        let graph = url("https://graph.microsoft.com/v1.0/x");
        for bad in [
            "http://files.example/x",
            "ftp://files.example/x",
            "file:///etc/passwd",
        ] {
            let err = redirects.hop_headers(&graph, &url(bad)).expect_err(bad);
            assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err:?}");
        }
        let plain = url("http://127.0.0.1:1/v1.0/x");
        assert!(
            redirects
                .hop_headers(&plain, &url("http://127.0.0.2:2/f"))
                .is_ok()
        );
    }

    #[test]
    fn a_base_url_that_does_not_parse_sends_the_token_nowhere() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer secret"));
        let redirects = Redirects::new(reqwest::Client::new(), "not a url", headers);
        let hop = redirects
            .hop_headers(&url("https://a.example/x"), &url("https://a.example/y"))
            .expect("hop");
        assert!(hop.get(AUTHORIZATION).is_none());
    }
}
