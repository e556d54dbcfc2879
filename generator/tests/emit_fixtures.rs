//! Emitted code for small hand-written spec trees (tests/fixtures/emit): inheritance three
//! levels deep, a polymorphic collection, enum pages, an inferred enum, a flags enum,
//! keyword-named properties and a cross-namespace name clash. Each emitted file is a
//! snapshot; the facts the snapshots show are also asserted directly.

use std::path::Path;

use graph_codegen::diagnostics::Code;
use graph_codegen::emit::EmitOptions;
use graph_codegen::model::{FieldType, ModelRole};

fn generate() -> graph_codegen::Generation {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/emit/v1.0");
    let options = EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: false,
    };
    graph_codegen::generate(&specs, &options).expect("the fixture generates")
}

#[test]
fn emitted_files_snapshot() {
    let generation = generate();
    for file in &generation.files {
        let name = format!("fixture_{}", file.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, file.contents);
    }
    let diagnostics: Vec<String> = generation
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_yaml_snapshot!("fixture_diagnostics", diagnostics);
}

#[test]
fn inheritance_three_levels_deep_flattens_fields() {
    let generation = generate();
    let api = &generation.apis[0];
    let dog = api
        .models
        .iter()
        .find(|model| model.rust_name == "Dog")
        .unwrap();
    let fields: Vec<&str> = dog
        .fields
        .iter()
        .map(|field| field.rust_name.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "id",
            "name",
            "born_date_time",
            "fur_color",
            "breed",
            "r#type",
            "self_",
            "breed_2"
        ],
        "animal's, then mammal's, then dog's own; keywords escaped; a case-only clash suffixed"
    );
    assert_eq!(
        dog.base.as_ref().map(|base| base.name.as_str()),
        Some("Mammal")
    );
}

#[test]
fn base_types_used_as_fields_are_polymorphic() {
    let generation = generate();
    let api = &generation.apis[0];
    let any_animal = api
        .polymorphic
        .iter()
        .find(|def| def.rust_name == "AnyAnimal")
        .unwrap();
    let variants: Vec<(&str, &str)> = any_animal
        .variants
        .iter()
        .map(|variant| (variant.odata_type.as_str(), variant.path.name.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("microsoft.graph.dog", "Dog"),
            ("microsoft.graph.mammal", "Mammal")
        ]
    );
    let zoo = api
        .models
        .iter()
        .find(|model| model.rust_name == "Zoo")
        .unwrap();
    let animals = zoo
        .fields
        .iter()
        .find(|field| field.json_name == "animals")
        .unwrap();
    assert!(matches!(
        &animals.field_type,
        FieldType::Collection { item } if matches!(item.as_ref(), FieldType::Polymorphic { path } if path.name == "AnyAnimal")
    ));
}

#[test]
fn enums_from_pages_inference_and_flags() {
    let generation = generate();
    let api = &generation.apis[0];
    let by_name = |name: &str| api.enums.iter().find(|def| def.rust_name == name).unwrap();
    assert!(by_name("Weekdays").flags);
    assert!(!by_name("HabitatKind").flags && !by_name("HabitatKind").inferred);
    let status = by_name("ZooStatus");
    assert!(status.inferred);
    let values: Vec<&str> = status
        .members
        .iter()
        .map(|member| member.json_value.as_str())
        .collect();
    assert_eq!(values, ["open", "closed", "unknownFutureValue"]);
    let zoo = api
        .models
        .iter()
        .find(|model| model.rust_name == "Zoo" && model.role == ModelRole::Resource)
        .unwrap();
    let open_days = zoo
        .fields
        .iter()
        .find(|field| field.json_name == "openDays")
        .unwrap();
    assert!(matches!(&open_days.field_type, FieldType::Flags { path } if path.name == "Weekdays"));
}

#[test]
fn name_clash_across_namespaces_is_resolved_and_reported() {
    let generation = generate();
    let api = &generation.apis[0];
    let sessions: Vec<(&str, &str)> = api
        .models
        .iter()
        .filter(|model| model.graph_name == "session")
        .map(|model| (model.rust_name.as_str(), model.area.as_str()))
        .collect();
    assert_eq!(
        sessions,
        [
            ("CallRecordsSession", "cloud_communications"),
            ("Session", "zoology")
        ]
    );
    let clash = generation
        .diagnostics
        .iter()
        .find(|diagnostic| {
            diagnostic.code == Code::DuplicateName
                && diagnostic.message.contains("CallRecordsSession")
        })
        .expect("the clash is reported");
    assert_eq!(clash.file, "resources/callrecords-session.md");
}
