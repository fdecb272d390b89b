#!/usr/bin/env bash
# Print the folder of a minimal Debian (debootstrap --variant=minbase) for SUITE, made once a
# week and kept under $CI_CACHE (default /var/cache/plac-nzs-ci): the fresh-machine and image
# jobs start from a copy of it instead of bootstrapping every time.
#   .ci/debian-base.sh bookworm   ->   /var/cache/plac-nzs-ci/base-bookworm-2026-W48
set -euo pipefail
suite="$1"
cache="${CI_CACHE:-/var/cache/plac-nzs-ci}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base="$cache/base-$suite-$(date +%G-W%V)"

command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
}
mkdir -p "$cache"
if [ ! -f "$base/.complete" ]; then
    rm -rf "$base.tmp"
    echo "    debootstrap --variant=minbase $suite (cached in $base)" >&2
    nice debootstrap --variant=minbase "$suite" "$base.tmp" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 || {
        tail -20 "$cache/debootstrap-$suite.log" >&2
        exit 1
    }
    touch "$base.tmp/.complete"
    mv "$base.tmp" "$base"
    # Older weeks' bases of this suite are not needed any more.
    find "$cache" -maxdepth 1 -name "base-$suite-*" ! -path "$base" -exec rm -rf {} +
fi
echo "$base"
