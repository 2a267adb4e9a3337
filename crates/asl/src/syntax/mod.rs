//! Syntax of the small languages embedded in ASL strings: JSONPath, reference paths and intrinsic
//! function calls.
