//! Downloads a file from the signed-in user's OneDrive to a local file, streaming it. The service
//! redirects to a pre-authenticated download URL on another host, which is followed without the
//! token.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-runtime --example download_file -- Documents/report.pdf ./report.pdf
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080/v1.0 cargo run -p graph-runtime --example download_file -- Documents/report.pdf ./report.pdf
//! ```

use std::process::ExitCode;

use futures_util::StreamExt;
use graph_runtime::{
    BoxError, Bytes, GRAPH_V1_BASE_URL, HttpClient, Method, Request, RequestPath, StaticToken,
};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// `GET /me/drive/root:/{item-path}:/content`, as the generated client builds it.
pub fn content(http: &HttpClient, item_path: &str) -> Request<Bytes> {
    let path = RequestPath::root()
        .segment("me")
        .segment("drive")
        .segment("root")
        .item_path("item-path", item_path)
        .segment("content");
    Request::new(http, Method::GET, path)
}

/// Writes the file at `item_path` to `out` chunk by chunk, never holding it whole in memory;
/// returns how many bytes it wrote.
pub async fn download(
    http: &HttpClient,
    item_path: &str,
    out: &mut (impl AsyncWrite + Unpin),
) -> Result<u64, BoxError> {
    let mut body = content(http, item_path).await?;
    let mut written = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        out.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    out.flush().await?;
    Ok(written)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(token), [item_path, local]) = (
        std::env::var("GRAPH_TOKEN")
            .ok()
            .filter(|token| !token.trim().is_empty()),
        args.as_slice(),
    ) else {
        eprintln!(
            "download_file: usage: GRAPH_TOKEN=... download_file DRIVE_PATH LOCAL_FILE \
             (GRAPH_BASE_URL picks another service root than {GRAPH_V1_BASE_URL})"
        );
        return ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| GRAPH_V1_BASE_URL.into());
    let http = match HttpClient::new(base_url, StaticToken::new(token)) {
        Ok(http) => http,
        Err(error) => {
            eprintln!("download_file: {error}");
            return ExitCode::from(2);
        }
    };
    let mut file = match tokio::fs::File::create(local).await {
        Ok(file) => file,
        Err(error) => {
            eprintln!("download_file: {local}: {error}");
            return ExitCode::from(2);
        }
    };
    match download(&http, item_path, &mut file).await {
        Ok(written) => {
            println!("{local}\t{written} bytes");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("download_file: {error}");
            ExitCode::FAILURE
        }
    }
}
