#!/bin/bash -eu
# Builds every fuzz target of fuzz/ for ClusterFuzzLite / OSS-Fuzz and puts in $OUT, per
# target: the binary, its checked-in seeds (corpus/fuzz/<target>/ as <target>_seed_corpus.zip),
# the IAM dictionary (<target>.dict) and its libFuzzer options (<target>.options) — the same
# per-target settings as `cargo xtask fuzz` (xtask/src/fuzz.rs, TARGETS).
#
# The base image's cargo wrapper turns `cargo fuzz build` into a plain `cargo build` for
# coverage builds ($SANITIZER = coverage) and copies the result to where cargo-fuzz puts its
# release binaries, so the same copy step below serves every build.
cd "$SRC/iamcr"

target_dir=$(cargo metadata --format-version 1 --no-deps | jq -r .target_directory)
release="$target_dir/x86_64-unknown-linux-gnu/release"
targets=$(cargo fuzz list)
[ -n "$targets" ] || { echo "no fuzz targets found" >&2; exit 1; }

cargo fuzz build -O

# The largest input libFuzzer generates, per target (as xtask/src/fuzz.rs): parse_policy is
# capped at the trust/session policy quota, 2,048 bytes.
max_len() {
    case "$1" in
        parse_policy) echo 2048 ;;
        *) echo 4096 ;;
    esac
}

package() {
    local t=$1
    cp "$release/$t" "$OUT/$t"
    cp fuzz/dict/iam.dict "$OUT/$t.dict"
    {
        echo "[libfuzzer]"
        echo "max_len = $(max_len "$t")"
        if [ "$t" = parse_policy ]; then
            # Inputs that run faster get more mutations (fuzz/README.md says why).
            echo "entropic_scale_per_exec_time = 1"
        fi
    } > "$OUT/$t.options"
    if [ -d "corpus/fuzz/$t" ]; then
        (cd "corpus/fuzz/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
    fi
}

for t in $targets; do
    package "$t"
done

# parse_policy runs without comparison hooks (fuzz/README.md: they cost ~40 % of its time and
# guide nothing a text reader needs); rebuilt last, so the others keep theirs. A coverage
# build keeps the one build above.
if [ "${SANITIZER:-address}" != coverage ]; then
    cargo fuzz build -O --no-trace-compares parse_policy
    package parse_policy
fi
