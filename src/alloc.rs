//! The server's allocator: mimalloc (glibc's malloc was a third of a page render's CPU, with
//! arena locks between the worker threads; DESIGN.md, Performance), giving what the threads
//! free back to the system at once.

use std::ffi::{c_int, c_long};

/// The allocator `main.rs` installs.
pub type Allocator = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (libmimalloc-sys 0.1.49, whose Rust
/// constants skip it). The test below checks that it is the option whose default is v3's 1,000.
const PURGE_DELAY: c_int = 15;

/// mimalloc v3 keeps the memory threads freed for a second (`purge_delay`) before giving it
/// back; a burst's memory outlives the burst. Purging at once took 1.8 MiB off the benchmark's
/// peak at the same speed (DESIGN.md, Performance). `MIMALLOC_PURGE_DELAY` still decides when set.
pub fn purge_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which it reads atomically on each use.
        unsafe { mi_option_set(PURGE_DELAY, 0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" {
        fn mi_option_get(option: c_int) -> c_long;
    }

    #[test]
    fn the_purge_delay_is_the_option_set() {
        // SAFETY: reads and sets mimalloc's options; nothing else in the tests uses them.
        unsafe {
            assert_eq!(
                mi_option_get(PURGE_DELAY),
                1000,
                "not v3's purge_delay default"
            );
            purge_at_once();
            assert_eq!(mi_option_get(PURGE_DELAY), 0);
        }
    }
}
