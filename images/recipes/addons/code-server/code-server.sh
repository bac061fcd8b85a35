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
set -eu

port=${CODE_SERVER_PORT:-8080}
auth=${CODE_SERVER_AUTH:-none}
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
