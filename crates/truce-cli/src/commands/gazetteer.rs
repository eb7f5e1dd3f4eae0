//! `truce gazetteer`: build, extend and query the gazetteer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use truce_geo::{CountryCode, Gazetteer, RankContext};

use super::Context;

/// Arguments of `truce gazetteer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Build the default gazetteer from GeoNames and UCDP source files (see
    /// scripts/build-gazetteer.sh).
    Build {
        /// The folder holding geonames/ and ucdp/ (the shared data folder).
        #[arg(long)]
        from: PathBuf,
        /// The project's own lexicon files.
        #[arg(long, default_value = "crates/truce-geo/data")]
        project: PathBuf,
        /// Where to write the compressed gazetteer.
        #[arg(long)]
        out: PathBuf,
        /// Where to write the places' names in Arabic script (default: native_names.tsv.gz
        /// beside --out).
        #[arg(long)]
        native_out: Option<PathBuf>,
    },
    /// Add places: a GeoNames dump (SY.txt, allCountries.txt) or truce's own TSV format.
    Import {
        /// The file to read.
        file: PathBuf,
        /// geonames (19 columns) or tsv (truce's format); guessed from the columns when absent.
        #[arg(long)]
        format: Option<ImportFormat>,
    },
    /// Candidates for a name, ranked, with the reasons.
    Lookup {
        /// The name, in any spelling.
        name: String,
        /// Prefer places near this point: LAT,LON.
        #[arg(long, value_parser = parse_point)]
        near: Option<(f64, f64)>,
        /// Prefer places in this country (ISO code).
        #[arg(long)]
        country: Option<String>,
        /// At most this many candidates.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ImportFormat {
    Geonames,
    Tsv,
}

fn parse_point(s: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = s.split_once(',').ok_or("expected LAT,LON")?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| format!("latitude {lat:?} is not a number"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| format!("longitude {lon:?} is not a number"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("{lat},{lon} is off the globe"));
    }
    Ok((lat, lon))
}

/// Loads the embedded gazetteer plus every place the user imported.
pub fn load(cx: &Context) -> anyhow::Result<Gazetteer> {
    let mut gazetteer = Gazetteer::embedded().context("cannot read the embedded gazetteer")?;
    let dir = user_dir(cx);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".tsv.gz"))
        {
            let file = std::fs::File::open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            gazetteer.extend(truce_geo::format::read_places(
                file,
                &path.display().to_string(),
            )?);
        }
    }
    Ok(gazetteer)
}

/// The folder of imported places: `gazetteer/` next to the configuration file.
fn user_dir(cx: &Context) -> PathBuf {
    let base = cx
        .config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    base.join(&cx.config.gazetteer.dir)
}

/// Runs a gazetteer subcommand.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Sub::Build {
            from,
            project,
            out,
            native_out,
        } => {
            let started = std::time::Instant::now();
            let sources = truce_geo::build::Sources {
                data_dir: &from,
                project_dir: &project,
            };
            let places = truce_geo::build::build_default(&sources)?;
            let file = std::fs::File::create(&out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            truce_geo::format::write_places(&places, std::io::BufWriter::new(file))
                .with_context(|| format!("cannot write {}", out.display()))?;
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            let native = truce_geo::build::native_names(&sources)?;
            let native_out =
                native_out.unwrap_or_else(|| out.with_file_name("native_names.tsv.gz"));
            let file = std::fs::File::create(&native_out)
                .with_context(|| format!("cannot write {}", native_out.display()))?;
            truce_geo::native::write(&native, std::io::BufWriter::new(file))
                .with_context(|| format!("cannot write {}", native_out.display()))?;
            println!(
                "wrote {} places ({:.1} MB) to {} and the names in Arabic script of {} to {} in {:.1} s",
                places.len(),
                size as f64 / 1e6,
                out.display(),
                native.len(),
                native_out.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Sub::Import { file, format } => {
            let origin = file.display().to_string();
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {origin}"))?;
            let format = format.unwrap_or_else(|| {
                let first = bytes
                    .split(|&b| b == b'\n')
                    .find(|l| !l.is_empty() && !l.starts_with(b"#"));
                let columns = first.map_or(0, |l| l.split(|&b| b == b'\t').count());
                if columns >= 15 {
                    ImportFormat::Geonames
                } else {
                    ImportFormat::Tsv
                }
            });
            let places = match format {
                ImportFormat::Geonames => {
                    truce_geo::build::read_geonames_dump(&bytes[..], &origin)?
                }
                ImportFormat::Tsv => truce_geo::format::read_places(&bytes[..], &origin)?,
            };
            if places.is_empty() {
                bail!("{origin} holds no places that truce can use");
            }
            let dir = user_dir(cx);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let stem = file
                .file_name()
                .map(|n| n.to_string_lossy().replace('.', "_"))
                .unwrap_or_else(|| "import".into());
            let out = dir.join(format!("{stem}.tsv.gz"));
            let writer = std::fs::File::create(&out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            truce_geo::format::write_places(&places, std::io::BufWriter::new(writer))?;
            println!("imported {} places into {}", places.len(), out.display());
        }
        Sub::Lookup {
            name,
            near,
            country,
            limit,
        } => {
            let gazetteer = load(cx)?;
            let country = match country {
                Some(c) => Some(
                    CountryCode::parse(&c)
                        .with_context(|| format!("{c:?} is not an ISO country code"))?,
                ),
                None => None,
            };
            let rank_cx = RankContext {
                anchors: near.into_iter().collect(),
                country,
                ..Default::default()
            };
            let ranked = gazetteer.rank_explained(&gazetteer.lookup(&name), &rank_cx);
            if ranked.is_empty() {
                println!("no place named {name:?}");
                return Ok(ExitCode::FAILURE);
            }
            for (i, c) in ranked.iter().take(limit).enumerate() {
                let p = gazetteer.place(c.id);
                println!(
                    "{:>2}. {:<28} {:<9} {:>2} {:<22} {:>9.4},{:<10.4} geonameid {:<9} score {:>5.1}",
                    i + 1,
                    p.name,
                    p.kind.as_str(),
                    p.country.map(|c| c.to_string()).unwrap_or_default(),
                    gazetteer.admin1_name(p).unwrap_or("-"),
                    p.lat,
                    p.lon,
                    p.geonameid
                        .map(|g| g.to_string())
                        .unwrap_or_else(|| "-".into()),
                    c.score
                );
                println!("      {}", c.reasons.join("; "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
