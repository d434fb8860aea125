//! `cargo xtask engines table`: the agreement table of `engines/README.md`, produced by
//! running each adapter over the corpus and a seeded campaign per generator preset — never
//! written by hand. `--write` replaces the table between its markers in the README; without
//! it the table is printed. Every disagreement group must be triaged: covered by a deviation
//! (the AWS page supports one side) or by an open question (the page leaves it open). Groups
//! that are neither are listed one by one as untriaged and make the command fail (status 1,
//! after writing the table with --write).

use crate::engine_campaign::{Settings, campaign};
use crate::engine_judge::{EngineArgs, Peer, Tally, deviations};
use iamcr_gen::Preset;
use iamcr_oracle::engine::deviations::EngineDeviations;
use std::fmt::Write as _;
use std::process::ExitCode;

const START: &str = "<!-- agreement-table:start -->";
const END: &str = "<!-- agreement-table:end -->";
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
    let (text, untriaged) = match table(&t) {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if t.write {
        if let Err(e) = write(&text) {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
        outln!("wrote the agreement table into engines/README.md");
    } else {
        out!("{text}");
    }
    if untriaged > 0 {
        errln!(
            "error: {untriaged} disagreement groups are untriaged (listed under UNTRIAGED): each needs a deviation with its AWS page or an open question in the engine's deviations.toml"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
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

/// The table's text and the number of untriaged groups.
fn table(t: &TableArgs) -> Result<(String, usize), String> {
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
    let untriaged = all
        .iter()
        .map(|r| {
            r.corpus.disagreed
                + r.campaigns
                    .iter()
                    .map(|(_, o)| o.groups.len())
                    .sum::<usize>()
        })
        .sum();
    Ok((render(t, corpus.len(), &all), untriaged))
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
        "| engine | version | agreed | deviated | open question | skipped | disagreed |"
    );
    let _ = writeln!(
        s,
        "|--------|---------|-------:|---------:|--------------:|--------:|----------:|"
    );
    for r in all {
        let c = &r.corpus;
        let (deviated, open) = split(c, &r.deviations);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {deviated} | {open} | {} | {} |",
            r.name,
            r.version,
            c.agreed,
            c.skipped_total(),
            c.disagreed
        );
    }
    render_campaigns(&mut s, t, all);
    render_deviations(&mut s, all);
    render_untriaged(&mut s, t, all);
    s
}

/// Deviated cases of `tally` as (covered by a deviation the AWS documentation decides,
/// covered by an open question).
fn split(tally: &Tally, deviations: &EngineDeviations) -> (usize, usize) {
    let open = |id: &str| {
        deviations
            .deviations
            .iter()
            .any(|d| d.id == id && d.question.is_some())
    };
    tally.deviated.iter().fold(
        (0, 0),
        |(d, o), (id, n)| if open(id) { (d, o + n) } else { (d + n, o) },
    )
}

fn render_campaigns(s: &mut String, t: &TableArgs, all: &[Results]) {
    let _ = writeln!(
        s,
        "\nCampaigns ({} generated cases per preset, seed {}; each against the model; \"deviated\": \
         a documented deviation of the engine, \"open question\": a point the AWS documentation \
         leaves open, asked in `docs/open-questions.md`):\n",
        t.count, t.seed
    );
    let _ = writeln!(
        s,
        "| engine | preset | agreed | deviated | open question | skipped | disagreed | untriaged groups |"
    );
    let _ = writeln!(
        s,
        "|--------|--------|-------:|---------:|--------------:|--------:|----------:|-----------------:|"
    );
    for r in all {
        for (preset, o) in &r.campaigns {
            let c = &o.tally;
            let (deviated, open) = split(c, &r.deviations);
            let _ = writeln!(
                s,
                "| {} | {preset} | {} | {deviated} | {open} | {} | {} | {} |",
                r.name,
                c.agreed,
                c.skipped_total(),
                c.disagreed,
                o.groups.len()
            );
        }
    }
}

fn render_deviations(s: &mut String, all: &[Results]) {
    let _ = writeln!(
        s,
        "\nDeviations and open questions counted, by the side the AWS documentation supports (each entry's page is in `engines/<engine>/deviations.toml`):\n"
    );
    let _ = writeln!(
        s,
        "| engine | entry | AWS docs support | corpus | {} |",
        PRESETS.map(|p| p.as_str()).join(" | ")
    );
    let _ = writeln!(
        s,
        "|--------|-------|------------------|-------:|{}",
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
            let side = match &d.question {
                Some(q) => format!("open question `{q}`"),
                None => d.supported.clone(),
            };
            let _ = writeln!(
                s,
                "| {} | `{}` | {side} | {} | {} |",
                r.name,
                d.id,
                count(&r.corpus),
                per.join(" | ")
            );
        }
    }
}

fn render_untriaged(s: &mut String, t: &TableArgs, all: &[Results]) {
    let mut rows = String::new();
    for r in all {
        for (preset, o) in &r.campaigns {
            for g in &o.groups {
                let _ = writeln!(
                    rows,
                    "| {} | {preset} | {} | `{}` |",
                    r.name,
                    g.cases,
                    g.signature.replace('|', "\\|")
                );
            }
        }
        if r.corpus.disagreed > 0 {
            let _ = writeln!(
                rows,
                "| {} | corpus | {} | (see `cargo xtask conform --engine`) |",
                r.name, r.corpus.disagreed
            );
        }
    }
    if rows.is_empty() {
        let _ = writeln!(
            s,
            "\nEvery disagreement group is a deviation with its AWS page or an open question."
        );
        return;
    }
    let _ = writeln!(
        s,
        "\n**UNTRIAGED** disagreement groups: neither a deviation with its AWS page nor an open \
         question (each needs one of them in the engine's `deviations.toml`; `cargo xtask \
         simulate --engine CMD --preset P --seed {}` writes every group's minimal case to \
         `findings/`):\n",
        t.seed
    );
    let _ = writeln!(s, "| engine | preset | cases | signature |");
    let _ = writeln!(s, "|--------|--------|------:|-----------|");
    s.push_str(&rows);
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
