#!/bin/sh
# Writes traefik.yml with the ACME e-mail from the environment into the directory Traefik reads (default
# /etc/traefik), and copies the dynamic configuration next to it. Traefik takes one static source only, so the value
# cannot come from a TRAEFIK_* variable alongside the file.
set -eu
here=$(dirname "$0")
target=${1:-/etc/traefik}
: "${ARCX_ACME_EMAIL:?set ARCX_ACME_EMAIL to the address Let's Encrypt writes to about certificates}"
case $ARCX_ACME_EMAIL in
  *[!A-Za-z0-9@._+-]*) echo "ARCX_ACME_EMAIL must be a plain e-mail address" >&2; exit 1 ;;
esac
mkdir -p "$target/dynamic"
sed "s|\${ARCX_ACME_EMAIL}|$ARCX_ACME_EMAIL|" "$here/traefik.yml" >"$target/traefik.yml"
cp "$here"/dynamic/*.yml "$target/dynamic/"
