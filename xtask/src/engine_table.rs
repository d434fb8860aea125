//! `cargo xtask engines table`: the agreement table of `engines/README.md`, produced by
//! running each adapter over the corpus and a seeded campaign per generator preset — never
//! written by hand. `--write` replaces the table between its markers in the README; without
//! it the table is printed.

use crate::engine_campaign::{Settings, campaign};
use crate::engine_judge::{EngineArgs, Peer, Tally, deviations};
use iamcr_gen::Preset;
use iamcr_oracle::engine::deviations::EngineDeviations;
use std::fmt::Write as _;
use std::process::ExitCode;

const START: &str = "<!-- agreement-table:start -->";
const END: &str = "<!-- agreement-table:end -->";
/// Undocumented groups listed per engine and preset (the rest are counted).
const SHOWN: usize = 6;
const PRESETS: [Preset; 3] = [Preset::CleanRooms, Preset::WellFormed, Preset::AnythingGoes];

/// `engines …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Run every adapter over the corpus and a campaign per preset; print the table, or
    /// write it into engines/README.md with --write.
    Table(TableArgs),
}

#[derive(clap::Args)]
struct TableArgs {
    /// Generated cases per preset and engine.
    #[arg(long, default_value_t = 20_000)]
    count: usize,
    /// Seed of the generated cases.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// An engine as NAME=CMD (repeatable) [default: the adapters in engines/, run as their
    /// READMEs say].
    #[arg(long = "engine", value_name = "NAME=CMD")]
    engines: Vec<String>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0)]
    engine_timeout: f64,
    /// Replace the table in engines/README.md (between its markers).
    #[arg(long)]
    write: bool,
}

