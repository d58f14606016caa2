//! Tests of the site's charts: well-formed SVG, clamped and log axes, yes/no categories, long
//! CJK names kept whole, hostile names kept as text, the same bytes for the same input.

use super::*;
use jiebang_scorecard::{Comparison, CurveAxis, CurveKind};

/// Panics unless `svg` is one well-formed `<svg>` element: tags balance, attribute values are
/// quoted, and text holds no raw `<` and only known entities.
pub(crate) fn well_formed(svg: &str) {
    let b = svg.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut i = 0;
    let entity_ok = |rest: &str| {
        ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
            .iter()
            .any(|e| rest.starts_with(e))
    };
    while i < b.len() {
        match b[i] {
            b'<' => {
                let end = {
                    // The tag ends at the first `>` outside a quoted value.
                    let mut j = i + 1;
                    let mut quote = None;
                    while j < b.len() {
                        match (quote, b[j]) {
                            (None, b'"' | b'\'') => quote = Some(b[j]),
                            (Some(q), c) if c == q => quote = None,
                            (Some(_), b'<') => panic!("raw < in an attribute at {j}"),
                            (None, b'>') => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    assert!(j < b.len(), "unclosed tag at {i}");
                    j
                };
                let tag = &svg[i + 1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
                    assert_eq!(open, name.trim(), "mismatched close at {i}");
                } else {
                    let name: String = tag
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    assert!(!name.is_empty(), "bad tag {tag:?}");
                    if stack.is_empty() {
                        roots += 1;
                        assert_eq!(name, "svg", "the root is not svg");
                    }
                    for (k, v) in attributes(tag) {
                        for (p, _) in v.match_indices('&') {
                            assert!(entity_ok(&v[p..]), "bad entity in {k}={v:?}");
                        }
                    }
                    if !tag.ends_with('/') {
                        stack.push(name);
                    }
                }
                i = end + 1;
            }
            b'&' => {
                assert!(
                    entity_ok(&svg[i..]),
                    "bad entity at {i}: {}",
                    &svg[i..(i + 12).min(svg.len())]
                );
                i += 1;
            }
            b'>' => panic!("raw > in text at {i}"),
            _ => {
                assert!(
                    !stack.is_empty() || b[i].is_ascii_whitespace(),
                    "text outside the root at {i}"
                );
                i += 1;
            }
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(roots, 1);
}

/// The `name="value"` pairs of a start tag; panics on an unquoted value.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start().trim_end_matches('/');
        if rest.trim().is_empty() {
            return out;
        }
        let (name, after) = rest
            .split_once('=')
            .unwrap_or_else(|| panic!("attribute without value in {tag:?}"));
        let q = after.chars().next().unwrap();
        assert!(
            q == '"' || q == '\'',
            "unquoted attribute {name} in {tag:?}"
        );
        let close = after[1..].find(q).expect("unclosed attribute value") + 1;
        out.push((name.trim().to_string(), after[1..close].to_string()));
        rest = &after[close + 1..];
    }
}

/// The text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            match body.find("</title>") {
                Some(p) => body[p + 8..].to_string(),
                None => body.to_string(),
            }
        })
        .collect()
}

fn keep(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("JIEBANG_KEEP_CHART") {
        let dir = std::path::PathBuf::from(dir);
        let dir = if dir.extension().is_some() {
            dir.with_extension("d")
        } else {
            dir
        };
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
    }
}

fn row(label: &str, place: &str, m: f64, ci: [f64; 2], status: VerdictStatus) -> IndicatorRow {
    IndicatorRow {
        label: label.into(),
        place: place.into(),
        measured: Some(m),
        ci: Some(ci),
        status: Some(status),
        declared_current: Some(m * 0.98),
        own_target: Some(m * 1.01),
    }
}

fn target(v: f64, c: Comparison) -> Target {
    Target {
        comparison: c,
        value: v,
        source: "guideline".into(),
        unconfirmed: false,
    }
}

