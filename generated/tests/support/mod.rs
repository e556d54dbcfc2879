//! Helpers shared by the generated crate's hand-written tests.

use serde_json::Value;

/// The seed spec page, read at compile time so the tests follow the page.
pub const SEED_PAGE: &str = include_str!(
    "../../../specs/beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md"
);

/// The first JSON value after `heading` in a page: an example's body.
pub fn example_json(page: &str, heading: &str) -> Value {
    let section = &page[page
        .find(heading)
        .expect("the page has the example heading")..];
    let start = section.find("\n{").expect("the example has a JSON body") + 1;
    serde_json::Deserializer::from_str(&section[start..])
        .into_iter::<Value>()
        .next()
        .expect("a JSON value follows")
        .expect("the example body is valid JSON")
}
