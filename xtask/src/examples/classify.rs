//! Why an example's call failed: a doc error the lint explains (a value the type cannot hold,
//! confirmed by the same call passing once those values are removed), or a generator bug.

use graph_codegen::diagnostics::{Code, Diagnostic};
use graph_codegen::lint::{Direction, PathElem, TypeIndex};
use graph_codegen::model::FieldType;
use serde_json::Value;

/// How one example fared in one check.
#[derive(Debug, Clone)]
pub enum Verdict {
    Passed,
    DocError(Code, Diagnostic),
    GeneratorBug(Diagnostic),
}

/// One body the call failed on, and what the lint and the repaired run say about it.
pub struct Failure<'a> {
    pub index: &'a TypeIndex<'a>,
    /// The type the call reads the body into, and the part of the body it reads.
    pub field_type: &'a FieldType,
    pub value: &'a Value,
    pub direction: Direction,
    /// What went wrong, as the diagnostic will say it.
    pub diagnostic: Diagnostic,
    /// How the same check fared with the lint's repaired body (`None`: not run).
    pub repaired: Option<Result<(), String>>,
}

/// A doc error when the lint finds a value the type cannot hold *and* the call passes the same
/// check with those values removed (or the flag is on the whole body); else a generator bug.
pub fn classify(failure: Failure<'_>) -> Verdict {
    let Failure {
        index,
        field_type,
        value,
        direction,
        mut diagnostic,
        repaired,
    } = failure;
    let findings = index.check(field_type, value, direction);
    let Some(finding) = findings
        .iter()
        .find(|finding| finding.breaks_deserialisation())
    else {
        return Verdict::GeneratorBug(diagnostic);
    };
    let confirmed = finding.path.is_empty() || matches!(repaired, Some(Ok(())));
    if !confirmed {
        let why = match repaired {
            Some(Err(why)) => why,
            _ => "no repaired body was checked".to_string(),
        };
        diagnostic.message = format!(
            "{}; without the values the lint flags ({}) it still fails: {why}",
            diagnostic.message, finding.message
        );
        return Verdict::GeneratorBug(diagnostic);
    }
    diagnostic.message = format!("{} ({})", diagnostic.message, finding.message);
    diagnostic.code = finding.code;
    diagnostic.severity = finding.code.severity();
    Verdict::DocError(finding.code, diagnostic)
}

/// The body with every value the lint says the type cannot hold removed: properties set to
/// `null` (the types read it as "not set"), collection items dropped. `None` when nothing
/// is flagged, or the flag is on the whole body.
pub fn repair(
    index: &TypeIndex,
    field_type: &FieldType,
    value: &Value,
    direction: Direction,
) -> Option<Value> {
    let mut paths: Vec<Vec<PathElem>> = index
        .check(field_type, value, direction)
        .into_iter()
        .filter(|finding| finding.breaks_deserialisation())
        .map(|finding| finding.path)
        .collect();
    if paths.is_empty() || paths.iter().any(Vec::is_empty) {
        return None;
    }
    // Deepest and last first, so removing an item leaves the other paths valid.
    paths.sort_by(|a, b| b.cmp(a));
    paths.dedup();
    let mut repaired = value.clone();
    for path in &paths {
        let (last, parents) = path.split_last()?;
        let mut target = &mut repaired;
        for element in parents {
            target = match element {
                PathElem::Key(key) => target.get_mut(key.as_str())?,
                PathElem::Index(position) => target.get_mut(*position)?,
            };
        }
        match (last, target) {
            (PathElem::Key(key), Value::Object(object)) => {
                object.insert(key.clone(), Value::Null);
            }
            (PathElem::Index(position), Value::Array(items)) if *position < items.len() => {
                items.remove(*position);
            }
            _ => {}
        }
    }
    Some(repaired)
}
