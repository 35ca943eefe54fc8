//! Reading the iamcal/oembed provider registry into the bundled data file's shape: a checkout
//! (its `providers/*.yml`), one of its YAML files, or its published `providers.json`. Nothing is
//! fetched: the registry is read from disk.
//!
//! Schemes and endpoints the matcher could not use (a `spotify:*` scheme, an endpoint that is
//! no URL or serves only XML) are dropped here, each with a line saying why, so the bundled
//! file holds only what works. A file that is not the registry's shape is an error naming it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

use super::oembed_registry::{
    EndpointData, ProviderData, RegistryData, check_endpoint, check_scheme,
};

/// Why the registry could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid YAML: {message}")]
    Yaml { path: PathBuf, message: String },
    #[error("{path} is not valid JSON: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path} is not an oEmbed provider list: {message}")]
    Shape { path: PathBuf, message: String },
    #[error("{path} holds no provider files (*.yml)")]
    Empty { path: PathBuf },
}

/// The registry as read: the data to store, and what was dropped from it and why.
#[derive(Debug)]
pub struct Converted {
    pub data: RegistryData,
    pub dropped: Vec<String>,
}

/// The most bytes read of one file of the registry. Its published `providers.json`, all
/// providers in one file, is under 200 KiB; a device or a pipe is not read at all.
pub const MAX_REGISTRY_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The text of one file of the registry: a regular file of at most
/// [`MAX_REGISTRY_FILE_BYTES`], in UTF-8.
fn read_text(path: &Path) -> Result<String, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = crate::config::read_regular_file(path, MAX_REGISTRY_FILE_BYTES).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is not UTF-8 text ({e})"),
        ))
    })
}

/// Read the registry at `path`: a directory (a checkout, or its `providers` folder), a `.yml`
/// file, or a `providers.json` file.
pub fn read(path: &Path) -> Result<Converted, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut providers = Vec::new();
    if path.is_dir() {
        let dir = if path.join("providers").is_dir() {
            path.join("providers")
        } else {
            path.to_owned()
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml")
                })
            })
            .collect();
        if files.is_empty() {
            return Err(ReadError::Empty { path: dir });
        }
        // The registry's own build reads its files in name order.
        files.sort();
        for file in files {
            providers.extend(read_yaml_file(&file)?);
        }
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let text = read_text(path)?;
        providers = from_json(path, &text)?;
    } else {
        providers = read_yaml_file(path)?;
    }
    Ok(clean(providers))
}

fn read_yaml_file(path: &Path) -> Result<Vec<ProviderData>, ReadError> {
    from_yaml(path, &read_text(path)?)
}

/// Whether the YAML text uses an alias (`*name`) of an anchored node. The loader copies the node
/// at each alias, so a few hundred bytes of aliases of aliases build gigabytes; the registry's
/// files never use them. `Err`: the text is not valid YAML.
fn uses_aliases(text: &str) -> Result<bool, yaml_rust2::ScanError> {
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token()?.0 {
            Event::Alias(_) => return Ok(true),
            Event::StreamEnd => return Ok(false),
            _ => {}
        }
    }
}

/// The providers of one registry YAML file (a list of providers, in one or more documents).
pub fn from_yaml(path: &Path, text: &str) -> Result<Vec<ProviderData>, ReadError> {
    let shape = |message: String| ReadError::Shape {
        path: path.to_owned(),
        message,
    };
    let invalid = |e: yaml_rust2::ScanError| ReadError::Yaml {
        path: path.to_owned(),
        message: e.to_string(),
    };
    if uses_aliases(text).map_err(invalid)? {
        return Err(shape(
            "it uses YAML aliases (`*name`), which the registry's files never do".to_owned(),
        ));
    }
    let docs = YamlLoader::load_from_str(text).map_err(invalid)?;
    let mut out = Vec::new();
    for doc in docs {
        let Some(list) = doc.as_vec() else {
            return Err(shape("a document is not a list of providers".to_owned()));
        };
        for (i, p) in list.iter().enumerate() {
            let name = p["provider_name"]
                .as_str()
                .ok_or_else(|| shape(format!("provider {} has no provider_name", i + 1)))?;
            let endpoints = p["endpoints"]
                .as_vec()
                .ok_or_else(|| shape(format!("provider {name:?} has no endpoints list")))?;
            out.push(ProviderData {
                name: name.trim().to_owned(),
                url: p["provider_url"]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                endpoints: endpoints.iter().map(yaml_endpoint).collect(),
            });
        }
    }
    Ok(out)
}