fn detection_panel() -> IndicatorPanel {
    IndicatorPanel {
        title: "检出率 / detection rate (imaging.detection_rate)".into(),
        unit: "ratio".into(),
        better: Better::Higher,
        national: Some(target(0.95, Comparison::Gt)),
        rows: vec![
            row("Acme Imaging", "1", 0.995, [0.985, 1.0], VerdictStatus::Met),
            row(
                &"甲".repeat(60),
                "=1",
                0.99,
                [0.97, 0.999],
                VerdictStatus::Inconclusive,
            ),
            row(
                "<script>alert(1)</script>\u{1b}[31m\u{202e}",
                "3",
                0.90,
                [0.86, 0.93],
                VerdictStatus::NotMet,
            ),
            IndicatorRow {
                label: "Nobody".into(),
                place: "—".into(),
                measured: None,
                ci: None,
                status: None,
                declared_current: None,
                own_target: None,
            },
        ],
    }
}

/// The numbers among the tick labels (texts that are plain numbers).
fn tick_numbers(svg: &str) -> Vec<f64> {
    texts(svg)
        .iter()
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}

#[test]
fn indicator_rows_are_units_in_rank_order_with_ratio_clamped() {
    let svg = indicator(&detection_panel()).unwrap();
    well_formed(&svg);
    keep("indicator-ratio", &svg);
    let t = texts(&svg);
    let acme = t.iter().position(|x| x == "Acme Imaging").unwrap();
    let hostile = t.iter().position(|x| x.contains("&lt;script&gt;")).unwrap();
    assert!(acme < hostile);
    assert!(!svg.contains("<script"), "a label became markup");
    assert!(
        !svg.contains(['\u{1b}', '\u{202e}']),
        "a control reached the chart"
    );
    assert!(svg.contains("\\u{1b}[31m"));
    let ticks = tick_numbers(&svg);
    assert!(!ticks.is_empty());
    assert!(ticks.iter().all(|v| (0.0..=100.0).contains(v)), "{ticks:?}");
    assert!(svg.contains("detection rate (%) — higher is better"));
    assert!(svg.contains("national &gt; 95.00%"));
    assert!(svg.contains("not measured"));
    // The 60-character CJK name, whole in its tooltip and across its lines.
    let name = "甲".repeat(60);
    assert!(svg.contains(&format!("<title>{name}</title>")));
    assert_eq!(
        t.iter()
            .filter(|x| x.contains('甲'))
            .cloned()
            .collect::<String>(),
        name
    );
    assert!(svg.contains("Noto Sans CJK SC") && svg.contains("WenQuanYi Micro Hei"));
}

#[test]
fn false_negatives_never_go_below_zero() {
    let mut p = detection_panel();
    p.better = Better::Lower;
    p.rows = vec![
        row("A", "1", 0.001, [0.0, 0.02], VerdictStatus::Met),
        row("B", "2", 0.03, [0.01, 0.06], VerdictStatus::Met),
    ];
    p.national = Some(target(0.05, Comparison::Lt));
    let svg = indicator(&p).unwrap();
    well_formed(&svg);
    assert!(tick_numbers(&svg).iter().all(|v| *v >= 0.0), "{svg}");
}

#[test]
fn values_spanning_decades_get_a_log_axis_that_says_so() {
    let p = IndicatorPanel {
        title: "算力 / int8 throughput (chip.int8_tops)".into(),
        unit: "TOPS".into(),
        better: Better::Higher,
        national: Some(target(128.0, Comparison::Ge)),
        rows: vec![
            row("Chip Co", "1", 0.07, [0.06, 0.08], VerdictStatus::NotMet),
            row("Other", "2", 0.05, [0.04, 0.06], VerdictStatus::NotMet),
        ],
    };
    let svg = indicator(&p).unwrap();
    well_formed(&svg);
    keep("indicator-log", &svg);
    assert!(svg.contains("int8 throughput (TOPS, log scale)"), "{svg}");
    let ticks = tick_numbers(&svg);
    assert!(
        ticks.contains(&0.01) && ticks.contains(&1000.0),
        "{ticks:?}"
    );
}

