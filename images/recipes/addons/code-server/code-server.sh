# arcx service: code-server (VS Code in the browser). Started in the background
# by arcx-entrypoint, as the container's user; restarted by it if it exits.
#
#   CODE_SERVER_PORT  port on 0.0.0.0 (default 8080)
#   CODE_SERVER_AUTH  none | password (default none). Any other value is a
#                     configuration error: exit 78, and the entrypoint does
#                     not restart the service.
#   With password, the password comes from code-server's own sources, first
#   match wins: $HASHED_PASSWORD (argon2 or sha256 hash), $PASSWORD, then
#   hashed-password: / password: in the config file
#   ($CODE_SERVER_CONFIG, default ~/.config/code-server/config.yaml). With none
#   of them set, code-server writes a random password into that file.
#   --bind-addr and --auth given here override the file's bind-addr/auth.
#
#   The orchestrator's override, read at every (re)start and winning over the
#   variables above: ~/.config/arcx/code-server-auth ($ARCX_IDE_AUTH_FILE),
#   KEY=value lines written when the workspace's password is set, changed or
#   removed: CODE_SERVER_AUTH=none|password and, with password,
#   HASHED_PASSWORD=<argon2id PHC string>. Parsed, never sourced. A file that
#   says password without a hash, or anything but none/password, stops the
#   service (exit 78) rather than let code-server run unprotected.
set -eu

port=${CODE_SERVER_PORT:-8080}
auth=${CODE_SERVER_AUTH:-none}

auth_file=${ARCX_IDE_AUTH_FILE:-$HOME/.config/arcx/code-server-auth}
if [ -f "$auth_file" ]; then
  file_auth=
  file_hash=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      CODE_SERVER_AUTH=*) file_auth=${line#*=} ;;
      HASHED_PASSWORD=*) file_hash=${line#*=} ;;
    esac
  done <"$auth_file"
  case $file_auth in
    none)
      auth=none
      unset PASSWORD HASHED_PASSWORD
      ;;
    password)
      if [ -z "$file_hash" ]; then
        echo "$auth_file says password but has no HASHED_PASSWORD; not starting code-server" >&2
        exit 78
      fi
      auth=password
      unset PASSWORD
      HASHED_PASSWORD=$file_hash
      export HASHED_PASSWORD
      ;;
    *)
      echo "$auth_file: CODE_SERVER_AUTH=$file_auth is neither none nor password; not starting code-server" >&2
      exit 78
      ;;
  esac
fi

case $auth in
  none | password) ;;
  *)
    echo "CODE_SERVER_AUTH=$auth is neither none nor password; not starting code-server" >&2
    exit 78
    ;;
esac

workspace=${WORKSPACE:-$HOME/workspace}
mkdir -p "$workspace"

exec code-server \
  --bind-addr "0.0.0.0:$port" \
  --auth "$auth" \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  "$workspace"
