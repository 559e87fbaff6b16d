#!/usr/bin/env bash
# Local test servers for Shop, without Docker or systemd, on 127.0.0.1 only, with all state in
# <repo>/.servers (pid files, logs, data). Install them first with scripts/install-servers.sh.
#
#   scripts/servers.sh start  [NAME...]   start (already running is fine), wait until each answers
#   scripts/servers.sh stop   [NAME...]   stop what this script started (graceful, then kill)
#   scripts/servers.sh status [NAME...]   show state; exit 3 if one is not running (or paused)
#   scripts/servers.sh pause  NAME...     SIGSTOP the server: alive, port open, never answering (fault tests)
#   scripts/servers.sh resume NAME...     SIGCONT it again (stop and start also resume a paused server first)
#   NAME: redis | rabbitmq | azurite | mongodb (congodb is an alias); none = all
#
#   redis     127.0.0.1:26379
#   rabbitmq  AMQP 127.0.0.1:25673, management HTTP 25674 (guest/guest), prometheus 25692
#             (Erlang distribution 25675, private epmd on 24369)
#   azurite   blob 20000, queue 20001, table 20002
#   mongodb   CongoDB stand-in on 27117; if MONGODB_URI is set, that server is used and none is started
#
# `start` writes .servers/env (export lines) for the tests: `source .servers/env`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.servers"
TOOLS="$ROOT/.tools"
RUN="$STATE/run"
LOGS="$STATE/logs"

HOST=127.0.0.1
# SHOP_PORT_OFFSET moves every port, so a second checkout (say a clean clone running CI) can run beside this one.
# Without it, the offset recorded in .servers/env by the last `start` is used, so a later call (a fault test stopping
# and starting one server) finds that checkout's servers instead of starting one on the default ports.
if [[ -n ${SHOP_PORT_OFFSET:-} ]]; then
  OFFSET=$SHOP_PORT_OFFSET
elif [[ -f $STATE/env ]]; then
  OFFSET="$(sed -n 's/^export SHOP_PORT_OFFSET="\([0-9]*\)"$/\1/p' "$STATE/env")"
  OFFSET=${OFFSET:-0}
else
  OFFSET=0
fi
[[ $OFFSET =~ ^[0-9]+$ ]] || { echo "servers: SHOP_PORT_OFFSET must be a number, not '$OFFSET'" >&2; exit 2; }
REDIS_PORT=$((26379 + OFFSET))
RABBIT_PORT=$((25673 + OFFSET))
RABBIT_MGMT_PORT=$((25674 + OFFSET))
RABBIT_PROM_PORT=$((25692 + OFFSET))
RABBIT_DIST_PORT=$((25675 + OFFSET))
EPMD_PORT=$((24369 + OFFSET))
AZ_BLOB_PORT=$((20000 + OFFSET))
AZ_QUEUE_PORT=$((20001 + OFFSET))
AZ_TABLE_PORT=$((20002 + OFFSET))
CONGO_PORT=$((27117 + OFFSET))
# The well-known, public Azurite/Storage Emulator development account key (not a secret).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

RABBIT_BIN=/usr/lib/rabbitmq/bin
RDIR="$STATE/rabbitmq"
ALL=(redis rabbitmq azurite mongodb)

say() { echo "servers: $*"; }
err() { echo "servers: ERROR: $*" >&2; }

