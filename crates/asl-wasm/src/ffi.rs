//! The C ABI the page calls. The page copies a UTF-8 request into memory from [`asl_alloc`],
//! calls an operation with its pointer and length (the operation frees it), and reads the
//! response at the returned pointer, [`asl_response_len`] bytes long. A response stays valid
//! until the next operation.

use std::cell::RefCell;

use serde_json::Value;

use crate::api;

thread_local! {
    static RESPONSE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reserves `len` bytes for a request.
#[unsafe(no_mangle)]
pub extern "C" fn asl_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// Takes back a request buffer from [`asl_alloc`] that is not passed to an operation.
///
/// # Safety
/// `pointer` and `len` must come from one call of [`asl_alloc`], and be freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn asl_free(pointer: *mut u8, len: usize) {
    // SAFETY: the caller passes a buffer asl_alloc made with this capacity.
    drop(unsafe { Vec::from_raw_parts(pointer, 0, len) });
}

/// The length in bytes of the last response.
#[unsafe(no_mangle)]
pub extern "C" fn asl_response_len() -> usize {
    RESPONSE.with_borrow(Vec::len)
}

/// Runs `operation` on the request at `pointer`, frees the request, and keeps the response.
///
/// # Safety
/// `pointer` and `len` must come from one call of [`asl_alloc`], with `len` bytes written.
unsafe fn call(pointer: *mut u8, len: usize, operation: fn(&str) -> Value) -> *const u8 {
    // SAFETY: the page wrote `len` bytes into the buffer asl_alloc(len) returned.
    let request = unsafe { Vec::from_raw_parts(pointer, len, len) };
    let response = match std::str::from_utf8(&request) {
        Ok(text) => operation(text),
        Err(_) => serde_json::json!({"ok": false, "error": "bad request: not UTF-8"}),
    };
    RESPONSE.with_borrow_mut(|buffer| {
        buffer.clear();
        // Writing a Value into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buffer, &response);
        buffer.as_ptr()
    })
}

macro_rules! export {
    ($($name:ident => $operation:path),* $(,)?) => {$(
        /// See the operation of the same name in [`api`].
        ///
        /// # Safety
        /// `pointer` and `len` must come from one call of [`asl_alloc`], with `len` bytes written.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(pointer: *mut u8, len: usize) -> *const u8 {
            // SAFETY: passed on from our caller, under the same contract.
            unsafe { call(pointer, len, $operation) }
        }
    )*};
}

export! {
    asl_validate => api::validate,
    asl_render => api::render,
    asl_fields => api::fields,
    asl_start => api::start,
    asl_step => api::step,
    asl_run => api::run,
    asl_drop => api::drop,
}
