//! Keeps up with the directory's users through delta rounds: the first run reads every user,
//! each later run only what changed since the last one, from the delta link that run saved.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-runtime --example delta_sync -- users.delta
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080/v1.0 cargo run -p graph-runtime --example delta_sync -- users.delta
//! ```

use std::path::Path;
use std::process::ExitCode;

use graph_runtime::{
    Change, Delta, DeltaLink, Error, GRAPH_V1_BASE_URL, HttpClient, Method, Request, RequestPath,
    StaticToken,
};
use serde::Deserialize;

/// The user properties this example keeps.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: Option<String>,
}

/// `GET /users/delta`, as the generated client's `users().delta()` builds it.
pub fn users_delta(http: &HttpClient) -> Request<Delta<User>> {
    Request::new(
        http,
        Method::GET,
        RequestPath::root().segment("users").segment("delta"),
    )
}

/// One delta round: every user when `since` is `None`, else what changed since the round that
/// returned `since`. Returns the changes and the link the next round starts from.
pub async fn sync(
    http: &HttpClient,
    since: Option<&DeltaLink>,
) -> Result<(Vec<Change<User>>, DeltaLink), Error> {
    let round = match since {
        // The first round's query options are inside the link.
        Some(link) => users_delta(http).resume(link).round().await?,
        None => {
            users_delta(http)
                .query("$select", "displayName")
                .round()
                .await?
        }
    };
    Ok((round.changes, round.delta_link))
}

/// One line per change: `+ id name` for an added or changed user, `- id (reason)` for a removed one.
pub fn describe(change: &Change<User>) -> String {
    match change {
        Change::Updated(user) => format!(
            "+ {} {}",
            user.id,
            user.display_name.as_deref().unwrap_or("-")
        ),
        Change::Removed(removal) => format!(
            "- {} ({})",
            removal.id.as_deref().unwrap_or("?"),
            removal.reason.as_deref().unwrap_or("removed")
        ),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let (Some(token), Some(state)) = (
        std::env::var("GRAPH_TOKEN")
            .ok()
            .filter(|token| !token.trim().is_empty()),
        std::env::args().nth(1),
    ) else {
        eprintln!(
            "delta_sync: usage: GRAPH_TOKEN=... delta_sync STATE_FILE \
             (GRAPH_BASE_URL picks another service root than {GRAPH_V1_BASE_URL})"
        );
        return ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| GRAPH_V1_BASE_URL.into());
    let http = match HttpClient::new(base_url, StaticToken::new(token)) {
        Ok(http) => http,
        Err(error) => {
            eprintln!("delta_sync: {error}");
            return ExitCode::from(2);
        }
    };
    let state = Path::new(&state);
    let since: Option<DeltaLink> = match std::fs::read_to_string(state) {
        Ok(saved) => match serde_json::from_str(&saved) {
            Ok(link) => Some(link),
            Err(error) => {
                eprintln!(
                    "delta_sync: {} is not a saved delta link: {error}",
                    state.display()
                );
                return ExitCode::from(2);
            }
        },
        Err(_) => None,
    };

    match sync(&http, since.as_ref()).await {
        Ok((changes, next)) => {
            for change in &changes {
                println!("{}", describe(change));
            }
            let saved = serde_json::to_string(&next).expect("a delta link serialises");
            if let Err(error) = std::fs::write(state, saved) {
                eprintln!("delta_sync: cannot save {}: {error}", state.display());
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("delta_sync: {error}");
            ExitCode::FAILURE
        }
    }
}
