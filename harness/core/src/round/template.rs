//! `round declare --template`: a commented declaration to start from, with every catalogue
//! indicator of a direction (placeholders at the national target) — valid as it stands.

use crate::Direction;
use jiebang_scorecard::Better;
use std::fmt::Write as _;

fn float(v: f64) -> String {
    toml::Value::Float(v).to_string()
}

/// The template declaration for `direction`.
pub fn declaration_template(direction: &Direction) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        "# Declaration (申报) of a unit for direction `{id}` ({zh} / {en}); format: docs/ROUNDS.md.\n\
         # Replace the unit's name and the figures, then freeze it into the round before testing:\n\
         #   jiebang round declare ROUND_DIR THIS_FILE\n\
         # and run with --declaration ROUND_DIR/units/<slug>/declaration.{id}.toml (the frozen copy).\n\
         # Rates are fractions (write 95% as 0.95). The figures below are placeholders equal to\n\
         # the national 2020 target; a 2020 target must be at least as good as the current level.\n\
         schema_version = 1\n\
         unit = \"Your Unit Name\"   # 单位名称: the unit's name as it will be published\n\
         direction = \"{id}\"\n",
        id = direction.id,
        zh = direction.name_zh,
        en = direction.name_en,
    );
    for ind in &direction.indicators {
        let metric = direction.metric(ind.metric);
        let unit = metric.map_or("", |m| m.unit);
        let better = match metric.map(|m| m.better) {
            Some(Better::Lower) => "lower is better",
            _ => "higher is better",
        };
        let (value, target) = match &ind.national_target {
            Some(n) => (
                n.value,
                format!(
                    "national 2020 target {} {}{}",
                    n.comparison.symbol(),
                    float(n.value),
                    if n.unconfirmed { " (unconfirmed)" } else { "" }
                ),
            ),
            None => (0.0, "no national target".to_string()),
        };
        let _ = write!(
            t,
            "\n# {zh} / {en}: {unit}, {better}; {target}\n\
             [[indicator]]\n\
             id = \"{id}\"\n\
             current = {v}       # 本单位当前水平: the unit's current level\n\
             target_2020 = {v}   # 本单位2020年目标: the unit's own 2020 target\n",
            zh = ind.name_zh,
            en = ind.name_en,
            id = ind.id,
            v = float(value),
        );
    }
    let metrics: Vec<&str> = direction.metrics.iter().map(|m| &*m.id).take(12).collect();
    let example = metrics.first().copied().unwrap_or("METRIC");
    let _ = write!(
        t,
        "\n# The unit's own indicators (自定义指标), each computed from a catalogue metric;\n\
         # remove the leading `# ` to declare one. Metrics (`jiebang tasks --json` lists all):\n\
         #   {}\n\
         # [[custom]]\n\
         # id = \"unit.my_indicator\"   # the unit's own id, not one of the catalogue's\n\
         # name_zh = \"自定义指标\"\n\
         # name_en = \"my indicator\"\n\
         # metric = \"{example}\"\n\
         # current = 0.0\n\
         # target_2020 = 0.0\n",
        metrics.join(", ")
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_as_it_stands_with_the_national_targets() {
        let d = super::super::sample_direction();
        let text = declaration_template(&d);
        let parsed =
            crate::Declaration::parse(std::path::Path::new("t.toml"), &text, &[&d]).unwrap();
        assert_eq!(parsed.unit, "Your Unit Name");
        let level = parsed.level("example.accuracy").unwrap();
        assert_eq!((level.current, level.target_2020), (0.95, 0.95));
        assert!(parsed.custom.is_empty());
        // The commented [[custom]] example parses too once uncommented.
        let custom = text
            .replace("# [[custom]]", "[[custom]]")
            .replace("\n# id =", "\nid =")
            .replace("# name_zh", "name_zh")
            .replace("# name_en", "name_en")
            .replace("# metric = ", "metric = ")
            .replace("# current = 0.0", "current = 0.0")
            .replace("# target_2020 = 0.0", "target_2020 = 0.0");
        let parsed =
            crate::Declaration::parse(std::path::Path::new("t.toml"), &custom, &[&d]).unwrap();
        assert_eq!(parsed.custom[0].metric, "parity.accuracy");
    }
}
