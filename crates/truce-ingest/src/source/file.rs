//! Files and folders on disk.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use truce_model::SourceRef;
use walkdir::WalkDir;

use super::{RawInput, ReadFailure};
use crate::ReadError;

/// A path found while walking the user's arguments: a file to read, or a path that could not
/// be walked.
#[derive(Debug, Clone)]
pub enum Discovered {
    /// A regular file (or a symbolic link to one).
    File(PathBuf),
    /// A path that failed: missing, unreadable folder, symbolic link loop.
    Failed(PathBuf, ReadError),
}

/// Walks `paths` (files or folders, recursively, following symbolic links), in a stable order.
///
/// Hidden files and folders (a name starting with `.`) inside a folder are skipped; a hidden
/// path named explicitly is read. A missing path, an unreadable folder or a symbolic link loop is
/// reported as [`Discovered::Failed`] and the walk goes on. Files in `exclude` (the database
/// being written, say) are never read.
pub fn discover(paths: &[PathBuf], exclude: &[PathBuf]) -> Vec<Discovered> {
    let exclude: Vec<PathBuf> = exclude.iter().map(|p| absolute(p)).collect();
    let mut found = Vec::new();
    for root in paths {
        if std::fs::symlink_metadata(root).is_err() {
            found.push(Discovered::Failed(absolute(root), ReadError::NotFound));
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => {
                    let path = absolute(entry.path());
                    if !exclude.contains(&path) {
                        found.push(Discovered::File(path));
                    }
                }
                Err(err) => {
                    let path = absolute(err.path().unwrap_or(root));
                    let error = if let Some(ancestor) = err.loop_ancestor() {
                        ReadError::SymlinkLoop(format!(
                            "leads back to {}",
                            absolute(ancestor).display()
                        ))
                    } else if let Some(io) = err.io_error() {
                        ReadError::from_io(io)
                    } else {
                        ReadError::Io(err.to_string())
                    };
                    found.push(Discovered::Failed(path, error));
                }
            }
        }
    }
    found
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads one file, refusing files larger than `max_bytes` without reading them.
pub fn read_file(path: &Path, max_bytes: u64) -> RawInput {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let source = SourceRef::file(path.display().to_string());
    RawInput {
        source,
        extension,
        url: None,
        bytes: read_limited(path, max_bytes),
    }
}

fn read_limited(path: &Path, max_bytes: u64) -> Result<Arc<[u8]>, ReadFailure> {
    let fail = |e: ReadError| ReadFailure::new(e);
    let meta = std::fs::metadata(path).map_err(|e| fail(ReadError::from_io(&e)))?;
    if !meta.is_file() {
        return Err(fail(ReadError::Io("not a regular file".into())));
    }
    if meta.len() > max_bytes {
        return Err(fail(ReadError::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        }));
    }
    let file = File::open(path).map_err(|e| fail(ReadError::from_io(&e)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never take more than the limit.
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(ReadError::from_io(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        }));
    }
    Ok(bytes.into())
}