#[test]
fn yes_no_indicators_are_two_categories() {
    let p = IndicatorPanel {
        title: "支持 / supports fp16 (chip.fp16)".into(),
        unit: "bool".into(),
        better: Better::Higher,
        national: Some(target(1.0, Comparison::Ge)),
        rows: vec![
            row("A", "1", 1.0, [1.0, 1.0], VerdictStatus::Met),
            row("B", "2", 0.0, [0.0, 0.0], VerdictStatus::NotMet),
        ],
    };
    let svg = indicator(&p).unwrap();
    well_formed(&svg);
    keep("indicator-bool", &svg);
    let t = texts(&svg);
    assert!(t.iter().any(|x| x == "yes") && t.iter().any(|x| x == "no"));
    let numeric = |x: &String| x.parse::<f64>().is_ok_and(|v| v.fract() != 0.0 || v == 0.0);
    assert!(!t.iter().any(numeric), "numbers on a yes/no axis: {t:?}");
    assert!(svg.contains("supports fp16 (yes / no)"));
}

fn curve(kind: CurveKind, x: (&str, &str), y: (&str, &str), pts: Vec<[f64; 2]>) -> Curve {
    Curve {
        kind,
        x: CurveAxis {
            label: x.0.into(),
            unit: x.1.into(),
            log: false,
        },
        y: CurveAxis {
            label: y.0.into(),
            unit: y.1.into(),
            log: false,
        },
        points: pts,
        metric: None,
    }
}

#[test]
fn curves_of_each_kind_have_their_axes() {
    let roc = curve(
        CurveKind::Roc,
        ("false positive rate", "ratio"),
        ("true positive rate", "ratio"),
        vec![[0.0, 0.0], [0.1, 0.8], [0.3, 0.95], [1.0, 1.0]],
    );
    let det = curve(
        CurveKind::Det,
        ("false match rate", "ratio"),
        ("false non-match rate", "ratio"),
        vec![[0.0, 0.5], [0.0001, 0.2], [0.01, 0.05], [0.5, 0.001]],
    );
    let froc = curve(
        CurveKind::Froc,
        ("average false positives per case", "per case"),
        ("sensitivity", "ratio"),
        vec![[0.1, 0.6], [1.0, 0.85], [10.0, 0.95]],
    );
    let cmc = curve(
        CurveKind::Cmc,
        ("rank", "rank"),
        ("identification rate", "ratio"),
        vec![[1.0, 0.9], [5.0, 0.97], [20.0, 0.99]],
    );
    let hostile = "<script>x</script>&";
    for (name, c, must) in [
        ("roc", &roc, vec!["chance", "false positive rate"]),
        (
            "det",
            &det,
            vec![
                "false match rate (%, log scale)",
                "false non-match rate (%, log scale)",
            ],
        ),
        (
            "froc",
            &froc,
            vec![
                "1/8",
                "average false positives per case (log scale)",
                "sensitivity (%)",
            ],
        ),
        ("cmc", &cmc, vec!["identification rate (%)", "rank"]),
    ] {
        let mut other = c.clone();
        for p in &mut other.points {
            p[1] *= if name == "det" { 1.5 } else { 0.9 };
        }
        let series = [
            Series {
                label: "单位甲".into(),
                data: c,
            },
            Series {
                label: hostile.into(),
                data: &other,
            },
        ];
        let svg = curves(&format!("{name} curves"), &series).unwrap();
        well_formed(&svg);
        keep(&format!("curves-{name}"), &svg);
        for m in must {
            assert!(svg.contains(m), "{name}: {m}");
        }
        assert!(!svg.contains("<script"));
        assert!(svg.contains("单位甲"));
        let ticks = tick_numbers(&svg);
        assert!(
            ticks
                .iter()
                .all(|v| *v >= 0.0 && (name == "froc" || name == "cmc" || *v <= 100.0)),
            "{name}: {ticks:?}"
        );
        if name == "roc" {
            assert!(ticks.iter().all(|v| *v <= 1.0), "{ticks:?}");
        }
        if name == "cmc" {
            assert!(
                ticks
                    .iter()
                    .filter(|v| **v <= 20.0)
                    .all(|v| v.fract() == 0.0),
                "{ticks:?}"
            );
        }
    }
    assert!(curves("none", &[]).is_ok());
}

