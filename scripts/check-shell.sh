#!/usr/bin/env bash
#
# Runs shellcheck over every shell script of the repository: ./arcx, .ci/run,
# scripts/**/*.sh and images/**/*.sh. Prints each finding and exits 1 if there
# is any; `./arcx test` runs it before Maven. Settings: ../.shellcheckrc.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
cd "$ROOT"

command -v shellcheck >/dev/null ||
  die "shellcheck is missing; install with: sudo apt-get update && sudo apt-get install -y shellcheck"

scripts=() fragments=()
while IFS= read -r file; do
  # A file that names its shell (shebang or shell directive) is checked as
  # that shell. One that names none is a fragment bash sources or runs (the
  # image scripts' shared functions, the add-ons' service scripts): a line in
  # it would change the images built from it.
  if [[ $(head -c 2 "$file") == '#!' ]] || grep -q '^# shellcheck shell=' "$file"; then
    scripts+=("$file")
  else
    fragments+=("$file")
  fi
done < <(
  printf '%s\n' arcx .ci/run
  find scripts images -type f -name '*.sh' | sort
)

rc=0
shellcheck "${scripts[@]}" || rc=1
if ((${#fragments[@]} > 0)); then
  shellcheck --shell=bash "${fragments[@]}" || rc=1
fi
((rc == 0)) || die "shellcheck found the problems above in the shell scripts"
say "shellcheck: $((${#scripts[@]} + ${#fragments[@]})) shell scripts clean"
