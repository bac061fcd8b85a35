# shellcheck shell=bash
# Messages and small helpers every arcx script shares: sourced by ./arcx and by
# the standalone scripts next to it, never run on its own.

say()  { printf 'arcx: %s\n' "$*"; }
warn() { printf 'arcx: warning: %s\n' "$*" >&2; }
die()  { printf 'arcx: error: %s\n' "$*" >&2; exit 1; }

# die_with_log FILE MESSAGE: a failed start is only diagnosable from its log.
die_with_log() {
  printf 'arcx: error: %s\n' "$2" >&2
  if [[ -s $1 ]]; then
    printf -- '--- last lines of %s ---\n' "$1" >&2
    tail -n 40 "$1" >&2
  fi
  exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# as_root CMD...: a privileged step, or the exact command a non-root user must run.
as_root() {
  is_root || die "this step needs root; run: sudo $*"
  "$@"
}

# wait_until SECONDS CMD...: polls CMD once a second; fails if it never succeeded.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

is_local_host() { [[ $1 == 127.* || $1 == localhost || $1 == ::1 ]]; }

# The inner shell expands $1/$2 itself: a port that never answers must not hang us.
# shellcheck disable=SC2016
tcp_open() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true; }

# pid_is PID NAME: also guards against a pid file whose pid was reused.
pid_is() { [[ -n $1 && -r /proc/$1/comm && $(<"/proc/$1/comm") == "$2"* ]]; }
pid_gone() { ! pid_is "$1" "$2"; }

# stop_pid PIDFILE NAME: TERM, up to 30 s to exit, then KILL.
stop_pid() {
  local pidfile=$1 name=$2 pid
  [[ -f $pidfile ]] || return 0
  pid=$(<"$pidfile")
  if pid_is "$pid" "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until 30 pid_gone "$pid" "$name"; then
      warn "$name (pid $pid) ignored TERM for 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

random_hex() {
  if command -v openssl >/dev/null; then
    openssl rand -hex 32
  else
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
    echo
  fi
}
