#!/usr/bin/env bash
# The whole shop on this machine without Docker, with Azure Functions Core Tools v4 (`func`):
#
#   bash scripts/dev.sh          start: the servers, the three apps (func start) and the notification consumer
#   bash scripts/dev.sh stop     stop what `start` started (the apps, the consumer and the servers)
#
# 1. installs and starts Redis, RabbitMQ, Azurite and MongoDB (or the CongoDB stand-in) on 127.0.0.1
#    (scripts/servers.sh; its ports: .servers/env);
# 2. writes each app's local.settings.json from its example (scripts/local-settings.sh; kept if present);
# 3. starts `func start` in each app's folder (Auth 7071, Products 7072, Orders 7073) and the order-notification
#    consumer (`dotnet run ... --role notifications` with the orders app's settings), logs in .servers/logs/dev-*.log;
# 4. waits until every app answers GET /api/health, then prints where each one listens.
# Core Tools does not check function keys locally: any x-functions-key (or none) is accepted there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.servers"
PIDS="$STATE/dev.pids"
LOGS="$STATE/logs"
log() { echo "dev: $*"; }

stop() {
  if [[ -f $PIDS ]]; then
    while read -r pid name; do
      if kill -0 "$pid" 2>/dev/null; then
        log "stopping $name ($pid)"
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      fi
    done <"$PIDS"
    rm -f "$PIDS"
  fi
  bash "$ROOT/scripts/servers.sh" stop
}

case "${1:-start}" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

command -v func >/dev/null || {
  echo "dev: Azure Functions Core Tools v4 (func) is not installed; see" \
    "https://learn.microsoft.com/azure/azure-functions/functions-run-local (or use: docker compose up --build)" >&2
  exit 1
}
[[ ! -f $PIDS ]] || { echo "dev: already started ($PIDS); run '$0 stop' first" >&2; exit 1; }

bash "$ROOT/scripts/servers.sh" start
bash "$ROOT/scripts/local-settings.sh"
mkdir -p "$LOGS"

# background NAME DIR COMMAND...: a process group of its own, so stop ends func and the worker it spawned.
background() {
  local name="$1" dir="$2"
  shift 2
  (cd "$dir" && exec setsid "$@") >"$LOGS/dev-$name.log" 2>&1 &
  echo "$! $name" >>"$PIDS"
}

declare -A PORT=([AuthFunctions]=7071 [ProductFunctions]=7072 [OrderFunctions]=7073)
for app in AuthFunctions ProductFunctions OrderFunctions; do
  background "$app" "functions/$app" func start --port "${PORT[$app]}"
done
for app in AuthFunctions ProductFunctions OrderFunctions; do
  url="http://localhost:${PORT[$app]}/api/health"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then break; fi
    sleep 1
  done
  curl -fsS -o /dev/null "$url" || { echo "dev: $app did not become healthy; see $LOGS/dev-$app.log" >&2; exit 1; }
done

# After the apps are up (func start has built OrderFunctions; two builds at once would collide). The consumer is a
# plain .NET host: it gets the orders app's settings as environment variables, as func would.
consumer_env="$(python3 - functions/OrderFunctions/local.settings.json <<'PY'
import json, shlex, sys
values = json.load(open(sys.argv[1]))["Values"]
values["Metrics__Port"] = "9467"
values["RabbitMq__ClientName"] = "order-notifications"
print(" ".join(f"{k}={shlex.quote(v)}" for k, v in values.items() if v))
PY
)"
eval "background notifications . env $consumer_env dotnet run --project functions/OrderFunctions -- --role notifications"

cat <<TXT
dev: the shop is running
  AuthFunctions      http://localhost:7071/api/auth/...     metrics http://localhost:9464/metrics
  ProductFunctions   http://localhost:7072/api/products...  metrics http://localhost:9465/metrics
  OrderFunctions     http://localhost:7073/api/orders...    metrics http://localhost:9466/metrics
  notifications      (RabbitMQ consumer)                    metrics http://localhost:9467/metrics
  servers            $(tr '\n' ' ' <<<"$(grep -o 'SHOP_TEST_[A-Z_]*="[^"]*"' "$STATE/env" | grep -v AZURITE | sed 's/SHOP_TEST_//')")
  logs               $LOGS/dev-*.log       stop: bash scripts/dev.sh stop
  first admin        (cd functions/AuthFunctions && dotnet run -- grant-admin you@example.com)
TXT
