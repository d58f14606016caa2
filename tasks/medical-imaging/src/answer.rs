//! The answer a system gives for one study, `{"positive": bool, "score": number,
//! "lesions": [{"x", "y", "r", "score", "slice"?}]}`, and its shape check: a wrong shape is
//! refused with what was found and what was expected.

use crate::suites::SuiteKind;
use serde::Deserialize;
use serde_json::Value;

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

/// A mark as sent.
#[derive(Debug, Deserialize)]
struct RawMark {
    x: f64,
    y: f64,
    r: f64,
    score: f64,
    #[serde(default)]
    slice: Option<usize>,
}

/// An answer as sent: every field optional here, the suite decides which are required.
#[derive(Debug, Deserialize)]
struct RawAnswer {
    #[serde(default)]
    positive: Option<bool>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    lesions: Option<Vec<RawMark>>,
}

/// Parses and checks an answer for a study of `slices` files.
pub fn parse(answer: &Value, kind: SuiteKind, slices: usize) -> Result<Answer, String> {
    let shape = expected_shape(kind);
    let fail = |m: String| format!("{m}; {shape}");
    let raw: RawAnswer = jiebang_core::answer::read(answer).map_err(fail)?;
    let marks = raw.lesions.as_deref().unwrap_or_default();
    if marks.len() > MAX_MARKS {
        return Err(fail(format!(
            "field `lesions` has {} marks; at most {MAX_MARKS} are accepted",
            marks.len()
        )));
    }
    let mut lesions = Vec::with_capacity(marks.len());
    for (k, m) in marks.iter().enumerate() {
        if m.r <= 0.0 {
            return Err(fail(format!(
                "field `lesions[{k}].r` = {}; a radius must be > 0",
                m.r
            )));
        }
        let slice = m.slice.unwrap_or(0);
        if slice >= slices {
            return Err(fail(format!(
                "field `lesions[{k}].slice` = {slice}; the study has {slices} file(s), expected 0..{slices}"
            )));
        }
        lesions.push(Mark {
            slice,
            x: m.x,
            y: m.y,
            r: m.r,
            score: m.score,
        });
    }
    let missing = match kind {
        SuiteKind::CaseDetection if raw.positive.is_none() => Some("field `positive` is missing"),
        SuiteKind::CaseDetection if raw.score.is_none() => Some("field `score` is missing"),
        SuiteKind::LesionFroc if raw.lesions.is_none() => {
            Some("field `lesions` is missing (send [] for no lesion)")
        }
        _ => None,
    };
    if let Some(m) = missing {
        return Err(fail(m.to_string()));
    }
    Ok(Answer {
        positive: raw.positive,
        score: raw.score,
        lesions,
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
            (
                json!([1, 2]),
                SuiteKind::CaseDetection,
                "expected an object, found sequence",
            ),
            (
                json!({"score": 1}),
                SuiteKind::CaseDetection,
                "`positive` is missing",
            ),
            (
                json!({"positive": "yes", "score": 1}),
                SuiteKind::CaseDetection,
                "field `positive`: expected a boolean, found string \"yes\"",
            ),
            (
                json!({"positive": true}),
                SuiteKind::CaseDetection,
                "`score` is missing",
            ),
            (
                json!({"positive": true, "score": "high"}),
                SuiteKind::CaseDetection,
                "field `score`: expected a finite number, found string \"high\"",
            ),
            (
                json!({"positive": true}),
                SuiteKind::LesionFroc,
                "`lesions` is missing",
            ),
            (
                json!({"lesions": {}}),
                SuiteKind::LesionFroc,
                "field `lesions`: expected an array, found map",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 3}]}),
                SuiteKind::LesionFroc,
                "field `lesions[0].score` is missing",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 0, "score": 1}]}),
                SuiteKind::LesionFroc,
                "must be > 0",
            ),
            (
                json!({"lesions": [{"x": 1, "y": 2, "r": 1, "score": 1, "slice": 3}]}),
                SuiteKind::LesionFroc,
                "field `lesions[0].slice` = 3",
            ),
        ];
        for (v, kind, needle) in cases {
            let e = parse(&v, kind, 1).unwrap_err();
            assert!(e.contains(needle), "{v}: {e}");
            assert!(e.contains("expected {"), "{v}: {e}");
        }
    }
}
