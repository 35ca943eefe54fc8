//! `schedule`: the daemon's periodic work; for now, reading the article sources it polls.

pub mod sources;
