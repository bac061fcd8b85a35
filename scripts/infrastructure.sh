# shellcheck shell=bash
# Infrastructure: what the services and the tests need on this machine —
# PostgreSQL, NATS with JetStream, a Docker engine, busybox-static,
# debootstrap, the host firewall guard, and the browser for tests. Each ensure_*
# uses what already runs and installs/starts only what is missing.
#
# Whatever arcx starts is recorded in .arcx/started, so that `down` — or Ctrl-C
# on a foreground `up` — stops exactly what arcx started, never a service that
# was already running before. Sourced by ./arcx.

STARTED_FILE="$STATE/started"
FIREWALL_GUARD="$SCRIPTS/firewall-guard.sh"
# Components this invocation started: a foreground `up` undoes only these.
STARTED_HERE=()

# ---------------------------------------------------------------- started components

record_started() {
  STARTED_HERE+=("$1")
  mkdir -p "$STATE"
  if ! grep -qx "$1" "$STARTED_FILE" 2>/dev/null; then
    echo "$1" >>"$STARTED_FILE"
  fi
}

stop_component() {
  case $1 in
    postgres) stop_postgres ;;
    nats) stop_nats ;;
    dockerd) stop_dockerd ;;
    *) warn "unknown entry '$1' in $STARTED_FILE" ;;
  esac
  if [[ -f $STARTED_FILE ]]; then
    grep -vx "$1" "$STARTED_FILE" >"$STARTED_FILE.tmp" || true
    mv "$STARTED_FILE.tmp" "$STARTED_FILE"
  fi
}

# Reverse start order: Docker goes before the services it may depend on.
stop_recorded() {
  local component
  [[ -s $STARTED_FILE ]] || return 0
  while read -r component; do
    [[ -n $component ]] && stop_component "$component"
  done < <(tac "$STARTED_FILE")
  rm -f "$STARTED_FILE"
}

# What this invocation started, in reverse order (a foreground `up` ending).
stop_started_here() {
  local i
  for ((i = ${#STARTED_HERE[@]} - 1; i >= 0; i--)); do
    stop_component "${STARTED_HERE[i]}"
  done
}

# ---------------------------------------------------------------- PostgreSQL

pg_ready() { pg_isready -q -t 3 -h "$ARCX_DB_HOST" -p "$ARCX_DB_PORT"; }

# Newest installed cluster version (Debian keeps one directory per version).
pg_version() { { ls /etc/postgresql 2>/dev/null || true; } | sort -V | tail -n 1; }

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_ready; then
    say "PostgreSQL: running at $ARCX_DB_HOST:$ARCX_DB_PORT"
  else
    is_local_host "$ARCX_DB_HOST" ||
      die "PostgreSQL at $ARCX_DB_HOST:$ARCX_DB_PORT is not reachable (arcx manages only a local one)"
    if [[ -z $(pg_version) ]] || ! command -v pg_ctlcluster >/dev/null; then
      apt_install postgresql
    fi
    local version
    version=$(pg_version)
    [[ -n $version ]] || die "postgresql is installed but has no cluster; create one with: sudo pg_createcluster --start <version> main"
    say "PostgreSQL: starting cluster $version/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    record_started postgres
    wait_until 30 pg_ready ||
      die_with_log "/var/log/postgresql/postgresql-$version-main.log" "PostgreSQL did not accept connections on $ARCX_DB_HOST:$ARCX_DB_PORT within 30 s"
  fi
  if is_local_host "$ARCX_DB_HOST"; then
    ensure_db_role
  fi
  check_db_login
}

stop_postgres() {
  local version
  version=$(pg_version)
  say "stopping PostgreSQL $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main stop || warn "could not stop PostgreSQL $version/main"
}

# psql_superuser ARGS...: psql as the postgres superuser. Over TCP when trust
# auth allows it (needs no root), else over the local socket as the postgres
# OS user, which is what peer auth on a fresh Debian install expects.
psql_superuser() {
  local common=(-X -q -v ON_ERROR_STOP=1 -p "$ARCX_DB_PORT" -d postgres)
  if psql -w -h 127.0.0.1 -U postgres "${common[@]}" -c 'select 1' >/dev/null 2>&1; then
    psql -w -h 127.0.0.1 -U postgres "${common[@]}" "$@"
  elif is_root; then
    (cd / && runuser -u postgres -- psql "${common[@]}" "$@")
  else
    die "cannot act as the PostgreSQL superuser to create role/databases; run once as root: sudo ./arcx infra"
  fi
}

# The tests' database: ARCX_TEST_DB_NAME lets test runs side by side (several
# checkouts on one machine) keep their data apart.
test_db_name() { printf '%s' "${ARCX_TEST_DB_NAME:-arcx_test}"; }

# Idempotent: creates what is missing, and re-asserts the role's password and
# the databases' owner so that a half-made earlier setup gets repaired.
ensure_db_role() {
  psql_superuser -v user="$ARCX_DB_USER" -v password="$ARCX_DB_PASSWORD" \
    -v db="$ARCX_DB_NAME" -v testdb="$(test_db_name)" <<'SQL'
SELECT format('CREATE ROLE %I', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user')
\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'user')
  FROM unnest(ARRAY[:'db', :'testdb']) AS d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d)
\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, :'user')
  FROM pg_database
 WHERE datname IN (:'db', :'testdb') AND pg_get_userbyid(datdba) <> :'user'
\gexec
SQL
  say "PostgreSQL: role $ARCX_DB_USER, databases $ARCX_DB_NAME and $(test_db_name) ready"
}

