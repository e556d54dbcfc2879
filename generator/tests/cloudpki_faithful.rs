//! The Cloud PKI spec pages under `specs/beta` state the same facts as the real pages they were
//! written from (`../shared/cloudpki`, or the folder in `CLOUDPKI_DIR`). Descriptions and
//! example values are ours and are not compared; everything the generator turns into code is.

use std::fmt;
use std::path::{Path, PathBuf};

use graph_codegen::page::{self, Example, PageKind, ParsedPage, Permission, Property, TypeRef};

/// Where the real pages are, or `None` (with the skip message printed) when they are absent.
fn cloudpki_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CLOUDPKI_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cloudpki"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: ../shared/cloudpki is absent");
        None
    }
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/beta")
}

/// `api/<name>.md` and `resources/<name>.md` of the real family, sorted.
fn real_pages(dir: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for folder in ["api", "resources"] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                pages.push(format!("{folder}/{name}"));
            }
        }
    }
    pages.sort();
    pages
}

fn parse(root: &Path, relative: &str) -> ParsedPage {
    let bytes = std::fs::read(root.join(relative))
        .unwrap_or_else(|error| panic!("reading {}: {error}", root.join(relative).display()));
    page::parse_page_bytes(relative, &bytes).0
}

/// One fact the spec page states differently from the real page.
struct Mismatch {
    page: String,
    what: String,
    expected: String,
    found: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: expected {}, found {}",
            self.page, self.what, self.expected, self.found
        )
    }
}

struct Comparison<'a> {
    page: &'a str,
    mismatches: Vec<Mismatch>,
}

impl Comparison<'_> {
    fn check<T: PartialEq + fmt::Debug>(&mut self, what: &str, expected: T, found: T) {
        if expected != found {
            self.mismatches.push(Mismatch {
                page: self.page.to_string(),
                what: what.to_string(),
                expected: format!("{expected:?}"),
                found: format!("{found:?}"),
            });
        }
    }

    fn method(&mut self, real: &ParsedPage, spec: &ParsedPage) {
        let (Some(real), Some(spec)) = (&real.method, &spec.method) else {
            self.check(
                "method section",
                real.method.is_some(),
                spec.method.is_some(),
            );
            return;
        };
        let requests = |page: &page::MethodPage| -> Vec<String> {
            page.requests
                .iter()
                .map(|request| {
                    format!(
                        "{} {} {:?} query={:?}",
                        request.method.as_str(),
                        request.path.raw,
                        request.path.parameters(),
                        request.query
                    )
                })
                .collect()
        };
        self.check("HTTP requests", requests(real), requests(spec));
        self.properties(
            "path parameter",
            &real.path_parameters,
            &spec.path_parameters,
            false,
        );
        self.properties(
            "query/function parameter",
            &real.query_parameters,
            &spec.query_parameters,
            false,
        );
        let body = |page: &page::MethodPage| -> Vec<Property> {
            page.request_body
                .as_ref()
                .map(|body| body.properties.clone())
                .unwrap_or_default()
        };
        self.check(
            "request body table present",
            real.request_body
                .as_ref()
                .is_some_and(|body| !body.properties.is_empty()),
            spec.request_body
                .as_ref()
                .is_some_and(|body| !body.properties.is_empty()),
        );
        self.properties("request body property", &body(real), &body(spec), false);
        let permissions = |permissions: &[Permission]| -> Vec<String> {
            permissions
                .iter()
                .map(|permission| {
                    format!(
                        "{:?} {:?} {:?}",
                        permission.permission_type, permission.resource, permission.scopes
                    )
                })
                .collect()
        };
        self.check(
            "permissions",
            permissions(&real.permissions),
            permissions(&spec.permissions),
        );
        let response = |page: &page::MethodPage| {
            page.response
                .as_ref()
                .map(|response| (response.status, response.type_ref.as_ref().map(type_text)))
        };
        self.check("response (status, type)", response(real), response(spec));
        let shapes = |examples: &[Example]| -> Vec<(bool, bool)> {
            examples
                .iter()
                .map(|example| (example.request.is_some(), example.response.is_some()))
                .collect()
        };
        self.check(
            "examples (has request, has response)",
            shapes(&real.examples),
            shapes(&spec.examples),
        );
    }

    fn resource(&mut self, real: &ParsedPage, spec: &ParsedPage) {
        let (Some(real), Some(spec)) = (&real.resource, &spec.resource) else {
            self.check(
                "resource section",
                real.resource.is_some(),
                spec.resource.is_some(),
            );
            return;
        };
        self.check("type name", &real.name, &spec.name);
        self.check("@odata.type", &real.odata_type, &spec.odata_type);
        self.check("key property", &real.key_property, &spec.key_property);
        self.check("open type", real.open_type, spec.open_type);
        self.check("abstract", real.is_abstract, spec.is_abstract);
        self.check(
            "base type",
            real.base_type.as_ref().map(type_text),
            spec.base_type.as_ref().map(type_text),
        );
        self.properties("property", &real.properties, &spec.properties, true);
        self.properties(
            "relationship",
            &real.relationships,
            &spec.relationships,
            true,
        );
    }

    fn enums(&mut self, real: &ParsedPage, spec: &ParsedPage) {
        let names = |page: &ParsedPage| -> Vec<String> {
            page.enums.iter().map(|def| def.name.clone()).collect()
        };
        self.check("enum names", names(real), names(spec));
        for real_enum in &real.enums {
            let Some(spec_enum) = spec.enums.iter().find(|def| def.name == real_enum.name) else {
                continue;
            };
            let members = |def: &page::EnumDef| -> Vec<(String, Option<i64>)> {
                def.members
                    .iter()
                    .map(|member| (member.name.clone(), member.value))
                    .collect()
            };
            self.check(
                &format!("enum {} members (name, value)", real_enum.name),
                members(real_enum),
                members(spec_enum),
            );
        }
    }

    /// Names (in order) and types; with `facts`, also read-only and the supported query options.
    fn properties(&mut self, what: &str, real: &[Property], spec: &[Property], facts: bool) {
        let names = |properties: &[Property]| -> Vec<String> {
            properties
                .iter()
                .map(|property| property.name.clone())
                .collect()
        };
        self.check(&format!("{what} names"), names(real), names(spec));
        for expected in real {
            let Some(found) = spec.iter().find(|property| property.name == expected.name) else {
                continue;
            };
            let what = format!("{what} `{}`", expected.name);
            self.check(
                &format!("{what} type"),
                type_text(&expected.type_ref),
                type_text(&found.type_ref),
            );
            if facts {
                self.check(
                    &format!("{what} read-only"),
                    expected.facts.read_only,
                    found.facts.read_only,
                );
                self.check(
                    &format!("{what} supports"),
                    &expected.facts.supports,
                    &found.facts.supports,
                );
            }
        }
    }
}

