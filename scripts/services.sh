# shellcheck shell=bash
# The platform's services: build when stale, the workspace and sandbox images
# they run, start/stop with a pid file and a log under .arcx/, `up`, `down`
# and `status`. Sourced by ./arcx.

# In start order: the orchestrator asks the image-builder for workspace images.
# Each runs from its Quarkus jar.
SERVICES=(image-builder orchestrator)
READY_TIMEOUT=120
DEV_IMAGE_DIR="$ROOT/images/dev-workspace"
SANDBOX_BUILD="$ROOT/images/sandbox-runtime/build.sh"
SANDBOX_LOG="$STATE/sandbox-image.log"

service_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
service_pid_file() { echo "$STATE/$1.pid"; }
service_log() { echo "$STATE/$1.log"; }
service_port() {
  case $1 in
    orchestrator) echo "$ARCX_HTTP_PORT" ;;
    image-builder) echo "$ARCX_IMAGE_BUILDER_PORT" ;;
  esac
}
service_health() { echo "http://127.0.0.1:$(service_port "$1")/q/health/ready"; }

# ---------------------------------------------------------------- images

# Tagged by content, so an unchanged Dockerfile and busybox never rebuild.
ensure_dev_image() {
  local tag ctx output rc=0
  tag="arcx-dev-workspace:$(cat "$DEV_IMAGE_DIR/Dockerfile" /bin/busybox | sha256sum | cut -c1-12)"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    say "dev workspace image: $tag (exists)"
  else
    say "dev workspace image: building $tag"
    ctx=$(mktemp -d)
    cp "$DEV_IMAGE_DIR/Dockerfile" /bin/busybox "$ctx/"
    # Quiet unless it fails: the CLI's legacy-builder notice is noise here.
    output=$(docker build -t "$tag" "$ctx" 2>&1) || rc=$?
    rm -rf "$ctx"
    ((rc == 0)) || die "building the dev workspace image failed:"$'\n'"$output"
  fi
  export ARCX_IMAGES_DEFAULT_IMAGE=$tag
}

# The image code-execution sandboxes run in. build.sh owns the hash, the cache
# and the build (the tests call it too); it prints only the tag. Its stderr —
# hundreds of debootstrap lines on a first build — goes to a log that is shown
# only if it fails.
ensure_sandbox_image() {
  local out="$STATE/sandbox-image.tag" pid i rc=0 started=$SECONDS
  "$SANDBOX_BUILD" >"$out" 2>"$SANDBOX_LOG" &
  pid=$!
  # A cached image answers within a fraction of a second; only a real build
  # (about a minute) is worth a line before it is done. As a background job it
  # ignores Ctrl-C: an interrupted `up` leaves it to finish and fill the cache.
  for ((i = 0; i < 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "sandbox runtime image: building (about a minute; log: .arcx/sandbox-image.log)"
  fi
  wait "$pid" || rc=$?
  ARCX_SANDBOX_IMAGE=$(tail -n 1 "$out")
  rm -f "$out"
  ((rc == 0)) || die_with_log "$SANDBOX_LOG" "building the sandbox runtime image failed ($SANDBOX_BUILD)"
  if ((SECONDS - started > 1)); then
    say "sandbox runtime image: built $ARCX_SANDBOX_IMAGE in $((SECONDS - started)) s"
  else
    say "sandbox runtime image: $ARCX_SANDBOX_IMAGE (exists)"
  fi
  export ARCX_SANDBOX_IMAGE
}

# Workspaces get their images from the image-builder (built on first use;
# the first build of an image takes minutes, and the workspace shows
# building-image with its progress meanwhile). ARCX_DEV_IMAGE=1 gives every
# workspace the tiny dev image instead, for work on the platform itself.
choose_workspace_images() {
  if [[ ${ARCX_DEV_IMAGE:-0} == 1 ]]; then
    ensure_dev_image
  else
    unset ARCX_IMAGES_DEFAULT_IMAGE
    say "workspace images: built on demand by the image-builder (ARCX_DEV_IMAGE=1 for the tiny dev image)"
  fi
}

# ---------------------------------------------------------------- build

# Maven's own up-to-date checks still cost a full reactor start, so skip it
# when no source, resource or POM is newer than the oldest runnable jar.
build_if_stale() {
  local service oldest="" newer
  for service in "${SERVICES[@]}"; do
    if [[ ! -f $(service_jar "$service") ]]; then
      say "build: no $service jar yet, building"
      ./mvnw -B -q -DskipTests package
      return
    fi
    if [[ -z $oldest || $(service_jar "$service") -ot $oldest ]]; then
      oldest=$(service_jar "$service")
    fi
  done
  newer=$(find pom.xml common common-engine "${SERVICES[@]}" -type d -name target -prune -o -newer "$oldest" -print -quit)
  if [[ -z $newer ]]; then
    say "build: up to date"
    return
  fi
  say "build: $newer changed, rebuilding"
  ./mvnw -B -q -DskipTests package
}

# ---------------------------------------------------------------- start, stop

service_running() {
  local pid_file
  pid_file=$(service_pid_file "$1")
  [[ -f $pid_file ]] && pid_is "$(<"$pid_file")" java
}
service_ready() { [[ $(http_code "$(service_health "$1")") == 200 ]]; }

refuse_if_running() {
  local service
  for service in "${SERVICES[@]}"; do
    if service_running "$service"; then
      die "the $service already runs (pid $(<"$(service_pid_file "$service")")); stop it with: ./arcx down"
    fi
  done
}

stop_service() {
  if service_running "$1"; then
    say "stopping $1 (pid $(<"$(service_pid_file "$1")"))"
  fi
  stop_pid "$(service_pid_file "$1")" java
}

# Reverse start order: the orchestrator goes before the image-builder it asks.
stop_services() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    stop_service "${SERVICES[i]}"
  done
}

# start_service NAME: starts the JVM in its own session (closing the terminal
# does not take it down), logging to .arcx/NAME.log, and waits until ready.
start_service() {
  local name=$1 pid deadline=$((SECONDS + READY_TIMEOUT))
  setsid "$JAVA_HOME/bin/java" -jar "$(service_jar "$name")" >"$(service_log "$name")" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$(service_pid_file "$name")"
  until service_ready "$name"; do
    # Liveness by signal, not by name: for its first moments the process is
    # still setsid, not yet java.
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(service_pid_file "$name")"
      die_with_log "$(service_log "$name")" "the $name exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      stop_service "$name"
      die_with_log "$(service_log "$name")" "the $name was not ready within $READY_TIMEOUT s ($(service_health "$name"))"
    fi
    sleep 1
  done
  say "$name ready: http://127.0.0.1:$(service_port "$name") (pid $pid, log .arcx/$name.log)"
}

# ---------------------------------------------------------------- up, down

# Everything `up` and `up -d` share, up to the point of starting the JVMs.
# The services run the `local` profile: a local installation speaks plain HTTP
# on loopback and has no GitHub OAuth app, so signup is open and the
# development sign-in is on (the prod profile refuses to start with it).
prepare_up() {
  use_jdk
  load_config
  export QUARKUS_PROFILE="${QUARKUS_PROFILE:-local}"
  ensure_secrets
  ensure_infra
  build_if_stale
  choose_workspace_images
  ensure_sandbox_image
  local service
  for service in "${SERVICES[@]}"; do
    if tcp_open 127.0.0.1 "$(service_port "$service")"; then
      die "port $(service_port "$service") ($service) is already in use; stop that process or change its port"
    fi
  done
}

say_sign_in() {
  if [[ $QUARKUS_PROFILE == local && ${ARCX_DEV_LOGIN:-true} != false ]]; then
    say "sign in (development sign-in, local only): http://127.0.0.1:$ARCX_HTTP_PORT/auth/dev?login=$(id -un | tr -c 'A-Za-z0-9\n-' -)"
  fi
}

# Foreground: the services run in the background while this shell waits, so
# it stays free to react to Ctrl-C/TERM, stop them, and then stop what this
# run started. It ends when either service ends.
up_foreground() {
  refuse_if_running
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap cleanup_foreground EXIT
  prepare_up
  SERVICES_STARTED_HERE=true
  local service pids=()
  for service in "${SERVICES[@]}"; do
    start_service "$service"
    pids+=("$(<"$(service_pid_file "$service")")")
  done
  say "up; Ctrl-C stops everything this run started"
  say_sign_in
  # The JVMs are not children of this shell (setsid), so wait by polling.
  while pid_is "${pids[0]}" java && pid_is "${pids[1]}" java; do
    sleep 1
  done
  for service in "${SERVICES[@]}"; do
    service_running "$service" || warn "the $service stopped; see .arcx/$service.log"
  done
  exit 1
}

cleanup_foreground() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ ${SERVICES_STARTED_HERE:-false} == true ]]; then
    stop_services
  fi
  stop_started_here
  exit "$rc"
}

