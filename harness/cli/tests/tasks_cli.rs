//! What the binary says about the registered directions, through the real binary: the
//! top-level `--help` names each direction the registry holds, as `jiebang tasks` lists them.

use assert_cmd::Command;
use serde_json::Value;

fn jiebang() -> Command {
    Command::cargo_bin("jiebang").unwrap()
}

fn tasks() -> Vec<Value> {
    let o = jiebang().args(["tasks", "--json"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn help_names_every_registered_direction() {
    let tasks = tasks();
    assert!(!tasks.is_empty());
    let o = jiebang().arg("--help").output().unwrap();
    assert!(o.status.success());
    // Wrapped to the terminal's width: compare with single spaces.
    let help = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains(&format!("This build has {} directions: ", tasks.len())),
        "{help}"
    );
    for t in &tasks {
        let d = &t["direction"];
        let named = format!(
            "{} ({})",
            d["id"].as_str().unwrap(),
            d["name_en"].as_str().unwrap()
        );
        assert!(help.contains(&named), "`{named}` missing from:\n{help}");
    }
    // The short help keeps to one line about jiebang.
    let o = jiebang().arg("-h").output().unwrap();
    let short = String::from_utf8_lossy(&o.stdout);
    assert!(!short.contains("This build has"), "{short}");
}

#[test]
fn fault_injecting_systems_are_marked_in_the_json_listing() {
    let mut marked = Vec::new();
    for t in tasks() {
        for b in t["builtin_systems"].as_array().unwrap() {
            let fault = b["fault_injection"]
                .as_bool()
                .unwrap_or_else(|| panic!("no fault_injection flag: {b}"));
            let description = b["description"].as_str().unwrap();
            // The descriptions say so for a reader; the flag says so for a program.
            assert_eq!(
                fault,
                description.starts_with("TEST FAULT INJECTION"),
                "{b}"
            );
            if fault {
                marked.push(b["name"].as_str().unwrap().to_string());
            }
        }
    }
    marked.sort();
    assert_eq!(
        marked,
        [
            "builtin:kernels-test-bitflip",
            "builtin:kernels-test-slow20",
            "builtin:parity-test-every-fourth-wrong"
        ]
    );
}