# ------------------------------------------------------------------ helpers
# alive PID: the process exists and is not a zombie.
alive() {
  local st
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  st="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n $st && $st != Z* ]]
}
zombie() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ $st == Z* ]]; }
# paused PID: stopped by a signal (SIGSTOP), state T.
paused() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ $st == T* ]]; }
# readpid NAME: the pid in $RUN/NAME.pid, only if that process still is what we started (a stale
# pid file whose pid was reused by an unrelated process must never be reported as ours, nor killed).
readpid() {
  local pid marker cmd
  [[ -f "$RUN/$1.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"$RUN/$1.pid")"
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  case "$1" in
    redis) marker="redis-server" ;;
    epmd) marker="epmd" ;;
    rabbitmq) marker="rabbitmq-server" ;;
    rabbitmq-node) marker="rabbit" ;;
    azurite) marker="azurite" ;;
    congodb) marker="congodb-server.mjs" ;;
    *) marker="" ;;
  esac
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  # a zombie has an empty cmdline: still report it, alive() tells it apart
  [[ -z $cmd || $cmd == *"$marker"* ]] || return 1
  echo "$pid"
}
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# descendants PID: all living descendants of PID (children first, deepest last).
descendants() {
  local p kids
  kids="$(ps -o pid= --ppid "$1" 2>/dev/null || true)"
  for p in $kids; do
    echo "$p"
    descendants "$p"
  done
}