up_background() {
  refuse_if_running
  prepare_up
  local service
  for service in "${SERVICES[@]}"; do
    start_service "$service"
  done
  say "up: orchestrator on http://127.0.0.1:$ARCX_HTTP_PORT; stop with ./arcx down"
  say_sign_in
}

cmd_down() {
  stop_services
  stop_recorded
  say "down"
}

# ---------------------------------------------------------------- status

cmd_status() {
  load_config
  nats_endpoint
  local line jdk engine workspaces service port
  for service in "${SERVICES[@]}"; do
    port=$(service_port "$service")
    if service_running "$service"; then
      line="running (pid $(<"$(service_pid_file "$service")")), http://127.0.0.1:$port"
    elif tcp_open 127.0.0.1 "$port"; then
      line="not started by arcx, but port $port is in use"
    else
      line="stopped"
    fi
    if service_ready "$service"; then line+=", ready"; elif [[ $line != stopped ]]; then line+=", not ready"; fi
    printf '%-13s %s\n' "$service" "$line"
  done

  if command -v pg_isready >/dev/null && pg_ready; then line="accepting connections"; else line="not reachable"; fi
  printf '%-13s %s:%s %s\n' PostgreSQL "$ARCX_DB_HOST" "$ARCX_DB_PORT" "$line"

  if nats_up; then line="reachable"; else line="not reachable"; fi
  printf '%-13s %s:%s %s\n' NATS "$NATS_HOST" "$NATS_PORT" "$line"

  if engine=$(engine_version); then
    workspaces=$(timeout 10 docker ps -q --filter label=arcx.workspace | wc -l) || workspaces="?"
    printf '%-13s %s engine %s, %s arcx workspace container(s)\n' Docker "$DOCKER_HOST" "$engine" "$workspaces"
  else
    printf '%-13s %s not reachable\n' Docker "$DOCKER_HOST"
  fi

  printf '%-13s %s\n' firewall "$(firewall_state)"

  jdk=$(find_jdk)
  printf '%-13s %s\n' java "${jdk:-no JDK >= $MIN_JAVA found}"

  if [[ -s $STARTED_FILE ]]; then
    printf '%-13s %s\n' "arcx started" "$(paste -sd ' ' "$STARTED_FILE")"
  fi
}
