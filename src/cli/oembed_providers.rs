//! `embedkeep oembed-providers update`: rebuild the bundled oEmbed provider registry from a copy
//! of the iamcal/oembed registry on disk (a checkout, a `providers/*.yml` folder, one YAML file
//! or its published providers.json). Nothing is fetched.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::Subcommand;

use super::atomic_file::write_atomically;
use super::output::emitln;
use super::{Failure, Outcome};
use crate::platforms::oembed_registry::Registry;
use crate::platforms::oembed_registry_source;

#[derive(Debug, Subcommand)]
pub enum OembedProvidersCommand {
    /// Rebuild the provider data file (data/oembed/providers.json in a source checkout) from a
    /// copy of the iamcal/oembed registry on disk; schemes and endpoints that cannot be used are
    /// dropped and listed. Rebuild the program afterwards: the file is compiled in.
    Update {
        /// A checkout of the registry, its providers/ folder, one of its .yml files, or its
        /// published providers.json.
        #[arg(long, value_name = "DIR_OR_FILE")]
        from: PathBuf,
        /// The data file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub(super) fn run(command: &OembedProvidersCommand) -> Result<Outcome, Failure> {
    match command {
        OembedProvidersCommand::Update { from, out } => update(from, out),
    }
}

fn update(from: &Path, out: &Path) -> Result<Outcome, Failure> {
    // The file is replaced by renaming a finished one over it: a link, a device or a pipe there
    // would be replaced, not written through. A wrong argument, as `export --warc` says of it.
    if std::fs::symlink_metadata(out).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(Failure::Usage(anyhow!(
            "--out {} exists and is not a regular file (a link, a folder, a device or a pipe): \
             writing would replace it with a file",
            out.display()
        )));
    }
    let converted = oembed_registry_source::read(from).map_err(|e| Failure::Usage(anyhow!(e)))?;
    if converted.data.providers.is_empty() {
        return Err(Failure::Usage(anyhow!(
            "{} holds no usable oEmbed provider",
            from.display()
        )));
    }
    let mut text = serde_json::to_string_pretty(&converted.data)
        .map_err(|e| Failure::Runtime(anyhow!("cannot encode the provider data: {e}")))?;
    text.push('\n');
    // Check what is written compiles as the program will compile it.
    let registry = Registry::from_json(&text).map_err(|e| {
        Failure::Runtime(anyhow!(
            "the converted provider data does not read back: {e}"
        ))
    })?;
    write_atomically(out, text.as_bytes()).map_err(|e| Failure::Runtime(anyhow!(e)))?;
    for line in &converted.dropped {
        emitln(line);
    }
    let endpoints: usize = registry.providers().iter().map(|p| p.endpoints.len()).sum();
    let schemes: usize = converted
        .data
        .providers
        .iter()
        .flat_map(|p| &p.endpoints)
        .map(|e| e.schemes.len())
        .sum();
    emitln(format_args!(
        "wrote {} providers ({endpoints} endpoints, {schemes} schemes) to {}; dropped {}",
        registry.providers().len(),
        out.display(),
        converted.dropped.len()
    ));
    Ok(Outcome::Success)
}
