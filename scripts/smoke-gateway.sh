#!/usr/bin/env bash
# scripts/smoke.sh over real HTTP against the loopback gateway (tests/Shop.Testing.Gateway: the three apps in process
# behind a Kestrel server on 127.0.0.1 that enforces function keys as the Functions host does). Test infrastructure:
# it proves the journey on machines without a Functions host or Docker; `docker compose up` is what users run.
#
#   bash scripts/smoke-gateway.sh [--no-build]
#
# 1. builds the gateway (and with it the apps) unless --no-build
# 2. starts the local test servers (scripts/servers.sh start; stopped again at the end if this script started them)
# 3. starts the gateway on SHOP_GATEWAY_PORT (default 0: a free port) with fresh databases, rate limiting on
# 4. runs `scripts/smoke.sh --grant-admin` against it: the compose key files' function keys, the administrator made by
#    AuthFunctions' own operator command (AuthFunctions.dll grant-admin) against the gateway's auth database, and a
#    429 required from the rate-limit step (SHOP_SMOKE_REQUIRE_RATE_LIMIT=1)
# 5. stops the gateway. Exit status: smoke.sh's (non-zero when any step failed), or 1 when the gateway did not start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "smoke-gateway: $*"; }

build=1
case "${1:-}" in
  --no-build) build=0 ;;
  "") ;;
  *) echo "usage: smoke-gateway.sh [--no-build]" >&2; exit 2 ;;
esac

GATEWAY_DLL="$ROOT/tests/Shop.Testing.Gateway/bin/Release/net10.0/Shop.Testing.Gateway.dll"
AUTH_DLL="$ROOT/functions/AuthFunctions/bin/Release/net10.0/AuthFunctions.dll"
STATE="$ROOT/.servers"
GATEWAY_LOG="$STATE/logs/gateway.log"
run_id="smoke$(date -u +%H%M%S)$RANDOM"

gateway_pid=""
started_servers=0
cleanup() {
  local rc=$?
  if [[ -n $gateway_pid ]] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    log "gateway stopped"
  fi
  if ((started_servers)) && [[ ${SHOP_KEEP_SERVERS:-0} != 1 ]]; then
    bash "$ROOT/scripts/servers.sh" stop >/dev/null || log "WARNING: stopping the servers failed"
  fi
  exit "$rc"
}
trap cleanup EXIT

if ((build)); then
  log "building the gateway"
  dotnet build "$ROOT/tests/Shop.Testing.Gateway/Shop.Testing.Gateway.csproj" -c Release -nologo -v quiet >"$STATE/gateway-build.log" 2>&1 ||
    { tail -n 30 "$STATE/gateway-build.log" >&2; log "FAIL: build"; exit 1; }
fi
[[ -f $GATEWAY_DLL && -f $AUTH_DLL ]] || { log "FAIL: $GATEWAY_DLL or $AUTH_DLL missing (build first)"; exit 1; }

if ! bash "$ROOT/scripts/servers.sh" status >/dev/null 2>&1; then
  started_servers=1
  bash "$ROOT/scripts/servers.sh" start
fi
# shellcheck source=/dev/null
source "$STATE/env"
mkdir -p "$STATE/logs"

log "starting the gateway (run $run_id)"
# Created here, not by the background job's redirection, which may not have run when the loop below first reads it.
: >"$GATEWAY_LOG"
dotnet "$GATEWAY_DLL" --port "${SHOP_GATEWAY_PORT:-0}" --run "$run_id" >"$GATEWAY_LOG" 2>&1 &
gateway_pid=$!
base=""
for ((i = 0; i < 240; i++)); do
  base="$(sed -n 's|^gateway: listening on \(http://[0-9.:]*\)/*$|\1|p' "$GATEWAY_LOG" || true)"
  [[ -n $base ]] && break
  kill -0 "$gateway_pid" 2>/dev/null || { tail -n 30 "$GATEWAY_LOG" >&2; log "FAIL: the gateway exited"; exit 1; }
  sleep 0.5
done
[[ -n $base ]] || { tail -n 30 "$GATEWAY_LOG" >&2; log "FAIL: the gateway did not listen within 120 s"; exit 1; }
sed 's/^/smoke-gateway: /' "$GATEWAY_LOG"

# The operator command of the auth image, with the settings of the gateway's auth app (database of this run).
export SHOP_GRANT_ADMIN_CMD="env Mongo__ConnectionString=$SHOP_TEST_MONGODB_URI Mongo__Database=shop_gw_${run_id}_auth dotnet $AUTH_DLL grant-admin"
export SHOP_SMOKE_REQUIRE_RATE_LIMIT=1
export SHOP_SMOKE_TIMEOUT="${SHOP_SMOKE_TIMEOUT:-90}"
smoke_rc=0
bash "$ROOT/scripts/smoke.sh" --grant-admin "$base" || smoke_rc=$?
if ((smoke_rc != 0)); then
  log "gateway log (last lines):"
  tail -n 40 "$GATEWAY_LOG" | sed 's/^/smoke-gateway:   | /'
  log "FAIL: smoke.sh exited with $smoke_rc"
  exit "$smoke_rc"
fi
log "OK: the journey passed through the gateway at $base"
