//! The answer a system gives for one study, `{"positive": bool, "score": number,
//! "lesions": [{"x", "y", "r", "score", "slice"?}]}`, and its shape check: a wrong shape is
//! refused with what was found and what was expected.

use crate::suites::SuiteKind;
use serde_json::{Map, Value};

/// Most lesion marks one answer may carry (scoring keeps the best 100, as LUNA16 does).
pub const MAX_MARKS: usize = 10_000;

/// A lesion mark: a suspected lesion on one slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Slice index within the study's files.
    pub slice: usize,
    /// Column of the centre in pixels.
    pub x: f64,
    /// Row of the centre in pixels.
    pub y: f64,
    /// Radius in pixels.
    pub r: f64,
    /// Suspicion; higher is more suspicious.
    pub score: f64,
}

/// A parsed answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    /// The case-level call, when given.
    pub positive: Option<bool>,
    /// The case-level suspicion score, when given.
    pub score: Option<f64>,
    /// Lesion marks (empty when not given).
    pub lesions: Vec<Mark>,
}

/// The expected shape, quoted in every refusal.
pub fn expected_shape(kind: SuiteKind) -> &'static str {
    match kind {
        SuiteKind::CaseDetection => {
            r#"expected {"positive": true|false, "score": <finite number>, "lesions": [optional marks {"x","y","r","score"}]}"#
        }
        SuiteKind::LesionFroc => {
            r#"expected {"lesions": [{"x": <col>, "y": <row>, "r": <radius > 0>, "score": <finite number>, "slice": <optional index>}], "positive"/"score" optional}"#
        }
    }
}

fn number(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(format!("{at}`{key}` = {n} is not a finite number")),
        },
        Some(other) => Err(format!("{at}`{key}` is {other}, not a number")),
    }
}

fn mark(v: &Value, k: usize, slices: usize) -> Result<Mark, String> {
    let at = format!("lesions[{k}].");
    let obj = v
        .as_object()
        .ok_or_else(|| format!("lesions[{k}] is {v}, not an object"))?;
    let need = |key: &str| -> Result<f64, String> {
        number(obj, key, &at)?.ok_or_else(|| format!("{at}`{key}` is missing"))
    };
    let (x, y, r, score) = (need("x")?, need("y")?, need("r")?, need("score")?);
    if r <= 0.0 {
        return Err(format!("{at}`r` = {r}; a radius must be > 0"));
    }
    let slice = match obj.get("slice") {
        None | Some(Value::Null) => 0,
        Some(s) => s
            .as_u64()
            .and_then(|s| usize::try_from(s).ok())
            .filter(|s| *s < slices)
            .ok_or_else(|| {
                format!("{at}`slice` = {s}; the study has {slices} file(s), expected 0..{slices}")
            })?,
    };
    Ok(Mark {
        slice,
        x,
        y,
        r,
        score,
    })
}

/// Parses and checks an answer for a study of `slices` files.
pub fn parse(answer: &Value, kind: SuiteKind, slices: usize) -> Result<Answer, String> {
    let shape = expected_shape(kind);
    let fail = |m: String| format!("{m}; {shape}");
    let obj = answer
        .as_object()
        .ok_or_else(|| fail(format!("answer is {answer}, not an object")))?;
    let positive = match obj.get("positive") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => return Err(fail(format!("`positive` is {other}, not true or false"))),
    };
    let score = number(obj, "score", "").map_err(fail)?;
    let lesions = match obj.get("lesions") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            if items.len() > MAX_MARKS {
                return Err(fail(format!(
                    "`lesions` has {} marks; at most {MAX_MARKS} are accepted",
                    items.len()
                )));
            }
            Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(k, v)| mark(v, k, slices))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(fail)?,
            )
        }
        Some(other) => return Err(fail(format!("`lesions` is {other}, not an array"))),
    };
    match kind {
        SuiteKind::CaseDetection => {
            if positive.is_none() {
                return Err(fail("`positive` is missing".into()));
            }
            if score.is_none() {
                return Err(fail("`score` is missing".into()));
            }
        }
        SuiteKind::LesionFroc => {
            if lesions.is_none() {
                return Err(fail("`lesions` is missing (send [] for no lesion)".into()));
            }
        }
    }
    Ok(Answer {
        positive,
        score,
        lesions: lesions.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn good_answers_parse() {
        let a = parse(
            &json!({"positive": true, "score": 3.5, "lesions": [{"x": 1, "y": 2, "r": 3, "score": 0.5}]}),
            SuiteKind::CaseDetection,
            1,
        )
        .unwrap();
        assert_eq!(a.positive, Some(true));
        assert_eq!(a.lesions[0].slice, 0);
        let a = parse(
            &json!({"lesions": [{"x": 1, "y": 2, "r": 3, "score": 0.5, "slice": 1}]}),
            SuiteKind::LesionFroc,
            2,
        )
        .unwrap();
        assert_eq!(a.lesions[0].slice, 1);
    }

    #[test]
    fn wrong_shapes_say_what_was_expected() {
        let cases = [
            (json!([1, 2]), SuiteKind::CaseDetection, "not an object"),
            (
                json!({"score": 1}),
                SuiteKind::CaseDetection,
                "`positive` is missing",
            ),
            (
                json!({"positive": "yes", "score": 1}),
                SuiteKind::CaseDetection,
                "not true or false",
            ),
            (
                json!({"positive": true}),
                SuiteKind::CaseDetection,
                "`score` is missing",
            ),
            (
                json!({"positive": true, "score": "high"}),
                SuiteKind::CaseDetection,
                "not a number",
            ),
            (
                json!({"positive": true}),
                SuiteKind::LesionFroc,
                "`lesions` is missing",
            ),
            (
                json!({"lesions": {}}),
                SuiteKind::LesionFroc,
                "not an array",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 3}]}),
                SuiteKind::LesionFroc,
                "lesions[0].`score` is missing",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 0, "score": 1}]}),
                SuiteKind::LesionFroc,
                "must be > 0",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 1, "score": 1, "slice": 3}]}),
                SuiteKind::LesionFroc,
                "`slice` = 3",
            ),
        ];
        for (v, kind, needle) in cases {
            let e = parse(&v, kind, 1).unwrap_err();
            assert!(e.contains(needle), "{v}: {e}");
            assert!(e.contains("expected {"), "{v}: {e}");
        }
    }
}
