//! Kind 9: example blocks in today's layouts.

use graph_codegen::page::{self, Header};

use super::*;

#[test]
fn a_blank_line_between_request_line_and_headers_keeps_headers_and_body() {
    let source = "---
title: \"Update widget\"
doc_type: apiPageType
---

# Update widget

Change a widget.

## HTTP request

```http
PATCH /widgets/{id}
```

## Example

### Request

```http
PATCH https://graph.microsoft.com/v1.0/widgets/w1

Content-Type: application/json
Prefer: return=representation

{
  \"displayName\": \"Bench vice\"
}
```

### Response

```http
HTTP/1.1 200 OK

BEGIN:WIDGET
```
";
    let (parsed, diagnostics) = page::parse_page("v1.0/api/widget-update.md", source);
    assert!(diagnostics.is_empty(), "{}", listed(&diagnostics));
    let method = parsed.method.expect("a method page");
    let request = method.examples[0].request.as_ref().expect("a request");
    assert_eq!(
        request.headers,
        [
            Header {
                name: "Content-Type".to_string(),
                value: "application/json".to_string()
            },
            Header {
                name: "Prefer".to_string(),
                value: "return=representation".to_string()
            },
        ]
    );
    let body = request.body.as_ref().expect("the body is read");
    assert_eq!(body.value()["displayName"], "Bench vice");
    // A body that merely has a colon in it (a vCard's `BEGIN:VCARD`) is still a body, not a
    // header: the response keeps no headers.
    let response = method.examples[0].response.as_ref().expect("a response");
    assert!(response.headers.is_empty(), "{:?}", response.headers);
}
