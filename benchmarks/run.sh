#!/usr/bin/env bash
# Shop benchmarks: bash benchmarks/run.sh [--quick] [--only 1,3,6,8]
#
# 1. installs and starts the local servers as CI does (scripts/install-servers.sh, scripts/servers.sh start) and
#    exports .servers/env (Redis, RabbitMQ, Azurite, MongoDB: the CongoDB stand-in unless MONGODB_URI is set)
# 2. builds benchmarks/Shop.Benchmarks (Release) and runs it: every figure in process against the real servers,
#    beside its raw baseline measured in the same run; prints a Markdown table and ends with one line `ratios: ...`,
#    which also carries figure 8's counts (activities-per-order, redis-calls-per-cached-get, mongo-ops-per-reservation,
#    mongo-ops-per-rejection): steps and round trips, the same on any machine under any load
# 3. appends the table with date, commit, machine (nproc, memory) and the MongoDB kind to benchmarks/RESULTS.md
# 4. stops the servers at exit unless SHOP_KEEP_SERVERS=1, or unless they were all already running before (then they
#    belong to someone else: a test run or another shell)
# Servers are shared per checkout (.servers/): a concurrent test run that stops or restarts them (the fault tests do)
# breaks a benchmark run. To keep apart, run from a second checkout with SHOP_PORT_OFFSET=1000 (scripts/servers.sh).
# SHOP_BENCH_ORDERS=N overrides the number of orders of figure 5, SHOP_BENCH_ORDERS_IN_FLIGHT=N how many run at once (16).
# --quick finishes in under 5 minutes on 2 cores (build included). Exit status non-zero when a benchmark failed or a
# correctness assertion (exactly the stock reserved, no lost update, a counter that miscounts a raw operation) did not
# hold; a missed speed or count target is reported, not failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/benchmarks/RESULTS.md"
MODE=full
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick; ARGS+=(--quick) ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) ARGS+=("$arg") ;;
  esac
done

log() { echo "bench: $*"; }
started=$(date +%s)

STOP_SERVERS=0
# shellcheck disable=SC2317  # called from the EXIT trap
stop_servers() {
  if ((STOP_SERVERS)) && [[ ${SHOP_KEEP_SERVERS:-0} != 1 ]]; then
    STOP_SERVERS=0
    bash "$ROOT/scripts/servers.sh" stop >/dev/null || log "WARNING: stopping the servers failed"
  fi
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

already_running=0
# Read once, then matched: `status | grep -q` fails under pipefail when grep exits at its first match (SIGPIPE), which
# made servers that were already running look stopped, so they were stopped at exit.
servers_before="$(bash scripts/servers.sh status 2>/dev/null || true)"
if grep -q 'redis: running' <<<"$servers_before" &&
   grep -q 'rabbitmq: running' <<<"$servers_before" &&
   grep -Eq 'mongodb: .*running|mongodb: external' <<<"$servers_before"; then
  already_running=1
fi
bash scripts/install-servers.sh
bash scripts/servers.sh start
if ((already_running)); then
  log "servers were already running before this run: leaving them running afterwards"
else
  STOP_SERVERS=1
fi
set -a
# shellcheck disable=SC1091
source "$ROOT/.servers/env"
set +a
export SHOP_REQUIRE_SERVERS=1

log "building benchmarks/Shop.Benchmarks (Release)"
dotnet build "$ROOT/benchmarks/Shop.Benchmarks/Shop.Benchmarks.csproj" -c Release -nologo -v q -warnaserror >/dev/null
built=$(date +%s)
log "built in $((built - started)) s (servers included)"

MARKDOWN="$(mktemp)"
trap 'rm -f "$MARKDOWN"; stop_servers' EXIT
status=0
dotnet "$ROOT/benchmarks/Shop.Benchmarks/bin/Release/net10.0/Shop.Benchmarks.dll" "${ARGS[@]}" --markdown "$MARKDOWN" || status=$?

finished=$(date +%s)
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1)" ]]; then commit="$commit (with uncommitted changes)"; fi
memory="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
mongo_kind="${SHOP_TEST_MONGODB_KIND:-mongodb} (${SHOP_TEST_MONGODB_URI:-?})"
if [[ -s "$MARKDOWN" ]]; then
  {
    [[ -s "$RESULTS" ]] || printf '# Benchmark results\n\nAppended by `bash benchmarks/run.sh [--quick]`; newest last. Each figure sits beside its raw baseline from the same run.\n'
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') · $MODE · commit $commit"
    echo
    echo "Machine: nproc $(nproc), memory $memory, ${cpu:-unknown CPU}, $(uname -sr). MongoDB: $mongo_kind. Redis, RabbitMQ: local servers from scripts/servers.sh. Took $((finished - started)) s including build."
    echo
    cat "$MARKDOWN"
  } >>"$RESULTS"
  log "appended to benchmarks/RESULTS.md"
fi
log "total $((finished - started)) s"
ratios="$(grep '^ratios:' "$MARKDOWN" 2>/dev/null | tail -n 1 || true)"
echo "${ratios:-ratios: none (the benchmark run failed)}"
exit "$status"
