//! JSONata for awskb: parsing with positioned errors. Pure: no I/O, clock or global randomness,
//! so it builds for `wasm32-unknown-unknown` and behaves the same in the browser.
//!
//! [`parse`] turns a JSONata 2.x expression into an [`Expr`] tree ready for evaluation, or an
//! [`Error`] carrying JSONata's error code and the byte offset of the problem.
//!
//! ```
//! let expr = jsonata::parse("Account.Order[0].Product.Price * 2").unwrap();
//! assert!(matches!(expr.kind, jsonata::ExprKind::Binary { .. }));
//!
//! let err = jsonata::parse("[1, 2").unwrap_err();
//! assert_eq!((err.code, err.position), ("S0203", 5));
//! ```

mod ast;
mod error;
mod lexer;
mod parser;
mod process;
mod signature;
#[cfg(test)]
mod tests;

pub use ast::{BinaryOp, Expr, ExprKind, Filter, Group, SortTerm, Stage};
pub use error::Error;
pub use signature::{Param, ParamType, Signature};

/// The deepest nesting accepted, counted in syntax-tree levels (each bracket, operator or path
/// step adds one). Deeper input is rejected with code `U1001` instead of overflowing the stack,
/// which matters most in the browser, where the wasm stack is 1 MiB. At this depth parsing needs
/// under 640 KiB of stack in an optimised build (under 1.5 MiB in a debug build). The deepest
/// expression of the JSONata test suite has 15 levels.
pub const MAX_DEPTH: usize = 200;

/// Parses a JSONata expression.
///
/// Errors use the reference implementation's codes (`S01xx` for tokens, `S02xx` for grammar,
/// `S03xx` for regex literals, `S04xx` for lambda signatures). Parsing never panics, whatever
/// the input.
pub fn parse(source: &str) -> Result<Expr, Error> {
    let raw = parser::Parser::new(source)
        .and_then(parser::Parser::parse)
        .map_err(|e| *e)?;
    process::Processor::default().run(raw).map_err(|e| *e)
}
