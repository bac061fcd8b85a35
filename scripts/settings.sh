# shellcheck shell=bash
# Settings: the environment wins over .arcx/config.env, which holds this
# machine's generated secrets; then the local defaults. Sourced by ./arcx.

CONFIG_FILE="$STATE/config.env"

# The file is parsed, not sourced, so that a variable already in the
# environment wins and nothing in the file gets executed.
load_config() {
  local line key value
  if [[ -f $CONFIG_FILE ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
      key=${BASH_REMATCH[2]}
      value=${BASH_REMATCH[3]}
      if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
        value=${BASH_REMATCH[1]}
      fi
      [[ -n ${!key:-} ]] || export "$key=$value"
    done <"$CONFIG_FILE"
  fi
  export ARCX_DB_HOST="${ARCX_DB_HOST:-127.0.0.1}"
  export ARCX_DB_PORT="${ARCX_DB_PORT:-5432}"
  export ARCX_DB_NAME="${ARCX_DB_NAME:-arcx}"
  export ARCX_DB_USER="${ARCX_DB_USER:-arcx}"
  export ARCX_DB_PASSWORD="${ARCX_DB_PASSWORD:-arcx}"
  export ARCX_NATS_URL="${ARCX_NATS_URL:-nats://127.0.0.1:4222}"
  export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
  export ARCX_HTTP_PORT="${ARCX_HTTP_PORT:-3000}"
  export ARCX_IMAGE_BUILDER_PORT="${ARCX_IMAGE_BUILDER_PORT:-3004}"
  # The image-builder builds the recipes of this checkout; the host's CA
  # bundle goes into every image, so HTTPS from inside builds (npm) trusts
  # what the host trusts (a TLS-intercepting proxy here, a corporate one
  # elsewhere). Set ARCX_EXTRA_CA_BUNDLE= (empty) to add none.
  export ARCX_IMAGES_RECIPES="${ARCX_IMAGES_RECIPES:-$ROOT/images/recipes}"
  export ARCX_IMAGES_BOOTSTRAP_SCRIPT="${ARCX_IMAGES_BOOTSTRAP_SCRIPT:-$ROOT/images/bootstrap-rootfs.sh}"
  if [[ -z ${ARCX_EXTRA_CA_BUNDLE+set} && -r /etc/ssl/certs/ca-certificates.crt ]]; then
    export ARCX_EXTRA_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
  fi
}

# Secrets are per machine, so they live in the gitignored config file (mode
# 600). The admin token is shown once, when it is made: it is how a person
# logs in as admin.
ensure_secrets() {
  mkdir -p "$STATE"
  if [[ -z ${ARC_ADMIN_TOKEN:-} ]]; then
    ARC_ADMIN_TOKEN=$(random_hex)
    save_config ARC_ADMIN_TOKEN "$ARC_ADMIN_TOKEN"
    cat <<EOT

  arcx: generated an admin token (saved in .arcx/config.env; shown only now):

      ARC_ADMIN_TOKEN=$ARC_ADMIN_TOKEN

EOT
  fi
  if [[ -z ${ARCX_SESSION_SECRET:-} ]]; then
    ARCX_SESSION_SECRET=$(random_hex)
    save_config ARCX_SESSION_SECRET "$ARCX_SESSION_SECRET"
  fi
  export ARC_ADMIN_TOKEN ARCX_SESSION_SECRET
}

save_config() {
  (umask 077 && echo "$1=$2" >>"$CONFIG_FILE")
  chmod 600 "$CONFIG_FILE"
}
