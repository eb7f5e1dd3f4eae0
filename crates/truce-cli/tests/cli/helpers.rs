//! A fresh folder, a way to run `truce` in it, and a tiny HTTP server on 127.0.0.1.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

/// A temporary working folder with its own database.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_truce"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("TRUCE_DB", self.path("truce.db"))
            .env("TRUCE_CONFIG", self.path("truce.toml"))
            .env_remove("RUST_LOG");
        cmd
    }

    /// Runs `truce ARGS` to completion.
    pub fn truce(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run truce")
    }

    /// `truce documents --json [--failed]`, parsed.
    pub fn documents(&self, failed: bool) -> Vec<Value> {
        let mut args = vec!["documents", "--json"];
        if failed {
            args.push("--failed");
        }
        let out = self.truce(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The one failed document whose source location ends with `name`.
pub fn failure_of<'a>(docs: &'a [Value], name: &str) -> &'a Value {
    let matching: Vec<&Value> = docs
        .iter()
        .filter(|d| {
            d["status"] == "failed" && d["source"]["location"].as_str().unwrap().ends_with(name)
        })
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one failure for {name}: {docs:#?}"
    );
    matching[0]
}

/// A canned HTTP response.
pub struct Route {
    pub path: &'static str,
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Wait this long before answering (to trigger client timeouts).
    pub delay: Duration,
}

/// A route answering `body` with `status` and `content_type`, at once.
pub fn route(path: &'static str, status: u16, content_type: &'static str, body: &str) -> Route {
    Route {
        path,
        status,
        content_type,
        body: body.as_bytes().to_vec(),
        delay: Duration::ZERO,
    }
}

/// Serves `routes` on 127.0.0.1 (one thread per connection) and returns the base URL.
pub fn serve(routes: Vec<Route>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes = std::sync::Arc::new(routes);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .to_string();
                let route = routes.iter().find(|r| r.path == path);
                let (status, ctype, body, delay) = match route {
                    Some(r) => (r.status, r.content_type, r.body.clone(), r.delay),
                    None => (404, "text/plain", b"not found".to_vec(), Duration::ZERO),
                };
                std::thread::sleep(delay);
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    base
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/report.html")
}

/// Writes `truce.toml` with the given `[ingest]` settings.
pub fn configure(env: &Env, ingest: &str) {
    env.write("truce.toml", format!("[ingest]\n{ingest}\n"));
}
