#!/usr/bin/env bash
#
# Builds the sandbox runtime image (Debian trixie with python3, node and bash)
# and prints its tag, arcx-sandbox-runtime:<hash>, as the only line on stdout.
# Everything else (debootstrap, docker build) goes to stderr.
#
# No container registry is reachable, so there is no base image to pull: the
# root filesystem comes from Debian's mirror through debootstrap and becomes an
# image with `docker import`. The tag is a hash of this directory's inputs, so
# an unchanged build is a docker lookup away; ./arcx and the Java tests
# (SandboxImage) both call this script, so they always agree on the image.
#
# Settings: ARCX_DEBIAN_MIRROR (http://deb.debian.org/debian), used by
# ../bootstrap-rootfs.sh.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE=trixie
# One lock for the machine, not per checkout: two worktrees building the same
# hash must not both spend a minute in debootstrap.
LOCK=/tmp/arcx-sandbox-runtime.lock

log() { printf 'sandbox-runtime: %s\n' "$*" >&2; }
die() { printf 'sandbox-runtime: error: %s\n' "$*" >&2; exit 1; }

# inputs_hash FILE...: the first 12 hex of a sha256 over the files (names
# included) of this directory. Only inputs that shape an image count, so
# editing the README rebuilds nothing.
inputs_hash() { (cd "$DIR" && sha256sum "$@") | sha256sum | cut -c1-12; }

# The runtime tag covers what shapes the image, including the shared
# bootstrap script that makes its root filesystem.
TAG=arcx-sandbox-runtime:$(inputs_hash build.sh Dockerfile packages primed/primed.py primed/primed.js primed/unpack.py primed/init.py ../bootstrap-rootfs.sh ../image-cache.sh)

# shellcheck source=../image-cache.sh
source "$DIR/../image-cache.sh"
# The fast path, taken on every call but the first: no lock, one docker lookup.
print_if_cached "$TAG"
lock_or_wait "$LOCK" "the sandbox runtime image"
print_if_cached "$TAG"

# Debian trixie (minbase plus ./packages) without a registry; cached by its own hash.
ROOTFS_TAG=$("$DIR/../bootstrap-rootfs.sh" arcx-sandbox-rootfs "$SUITE" "$DIR/packages") ||
  die "bootstrapping the root filesystem failed"

log "building $TAG from $ROOTFS_TAG"
docker build -q --build-arg "BASE=$ROOTFS_TAG" -t "$TAG" "$DIR" >&2
echo "$TAG"
