//! The memory allocator: mimalloc, told to give freed memory back to the
//! kernel less often than it would.

use libmimalloc_sys::{mi_option_set_default, mi_option_t};

/// mimalloc instead of glibc's malloc: request handling allocates and frees
/// many small JSON buffers across threads, where glibc spent about a
/// quarter of the server's CPU (consolidating and unlinking free chunks).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's purge delay: the first free after a purge starts a timer this
/// long, and when it has run out (checked as the allocator runs), the freed
/// memory still unused then goes back to the kernel. mimalloc's own default,
/// one second, is shorter than the store's checkpoint cycle: each checkpoint
/// frees a layer of commits that the next layer allocates again within
/// seconds, so those pages went back and were faulted in and zeroed anew
/// (about 100,000 page faults in a C1M replay, and 5–10% of the server's CPU
/// per task; see BENCHMARKS.md). Purging thirty times less often costs some
/// resident memory (20–60 MiB more at the peak of that replay); it applies
/// to every `berth` command.
const PURGE_DELAY_MS: std::ffi::c_long = 30_000;

/// mimalloc's `mi_option_purge_delay`, which the Rust binding does not name:
/// its place in the C library's `mi_option_e`, the same in mimalloc 2 and 3
/// (only mimalloc 3 is built; its default and meaning differ in 2).
const MI_OPTION_PURGE_DELAY: mi_option_t = 15;

/// Sets mimalloc's purge delay to [`PURGE_DELAY_MS`], unless the operator
/// set it in the environment (`MIMALLOC_PURGE_DELAY`, read by mimalloc
/// itself before `main`), which is kept.
pub(crate) fn purge_less_often() {
    // SAFETY: the option is one word that mimalloc reads without a lock on
    // its purge paths (its own sources allow racy option writes): a thread
    // sees the old delay or the new one, both valid. Called first in `main`
    // anyway.
    unsafe { mi_option_set_default(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::{mi_option_get, mi_version};

    /// The purge delay mimalloc works with now, in milliseconds.
    fn purge_delay_ms() -> std::ffi::c_long {
        // SAFETY: reads one word-sized option.
        unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    /// Whether the environment sets the purge delay, in any of the forms
    /// mimalloc reads (any case, or its former name).
    fn set_by_environment() -> bool {
        std::env::vars_os().any(|(name, _)| {
            let name = name.to_string_lossy().to_ascii_uppercase();
            name == "MIMALLOC_PURGE_DELAY" || name == "MIMALLOC_RESET_DELAY"
        })
    }

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // SAFETY: reads a constant.
        let version = unsafe { mi_version() };
        assert_eq!(version / 10_000, 3, "built against mimalloc {version}");
        if set_by_environment() {
            // The operator's value is kept, and says nothing of the index.
            return;
        }
        // Only the purge delay defaults to a second in mimalloc 3: if the
        // binding moves to a library whose options are numbered otherwise,
        // this fails before the server tunes some other option.
        assert_eq!(purge_delay_ms(), 1_000);
        purge_less_often();
        assert_eq!(purge_delay_ms(), PURGE_DELAY_MS);
    }
}
