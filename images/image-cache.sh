# Sourced by the image scripts (bootstrap-rootfs.sh, sandbox-runtime/build.sh):
# the cached-by-tag pattern they share. The caller defines log and die.
#
# print_if_cached TAG: prints TAG and exits 0 when the image exists.
# lock_or_wait LOCKFILE WHAT: takes the machine-wide lock for building, waiting
#   for another build of the same thing (up to 15 min); then print_if_cached
#   again, since whoever held the lock may just have built it.

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

print_if_cached() {
  if image_exists "$1"; then
    echo "$1"
    exit 0
  fi
}

lock_or_wait() {
  local lock=$1 what=$2
  docker version >/dev/null 2>&1 || die "the Docker engine is not reachable (DOCKER_HOST=${DOCKER_HOST:-unset})"
  # Opened read-only: flock does not need write access, and so a lock file
  # that another user created in the sticky /tmp still works.
  [[ -e $lock ]] || (umask 000 && : >>"$lock") 2>/dev/null || true
  exec 9<"$lock" || die "cannot open the lock file $lock"
  if ! flock -n 9; then
    log "another build of $what is running; waiting for it"
    flock -w 900 9 || die "gave up after 15 min waiting for the lock $lock"
  fi
}