# The orchestrator and the tests log in with a password over TCP; prove that
# works now rather than as a stack trace later.
check_db_login() {
  local db
  for db in "$ARCX_DB_NAME" "$(test_db_name)"; do
    PGPASSWORD=$ARCX_DB_PASSWORD psql -X -w -q -h "$ARCX_DB_HOST" -p "$ARCX_DB_PORT" \
      -U "$ARCX_DB_USER" -d "$db" -c 'select 1' >/dev/null ||
      die "cannot log in to PostgreSQL as $ARCX_DB_USER to database $db at $ARCX_DB_HOST:$ARCX_DB_PORT; check pg_hba.conf allows password logins from there"
  done
}

# ---------------------------------------------------------------- NATS

# Sets NATS_HOST/NATS_PORT from the first server of ARCX_NATS_URL.
nats_endpoint() {
  local hostport=${ARCX_NATS_URL%%,*}
  hostport=${hostport#*://}
  hostport=${hostport##*@}
  hostport=${hostport%%/*}
  if [[ $hostport == *:* ]]; then
    NATS_HOST=${hostport%:*}
    NATS_PORT=${hostport##*:}
  else
    NATS_HOST=$hostport
    NATS_PORT=4222
  fi
}

nats_up() { tcp_open "$NATS_HOST" "$NATS_PORT"; }

# A server that is already listening is trusted to have JetStream: without a
# monitoring port there is no cheap way to ask it (see ./arcx help).
ensure_nats() {
  nats_endpoint
  if nats_up; then
    say "NATS: running at $NATS_HOST:$NATS_PORT"
    return
  fi
  is_local_host "$NATS_HOST" ||
    die "NATS at $NATS_HOST:$NATS_PORT is not reachable (arcx manages only a local one)"
  [[ -x /usr/sbin/nats-server ]] || apt_install nats-server
  say "NATS: starting nats-server with JetStream on $NATS_HOST:$NATS_PORT"
  mkdir -p "$STATE/nats"
  start-stop-daemon --start --oknodo --background --make-pidfile --pidfile "$STATE/nats.pid" \
    --exec /usr/sbin/nats-server -- \
    -a "$NATS_HOST" -p "$NATS_PORT" -js -sd "$STATE/nats" -l "$STATE/nats.log"
  record_started nats
  wait_until 15 nats_up || die_with_log "$STATE/nats.log" "NATS did not listen on $NATS_HOST:$NATS_PORT within 15 s"
}

stop_nats() {
  say "stopping NATS"
  start-stop-daemon --stop --oknodo --quiet --pidfile "$STATE/nats.pid" --remove-pidfile \
    --retry TERM/10/KILL/5 || warn "could not stop nats-server (pid file $STATE/nats.pid)"
}

# ---------------------------------------------------------------- Docker

docker_ready() { timeout 10 docker info >/dev/null 2>&1; }

engine_version() { timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null; }

engine_major() { major_of "$(engine_version)"; }

installed_dockerd_major() { major_of "$(dockerd --version 2>/dev/null)"; }

ensure_docker() {
  local major
  if command -v docker >/dev/null && docker_ready; then
    major=$(engine_major)
    if [[ $major =~ ^[0-9]+$ ]] && ((major < MIN_DOCKER_MAJOR)); then
      # Someone else's engine: arcx does not replace it under them, but says what it costs.
      warn "the running Docker engine is version $major; arcx is tested on $MIN_DOCKER_MAJOR and later"
    fi
    say "Docker: engine running ($DOCKER_HOST)"
    return
  fi
  [[ $DOCKER_HOST == unix:///var/run/docker.sock ]] ||
    die "Docker engine at $DOCKER_HOST is not reachable (arcx starts only the local engine)"
  major=$(installed_dockerd_major)
  if ! command -v dockerd >/dev/null || ! [[ $major =~ ^[0-9]+$ ]] || ((major < MIN_DOCKER_MAJOR)); then
    install_docker_engine
    # The package may have started the engine itself; then it is not ours to stop.
    if docker_ready; then
      say "Docker: engine running"
      return
    fi
  fi
  is_root || die "the Docker engine is not running; start it with: sudo dockerd"
  say "Docker: starting dockerd $(installed_dockerd_major).x (log: .arcx/dockerd.log)"
  # Own session: the terminal's Ctrl-C or hang-up must not reach the engine;
  # arcx stops it explicitly, and only if it started it.
  setsid dockerd >>"$STATE/dockerd.log" 2>&1 </dev/null &
  echo $! >"$STATE/dockerd.pid"
  record_started dockerd
  wait_until 30 docker_ready || die_with_log "$STATE/dockerd.log" "the Docker engine did not answer within 30 s"
}

stop_dockerd() {
  say "stopping dockerd"
  stop_pid "$STATE/dockerd.pid" dockerd
}

# ---------------------------------------------------------------- busybox, debootstrap, firewall, browser

busybox_static() {
  local info
  [[ -x /bin/busybox ]] || return 1
  if command -v file >/dev/null; then
    info=$(file -L /bin/busybox)
  else
    info=$(LC_ALL=C ldd /bin/busybox 2>&1 || true)
  fi
  [[ $info == *"statically linked"* || $info == *"static-pie linked"* || $info == *"not a dynamic executable"* ]]
}

# The tests and the dev workspace image copy /bin/busybox into FROM-scratch
# images, where a dynamically linked one would not run.
ensure_busybox() {
  if busybox_static; then
    say "busybox: static /bin/busybox present"
  else
    apt_install busybox-static
    busybox_static || die "/bin/busybox is still not a static binary after installing busybox-static"
  fi
}

# No registry is reachable, so the sandbox runtime image starts from a Debian
# root filesystem that debootstrap fetches from the mirror (`up` and the tests).
ensure_debootstrap() {
  if command -v debootstrap >/dev/null; then
    say "debootstrap: present"
  else
    apt_install debootstrap
  fi
}

# Without root or iptables the guard prints the commands to run (exit 3) and
# arcx goes on without it; any other failure stops arcx.
ensure_firewall() {
  local rc=0
  bash "$FIREWALL_GUARD" install || rc=$?
  ((rc == 0 || rc == 3)) || exit "$rc"
}

# For `status`: present, missing, or unknown when the guard cannot look.
firewall_state() {
  local rc=0
  bash "$FIREWALL_GUARD" check >/dev/null 2>&1 || rc=$?
  case $rc in
    0) echo "workspace guard present" ;;
    1) echo "workspace guard MISSING (./arcx up installs it)" ;;
    *) echo "unknown (needs root and iptables)" ;;
  esac
}

# The dashboard's browser tests drive Debian's headless Chromium through
# chromium-driver (Selenium finds both at their Debian paths); only `test` needs them.
ensure_browser() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    say "chromium: chromium and chromedriver present"
  else
    apt_install chromium chromium-driver
  fi
}

ensure_infra() {
  mkdir -p "$STATE"
  command -v curl >/dev/null || apt_install curl
  ensure_postgres
  ensure_nats
  ensure_docker
  ensure_busybox
  ensure_debootstrap
  ensure_firewall
}
