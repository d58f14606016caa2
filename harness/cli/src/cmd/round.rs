//! `jiebang round`: a round's lifecycle on its folder — init (round.toml, trusted keys), declare
//! (freeze a unit's declaration), submit (a scorecard into its unit's place), check (every rule).

use crate::context::{self, Registry};
use crate::escape::terminal as term;
use anyhow::{Result, anyhow, bail};
use jiebang_core::round::{
    self, EntryClass, Finding, InitDirection, InitSpec, RoundFolder, RoundSuite, Submitted,
};
use jiebang_core::{Declaration, GenerateParams};
use std::path::{Path, PathBuf};

const ABOUT: &str = "\
The round folder (docs/ROUNDS.md):
  round.toml                                   the organizer's file (`round init` writes it)
  keys/<agency>.pub                            the trusted agencies' public keys
  declarations.lock                            the frozen declarations (`round declare`)
  units/<slug>/declaration.<direction>.toml    a unit's frozen declaration
  units/<slug>/<suite>@<v>.<mode>.scorecard.json   its submitted scorecards (`round submit`)

An organizer: `round init`, then `round declare` each unit's declaration before testing.
An agency: `jiebang run ... --declaration units/<slug>/declaration.<direction>.toml --round ID
--sign agency.key`, then `round submit`. Anyone: `round check` (exit 1 on any finding).";

/// `jiebang round` subcommands.
#[derive(clap::Subcommand)]
#[command(after_help = ABOUT)]
pub enum RoundCmd {
    /// Make a new round folder: round.toml with pinned suites, and the trusted keys.
    Init(InitArgs),
    /// Freeze a unit's declaration into the round (once), or print a template to start from.
    Declare(DeclareArgs),
    /// Submit a scorecard into its unit's place, checked on entry (exit 1 when refused).
    Submit(SubmitArgs),
    /// Check every rule over the round folder; each finding `FILE: rule: message` (exit 1 if any).
    Check(CheckArgs),
}

/// Arguments of `jiebang round init`.
#[derive(clap::Args)]
#[command(after_help = "\
Example:
  jiebang round init results/rounds/2020-r1 --round 2020-r1 --title '2020 round 1' \\
      --direction medical-imaging --ranking-indicator imaging.detection_rate \\
      --suite medical-imaging/case-detection@1 --trust agency.pub \\
      --opens 2020-03-01 --closes 2020-09-30

Each --direction pairs with the --ranking-indicator at the same position. A --suite is pinned
by its spec's sha256 (as `jiebang tasks --json` shows it); with --pin-datasets, the dataset too
(its default generation, or --samples N of it, is generated once to hash it). Without
--pin-datasets no dataset is pinned and any dataset of a pinned suite counts.")]
pub struct InitArgs {
    /// The round folder to make (its round.toml must not exist yet).
    dir: PathBuf,
    /// Round id, as `jiebang run --round` pins it (e.g. 2020-r1).
    #[arg(long)]
    round: String,
    /// Title of the published site.
    #[arg(long)]
    title: Option<String>,
    /// A direction of the round; repeatable, each with a --ranking-indicator.
    #[arg(long = "direction", value_name = "ID", required = true)]
    directions: Vec<String>,
    /// The catalogue indicator units of the direction at the same position are ranked by.
    #[arg(long = "ranking-indicator", value_name = "INDICATOR", required = true)]
    ranking: Vec<String>,
    /// A suite to pin (`direction/name@version`); repeatable. A direction with none pinned
    /// counts any of its suites.
    #[arg(long = "suite", value_name = "SUITE@V")]
    suites: Vec<String>,
    /// Pin each suite's dataset: its default generation (or --samples N of it), hashed here.
    #[arg(long)]
    pin_datasets: bool,
    /// Samples of the generated dataset pinned with --pin-datasets.
    #[arg(long, requires = "pin_datasets")]
    samples: Option<u64>,
    /// Fewest samples an accuracy run of each pinned suite must issue.
    #[arg(long, value_name = "N")]
    min_samples: Option<u64>,
    /// Shortest timed pass of a performance run of each pinned suite, in seconds.
    #[arg(long, value_name = "SECONDS")]
    min_duration: Option<f64>,
    /// A trusted agency's public key file (`NAME.pub` from `jiebang keygen`); repeatable.
    /// Copied into DIR/keys/.
    #[arg(long = "trust", value_name = "KEY.pub")]
    trust: Vec<PathBuf>,
    /// A certified round: every entry signed by a trusted key (the default with --trust).
    #[arg(long, conflicts_with = "self_reported_allowed")]
    require_signatures: bool,
    /// Allow unsigned or untrusted entries, published apart as self-reported.
    #[arg(long)]
    self_reported_allowed: bool,
    /// Only runs confined by the sandbox (`jiebang run --sandbox`) count.
    #[arg(long)]
    require_sandbox: bool,
    /// Count runs on jiebang's generated datasets, whose truth is public (a demo or a
    /// rehearsal); without it only runs on supplied, sequestered data (`run --data`) count.
    #[arg(long)]
    allow_generated_data: bool,
    /// The day the round opens, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    opens: Option<String>,
    /// The day the round closes, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    closes: Option<String>,
}

