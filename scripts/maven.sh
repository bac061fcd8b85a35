# shellcheck shell=bash
# Tests and benchmarks through Maven: `test` checks the shell scripts first,
# then ensures the infrastructure and runs ./mvnw verify; `bench` runs the
# JUnit classes tagged "bench". Sourced by ./arcx.

BENCH_DIRS=("$ROOT/orchestrator/src/test/java" "$ROOT/image-builder/src/test/java")

# No container registry is reachable: Testcontainers' Ryuk and Quarkus Dev
# Services would try to pull images and hang or fail, so the suites use the
# real local infrastructure ensured here. Both can still be overridden.
test_environment() {
  use_jdk
  load_config
  # Environment variables outrank the test profile in Quarkus: a local installation's name, secret or images
  # must not leak into the tests (a test reconciler adopting a real installation's name would remove its
  # containers as orphans). Tests choose their own through ARCX_TEST_*.
  unset ARCX_INSTALLATION ARCX_SESSION_SECRET ARCX_IMAGES_DEFAULT_IMAGE ARCX_SANDBOX_IMAGE \
    ARCX_IMAGES_RECIPES ARCX_IMAGES_VERSION ARCX_EXTRA_CA_BUNDLE QUARKUS_PROFILE ARCX_SIGNUP_MODE ARCX_DEV_LOGIN \
    ARCX_GITHUB_CLIENT_ID ARCX_GITHUB_CLIENT_SECRET ARCX_STRIPE_WEBHOOK_SECRET ARCX_GITHUB_WEBHOOK_SECRET
  ensure_infra
  ensure_browser
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  export QUARKUS_DEVSERVICES_ENABLED="${QUARKUS_DEVSERVICES_ENABLED:-false}"
  MVN_FLAGS=(-B)
  # CI logs are read by people: download progress is noise there.
  if [[ ${CI:-} == true ]]; then
    MVN_FLAGS+=(-ntp)
  fi
}

# The launcher is code too: shellcheck over every shell script, before the
# slow part, and the run fails on any finding. shellcheck comes from Debian.
check_shell_scripts() {
  command -v shellcheck >/dev/null || apt_install shellcheck
  bash "$SCRIPTS/check-shell.sh"
}

cmd_test() {
  check_shell_scripts
  test_environment
  exec ./mvnw "${MVN_FLAGS[@]}" verify "$@"
}

# resolve_bench NAME: the single *Bench class whose name contains NAME.
resolve_bench() {
  local want=${1,,} all=() matches=() file cls
  while IFS= read -r file; do
    all+=("$(basename "$file" .java)")
  done < <(find "${BENCH_DIRS[@]}" -name '*Bench.java' -printf '%f\n' 2>/dev/null | sort -u)
  for cls in "${all[@]}"; do
    if [[ ${cls,,} == "$want" ]]; then
      echo "$cls"
      return
    fi
    [[ ${cls,,} == *"$want"* ]] && matches+=("$cls")
  done
  case ${#matches[@]} in
    1) echo "${matches[0]}" ;;
    0) die "no bench matches '$1'; available: ${all[*]:-(none)}" ;;
    *) die "'$1' matches several benches: ${matches[*]}" ;;
  esac
}

cmd_bench() {
  # Surefire only discovers *Test classes by itself; benches end in Bench.
  local selection=("-Dtest=*Bench")
  if [[ $# -gt 0 && $1 != -* ]]; then
    local cls
    cls=$(resolve_bench "$1")
    shift
    selection=("-Dtest=$cls")
  fi
  test_environment
  # Some benches measure the packaged services as deployed: package them first, tests skipped.
  ./mvnw "${MVN_FLAGS[@]}" -q -pl image-builder,orchestrator -am -DskipTests package
  # A bench of one name may exist in both services (fuzz): each module runs its own.
  exec ./mvnw "${MVN_FLAGS[@]}" -pl image-builder,orchestrator -am verify -DskipITs \
    -Dsurefire.failIfNoSpecifiedTests=false -DexcludedGroups= -Dgroups=bench \
    "${selection[@]}" "$@"
}
