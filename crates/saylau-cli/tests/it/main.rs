//! The integration tests of the `saylau` binary and the workspace's tidy checks.

mod cli;
mod tidy;
