//! The answer types of the speech suites, read with serde and then bounded (transcript
//! length, slot count and sizes): a refusal says which field and what was expected.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The longest transcript accepted, characters.
pub const MAX_TRANSCRIPT_CHARS: usize = 4096;
/// The most slots an intent answer may carry.
pub const MAX_SLOTS: usize = 16;
/// The longest slot value (and slot name, and intent label), characters.
pub const MAX_SLOT_CHARS: usize = 256;

/// A recognition answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsrAnswer {
    /// What was said.
    pub transcript: String,
}

/// An intent answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentAnswer {
    /// The intent label.
    pub intent: String,
    /// Slot name to value.
    #[serde(default)]
    pub slots: BTreeMap<String, String>,
    /// The transcript, if the system gives it (not scored).
    #[serde(default)]
    pub transcript: Option<String>,
}

fn at_most(field: &str, text: &str, max: usize) -> Result<(), String> {
    let n = text.chars().count();
    if n > max {
        return Err(format!(
            "field `{field}`: {n} characters; expected at most {max}"
        ));
    }
    Ok(())
}

/// Reads and checks a recognition answer.
pub fn asr(answer: &Value) -> Result<AsrAnswer, String> {
    let a: AsrAnswer = jiebang_core::answer::read(answer)?;
    at_most("transcript", &a.transcript, MAX_TRANSCRIPT_CHARS)?;
    Ok(a)
}

/// Reads and checks an intent answer.
pub fn intent(answer: &Value) -> Result<IntentAnswer, String> {
    let a: IntentAnswer = jiebang_core::answer::read(answer)?;
    at_most("intent", &a.intent, MAX_SLOT_CHARS)?;
    if a.slots.len() > MAX_SLOTS {
        return Err(format!(
            "field `slots`: {} slots; expected at most {MAX_SLOTS}",
            a.slots.len()
        ));
    }
    for (k, v) in &a.slots {
        at_most("slots (a name)", k, MAX_SLOT_CHARS)?;
        at_most(&format!("slots.{}", clip_name(k)), v, MAX_SLOT_CHARS)?;
    }
    if let Some(t) = &a.transcript {
        at_most("transcript", t, MAX_TRANSCRIPT_CHARS)?;
    }
    Ok(a)
}

/// A slot name as a message may quote it: escaped, cut.
fn clip_name(name: &str) -> String {
    jiebang_core::answer::clip(&name.escape_debug().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_answers_are_refused_naming_the_field() {
        assert_eq!(
            asr(&json!({"transcript": "打开灯"})).unwrap().transcript,
            "打开灯"
        );
        assert!(asr(&json!({})).unwrap_err().contains("transcript"));
        assert!(asr(&json!({"transcript": 3})).is_err());
        assert!(asr(&json!({"transcript": "a", "x": 1})).is_err());
        let long = "字".repeat(MAX_TRANSCRIPT_CHARS + 1);
        assert_eq!(
            asr(&json!({ "transcript": long })).unwrap_err(),
            "field `transcript`: 4097 characters; expected at most 4096"
        );
        let ok = intent(&json!({"intent": "turn_on", "slots": {"device": "灯"}})).unwrap();
        assert_eq!(ok.slots["device"], "灯");
        assert!(
            intent(&json!({"intent": "turn_on"}))
                .unwrap()
                .slots
                .is_empty()
        );
        let many: BTreeMap<String, String> =
            (0..17).map(|i| (format!("s{i}"), "v".into())).collect();
        assert!(
            intent(&json!({"intent": "x", "slots": many}))
                .unwrap_err()
                .contains("at most 16")
        );
        let e = intent(&json!({"intent": "x", "slots": {"city": "x".repeat(300)}})).unwrap_err();
        assert!(e.contains("slots.city") && e.contains("at most 256"), "{e}");
        assert!(intent(&json!({"slots": {}})).is_err());
    }
}
