//! The answer types of the three suites, read with serde and then checked (positive box sides,
//! the box and candidate caps, enrolled and distinct identities): a refusal says what and where.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// A detect answer.
#[derive(Debug, Clone, Deserialize)]
pub struct FacesAnswer {
    /// The boxes found in the frame.
    pub faces: Vec<FaceBox>,
}

/// One returned box, pixels, top-left origin.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct FaceBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (> 0).
    pub w: f64,
    /// Height (> 0).
    pub h: f64,
    /// Confidence; higher is more confident.
    pub score: f64,
}

/// A verification answer.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ScoreAnswer {
    /// Similarity; higher = more likely the same person.
    pub score: f64,
}

/// An identification answer.
#[derive(Debug, Clone, Deserialize)]
pub struct CandidatesAnswer {
    /// Candidates in any order.
    pub candidates: Vec<Candidate>,
}

/// One candidate of a list.
#[derive(Debug, Clone, Deserialize)]
pub struct Candidate {
    /// An enrolled identity.
    pub identity: String,
    /// Similarity.
    pub score: f64,
}

/// A name from an answer as an error message may quote it: debug-quoted, at most 64 chars.
/// A SUT's string quoted (escaped, cut) for a message.
fn quoted(s: &str) -> String {
    jiebang_core::answer::clip(&format!("{s:?}"))
}

fn finite(v: f64, field: &str) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "field `{field}`: expected a finite number, found {v}"
        ))
    }
}

/// Reads and checks a detect answer (at most `max_boxes` boxes).
pub fn faces(answer: &Value, max_boxes: usize) -> Result<FacesAnswer, String> {
    let a: FacesAnswer = jiebang_core::answer::read(answer)?;
    if a.faces.len() > max_boxes {
        return Err(format!(
            "field `faces`: {} boxes; expected at most {max_boxes}",
            a.faces.len()
        ));
    }
    for (i, b) in a.faces.iter().enumerate() {
        for (name, v) in [
            ("x", b.x),
            ("y", b.y),
            ("w", b.w),
            ("h", b.h),
            ("score", b.score),
        ] {
            finite(v, &format!("faces[{i}].{name}"))?;
        }
        for (name, v) in [("w", b.w), ("h", b.h)] {
            if v <= 0.0 {
                return Err(format!(
                    "field `faces[{i}].{name}`: expected a number > 0, found {v}"
                ));
            }
        }
    }
    Ok(a)
}

/// Reads and checks a verification answer.
pub fn score(answer: &Value) -> Result<ScoreAnswer, String> {
    let a: ScoreAnswer = jiebang_core::answer::read(answer)?;
    finite(a.score, "score")?;
    Ok(a)
}

/// Reads and checks an identification answer: at most `k` candidates, each identity in
/// `enrolled` and named once.
pub fn candidates(
    answer: &Value,
    k: usize,
    enrolled: &BTreeSet<String>,
) -> Result<CandidatesAnswer, String> {
    let a: CandidatesAnswer = jiebang_core::answer::read(answer)?;
    if a.candidates.len() > k {
        return Err(format!(
            "field `candidates`: {} candidates; expected at most k = {k}",
            a.candidates.len()
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, c) in a.candidates.iter().enumerate() {
        finite(c.score, &format!("candidates[{i}].score"))?;
        if !enrolled.contains(&c.identity) {
            return Err(format!(
                "field `candidates[{i}].identity`: {} is not enrolled; expected an identity of gallery.csv",
                quoted(&c.identity)
            ));
        }
        if !seen.insert(&c.identity) {
            return Err(format!(
                "field `candidates[{i}].identity`: {} is listed twice; expected each identity once",
                quoted(&c.identity)
            ));
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_answers_are_refused_naming_the_field() {
        let ok = json!({"faces": [{"x": 1, "y": 2, "w": 3, "h": 4, "score": 0.5}]});
        assert_eq!(faces(&ok, 10).unwrap().faces.len(), 1);
        let e = faces(
            &json!({"faces": [{"x": 1, "y": 2, "w": 0, "h": 4, "score": 0.5}]}),
            10,
        )
        .unwrap_err();
        assert_eq!(e, "field `faces[0].w`: expected a number > 0, found 0");
        let e = faces(&json!({"faces": [{"x": 1, "y": 2, "w": 3, "h": 4}]}), 10).unwrap_err();
        assert_eq!(e, "field `faces[0].score` is missing");
        assert!(faces(&ok, 0).unwrap_err().contains("at most 0"));
        assert!(faces(&json!({}), 10).is_err());
        assert!(score(&json!({"score": "high"})).is_err());
        let gallery: BTreeSet<String> = ["id0001".to_string(), "id0002".to_string()].into();
        let e = candidates(
            &json!({"candidates": [{"identity": "id9", "score": 1}]}),
            10,
            &gallery,
        )
        .unwrap_err();
        assert_eq!(
            e,
            "field `candidates[0].identity`: \"id9\" is not enrolled; expected an identity of gallery.csv"
        );
        let twice = json!({"candidates": [{"identity": "id0001", "score": 1}, {"identity": "id0001", "score": 0}]});
        assert!(
            candidates(&twice, 10, &gallery)
                .unwrap_err()
                .contains("listed twice")
        );
        assert!(
            candidates(&twice, 1, &gallery)
                .unwrap_err()
                .contains("at most k = 1")
        );
        assert!(candidates(&json!({"candidates": []}), 10, &gallery).is_ok());
    }
}
