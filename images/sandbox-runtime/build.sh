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
# Settings: ARCX_DEBIAN_MIRROR (http://deb.debian.org/debian).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE=trixie
MIRROR=${ARCX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# One lock for the machine, not per checkout: two worktrees building the same
# hash must not both spend a minute in debootstrap.
LOCK=/tmp/arcx-sandbox-runtime.lock

log() { printf 'sandbox-runtime: %s\n' "$*" >&2; }
die() { printf 'sandbox-runtime: error: %s\n' "$*" >&2; exit 1; }

# inputs_hash FILE...: the first 12 hex of a sha256 over the files (names
# included) of this directory. Only inputs that shape an image count, so
# editing the README rebuilds nothing.
inputs_hash() { (cd "$DIR" && sha256sum "$@") | sha256sum | cut -c1-12; }

# The root filesystem depends only on how it is bootstrapped, so a change to
# the Dockerfile alone rebuilds in seconds, without a new debootstrap.
ROOTFS_TAG=arcx-sandbox-rootfs:$(inputs_hash build.sh packages)
TAG=arcx-sandbox-runtime:$(inputs_hash build.sh Dockerfile packages primed/primed.py primed/primed.js)

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The fast path, taken on every call but the first: no lock, one docker lookup.
if image_exists "$TAG"; then
  echo "$TAG"
  exit 0
fi

docker version >/dev/null 2>&1 || die "the Docker engine is not reachable (DOCKER_HOST=${DOCKER_HOST:-unset})"

# Opened read-only: flock does not need write access, and so a lock file that
# another user created in the sticky /tmp still works.
[[ -e $LOCK ]] || (umask 000 && : >>"$LOCK") 2>/dev/null || true
exec 9<"$LOCK" || die "cannot open the lock file $LOCK"
if ! flock -n 9; then
  log "another build of the sandbox runtime image is running; waiting for it"
  flock -w 900 9 || die "gave up after 15 min waiting for the lock $LOCK"
fi
# Whoever held the lock may just have built this very image.
if image_exists "$TAG"; then
  echo "$TAG"
  exit 0
fi

WORK=""
# debootstrap mounts /proc and /sys inside the target while it configures
# packages; if it died before unmounting them, rm must not descend into the
# host's /proc or /sys, hence the unmount and --one-file-system.
cleanup() {
  [[ -n $WORK && -d $WORK ]] || return 0
  local mountpoint
  while read -r mountpoint; do
    umount -l "$mountpoint" 2>/dev/null || true
  done < <(awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

if ! image_exists "$ROOTFS_TAG"; then
  # Comments and blank lines allowed; debootstrap wants a comma-separated list.
  PACKAGES=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$DIR/packages" | paste -sd,)
  [[ -n $PACKAGES ]] || die "$DIR/packages lists no package"
  [[ $EUID -eq 0 ]] ||
    die "$ROOTFS_TAG is missing and debootstrap needs root; run once: sudo $DIR/build.sh (or: sudo ./arcx infra)"
  command -v debootstrap >/dev/null ||
    die "debootstrap is not installed; run: apt-get install -y debootstrap (or: sudo ./arcx infra)"
  # /var/tmp rather than /tmp: it is on disk (a tmpfs /tmp may be too small for
  # ~400 MB) and not mounted noexec, which debootstrap's chroot steps need.
  WORK=$(mktemp -d /var/tmp/arcx-sandbox-rootfs.XXXXXX)
  log "bootstrapping Debian $SUITE with $PACKAGES from $MIRROR (about a minute)"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK/root" "$MIRROR" >&2
  # Downloaded .debs and package lists are dead weight in an image that never
  # runs apt (and has no network to run it with).
  find "$WORK/root/var/cache/apt" "$WORK/root/var/lib/apt/lists" -type f -delete
  log "importing the root filesystem as $ROOTFS_TAG"
  # Numeric owners: the host's user names must not remap the files' owners.
  tar --numeric-owner -C "$WORK/root" -c . | docker import - "$ROOTFS_TAG" >&2
  cleanup
  WORK=""
fi

log "building $TAG from $ROOTFS_TAG"
docker build -q --build-arg "BASE=$ROOTFS_TAG" -t "$TAG" "$DIR" >&2
echo "$TAG"
