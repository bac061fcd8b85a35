#!/usr/bin/env bash
#
# bootstrap-rootfs.sh NAME SUITE PACKAGES_FILE
#
# Makes a Debian root filesystem image without any registry: debootstrap
# (--variant=minbase, plus the packages listed in PACKAGES_FILE) from Debian's
# mirror, then `docker import`. Prints the tag, NAME:<hash>, as the only line
# on stdout; everything else goes to stderr. The hash covers this script, the
# suite and the package list, so an unchanged root filesystem is a docker
# lookup away. Used by images/sandbox-runtime/build.sh and by the image-builder
# service for the base layer of workspace images.
#
# Needs root (debootstrap chroots) and debootstrap, only when the image is
# missing. Settings: ARCX_DEBIAN_MIRROR (http://deb.debian.org/debian).
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 NAME SUITE PACKAGES_FILE" >&2; exit 2; }
NAME=$1 SUITE=$2 PACKAGES_FILE=$3
SELF="${BASH_SOURCE[0]}"
MIRROR=${ARCX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# One lock per image name for the whole machine, not per checkout: two
# worktrees wanting the same root filesystem must not both debootstrap it.
LOCK=/tmp/arcx-rootfs-${NAME//[^a-zA-Z0-9_.-]/_}.lock

log() { printf 'rootfs %s: %s\n' "$NAME" "$*" >&2; }
die() { printf 'rootfs %s: error: %s\n' "$NAME" "$*" >&2; exit 1; }

[[ -f $PACKAGES_FILE ]] || die "no package list at $PACKAGES_FILE"
# Comments and blank lines allowed; debootstrap wants a comma-separated list.
PACKAGES=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$PACKAGES_FILE" | paste -sd,)
TAG=$NAME:$({ cat "$SELF"; echo "$SUITE"; echo "$PACKAGES"; } | sha256sum | cut -c1-12)

# shellcheck source=image-cache.sh
source "$(dirname "$SELF")/image-cache.sh"
print_if_cached "$TAG"
lock_or_wait "$LOCK" "this root filesystem"
print_if_cached "$TAG"

[[ $EUID -eq 0 ]] || die "$TAG is missing and debootstrap needs root; run once as root (sudo ./arcx infra)"
command -v debootstrap >/dev/null || die "debootstrap is not installed; run: apt-get install -y debootstrap"

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

# /var/tmp rather than /tmp: it is on disk (a tmpfs /tmp may be too small) and
# not mounted noexec, which debootstrap's chroot steps need.
WORK=$(mktemp -d /var/tmp/arcx-rootfs.XXXXXX)
log "bootstrapping Debian $SUITE${PACKAGES:+ with $PACKAGES} from $MIRROR (about a minute)"
debootstrap --variant=minbase ${PACKAGES:+--include="$PACKAGES"} "$SUITE" "$WORK/root" "$MIRROR" >&2
# Downloaded .debs and package lists are dead weight in an image.
find "$WORK/root/var/cache/apt" "$WORK/root/var/lib/apt/lists" -type f -delete
log "importing the root filesystem as $TAG"
# Numeric owners: the host's user names must not remap the files' owners.
tar --numeric-owner -C "$WORK/root" -c . | docker import - "$TAG" >&2
echo "$TAG"
