# shellcheck shell=bash
# The JDK Maven and the services run on: JAVA_HOME when it is new enough, else
# the newest one installed, else Debian's openjdk. Sourced by ./arcx.

MIN_JAVA=21

# java_major JAVA: the feature version ("1.8.0_x" → 8, "25.0.3" → 25), 0 if unknown.
java_major() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1) || true
  v=${v#1.}
  v=${v%%[.+-]*}
  if [[ $v =~ ^[0-9]+$ ]]; then echo "$v"; else echo 0; fi
}

# find_jdk: JAVA_HOME when it is new enough (the user chose it), else the
# newest JDK (with javac: Maven compiles) >= MIN_JAVA among /usr/lib/jvm/* and
# the java on PATH. Prints nothing if there is none.
find_jdk() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] &&
    (($(java_major "$JAVA_HOME/bin/java") >= MIN_JAVA)); then
    printf '%s' "$JAVA_HOME"
    return
  fi
  local candidates=(/usr/lib/jvm/*/) best="" best_major=0 home major java_on_path
  if java_on_path=$(command -v java); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java_on_path")")")")
  fi
  for home in "${candidates[@]}"; do
    home=${home%/}
    [[ -x $home/bin/java && -x $home/bin/javac ]] || continue
    major=$(java_major "$home/bin/java")
    if ((major >= MIN_JAVA && major > best_major)); then
      best=$home
      best_major=$major
    fi
  done
  printf '%s' "$best"
}

install_jdk() {
  local pkg
  if is_root; then
    apt_update_once
  fi
  for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if apt_candidate "$pkg"; then
      apt_install "$pkg"
      return
    fi
  done
  die "no JDK >= $MIN_JAVA found and apt offers neither openjdk-25-jdk-headless nor openjdk-21-jdk-headless; install a JDK $MIN_JAVA+ and run: JAVA_HOME=/path/to/jdk ./arcx ..."
}

use_jdk() {
  local home
  home=$(find_jdk)
  if [[ -z $home ]]; then
    install_jdk
    home=$(find_jdk)
    [[ -n $home ]] || die "installed a JDK but found none >= $MIN_JAVA under /usr/lib/jvm"
  fi
  export JAVA_HOME=$home PATH="$home/bin:$PATH"
  say "java: $home"
}