#[test]
fn latency_boxes_say_what_the_whiskers_are() {
    let fast: Vec<f64> = (1..=200).map(|i| 0.010 + i as f64 * 0.0001).collect();
    let slow: Vec<f64> = (1..=200).map(|i| 0.2 + i as f64 * 0.0035).collect();
    let series = [
        Series {
            label: "Fast Lab".into(),
            data: &fast[..],
        },
        Series {
            label: "Slow <b>Lab</b>".into(),
            data: &slow[..],
        },
        Series {
            label: "Empty".into(),
            data: &[][..],
        },
    ];
    let svg = latency("latency", &series).unwrap();
    well_formed(&svg);
    keep("latency", &svg);
    assert!(svg.contains("whiskers: 5th to 95th percentile"));
    assert!(svg.contains("latency per query (ms"), "{svg}");
    assert!(svg.contains("n = 200") && svg.contains("no latencies"));
    assert!(!svg.contains("<b>"));
}

#[test]
fn history_lines_keep_round_order_and_the_target() {
    let a = [
        HistoryPoint {
            round: "2020-r1".into(),
            measured: Some(0.9),
            ci: Some([0.87, 0.93]),
        },
        HistoryPoint {
            round: "2020-r2".into(),
            measured: Some(0.96),
            ci: Some([0.94, 0.98]),
        },
        HistoryPoint {
            round: "2021-r1".into(),
            measured: Some(0.99),
            ci: Some([0.98, 1.0]),
        },
    ];
    let b = [
        HistoryPoint {
            round: "2020-r2".into(),
            measured: Some(0.93),
            ci: None,
        },
        HistoryPoint {
            round: "2021-r1".into(),
            measured: None,
            ci: None,
        },
    ];
    let series = [
        Series {
            label: "Acme".into(),
            data: &a[..],
        },
        Series {
            label: "乙单位".into(),
            data: &b[..],
        },
    ];
    let t = target(0.95, Comparison::Gt);
    let svg = history("detection rate by round", "ratio", Some(&t), &series).unwrap();
    well_formed(&svg);
    keep("history", &svg);
    let tx = texts(&svg);
    let r1 = tx.iter().position(|x| x == "2020-r1").unwrap();
    let r3 = tx.iter().position(|x| x == "2021-r1").unwrap();
    assert!(r1 < r3);
    assert!(tick_numbers(&svg).iter().all(|v| (0.0..=100.0).contains(v)));
    assert!(svg.contains("national &gt; 95.00%") && svg.contains("measured (%)"));
    // Many rounds with long ids: each name kept to its share, whole in its title.
    let long: Vec<HistoryPoint> = (0..12)
        .map(|i| HistoryPoint {
            round: format!("round-with-a-long-name-{i}"),
            measured: Some(0.5 + i as f64 / 30.0),
            ci: None,
        })
        .collect();
    let svg = history(
        "t",
        "fraction",
        None,
        &[Series {
            label: "A".into(),
            data: &long[..],
        }],
    )
    .unwrap();
    well_formed(&svg);
    keep("history-long", &svg);
    assert!(svg.contains("<title>round-with-a-long-name-11</title>"));
    let yn = [HistoryPoint {
        round: "r".into(),
        measured: Some(1.0),
        ci: None,
    }];
    let svg = history(
        "t",
        "bool",
        None,
        &[Series {
            label: "A".into(),
            data: &yn[..],
        }],
    )
    .unwrap();
    assert!(texts(&svg).iter().any(|x| x == "yes"));
}

#[test]
fn the_same_input_draws_the_same_bytes() {
    let p = detection_panel();
    assert_eq!(indicator(&p).unwrap(), indicator(&p).unwrap());
    let d = [0.1, 0.2, 0.3];
    let s = [Series {
        label: "a".into(),
        data: &d[..],
    }];
    assert_eq!(latency("t", &s).unwrap(), latency("t", &s).unwrap());
}

#[test]
fn the_checker_rejects_broken_svg() {
    for bad in [
        "<svg><text>a</svg>",
        "<svg><text>a < b</text></svg>",
        "<svg x=1></svg>",
        "<svg>&nbsp;</svg>",
        "<svg></svg><svg></svg>",
    ] {
        assert!(
            std::panic::catch_unwind(|| well_formed(bad)).is_err(),
            "{bad}"
        );
    }
    well_formed("<svg a=\"&amp;\"><g/><text>x &lt; y</text></svg>\n");
}