pub fn run(args: Args) -> ExitCode {
    let Command::Table(t) = args.command;
    match table(&t) {
        Ok(text) if t.write => match write(&text) {
            Ok(()) => {
                outln!("wrote the agreement table into engines/README.md");
                ExitCode::SUCCESS
            }
            Err(e) => {
                errln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Ok(text) => {
            out!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn default_engines() -> Vec<(String, String)> {
    let root = crate::project::root();
    let quote = |p: std::path::PathBuf| {
        shlex::try_quote(&p.display().to_string())
            .map(|q| q.into_owned())
            .unwrap_or_default()
    };
    vec![
        (
            "iam-rs".to_string(),
            quote(root.join("engines/iam-rs/target/release/iamcr-engine-iam-rs")),
        ),
        (
            "iam-simulate".to_string(),
            format!(
                "node {}",
                quote(root.join("engines/iam-simulate/engine.mjs"))
            ),
        ),
    ]
}

/// One engine's results.
struct Results {
    name: String,
    version: String,
    deviations: EngineDeviations,
    corpus: Tally,
    campaigns: Vec<(Preset, crate::engine_campaign::Outcome)>,
}

fn table(t: &TableArgs) -> Result<String, String> {
    let engines = if t.engines.is_empty() {
        default_engines()
    } else {
        t.engines
            .iter()
            .map(|e| {
                e.split_once('=')
                    .map(|(n, c)| (n.to_string(), c.to_string()))
                    .ok_or_else(|| format!("--engine {e:?}: give NAME=CMD"))
            })
            .collect::<Result<_, _>>()?
    };
    let corpus =
        iamcr::load_all(&[crate::project::path("corpus/cases")]).map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    for (name, command) in engines {
        let args = EngineArgs {
            engine: Some(command.clone()),
            engine_timeout: t.engine_timeout,
            deviations: None,
            in_process: false,
            versus_in_process: false,
        };
        let mut peer = Peer::start(&args)
            .map_err(|e| format!("{name}: {e} (install it as engines/{name}/README.md says)"))?;
        let deviations = deviations(&args, &peer)?;
        errln!("{name}: corpus");
        let (_, corpus_tally) =
            crate::engine_conform::check(&mut peer, &deviations, &corpus, false);
        let mut campaigns = Vec::new();
        for preset in PRESETS {
            errln!("{name}: {} {preset} cases", t.count);
            let settings = Settings {
                json: false,
                count: t.count,
                seed: t.seed,
                preset,
                force: false,
                findings: None,
            };
            campaigns.push((preset, campaign(&mut peer, &deviations, &settings)?));
        }
        let describe = peer.describe();
        all.push(Results {
            version: describe
                .split_once(' ')
                .map(|(_, v)| v.to_string())
                .unwrap_or_default(),
            name,
            deviations,
            corpus: corpus_tally,
            campaigns,
        });
    }
    Ok(render(t, corpus.len(), &all))
}

fn render(t: &TableArgs, corpus_cases: usize, all: &[Results]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Produced by `cargo xtask engines table --count {} --seed {} --write`; do not edit by hand.\n",
        t.count, t.seed
    );
    let _ = writeln!(
        s,
        "Corpus (`corpus/cases`, {corpus_cases} cases; validation cases are skipped: protocol 1 evaluates requests):\n"
    );
    let _ = writeln!(
        s,
        "| engine | version | agreed | deviated | skipped | disagreed |"
    );
    let _ = writeln!(
        s,
        "|--------|---------|-------:|---------:|--------:|----------:|"
    );
    for r in all {
        let c = &r.corpus;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            r.name,
            r.version,
            c.agreed,
            c.deviated_total(),
            c.skipped_total(),
            c.disagreed
        );
    }
    let _ = writeln!(
        s,
        "\nCampaigns ({} generated cases per preset, seed {}; each against the model):\n",
        t.count, t.seed
    );
    let _ = writeln!(
        s,
        "| engine | preset | agreed | deviated | skipped | disagreed | disagreement groups |"
    );
    let _ = writeln!(
        s,
        "|--------|--------|-------:|---------:|--------:|----------:|--------------------:|"
    );
    for r in all {
        for (preset, o) in &r.campaigns {
            let c = &o.tally;
            let _ = writeln!(
                s,
                "| {} | {preset} | {} | {} | {} | {} | {} |",
                r.name,
                c.agreed,
                c.deviated_total(),
                c.skipped_total(),
                c.disagreed,
                o.groups.len()
            );
        }
    }
    let _ = writeln!(
        s,
        "\nDeviations counted, by the side the AWS documentation supports (each entry's page is in `engines/<engine>/deviations.toml`):\n"
    );
    let _ = writeln!(
        s,
        "| engine | deviation | AWS docs support | corpus | {} |",
        PRESETS.map(|p| p.as_str()).join(" | ")
    );
    let _ = writeln!(
        s,
        "|--------|-----------|------------------|-------:|{}",
        "-----:|".repeat(PRESETS.len())
    );
    for r in all {
        for d in &r.deviations.deviations {
            let count = |t: &Tally| t.deviated.get(&d.id).copied().unwrap_or(0);
            let per: Vec<String> = r
                .campaigns
                .iter()
                .map(|(_, o)| count(&o.tally).to_string())
                .collect();
            let _ = writeln!(
                s,
                "| {} | `{}` | {} | {} | {} |",
                r.name,
                d.id,
                d.supported,
                count(&r.corpus),
                per.join(" | ")
            );
        }
    }
    let _ = writeln!(
        s,
        "\nDisagreement groups no deviation documents yet, not yet triaged (each needs a deviation \
         with its page, or an item in `docs/open-questions.md`; the {SHOWN} largest per preset are \
         listed, the rest counted; `cargo xtask simulate --engine CMD --preset P --seed {}` writes \
         every group's minimal case to `findings/`):\n",
        t.seed
    );
    let _ = writeln!(s, "| engine | preset | cases | signature |");
    let _ = writeln!(s, "|--------|--------|------:|-----------|");
    let mut any = false;
    for r in all {
        for (preset, o) in &r.campaigns {
            for g in o.groups.iter().take(SHOWN) {
                any = true;
                let _ = writeln!(
                    s,
                    "| {} | {preset} | {} | `{}` |",
                    r.name,
                    g.cases,
                    g.signature.replace('|', "\\|")
                );
            }
            let rest = &o.groups[o.groups.len().min(SHOWN)..];
            if !rest.is_empty() {
                let cases: usize = rest.iter().map(|g| g.cases).sum();
                let _ = writeln!(
                    s,
                    "| {} | {preset} | {cases} | … and {} more groups |",
                    r.name,
                    rest.len()
                );
            }
        }
        if r.corpus.disagreed > 0 {
            any = true;
            let _ = writeln!(
                s,
                "| {} | corpus | {} | (see `cargo xtask conform --engine`) |",
                r.name, r.corpus.disagreed
            );
        }
    }
    if !any {
        let _ = writeln!(s, "| (none) | | | |");
    }
    s
}

fn write(table: &str) -> Result<(), String> {
    let path = crate::project::path("engines/README.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        return Err(format!(
            "{}: no {START} … {END} markers to write the table between",
            path.display()
        ));
    };
    let new = format!("{}{START}\n{table}{}", &text[..a], &text[b..]);
    std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))
}
