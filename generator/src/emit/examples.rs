//! The docs' examples as tests of the generated crate: for each example of each method page,
//! a test that builds the call the docs show with the generated endpoint and checks
//! 1. the request's path and query are the example's,
//! 2. the example request body deserialises into the body type and round-trips,
//! 3. the example response deserialises into the response type and round-trips,
//! 4. against a local mock server, the call sends that request and parses that response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::requests::{Chains, Step, chains};
use super::types;
use crate::model::{
    Api, ArgumentValue, Body, ExampleCase, FieldType, PathPart, Response, WorkloadSet,
};

/// The test file of one version, or `None` when it has no examples.
pub fn example_tests(api: &Api) -> Option<TokenStream> {
    if api.examples.is_empty() {
        return None;
    }
    let chains = chains(api);
    let version = format_ident!("{}", api.module);
    let tests = api
        .examples
        .iter()
        .map(|case| example_test(api, case, &chain_of(&chains, api, case)));
    let doc = format!(
        " The examples of the `{}` spec pages, run against the generated client.",
        api.version
    );
    let tokens = quote! {
        #![doc = #doc]

        use super::examples_support as examples;
        use graph_client::#version::Client;

        #(#tests)*
    };
    // Type paths are written for inside the crate (`crate::beta::…`); a test is outside it.
    let outside = tokens.to_string().replace("crate :: ", "graph_client :: ");
    Some(
        outside
            .parse()
            .expect("re-rooting paths keeps the tokens valid"),
    )
}

/// The methods the example's call is built with: along the path as the example writes it
/// (`client.me()` where the template writes `/users/{id}`), else the operation's own.
fn chain_of(chains: &Chains<'_>, api: &Api, case: &ExampleCase) -> Vec<Step> {
    let operation = &api.operations[case.operation];
    case.written_path
        .as_deref()
        .and_then(|path| chains.along(operation, path))
        .or_else(|| chains.along(operation, &operation.path))
        .expect("every operation is in the builders' tree")
}

/// How the call an example shows is built: the builder methods from the client to the
/// request, and the type its body is read into (`None` when it sends no JSON body).
struct Call {
    calls: Vec<TokenStream>,
    body_type: Option<TokenStream>,
}