/// Arguments of `jiebang round declare`.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  jiebang round declare --template medical-imaging > acme.toml   # edit it, then:
  jiebang round declare results/rounds/2020-r1 acme.toml

The declaration is validated against the catalogue, copied byte for byte to
units/<slug>/declaration.<direction>.toml and its sha256 added to declarations.lock. A unit
declares once per direction and round; runs use the frozen copy (--declaration), whose sha256
each scorecard pins.")]
pub struct DeclareArgs {
    /// The round folder.
    #[arg(required_unless_present = "template")]
    dir: Option<PathBuf>,
    /// The unit's declaration (TOML).
    #[arg(required_unless_present = "template")]
    declaration: Option<PathBuf>,
    /// Print a commented declaration template of DIRECTION (every catalogue indicator) instead.
    #[arg(long, value_name = "DIRECTION", conflicts_with_all = ["dir", "declaration"])]
    template: Option<String>,
}

/// Arguments of `jiebang round submit`.
#[derive(clap::Args)]
pub struct SubmitArgs {
    /// The round folder.
    dir: PathBuf,
    /// The scorecard to submit.
    scorecard: PathBuf,
    /// Its per-query log, copied beside it.
    #[arg(long, value_name = "LOG")]
    log: Option<PathBuf>,
}

/// Arguments of `jiebang round check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The round folder.
    dir: PathBuf,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// Runs a `round` subcommand; false when a check failed or a submission was refused.
pub fn run(cmd: &RoundCmd, reg: &Registry, quiet: bool) -> Result<bool> {
    match cmd {
        RoundCmd::Init(a) => init(a, reg, quiet).map(|_| true),
        RoundCmd::Declare(a) => declare(a, reg).map(|_| true),
        RoundCmd::Submit(a) => submit(a, reg),
        RoundCmd::Check(a) => check(a, reg),
    }
}

fn init(a: &InitArgs, reg: &Registry, quiet: bool) -> Result<()> {
    if a.directions.len() != a.ranking.len() {
        bail!(
            "{} --direction but {} --ranking-indicator: give each direction its ranking \
             indicator (`--direction ID --ranking-indicator INDICATOR`)",
            a.directions.len(),
            a.ranking.len()
        );
    }
    let mut directions: Vec<InitDirection> = a
        .directions
        .iter()
        .zip(&a.ranking)
        .map(|(id, ind)| InitDirection {
            id: id.clone(),
            ranking_indicator: ind.clone(),
            suites: Vec::new(),
        })
        .collect();
    for name in &a.suites {
        let (task, spec) = reg.suite(name)?;
        let d = directions
            .iter_mut()
            .find(|d| d.id == spec.direction)
            .ok_or_else(|| {
                anyhow!(
                    "--suite {name} is of direction `{}`, which is not given: add `--direction {} \
                     --ranking-indicator INDICATOR`",
                    spec.direction,
                    spec.direction
                )
            })?;
        let dataset = match spec.supplied() {
            // A supplied dataset is never generated: the suite names the one it accepts.
            Some(s) if a.pin_datasets => {
                if s.dataset_id.is_none() {
                    eprintln!(
                        "note: {} uses a supplied dataset and names none; its dataset is not pinned",
                        spec.full_id()
                    );
                }
                s.dataset_id
                    .map(|id| id.strip_prefix("sha256:").unwrap_or(&id).to_string())
            }
            None if a.pin_datasets => {
                let params = GenerateParams {
                    samples: a.samples,
                    seed: None,
                };
                Some(context::dataset(task.as_ref(), &spec, None, &params, quiet)?.hash)
            }
            _ => None,
        };
        d.suites.push(RoundSuite {
            id: spec.id.clone(),
            version: spec.version,
            hash: spec.hash(),
            dataset,
            min_samples: a.min_samples,
            min_duration_s: a.min_duration,
        });
    }
    let spec = InitSpec {
        round: a.round.clone(),
        title: a.title.clone(),
        opens: a.opens.clone(),
        closes: a.closes.clone(),
        directions,
        keys: a.trust.clone(),
        require_signatures: match (a.require_signatures, a.self_reported_allowed) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        require_sandbox: a.require_sandbox,
        allow_generated_data: a.allow_generated_data,
    };
    let r = round::init(&a.dir, &spec, &reg.directions())?;
    let suites: usize = r.directions.iter().map(|d| d.suites.len()).sum();
    println!(
        "wrote {} (round {}: {} direction(s), {suites} suite(s) pinned, {} trusted key(s); {})",
        term(&r.file.display().to_string()),
        term(&r.round),
        r.directions.len(),
        r.trusted_keys.len(),
        if r.require_signatures {
            "certified: every entry signed by a trusted key"
        } else {
            "self-reported entries allowed"
        }
    );
    if suites > 0 && !a.pin_datasets {
        println!(
            "datasets not pinned: any dataset of a pinned suite counts (--pin-datasets pins the \
             generated one)"
        );
    }
    Ok(())
}

