//! The ASL engine for the browser, as `static/asl/asl.wasm` (built by `cargo xtask wasm`).
//!
//! Every operation takes a JSON request and returns a JSON response, so the page's script needs
//! no generated bindings: [`api`] holds the operations as plain Rust functions (tested natively),
//! [`ffi`] exports them over a C ABI.

pub mod api;
#[allow(unsafe_code)]
mod ffi;