/// A type reference written out, link target included.
fn type_text(type_ref: &TypeRef) -> String {
    match type_ref {
        TypeRef::Primitive { primitive } => format!("{primitive:?}"),
        TypeRef::Named { name, target } => match target {
            Some(target) => format!("{name} -> {target}"),
            None => name.clone(),
        },
        TypeRef::Collection { item } => format!("Collection({})", type_text(item)),
        TypeRef::Union { options } => options
            .iter()
            .map(type_text)
            .collect::<Vec<_>>()
            .join(" | "),
        TypeRef::Unknown { text } => format!("unknown `{text}`"),
    }
}

fn compare(relative: &str, real: &ParsedPage, spec: &ParsedPage) -> Vec<Mismatch> {
    let mut comparison = Comparison {
        page: relative,
        mismatches: Vec::new(),
    };
    comparison.check("page kind", real.kind, spec.kind);
    if real.kind == spec.kind {
        match real.kind {
            PageKind::Method => comparison.method(real, spec),
            PageKind::Resource => comparison.resource(real, spec),
            PageKind::Enum => comparison.enums(real, spec),
            PageKind::Conceptual => {}
        }
    }
    comparison.mismatches
}

#[test]
fn every_cloudpki_page_has_a_spec_page() {
    let Some(dir) = cloudpki_dir() else {
        return;
    };
    let pages = real_pages(&dir);
    assert!(!pages.is_empty(), "{} holds no pages", dir.display());
    let specs = specs_dir();
    let missing: Vec<&String> = pages
        .iter()
        .filter(|relative| !specs.join(relative).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} Cloud PKI pages have no spec page under specs/beta:\n{}",
        missing.len(),
        pages.len(),
        missing
            .iter()
            .map(|relative| format!("  {relative}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn spec_pages_state_the_facts_of_the_real_pages() {
    let Some(dir) = cloudpki_dir() else {
        return;
    };
    let specs = specs_dir();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for relative in real_pages(&dir) {
        if !specs.join(&relative).is_file() {
            // Reported by `every_cloudpki_page_has_a_spec_page`.
            continue;
        }
        let real = parse(&dir, &relative);
        let spec = parse(&specs, &relative);
        mismatches.extend(compare(&relative, &real, &spec));
        compared += 1;
    }
    println!("compared {compared} Cloud PKI pages with their spec pages");
    assert!(compared > 0, "no Cloud PKI page has a spec page to compare");
    assert!(
        mismatches.is_empty(),
        "{} facts differ between the Cloud PKI pages and their spec pages:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .map(|mismatch| format!("  {mismatch}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The comparison is not vacuous: a changed fact on a real page is caught.
#[test]
fn a_changed_fact_is_reported() {
    let Some(dir) = cloudpki_dir() else {
        return;
    };
    let relative =
        "api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";
    let text = std::fs::read_to_string(dir.join(relative)).expect("the seed page is in the family");
    let real = page::parse_page(relative, &text).0;
    let changed = text
        .replace(
            "|Application|DeviceManagementConfiguration.ReadWrite.All|",
            "|Application|DeviceManagementConfiguration.Read.All|",
        )
        .replace("|serialNumber|String|", "|serialNumber|Int32|")
        .replace("`200 OK`", "`204 No Content`");
    let spec = page::parse_page(relative, &changed).0;
    let whats: Vec<String> = compare(relative, &real, &spec)
        .into_iter()
        .map(|mismatch| mismatch.what)
        .collect();
    assert_eq!(
        whats,
        vec![
            "request body property `serialNumber` type",
            "permissions",
            "response (status, type)",
        ]
    );
}