# wait_dead SECONDS PID...: true when none of the PIDs is alive any more.
wait_dead() {
  local deadline=$((SECONDS + $1)) p any; shift
  while :; do
    any=0
    for p in "$@"; do alive "$p" && any=1; done
    ((any)) || return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# kill_pids NAME SECONDS PID...: SIGTERM, wait, then SIGKILL what is left; reports leftovers.
kill_pids() {
  local name="$1" grace="$2" p; shift 2
  (($#)) || return 0
  for p in "$@"; do if alive "$p"; then kill -TERM "$p" 2>/dev/null || true; fi; done
  if ! wait_dead "$grace" "$@"; then
    say "$name: did not stop within ${grace}s, killing"
    for p in "$@"; do if alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi; done
    wait_dead 5 "$@" || true
  fi
  for p in "$@"; do
    if alive "$p"; then err "$name: process $p is still running"; return 1; fi
  done
  STOPPED_PIDS+=("$@")
}

# check_reaped: dead processes stay zombies until their parent (PID 1 here, which reaps every
# second or so) collects them; wait a moment and report any that stay.
STOPPED_PIDS=()
check_reaped() {
  local deadline=$((SECONDS + 5)) z p
  while :; do
    z=()
    for p in "${STOPPED_PIDS[@]}"; do zombie "$p" && z+=("$p"); done
    ((${#z[@]})) || return 0
    if ((SECONDS >= deadline)); then
      say "note: zombie process(es) ${z[*]} not reaped yet by their parent; they hold no ports or files"
      return 0
    fi
    sleep 0.2
  done
}

# fail NAME LOGFILE MESSAGE: loud failure with the server's log tail.
fail() {
  err "$1: $3"
  if [[ -s $2 ]]; then
    echo "----- last lines of $2 -----" >&2
    tail -n 40 "$2" >&2
    echo "-----" >&2
  fi
  return 1
}

# launch NAME LOGFILE CMD...: runs CMD in the background in its own session; pid in $RUN/NAME.pid.
launch() {
  local name="$1" log="$2"; shift 2
  setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/$name.pid"
}

# ports_free NAME PORT...: a port already open (by a process we did not start) is an error.
ports_free() {
  local name="$1" p; shift
  for p in "$@"; do
    if port_open "$p"; then
      err "$name: port $HOST:$p is already in use by a process this script did not start"
      return 1
    fi
  done
}

mask_uri() { sed -E 's#//[^/@]*@#//***@#' <<<"$1"; }

# ------------------------------------------------------------------ redis
redis_pid() { readpid redis; }
redis_ping() { [[ "$(timeout 2 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_running() { local p; p="$(redis_pid)" && alive "$p"; }
redis_launch() {
  command -v redis-server >/dev/null || { err "redis: redis-server not installed (run scripts/install-servers.sh)"; return 1; }
  ports_free redis "$REDIS_PORT" || return 1
  mkdir -p "$STATE/redis"
  : >"$LOGS/redis.log"
  rm -f "$RUN/redis.pid"
  # --daemonize: redis forks and writes its own pid file.
  redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize yes --pidfile "$RUN/redis.pid" \
    --logfile "$LOGS/redis.log" --dir "$STATE/redis" --save '' --appendonly no \
    >"$LOGS/redis-start.log" 2>&1 </dev/null 9>&- || fail redis "$LOGS/redis-start.log" "redis-server failed to start"
}
redis_wait() {
  local deadline=$((SECONDS + 15))
  until [[ -s "$RUN/redis.pid" ]] && redis_running && redis_ping; do
    ((SECONDS < deadline)) || { fail redis "$LOGS/redis.log" "no PONG on $HOST:$REDIS_PORT within 15s"; return 1; }
    sleep 0.1
  done
}
redis_stop() {
  local p; p="$(redis_pid)" || return 0
  if alive "$p"; then
    local tree; tree="$(descendants "$p")"
    timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    # shellcheck disable=SC2086 # word splitting of the pid list is intended
    kill_pids redis 5 "$p" $tree || return 1
  fi
  rm -f "$RUN/redis.pid"
}
redis_status() {
  local p
  paused_status redis && return 1
  if redis_running; then
    p="$(redis_pid)"
    if redis_ping; then say "redis: running (pid $p) $HOST:$REDIS_PORT"; else say "redis: pid $p alive but not answering on $HOST:$REDIS_PORT"; return 1; fi
  else say "redis: stopped"; return 1; fi
}

# ------------------------------------------------------------------ rabbitmq
rabbit_env() {
  export HOME="$RDIR/home"
  export RABBITMQ_NODENAME=rabbit@localhost
  export RABBITMQ_NODE_IP_ADDRESS="$HOST"
  export RABBITMQ_NODE_PORT="$RABBIT_PORT"
  export RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
  export RABBITMQ_CONF_ENV_FILE="$RDIR/rabbitmq-env.conf"      # empty: ignore /etc/rabbitmq/rabbitmq-env.conf
  export RABBITMQ_CONFIG_FILE="$RDIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RDIR/advanced.config"  # absent on purpose
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RDIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RDIR/mnesia"
  export RABBITMQ_LOG_BASE="$RDIR/log"
  export RABBITMQ_PID_FILE="$RUN/rabbitmq-node.pid"
  export RABBITMQ_PLUGINS_EXPAND_DIR="$RDIR/plugins-expand"
  # Erlang distribution (node and CLI) on loopback only; it listens on 0.0.0.0 otherwise.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS="$HOST"
  export ERL_EPMD_PORT="$EPMD_PORT"
}
# rabbit CMD ARGS... / rabbit_t SECONDS CMD ARGS...: runs a RabbitMQ script from $RABBIT_BIN (not the /usr/sbin wrappers, which switch user).
rabbit() { rabbit_t 60 "$@"; }
rabbit_t() { ( rabbit_env; exec timeout "$1" "$RABBIT_BIN/$2" "${@:3}" ); }
rabbit_node_pid() { readpid rabbitmq-node; }
rabbit_running() {
  local p
  p="$(rabbit_node_pid)" && alive "$p" && return 0
  p="$(readpid rabbitmq)" && alive "$p"
}
rabbit_prepare() {
  mkdir -p "$RDIR/home" "$RDIR/mnesia" "$RDIR/log" "$RDIR/plugins-expand"
  chmod 700 "$RDIR/home"
  if [[ ! -s "$RDIR/home/.erlang.cookie" ]]; then
    # Shared by the node and the CLI tools (both get HOME=$RDIR/home).
    (umask 077; LC_ALL=C tr -dc '[:upper:]' </dev/urandom | head -c 32 >"$RDIR/home/.erlang.cookie")
  fi
  chmod 400 "$RDIR/home/.erlang.cookie"
  : >"$RDIR/rabbitmq-env.conf"
  echo '[rabbitmq_management,rabbitmq_prometheus].' >"$RDIR/enabled_plugins"
  cat >"$RDIR/rabbitmq.conf" <<EOF
# generated by scripts/servers.sh
listeners.tcp.default = $HOST:$RABBIT_PORT
management.tcp.ip = $HOST
management.tcp.port = $RABBIT_MGMT_PORT
prometheus.tcp.ip = $HOST
prometheus.tcp.port = $RABBIT_PROM_PORT
loopback_users.guest = true
EOF
}
epmd_start() {
  local p
  if p="$(readpid epmd)" && alive "$p"; then return 0; fi
  ports_free epmd "$EPMD_PORT" || return 1
  : >"$LOGS/epmd.log"
  launch epmd "$LOGS/epmd.log" epmd -address "$HOST" -port "$EPMD_PORT"
  local deadline=$((SECONDS + 10))
  until port_open "$EPMD_PORT"; do
    ((SECONDS < deadline)) || { fail epmd "$LOGS/epmd.log" "epmd did not listen on $HOST:$EPMD_PORT"; return 1; }
    sleep 0.1
  done
}
epmd_stop() {
  local p; p="$(readpid epmd)" || return 0
  kill_pids epmd 3 "$p" || return 1
  rm -f "$RUN/epmd.pid"
}
rabbit_launch() {
  [[ -x "$RABBIT_BIN/rabbitmq-server" ]] || { err "rabbitmq: $RABBIT_BIN/rabbitmq-server missing (run scripts/install-servers.sh)"; return 1; }
  ports_free rabbitmq "$RABBIT_PORT" "$RABBIT_MGMT_PORT" "$RABBIT_PROM_PORT" "$RABBIT_DIST_PORT" || return 1
  rabbit_prepare
  epmd_start || return 1
  rm -f "$RUN/rabbitmq-node.pid"
  : >"$LOGS/rabbitmq.log"
  ( rabbit_env; launch rabbitmq "$LOGS/rabbitmq.log" "$RABBIT_BIN/rabbitmq-server" )
}
rabbit_wait() {
  local deadline=$((SECONDS + 90)) p
  # await_startup fails at once until the node has registered with epmd, so retry it.
  until rabbit rabbitmqctl -q await_startup --timeout 10 >>"$LOGS/rabbitmqctl.log" 2>&1; do
    p="$(readpid rabbitmq)"
    if ! alive "$p"; then
      fail rabbitmq "$LOGS/rabbitmq.log" "the node exited during startup (logs also in $RDIR/log)"; return 1
    fi
    ((SECONDS < deadline)) || { fail rabbitmq "$LOGS/rabbitmq.log" "not started within 90s (see also $LOGS/rabbitmqctl.log, $RDIR/log)"; return 1; }
    sleep 0.5
  done
  until port_open "$RABBIT_PORT" && port_open "$RABBIT_MGMT_PORT"; do
    ((SECONDS < deadline)) || { fail rabbitmq "$RDIR/log/rabbit@localhost.log" "AMQP $RABBIT_PORT / management $RABBIT_MGMT_PORT not listening"; return 1; }
    sleep 0.2
  done
}
rabbit_stop() {
  local node launcher tree=""
  node="$(rabbit_node_pid || true)"
  launcher="$(readpid rabbitmq || true)"
  if alive "$node" || alive "$launcher"; then
    local p
    for p in $launcher $node; do
      if alive "$p"; then tree+=" $p $(descendants "$p" | tr '\n' ' ')"; fi
    done
    # Graceful stop takes about 7 s; killing is the fallback.
    rabbit_t 30 rabbitmqctl -q shutdown >>"$LOGS/rabbitmqctl.log" 2>&1 ||
      say "rabbitmq: rabbitmqctl shutdown failed, killing"
    # shellcheck disable=SC2086 # word splitting of the pid list is intended
    kill_pids rabbitmq 10 $tree || return 1
  fi
  rm -f "$RUN/rabbitmq.pid" "$RUN/rabbitmq-node.pid"
  epmd_stop
}
rabbit_status() {
  paused_status rabbitmq && return 1
  if rabbit_running; then
    if rabbit rabbitmqctl -q status >/dev/null 2>&1; then
      say "rabbitmq: running (pid $(rabbit_node_pid || readpid rabbitmq)) amqp://$HOST:$RABBIT_PORT management http://$HOST:$RABBIT_MGMT_PORT prometheus http://$HOST:$RABBIT_PROM_PORT"
    else
      say "rabbitmq: process alive but rabbitmqctl cannot reach the node"; return 1
    fi
  else say "rabbitmq: stopped"; return 1; fi
}

# ------------------------------------------------------------------ azurite
AZURITE_BIN="$TOOLS/azurite/node_modules/.bin/azurite"
azurite_running() { local p; p="$(readpid azurite)" && alive "$p"; }
azurite_launch() {
  [[ -x $AZURITE_BIN ]] || { err "azurite: $AZURITE_BIN missing (run scripts/install-servers.sh)"; return 1; }
  ports_free azurite "$AZ_BLOB_PORT" "$AZ_QUEUE_PORT" "$AZ_TABLE_PORT" || return 1
  mkdir -p "$STATE/azurite"
  : >"$LOGS/azurite.log"
  launch azurite "$LOGS/azurite.log" "$AZURITE_BIN" --silent --disableTelemetry --skipApiVersionCheck \
    --location "$STATE/azurite" \
    --blobHost "$HOST" --blobPort "$AZ_BLOB_PORT" \
    --queueHost "$HOST" --queuePort "$AZ_QUEUE_PORT" \
    --tableHost "$HOST" --tablePort "$AZ_TABLE_PORT"
}
azurite_wait() {
  local deadline=$((SECONDS + 30))
  until port_open "$AZ_BLOB_PORT" && port_open "$AZ_QUEUE_PORT" && port_open "$AZ_TABLE_PORT"; do
    azurite_running || { fail azurite "$LOGS/azurite.log" "azurite exited during startup"; return 1; }
    ((SECONDS < deadline)) || { fail azurite "$LOGS/azurite.log" "ports $AZ_BLOB_PORT/$AZ_QUEUE_PORT/$AZ_TABLE_PORT not listening within 30s"; return 1; }
    sleep 0.2
  done
}
azurite_stop() {
  local p; p="$(readpid azurite)" || return 0
  if alive "$p"; then
    local tree; tree="$(descendants "$p")"
    # shellcheck disable=SC2086
    kill_pids azurite 10 "$p" $tree || return 1
  fi
  rm -f "$RUN/azurite.pid"
}
azurite_status() {
  paused_status azurite && return 1
  if azurite_running; then
    if port_open "$AZ_BLOB_PORT" && port_open "$AZ_QUEUE_PORT" && port_open "$AZ_TABLE_PORT"; then
      say "azurite: running (pid $(readpid azurite)) blob $AZ_BLOB_PORT queue $AZ_QUEUE_PORT table $AZ_TABLE_PORT"
    else say "azurite: pid $(readpid azurite) alive but not listening"; return 1; fi
  else say "azurite: stopped"; return 1; fi
}

# ------------------------------------------------------------------ mongodb (CongoDB stand-in)
congo_running() { local p; p="$(readpid congodb)" && alive "$p"; }
mongodb_launch() {
  [[ -f "$TOOLS/congodb/dist_ts/congodb/index.js" ]] || { err "mongodb: CongoDB not installed in $TOOLS/congodb (run scripts/install-servers.sh)"; return 1; }
  ports_free mongodb "$CONGO_PORT" || return 1
  : >"$LOGS/congodb.log"
  launch congodb "$LOGS/congodb.log" node "$ROOT/scripts/congodb-server.mjs" --host "$HOST" --port "$CONGO_PORT"
}
mongodb_wait() {
  local deadline=$((SECONDS + 20))
  until port_open "$CONGO_PORT"; do
    congo_running || { fail mongodb "$LOGS/congodb.log" "CongoDB exited during startup"; return 1; }
    ((SECONDS < deadline)) || { fail mongodb "$LOGS/congodb.log" "CongoDB not listening on $HOST:$CONGO_PORT within 20s"; return 1; }
    sleep 0.1
  done
}
mongodb_stop() {
  local p; p="$(readpid congodb)" || return 0
  if alive "$p"; then
    kill_pids mongodb 5 "$p" || return 1
  fi
  rm -f "$RUN/congodb.pid"
}
mongodb_running() { [[ -n ${MONGODB_URI:-} ]] || congo_running; }
mongodb_status() {
  paused_status mongodb && return 1
  if congo_running; then
    if port_open "$CONGO_PORT"; then say "mongodb: CongoDB stand-in running (pid $(readpid congodb)) mongodb://$HOST:$CONGO_PORT"
    else say "mongodb: CongoDB pid $(readpid congodb) alive but not listening"; return 1; fi
  elif [[ -n ${MONGODB_URI:-} ]]; then say "mongodb: external server from MONGODB_URI $(mask_uri "$MONGODB_URI") (not managed here)"
  else say "mongodb: stopped"; return 1; fi
}

# ------------------------------------------------------------------ pause / resume
# server_pids NAME: the processes that serve NAME's port (for rabbitmq the Erlang node, not the launcher script).
server_pids() {
  local p
  case "$1" in
    redis) p="$(readpid redis)" ;;
    rabbitmq) p="$(rabbit_node_pid)" ;;
    azurite) p="$(readpid azurite)" ;;
    mongodb) p="$(readpid congodb)" ;;
  esac || return 1
  alive "$p" || return 1
  echo "$p"
  descendants "$p"
}
# paused_status NAME: true (after saying so) when NAME's server process is paused.
paused_status() {
  local p
  p="$(server_pids "$1")" || return 1
  p="${p%%$'\n'*}"
  paused "$p" || return 1
  say "$1: paused (pid $p, SIGSTOP; \`scripts/servers.sh resume $1\` continues it)"
}
pause_one() {
  local pids p
  pids="$(server_pids "$1")" || { err "$1: not running, nothing to pause"; return 1; }
  for p in $pids; do kill -STOP "$p"; done
  say "$1: paused (pid ${pids%%$'\n'*})"
}
# resume_one NAME: SIGCONT; a server that is not running or not paused is left as it is.
resume_one() {
  local pids p
  local n=0
  pids="$(server_pids "$1")" || return 0
  for p in $pids; do if paused "$p"; then kill -CONT "$p"; n=$((n + 1)); fi; done
  if ((n)); then say "$1: resumed"; else say "$1: not paused"; fi
}

# ------------------------------------------------------------------ env file
env_line() {
  # KEY="value" lines; values never contain ", $, ` or \ except a user-supplied MONGODB_URI (then %q).
  if [[ $2 =~ [\"\$\`\\] ]]; then printf 'export %s=%q\n' "$1" "$2"; else printf 'export %s="%s"\n' "$1" "$2"; fi
}
write_env() {
  local mongo_uri="mongodb://$HOST:$CONGO_PORT" kind=congodb
  if [[ -n ${MONGODB_URI:-} ]]; then mongo_uri="$MONGODB_URI"; kind=mongodb; fi
  {
    echo "# Written by scripts/servers.sh start and read by the tests: export lines, values in double quotes."
    env_line SHOP_TEST_REDIS "$HOST:$REDIS_PORT"
    env_line SHOP_TEST_RABBITMQ_URI "amqp://guest:guest@$HOST:$RABBIT_PORT/"
    env_line SHOP_TEST_RABBITMQ_MANAGEMENT "http://$HOST:$RABBIT_MGMT_PORT"
    env_line SHOP_TEST_RABBITMQ_PROMETHEUS "http://$HOST:$RABBIT_PROM_PORT"
    env_line SHOP_TEST_AZURITE "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://$HOST:$AZ_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://$HOST:$AZ_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://$HOST:$AZ_TABLE_PORT/devstoreaccount1;"
    env_line SHOP_TEST_MONGODB_URI "$mongo_uri"
    env_line SHOP_TEST_MONGODB_KIND "$kind"
    # Outage tests restart servers through this script (which reads this line): same ports as now.
    env_line SHOP_PORT_OFFSET "$OFFSET"
  } >"$STATE/env.tmp"
  chmod 600 "$STATE/env.tmp"
  mv "$STATE/env.tmp" "$STATE/env"
}

# ------------------------------------------------------------------ commands
# normalize NAME...: sets NAMES (all servers when none is given); exits 2 on an unknown name.
NAMES=()
normalize() {
  local n
  NAMES=()
  (($#)) || set -- "${ALL[@]}"
  for n in "$@"; do
    case "$n" in
      redis | rabbitmq | azurite | mongodb) NAMES+=("$n") ;;
      congodb | mongo) NAMES+=(mongodb) ;;
      rabbit) NAMES+=(rabbitmq) ;;
      *) err "unknown server '$n' (expected: ${ALL[*]})"; exit 2 ;;
    esac
  done
}
fn() { case "$1" in rabbitmq) echo rabbit ;; *) echo "$1" ;; esac; }

cmd_start() {
  local n rc=0 started=() t0=$SECONDS
  normalize "$@"
  for n in "${NAMES[@]}"; do
    resume_one "$n" >/dev/null
    if [[ $n == mongodb && -n ${MONGODB_URI:-} ]] && ! congo_running; then
      say "mongodb: MONGODB_URI is set, using $(mask_uri "$MONGODB_URI"); not starting CongoDB"
    elif "$(fn "$n")_running"; then
      say "$n: already running"
    elif "$(fn "$n")_launch"; then
      started+=("$n")
    else
      rc=1
    fi
  done
  for n in "${started[@]}"; do
    if "$(fn "$n")_wait"; then
      say "$n: ready"
    else
      rc=1
      "$(fn "$n")_stop" || true
    fi
  done
  write_env
  if ((rc)); then err "start failed (state and logs in $STATE)"; return 1; fi
  say "started in $((SECONDS - t0)) s; environment in $STATE/env"
}
cmd_stop() {
  local n rc=0 i t0=$SECONDS
  normalize "$@"
  # stop in reverse order
  for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do
    n="${NAMES[i]}"
    # a paused process ignores SIGTERM and a graceful shutdown until it continues
    resume_one "$n" >/dev/null
    if "$(fn "$n")_stop"; then :; else rc=1; fi
  done
  ((${#STOPPED_PIDS[@]} == 0)) || check_reaped
  ((rc == 0)) || { err "stop failed"; return 1; }
  say "stopped ${NAMES[*]} in $((SECONDS - t0)) s"
}
cmd_pause() {
  local n rc=0
  (($#)) || { err "pause needs a server name (${ALL[*]})"; return 2; }
  normalize "$@"
  for n in "${NAMES[@]}"; do pause_one "$n" || rc=1; done
  return "$rc"
}
cmd_resume() {
  local n
  normalize "$@"
  for n in "${NAMES[@]}"; do resume_one "$n"; done
}
cmd_status() {
  local n rc=0
  normalize "$@"
  for n in "${NAMES[@]}"; do "$(fn "$n")_status" || rc=3; done
  return "$rc"
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    start | stop | status | pause | resume) ;;
    *) echo "usage: $0 start|stop|status|pause|resume [redis|rabbitmq|azurite|mongodb]..." >&2; exit 2 ;;
  esac
  mkdir -p "$RUN" "$LOGS"
  # One invocation at a time.
  exec 9>"$STATE/.lock"
  flock -w 180 9 || { err "another servers.sh is still running"; exit 1; }
  "cmd_$cmd" "$@"
}
main "$@"
