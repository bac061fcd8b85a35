#!/usr/bin/env bash
#
# The host firewall guard for workspace networks.
#
# Every workspace network's bridge is named arcxw… (arcxw-<hex> per workspace,
# arcxw<hex> for the edge network), whatever the installation. Two iptables
# rules at the top of INPUT let replies to connections the host opened back in
# and drop everything else a workspace sends to the host itself, so it cannot
# reach a service listening on the host (PostgreSQL, NATS, the Docker API, the
# orchestrator); the host still reaches the workspaces. The rules cover the
# bridges of every installation on the host, so there is one pair per host.
#
# Usage: firewall-guard.sh install | remove | check
#   install  puts the pair in place; a pair already exactly in place is kept
#   remove   deletes every INPUT rule on the arcxw+ bridges
#   check    exit 0 when the pair is in place, 1 when not
# All verbs are idempotent. They need root and iptables; without them the
# script says what to run and exits 3. `./arcx up` and `./arcx test` run
# `install`; a deployment without the launcher runs it once on the host (or
# from a one-shot container with the host's network and NET_ADMIN).
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ACCEPT_RULE=(-i arcxw+ -m conntrack --ctstate "ESTABLISHED,RELATED" -j ACCEPT)
DROP_RULE=(-i arcxw+ -j DROP)
CANNOT=3

can_manage() { is_root && command -v iptables >/dev/null; }

# The INPUT rules on the workspace bridges, in iptables -S form.
guard_rules() { iptables -S INPUT | awk 'index($0, " -i arcxw+ ")'; }

# The pair must be exactly ACCEPT (replies) then DROP; anything else — one
# missing, duplicated or reversed — either leaves the host open to workspaces
# or cuts the host off from them, so it is rebuilt from scratch.
guard_ok() {
  iptables -C INPUT "${ACCEPT_RULE[@]}" 2>/dev/null &&
    iptables -C INPUT "${DROP_RULE[@]}" 2>/dev/null &&
    [[ $(guard_rules | awk '{printf "%s ", $NF}') == "ACCEPT DROP " ]]
}

remove_rules() {
  local rule
  while read -ra rule; do
    rule[0]=-D
    iptables "${rule[@]}"
  done < <(guard_rules)
}

cmd_install() {
  if ! can_manage; then
    warn "workspace firewall guard not installed (needs root and iptables); run:"
    warn "  sudo iptables -I INPUT 1 ${DROP_RULE[*]}"
    warn "  sudo iptables -I INPUT 1 ${ACCEPT_RULE[*]}"
    exit "$CANNOT"
  fi
  if guard_ok; then
    say "firewall: workspace guard present"
    return
  fi
  remove_rules
  iptables -I INPUT 1 "${DROP_RULE[@]}"
  iptables -I INPUT 1 "${ACCEPT_RULE[@]}"
  say "firewall: workspace guard installed (INPUT from arcxw+ dropped, replies accepted)"
}

cmd_remove() {
  if ! can_manage; then
    warn "cannot remove the workspace firewall guard (needs root and iptables)"
    exit "$CANNOT"
  fi
  if [[ -z $(guard_rules) ]]; then
    say "firewall: no workspace guard to remove"
    return
  fi
  remove_rules
  say "firewall: workspace guard removed"
}

cmd_check() {
  if ! can_manage; then
    warn "cannot check the workspace firewall guard (needs root and iptables)"
    exit "$CANNOT"
  fi
  if guard_ok; then
    say "firewall: workspace guard present"
  else
    say "firewall: workspace guard MISSING"
    exit 1
  fi
}

case ${1:-} in
  install) cmd_install ;;
  remove) cmd_remove ;;
  check) cmd_check ;;
  *)
    printf 'Usage: %s install | remove | check\n' "$0" >&2
    exit 2
    ;;
esac
