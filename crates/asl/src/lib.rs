//! The Amazon States Language engine: parse definitions with source positions and validate them.
//! Pure: no file system, clock, threads or global randomness, so it builds for wasm32.

pub mod syntax;
