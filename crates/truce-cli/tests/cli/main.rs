//! End-to-end tests of the `truce` binary: each runs the real command in a fresh folder.

mod helpers;

mod architecture;
mod audit;
mod corrections;
mod crash;
mod datasets;
mod demo;
mod documents;
mod http;
mod incidents;
mod ingest;
mod monitoring;
mod watch;
mod writers;
