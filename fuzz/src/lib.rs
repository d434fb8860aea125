//! What every fuzz target links: the allocator.
//!
//! Without a sanitizer (`cargo fuzz run -s none`, the overnight runs) the targets allocate with
//! mimalloc. `parse_policy` makes ~100 small allocations per input (one per JSON string, one
//! path and detail per diagnostic) and frees them all before the next input; glibc's
//! per-thread cache keeps 7 blocks per size, so most of them went through its slow paths
//! (`_int_malloc`, `_int_free`, `malloc_consolidate`: ~30 % of the target's instructions).
//! With mimalloc the checking code runs ~25 % faster per input (replay of a 4,026-input
//! corpus, best of six: 17.9 → 13.7 µs), which is fuzzing throughput. The allocator does not
//! change what the properties check.
//!
//! Sanitizer builds (`cargo +nightly fuzz run TARGET`) keep the system allocator: AddressSanitizer
//! replaces it with its own, which finds out-of-bounds and use-after-free accesses only in
//! memory it hands out (`build.rs` sets `fuzz_sanitizer`).

#[cfg(not(fuzz_sanitizer))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
