//! Tells the fuzz targets whether they are built with a sanitizer: cargo-fuzz passes
//! `-Zsanitizer=…` / `-Csanitizer=…` in the rustflags, and there is no stable `cfg` for it.
//! Sanitizer builds keep the system allocator, which AddressSanitizer replaces with its own
//! checking one; see `src/lib.rs`.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(fuzz_sanitizer)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.split('\u{1f}').any(|f| f.contains("sanitizer=")) {
        println!("cargo::rustc-cfg=fuzz_sanitizer");
    }
}
