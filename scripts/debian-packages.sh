# shellcheck shell=bash
# Debian packages: everything arcx installs comes from Debian's packages,
# because no other source (and no container registry) is reachable. As root it
# installs with apt; otherwise it prints the command to run and stops.
# Sourced by ./arcx.

APT_UPDATED=false

# arcx is tested on engines 23 and later; Docker 20.10 (Debian 12's docker.io) also spends 80-90 ms per
# PUT /archive (workspaces' IDE password files) where 23 and later spend ~15 ms.
MIN_DOCKER_MAJOR=23
# Where a newer engine comes from when the system's own packages are older: Debian trixie's docker.io.
ENGINE_SUITE=trixie
ENGINE_PACKAGES=(docker.io docker-cli)

# Package lists may be missing or stale on a fresh machine; refresh them once per run.
apt_update_once() {
  if ! $APT_UPDATED; then
    apt-get update -q
    APT_UPDATED=true
  fi
}

apt_install() {
  is_root || die "missing Debian package(s): $*; install with: sudo apt-get update && sudo apt-get install -y $*"
  apt_update_once
  say "installing $* with apt"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

apt_candidate_version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }

apt_candidate() {
  local candidate
  candidate=$(apt_candidate_version "$1")
  [[ -n $candidate && $candidate != "(none)" ]]
}

# major_of VERSION: 26 of "26.1.5+dfsg1-9+b9", of "5:26.1.5" and of "Docker version 26.1.5, build a72d7cd".
major_of() {
  local v=${1#Docker version }
  v=${v#*:}
  printf '%s' "${v%%.*}"
}

# fetch_verified URL FILE SHA256: downloads URL and keeps it only if its SHA-256 matches.
fetch_verified() {
  curl -fsSL --retry 3 -o "$2" "$1" || die "could not download $1"
  [[ $(sha256sum "$2" | cut -d' ' -f1) == "$3" ]] || {
    rm -f "$2"
    die "$1 does not match the checksum Debian's signed index gives"
  }
}

# Downloads trixie's engine packages into DIR along the chain apt itself trusts: InRelease checked with
# gpgv against the installed Debian archive keys -> the Packages index's SHA-256 from it -> each .deb's
# SHA-256 from the index. Nothing unverified is kept.
fetch_engine_debs() {
  local dir=$1 mirror=${ARCX_DEBIAN_MIRROR:-http://deb.debian.org/debian} arch index sum pkg filename
  arch=$(dpkg --print-architecture)
  index="main/binary-$arch/Packages.xz"
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] || apt_install debian-archive-keyring
  command -v gpgv >/dev/null || apt_install gpgv
  command -v xz >/dev/null || apt_install xz-utils
  mkdir -p "$dir"
  curl -fsSL --retry 3 -o "$dir/InRelease" "$mirror/dists/$ENGINE_SUITE/InRelease" ||
    die "could not download $mirror/dists/$ENGINE_SUITE/InRelease"
  gpgv --quiet --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$dir/Release" \
    "$dir/InRelease" 2>/dev/null || die "$ENGINE_SUITE's InRelease is not signed by a Debian archive key"
  sum=$(awk -v f="$index" '/^SHA256:/ {in_sha = 1; next} /^[^ ]/ {in_sha = 0} in_sha && $3 == f {print $1}' "$dir/Release")
  [[ -n $sum ]] || die "$ENGINE_SUITE's Release lists no $index"
  fetch_verified "$mirror/dists/$ENGINE_SUITE/$index" "$dir/Packages.xz" "$sum"
  xz -dc "$dir/Packages.xz" >"$dir/Packages"
  for pkg in "${ENGINE_PACKAGES[@]}"; do
    read -r filename sum < <(awk -v p="$pkg" '
      /^Package: / {match_pkg = ($2 == p)}
      match_pkg && /^Filename: / {f = $2}
      match_pkg && /^SHA256: / {s = $2}
      /^$/ {if (match_pkg && f != "") {print f, s; exit} match_pkg = 0}' "$dir/Packages")
    [[ -n $filename && -n $sum ]] || die "$ENGINE_SUITE's index has no package $pkg"
    fetch_verified "$mirror/$filename" "$dir/${filename##*/}" "$sum"
  done
}

# Debian's docker.io when it is new enough, else trixie's packages (their dependencies from the system's
# own repositories). A running engine is stopped by the package upgrade and started again by arcx.
install_docker_engine() {
  local candidate debs
  is_root || die "the Docker engine is missing or older than $MIN_DOCKER_MAJOR; install Docker $MIN_DOCKER_MAJOR+ (Debian trixie's docker.io) and run ./arcx again"
  apt_update_once
  candidate=$(apt_candidate_version docker.io)
  if [[ -n $candidate && $candidate != "(none)" ]] && (($(major_of "$candidate") >= MIN_DOCKER_MAJOR)); then
    apt_install docker.io
    return
  fi
  debs="$STATE/engine-debs"
  say "Docker: this system offers docker.io ${candidate:-none}; installing Debian $ENGINE_SUITE's engine (verified against Debian's signed index)"
  rm -rf "$debs"
  fetch_engine_debs "$debs"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$debs"/*.deb
  rm -rf "$debs"
}
