//! The backup archive: one `.tar.gz` holding `manifest.json` first, then the database copy
//! (`zhikong.db` or `zhikong.pgdump`), the signing keys (`keys/…`) and the configuration file
//! when there is one. The manifest lists every other file with its size and SHA-256, and the
//! rows per table, so a restore can prove it got back what was saved.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{AppError, Result};

pub const FORMAT: &str = "zhikong-backup/1";
pub const MANIFEST: &str = "manifest.json";
/// A manifest is a few kilobytes; anything near this is not one.
const MANIFEST_MAX_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The zhikong version that made it.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When it was made, Asia/Shanghai.
    pub created: String,
    /// Rows per table in the saved copy.
    pub counts: BTreeMap<String, i64>,
    pub files: Vec<FileEntry>,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{what} {}: {e}", path.display()))
}

/// SHA-256 and size of a file, read in pieces.
pub fn digest(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).map_err(|e| io("cannot read", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| io("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(h.finalize()), total))
}

/// Write the archive `out` from `files` (name in the archive → file on disk), the manifest
/// listing them first. Written beside `out` and renamed at the end, so `out` is whole or absent.
pub fn pack(out: &Path, mut manifest: Manifest, files: &[(String, PathBuf)]) -> Result<Manifest> {
    manifest.files = files
        .iter()
        .map(|(name, path)| {
            let (sha256, bytes) = digest(path)?;
            Ok(FileEntry {
                path: name.clone(),
                bytes,
                sha256,
            })
        })
        .collect::<Result<_>>()?;
    let partial = out.with_extension("partial");
    let write = || -> std::io::Result<()> {
        let file = File::create(&partial)?;
        let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::default()));
        let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        for (name, path) in files {
            let mut f = File::open(path)?;
            tar.append_file(name, &mut f)?;
        }
        let gz = tar.into_inner()?;
        let mut file = gz.finish()?;
        file.flush()?;
        file.sync_all()?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&partial);
        return Err(io("cannot write", &partial, e));
    }
    std::fs::rename(&partial, out).map_err(|e| io("cannot rename to", out, e))?;
    Ok(manifest)
}

/// Names an archive may hold: the manifest, the database copy, the configuration and files
/// directly under `keys/`. Anything else (an absolute path, `..`, a directory tree) is refused.
fn allowed(name: &str) -> bool {
    match name.strip_prefix("keys/") {
        Some(key) => {
            !key.is_empty()
                && !key.contains('/')
                && key != ".."
                && key != "."
                && key.bytes().all(|b| b.is_ascii_graphic())
        }
        None => matches!(
            name,
            MANIFEST | "zhikong.db" | "zhikong.pgdump" | "zhikong.toml"
        ),
    }
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::invalid("file", "backup", message)
}

/// Unpack `archive` into the empty directory `into`, checking every file against the
/// manifest (size and SHA-256, no file missing, none extra). The manifest comes back.
pub fn unpack(archive: &Path, into: &Path) -> Result<Manifest> {
    let file = File::open(archive).map_err(|e| io("cannot read", archive, e))?;
    let mut tar = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
    let mut manifest: Option<Manifest> = None;
    let mut seen: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let entries = tar
        .entries()
        .map_err(|e| refused(format!("not a zhikong backup (tar.gz): {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| refused(format!("damaged archive: {e}")))?;
        let name = entry
            .path()
            .map_err(|e| refused(format!("damaged archive: {e}")))?
            .to_string_lossy()
            .into_owned();
        if !entry.header().entry_type().is_file() || !allowed(&name) {
            return Err(refused(format!("unexpected entry {name:?} in the archive")));
        }
        if name == MANIFEST {
            if entry.size() > MANIFEST_MAX_BYTES {
                return Err(refused("the manifest is too large"));
            }
            let mut text = vec![];
            entry
                .read_to_end(&mut text)
                .map_err(|e| refused(format!("damaged archive: {e}")))?;
            let m: Manifest = serde_json::from_slice(&text)
                .map_err(|e| refused(format!("the manifest cannot be read: {e}")))?;
            if m.format != FORMAT {
                return Err(refused(format!(
                    "unknown backup format {:?} (this zhikong reads {FORMAT})",
                    m.format
                )));
            }
            manifest = Some(m);
            continue;
        }
        if manifest.is_none() {
            return Err(refused("the manifest must come first in the archive"));
        }
        if seen.contains_key(&name) {
            return Err(refused(format!("{name} appears twice in the archive")));
        }
        let target = into.join(&name);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io("cannot create", dir, e))?;
        }
        let mut out = File::create(&target).map_err(|e| io("cannot write", &target, e))?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| refused(format!("damaged archive at {name}: {e}")))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| io("cannot write", &target, e))?;
            total += n as u64;
        }
        out.sync_all().map_err(|e| io("cannot write", &target, e))?;
        seen.insert(name, (hex::encode(h.finalize()), total));
    }
    let manifest = manifest.ok_or_else(|| refused("the archive has no manifest"))?;
    for f in &manifest.files {
        match seen.remove(&f.path) {
            None => return Err(refused(format!("{} is missing from the archive", f.path))),
            Some((sha, bytes)) if sha != f.sha256 || bytes != f.bytes => {
                return Err(refused(format!(
                    "{} does not match its checksum in the manifest: the archive is damaged",
                    f.path
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = seen.keys().next() {
        return Err(refused(format!("{extra} is not listed in the manifest")));
    }
    Ok(manifest)
}
