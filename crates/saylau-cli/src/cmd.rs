//! One module per subcommand, each with an `Args` struct and a `run` function.

pub(crate) mod allocate;
pub(crate) mod compare;
pub(crate) mod demo;