fn call_of(api: &Api, case: &ExampleCase, chain: &[Step]) -> Call {
    let operation = &api.operations[case.operation];
    let mut arguments = case.arguments.iter().map(|(_, value)| value.as_str());
    let mut calls = Vec::new();
    let last = chain.len().saturating_sub(1);
    for (index, step) in chain.iter().enumerate() {
        let method = ident(&step.method);
        let mut values = match &step.part {
            Some(part) => part_arguments(part, &mut arguments),
            None => Vec::new(),
        };
        if index == last {
            for pair in &operation.query {
                for (placeholder, _) in &pair.parameters {
                    let given = case
                        .query
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case(&pair.name))
                        .map(|(_, value)| value.clone())
                        .filter(|_| pair.value.trim() == format!("{{{placeholder}}}"))
                        .unwrap_or_else(|| format!("{{{placeholder}}}"));
                    values.push(quote!(#given));
                }
            }
            match &operation.body {
                Body::None => {}
                Body::Model { .. } | Body::Json | Body::Reference => values.push(quote!(&body)),
                // The example's content, as the bytes a caller uploads.
                Body::Bytes => {
                    values.push(quote!("application/octet-stream"));
                    values.push(match &case.request_body {
                        Some(text) => quote!(#text.as_bytes().to_vec()),
                        None => quote!(::std::vec::Vec::<u8>::new()),
                    });
                }
            }
        }
        calls.push(quote!(.#method(#(#values),*)));
    }

    // Query options the example adds beyond what the template fixes.
    let fixed: Vec<String> = operation
        .query
        .iter()
        .map(|pair| pair.name.to_ascii_lowercase())
        .collect();
    for (key, value) in &case.query {
        let lower = key.to_ascii_lowercase();
        if fixed.contains(&lower) {
            continue;
        }
        // The typed options exist where the endpoint has a query set.
        let offered = operation.query_set.is_some() && operation.query_options.contains(&lower);
        calls.push(match lower.as_str() {
            "$select" if offered => quote!(.select_raw(#value)),
            "$filter" if offered => quote!(.filter_raw(#value)),
            "$orderby" if offered => quote!(.order_by_raw(#value)),
            "$expand" if offered => quote!(.expand_raw(#value)),
            "$search" if offered => quote!(.search_raw(#value)),
            "$top" | "$skip" if offered && value.parse::<u32>().is_ok() => {
                let method = format_ident!("{}", &lower[1..]);
                let number: u32 = value.parse().expect("checked above");
                quote!(.#method(#number))
            }
            "$count" if offered && (value == "true" || value == "false") => {
                let yes = value == "true";
                quote!(.count(#yes))
            }
            _ => quote!(.query(#key, #value)),
        });
    }
    let body_type = match &operation.body {
        Body::Model { path } => Some(types::type_path(api, path)),
        Body::Json => Some(quote!(::serde_json::Value)),
        Body::Reference => Some(quote!(::graph_runtime::Reference)),
        Body::None | Body::Bytes => None,
    };
    Call { calls, body_type }
}

fn example_test(api: &Api, case: &ExampleCase, chain: &[Step]) -> TokenStream {
    let operation = &api.operations[case.operation];
    let name = format_ident!("{}", case.name);
    let doc = case_doc(api, case);

    // Features the endpoint needs; the test exists only when they are on.
    // The endpoint's workload; the test exists only when its feature is on.
    let gate = types::gate(WorkloadSet::single(operation.workload()));
    let Call { calls, .. } = call_of(api, case, chain);

    let suppressed = |check: &str| {
        case.suppressed
            .iter()
            .find(|suppression| suppression.check == check)
            .map(|suppression| format!("{}: {}", suppression.code, suppression.reason))
    };
    let request_error = suppressed("request");
    let response_error = suppressed("response");
    let body = match (&operation.body, &case.request_body) {
        // A known doc error: the check must fail; the call is built with an empty body.
        (Body::Model { path }, Some(json)) if request_error.is_some() => {
            let ty = types::type_path(api, path);
            let why = request_error.clone().unwrap_or_default();
            Some(quote! {
                examples::expect_doc_error(#why, || {
                    let _: #ty = examples::round_trip(#json, "the example request body");
                });
                let body = <#ty as ::core::default::Default>::default();
            })
        }
        (Body::Model { path }, Some(json)) => {
            let ty = types::type_path(api, path);
            Some(quote!(let body: #ty = examples::round_trip(#json, "the example request body");))
        }
        (Body::Model { path }, None) => {
            let ty = types::type_path(api, path);
            Some(quote!(let body = <#ty as ::core::default::Default>::default();))
        }
        (Body::Json, Some(json)) => Some(quote!(
            let body: ::serde_json::Value = examples::round_trip(#json, "the example request body");
        )),
        (Body::Json, None) => Some(quote!(let body = ::serde_json::json!({});)),
        (Body::Reference, Some(json)) => Some(quote!(
            let body: ::graph_client::Reference = examples::round_trip(#json, "the example request body");
        )),
        (Body::Reference, None) => Some(quote!(let body = ::graph_client::Reference::default();)),
        _ => None,
    };
    let sent_body = match (&operation.body, &case.request_body) {
        (Body::Model { .. } | Body::Json | Body::Reference, Some(json)) => {
            quote!(::core::option::Option::Some(#json))
        }
        _ => quote!(::core::option::Option::None),
    };

    let (path, query) = case.url.split_once('?').unwrap_or((case.url.as_str(), ""));
    let method = operation.method.as_str();
    let status = case.response_status.unwrap_or(match operation.response {
        Response::NoContent => 204,
        _ => 200,
    });
    let response_json = case
        .response_body
        .as_deref()
        .filter(|_| operation.response.field_type().is_some());

    // Check 3, and what check 4 compares the parsed response with.
    let (response_check, output_check) = match (&operation.response, response_json) {
        (Response::Json { body, .. }, Some(json)) if operation.action => {
            let ty = types::field_type(api, body, types::Position::Response);
            (
                quote!(let _: #ty = examples::round_trip(&examples::action_value(#json), "the example response");),
                quote!(examples::assert_same_json(&output, &examples::action_value(#json));),
            )
        }
        (Response::Json { body, .. }, Some(json)) => {
            let ty = types::field_type(api, body, types::Position::Response);
            (
                quote!(let _: #ty = examples::round_trip(#json, "the example response");),
                quote!(examples::assert_same_json(&output, #json);),
            )
        }
        (Response::Collection { item }, Some(json)) => {
            let ty = types::field_type(api, item, types::Position::Response);
            (
                quote!(examples::round_trip_items::<#ty>(#json);),
                quote!(examples::assert_same_items(&output.value, #json);),
            )
        }
        (Response::NoContent, _) => (quote!(), quote!(let () = output;)),
        _ => (quote!(), quote!(let _ = output;)),
    };
    let response_check = match &response_error {
        Some(why) if !response_check.is_empty() => quote! {
            examples::expect_doc_error(#why, || { #response_check });
        },
        _ => response_check,
    };
    let mock_body = match response_json.or(case.response_body.as_deref()) {
        Some(json) => quote!(::core::option::Option::Some(#json)),
        None => quote!(::core::option::Option::None),
    };
    // Check 4 needs a response the mock can serve: JSON, or nothing.
    let sends = matches!(
        operation.response,
        Response::Json {
            body: FieldType::Model { .. }
                | FieldType::Polymorphic { .. }
                | FieldType::Collection { .. }
                | FieldType::Primitive { .. }
                | FieldType::Enum { .. }
                | FieldType::Flags { .. }
                | FieldType::Json,
            ..
        } | Response::Collection { .. }
            | Response::NoContent
    ) && (response_json.is_some() || matches!(operation.response, Response::NoContent));
    // A known doc error in either body leaves nothing for the mock exchange to confirm.
    let exchange = if sends && request_error.is_none() && response_error.is_none() {
        quote! {
            examples::expect_exchange(&server, &request, #sent_body, #status, #mock_body).await;
            let output = request.send().await.expect("the call parses the example response");
            #output_check
        }
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        #gate
        #[::tokio::test]
        async fn #name() {
            let server = ::wiremock::MockServer::start().await;
            let client = Client::with_base_url(server.uri(), ::graph_client::StaticToken::new("example-token"))
                .expect("a client for the mock server");
            #body
            let request = client #(#calls)*;
            examples::assert_target(&request, #method, #path, #query);
            #response_check
            #exchange
        }
    }
}

/// `` `file` line N (title): `METHOD url` ``: where an example comes from.
fn case_doc(api: &Api, case: &ExampleCase) -> String {
    format!(
        " `{}` line {}{}: `{} {}`",
        case.source.file,
        case.source.line,
        case.title
            .as_deref()
            .map(|title| format!(" ({title})"))
            .unwrap_or_default(),
        api.operations[case.operation].method.as_str(),
        case.url
    )
}

/// The examples of one version as calls for `cargo xtask examples`' harness: one async
/// function per example (in `api.examples` order) that builds the call the docs show with the
/// generated builders and hands it to the harness, and `CASES`, the table of them. Unlike the
/// tests, the example's bodies are not in the code: the harness reads them at run time, so one
/// build checks the docs' bodies and the lint's repaired ones. Built with every feature on.
pub fn example_calls(api: &Api) -> TokenStream {
    let chains = chains(api);
    let version = format_ident!("{}", api.module);
    let functions = api.examples.iter().enumerate().map(|(number, case)| {
        let operation = &api.operations[case.operation];
        let name = format_ident!("case_{number}");
        let doc = case_doc(api, case);
        let Call { calls, body_type } = call_of(api, case, &chain_of(&chains, api, case));
        let body = body_type.map(|ty| {
            quote!(let ::core::option::Option::Some(body) = harness.request_body::<#ty>() else { return };)
        });
        let observe = match &operation.response {
            Response::Collection { .. } => quote!(harness.observe_page(&output)),
            Response::NoContent => quote!(harness.observe_nothing(output)),
            Response::Accepted => quote!(harness.observe_accepted(&output)),
            Response::Redirect => quote!(harness.observe_redirect(&output)),
            Response::Bytes => quote!(harness.observe_bytes(output).await),
            Response::Count => quote!(harness.observe_count(output)),
            Response::Delta { .. } => quote!(harness.observe_delta(&output)),
            Response::Json { .. } | Response::UploadSession => quote!(harness.observe(&output)),
        };
        quote! {
            #[doc = #doc]
            async fn #name(harness: &mut Harness) {
                let client = client(harness);
                #body
                let request = client #(#calls)*;
                harness.target(&request);
                if let ::core::option::Option::Some(output) = harness.send(request).await {
                    #observe;
                }
            }
        }
    });
    let table = (0..api.examples.len()).map(|number| {
        let name = format_ident!("case_{number}");
        quote!(|harness| ::std::boxed::Box::pin(#name(harness)))
    });
    let tokens = quote! {
        use crate::support::{Case, Harness};
        use graph_client::#version::Client;

        fn client(harness: &Harness) -> Client {
            Client::with_base_url(harness.uri(), ::graph_client::StaticToken::new("example-token"))
                .expect("a client for the mock server")
        }

        /// Every example's call, in the order of the model's examples.
        pub const CASES: &[Case] = &[#(#table),*];

        #(#functions)*
    };
    let outside = tokens.to_string().replace("crate :: ", "graph_client :: ");
    // `crate::support` is the harness's own module, not the generated crate's.
    let outside = outside.replace("graph_client :: support ::", "crate :: support ::");
    outside
        .parse()
        .expect("re-rooting paths keeps the tokens valid")
}

/// The arguments a path part takes, from the example's values in path order.
fn part_arguments<'a>(
    part: &PathPart,
    values: &mut impl Iterator<Item = &'a str>,
) -> Vec<TokenStream> {
    match part {
        PathPart::Static { .. } => Vec::new(),
        PathPart::Parameter { .. } | PathPart::ItemPath { .. } => {
            let value = values.next().unwrap_or_default();
            vec![quote!(#value)]
        }
        PathPart::Function { arguments, .. } => arguments
            .iter()
            .filter_map(|argument| match &argument.value {
                ArgumentValue::Parameter { quoted: true, .. } => {
                    // A quoted slot takes the text: an example value matched against another
                    // form of the function (`range(address={address})`) may be the literal.
                    let value = values.next().unwrap_or_default();
                    let value = value
                        .strip_prefix('\'')
                        .and_then(|inner| inner.strip_suffix('\''))
                        .map_or_else(|| value.to_string(), |inner| inner.replace("''", "'"));
                    Some(quote!(#value))
                }
                ArgumentValue::Parameter { quoted: false, .. } => {
                    let value = values.next().unwrap_or_default();
                    Some(quote!(::graph_runtime::query::RawLiteral(#value)))
                }
                ArgumentValue::Fixed { .. } => None,
            })
            .collect(),
    }
}

fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name)
        .unwrap_or_else(|_| format_ident!("{}_", name.trim_start_matches("r#")))
}