fn strings(value: &Yaml) -> Vec<String> {
    value
        .as_vec()
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn yaml_endpoint(e: &Yaml) -> EndpointData {
    EndpointData {
        schemes: strings(&e["schemes"]),
        url: e["url"].as_str().unwrap_or_default().to_owned(),
        discovery: e["discovery"].as_bool().unwrap_or(false),
        formats: strings(&e["formats"]),
    }
}

/// The providers of the registry's published `providers.json`.
fn from_json(path: &Path, text: &str) -> Result<Vec<ProviderData>, ReadError> {
    #[derive(Deserialize)]
    struct Published {
        provider_name: String,
        #[serde(default)]
        provider_url: String,
        endpoints: Vec<PublishedEndpoint>,
    }
    #[derive(Deserialize)]
    struct PublishedEndpoint {
        #[serde(default)]
        schemes: Vec<String>,
        #[serde(default)]
        url: String,
        #[serde(default)]
        discovery: bool,
        #[serde(default)]
        formats: Vec<String>,
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ReadError::Json {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let shape = |message: String| ReadError::Shape {
        path: path.to_owned(),
        message,
    };
    if value.get("providers").is_some() {
        // The file this command writes (`data/oembed/providers.json`), not the registry's.
        return Err(shape(
            "it is embedkeep's own provider data (as --out writes it); give the registry's \
             published providers.json (a list of providers), a checkout, its providers/ \
             folder or one .yml file"
                .to_owned(),
        ));
    }
    let list: Vec<Published> =
        serde_json::from_value(value).map_err(|e| shape(format!("{e} (a list of providers)")))?;
    Ok(list
        .into_iter()
        .map(|p| ProviderData {
            name: p.provider_name.trim().to_owned(),
            url: p.provider_url.trim().to_owned(),
            endpoints: p
                .endpoints
                .into_iter()
                .map(|e| EndpointData {
                    schemes: e.schemes,
                    url: e.url,
                    discovery: e.discovery,
                    formats: e.formats,
                })
                .collect(),
        })
        .collect())
}

/// Keep what the matcher can use; say what was dropped.
fn clean(providers: Vec<ProviderData>) -> Converted {
    let mut dropped = Vec::new();
    let mut kept = Vec::new();
    for mut p in providers {
        let name = p.name.clone();
        p.endpoints.retain_mut(|e| {
            e.url = e.url.trim().to_owned();
            if let Err(reason) = check_endpoint(e) {
                dropped.push(format!("{name}: endpoint {:?} dropped: {reason}", e.url));
                return false;
            }
            e.schemes.retain_mut(|s| {
                *s = s.trim().to_owned();
                match check_scheme(s) {
                    Ok(()) => true,
                    Err(reason) => {
                        dropped.push(format!("{name}: scheme {s:?} dropped: {reason}"));
                        false
                    }
                }
            });
            true
        });
        if p.endpoints.is_empty() {
            dropped.push(format!("{name}: dropped: no usable endpoint"));
            continue;
        }
        kept.push(p);
    }
    Converted {
        data: RegistryData {
            source: "iamcal/oembed (https://github.com/iamcal/oembed), MIT licence: see LICENSE \
                     beside this file"
                .to_owned(),
            providers: kept,
        },
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLICKR: &str = "---
- provider_name: Flickr
  provider_url: https://www.flickr.com/
  endpoints:
  - schemes:
    - http://*.flickr.com/photos/*
    - https://flic.kr/p/*    
    url: https://www.flickr.com/services/oembed/
    example_urls:
    - https://flickr.com/services/oembed?url=x
    discovery: true
...
";

    #[test]
    fn yaml_providers_are_read_and_unusable_parts_dropped() {
        let mut providers = from_yaml(Path::new("flickr.yml"), FLICKR).expect("reads");
        providers.extend(
            from_yaml(
                Path::new("spotify.yml"),
                "- provider_name: Spotify\n  endpoints:\n  - schemes:\n    - spotify:*\n    - https://open.spotify.com/*\n    url: https://open.spotify.com/oembed/\n- provider_name: Xml Only\n  endpoints:\n  - schemes: [https://x.example/*]\n    url: https://x.example/oembed.xml\n    formats: [xml]\n",
            )
            .expect("reads"),
        );
        let converted = clean(providers);
        let names: Vec<&str> = converted
            .data
            .providers
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Flickr", "Spotify"]);
        assert_eq!(
            converted.data.providers[0].endpoints[0].schemes,
            ["http://*.flickr.com/photos/*", "https://flic.kr/p/*"]
        );
        assert!(converted.data.providers[0].endpoints[0].discovery);
        assert_eq!(
            converted.dropped,
            [
                "Spotify: scheme \"spotify:*\" dropped: not an http(s) URL pattern",
                "Xml Only: endpoint \"https://x.example/oembed.xml\" dropped: serves only xml",
                "Xml Only: dropped: no usable endpoint",
            ]
        );
    }

    #[test]
    fn files_that_are_not_the_registry_name_themselves() {
        let cases = [
            ("a: [", "not valid YAML"),
            ("provider_name: x", "a document is not a list of providers"),
            ("- provider_url: x", "provider 1 has no provider_name"),
            ("- provider_name: X", "provider \"X\" has no endpoints list"),
            // Aliases of aliases: a few hundred bytes the loader would copy into gigabytes.
            (
                "- &a [x, x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
                "it uses YAML aliases",
            ),
        ];
        for (text, want) in cases {
            let err = from_yaml(Path::new("bad.yml"), text).expect_err(text);
            let message = err.to_string();
            assert!(
                message.contains("bad.yml") && message.contains(want),
                "{message}"
            );
        }
    }

    /// A device or a pipe given as the registry is not read (`/dev/zero` would be read until
    /// memory ran out, a FIFO waited on for ever).
    #[cfg(unix)]
    #[test]
    fn a_device_is_not_read_as_the_registry() {
        let err = read(Path::new("/dev/zero")).expect_err("a device");
        let message = err.to_string();
        assert!(
            message.contains("/dev/zero") && message.contains("not a regular file"),
            "{message}"
        );
    }

    /// JSON that parses but is no provider list is not called invalid JSON, and embedkeep's own
    /// output file given as input is named as such.
    #[test]
    fn json_of_another_shape_is_not_called_invalid() {
        let cases = [
            ("[", "bad.json is not valid JSON"),
            (
                r#"{"source": "iamcal/oembed", "providers": []}"#,
                "bad.json is not an oEmbed provider list: it is embedkeep's own provider data",
            ),
            (
                r#"{"a": 1}"#,
                "bad.json is not an oEmbed provider list: invalid type: map",
            ),
        ];
        for (text, want) in cases {
            let message = from_json(Path::new("bad.json"), text)
                .expect_err(text)
                .to_string();
            assert!(message.contains(want), "{message}");
        }
    }
}