fn declare(a: &DeclareArgs, reg: &Registry) -> Result<()> {
    if let Some(id) = &a.template {
        let task = reg.task(id).ok_or_else(|| {
            let known: Vec<&str> = reg.directions().iter().map(|d| d.id).collect();
            anyhow!(
                "--template {id}: unknown direction; known: {}",
                known.join(", ")
            )
        })?;
        let text = round::declaration_template(task.direction());
        // The template must parse as it stands.
        Declaration::parse(Path::new("template.toml"), &text, &reg.directions())?;
        print!("{text}");
        return Ok(());
    }
    let (Some(dir), Some(file)) = (&a.dir, &a.declaration) else {
        bail!("expected DIR and DECLARATION.toml, or --template DIRECTION");
    };
    let d = round::declare(dir, file, &reg.directions(), &round::today())?;
    if d.declaration.is_empty() {
        eprintln!(
            "warning: {}: declares nothing (no [[indicator]] or [[custom]] entries)",
            term(&file.display().to_string())
        );
    }
    println!(
        "froze    {}\nunit     {}\nsha256   {}\nrun with --declaration {}",
        term(&d.path.display().to_string()),
        term(&d.frozen.unit),
        d.frozen.sha256,
        term(&d.path.display().to_string())
    );
    Ok(())
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        println!("{}", term(&f.to_string()));
    }
}

fn submit(a: &SubmitArgs, reg: &Registry) -> Result<bool> {
    match round::submit(&a.dir, &a.scorecard, a.log.as_deref(), &reg.directions())? {
        Submitted::Accepted { file, log, class } => {
            let how = match &class {
                EntryClass::Certified { signer } => format!("certified, signed by {signer}"),
                EntryClass::SelfReported => "self-reported".to_string(),
            };
            println!(
                "submitted {} ({})",
                term(&a.dir.join(&file).display().to_string()),
                term(&how)
            );
            if let Some(l) = log {
                println!("log       {}", term(&a.dir.join(l).display().to_string()));
            }
            Ok(true)
        }
        Submitted::Refused(findings) => {
            print_findings(&findings);
            println!(
                "refused: {} finding(s); nothing was copied into {}",
                findings.len(),
                term(&a.dir.display().to_string())
            );
            Ok(false)
        }
    }
}

fn check(a: &CheckArgs, reg: &Registry) -> Result<bool> {
    let folder = RoundFolder::open(&a.dir, &reg.directions())?;
    let findings = round::check(&folder, &folder.keys);
    let certified = folder
        .submissions
        .iter()
        .filter(|s| matches!(s.class, EntryClass::Certified { .. }))
        .count();
    let entries = folder.submissions.len();
    if a.format == "json" {
        let subs: Vec<_> = folder
            .submissions
            .iter()
            .map(|s| {
                serde_json::json!({
                    "file": s.file,
                    "unit": s.scorecard.pins.declaration.as_ref().map(|d| &d.unit),
                    "class": s.class.as_str(),
                    "signer": match &s.class {
                        EntryClass::Certified { signer } => Some(signer),
                        EntryClass::SelfReported => None,
                    },
                })
            })
            .collect();
        let out = serde_json::json!({
            "round": folder.round.round,
            "entries": entries,
            "certified": certified,
            "self_reported": entries - certified,
            "findings": findings,
            "submissions": subs,
        });
        println!(
            "{}",
            crate::escape::json(&serde_json::to_string_pretty(&out)?)
        );
    } else {
        print_findings(&findings);
        println!(
            "{entries} entries: {certified} certified, {} self-reported, {} finding(s)",
            entries - certified,
            findings.len()
        );
    }
    Ok(findings.is_empty())
}
