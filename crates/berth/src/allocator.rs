//! The memory allocator: mimalloc, told to keep freed memory for a while.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// mimalloc instead of glibc's malloc: request handling allocates and frees
/// many small JSON buffers across threads, where glibc spent about a
/// quarter of the server's CPU (consolidating and unlinking free chunks).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long memory stays free before mimalloc gives it back to the kernel.
/// mimalloc's own default, one second, is shorter than the store's
/// checkpoint cycle: each checkpoint frees a layer of commits that the next
/// layer allocates again within seconds, so those pages went back to the
/// kernel and were faulted in and zeroed anew (about 100,000 page faults in
/// a C1M replay, and a tenth of the server's CPU; see BENCHMARKS.md).
/// Memory that stays unused for longer than this still goes back.
const KEEP_FREED_MEMORY_MS: std::ffi::c_long = 30_000;

/// mimalloc's `mi_option_purge_delay`, which the Rust binding does not name:
/// its place in the C library's `mi_option_e`, the same in mimalloc 2 and 3.
const MI_OPTION_PURGE_DELAY: mi_option_t = 15;

/// The variable through which an operator sets the delay instead.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// Sets mimalloc's purge delay to [`KEEP_FREED_MEMORY_MS`], unless the
/// operator set `MIMALLOC_PURGE_DELAY`. Called first thing in `main`,
/// before any other thread runs.
pub fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
        return;
    }
    // SAFETY: this stores one integer option that mimalloc reads when it
    // decides to purge; no other thread runs yet to read it meanwhile.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, KEEP_FREED_MEMORY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    /// The purge delay mimalloc works with now, in milliseconds.
    fn purge_delay_ms() -> std::ffi::c_long {
        // SAFETY: reads one integer option.
        unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
            // The operator's value is kept, and says nothing of the index.
            return;
        }
        // Only the purge delay defaults to a second in mimalloc 3: if the
        // binding moves to a library whose options are numbered otherwise,
        // this fails before the server tunes some other option.
        assert_eq!(purge_delay_ms(), 1_000);
        keep_freed_memory();
        assert_eq!(purge_delay_ms(), KEEP_FREED_MEMORY_MS);
    }
}
