#!/usr/bin/env bash
# Installs the local test servers, only what is missing (safe to run again):
#   - Debian packages: redis-server, rabbitmq-server, nginx (apt-get; needs root)
#   - .tools/azurite : Azurite 3.35.0 (Azure Storage emulator; last release for Node 20)
#   - .tools/congodb : CongoDB, a MongoDB-wire-compatible in-memory server (MongoDB stand-in, patched),
#                      taken from the npm tarball of @push.rocks/smartmongo@2.2.0 (MIT)
# npm dependency versions are pinned by scripts/npm/*/package-lock.json (installed with `npm ci`).
# Output is quiet; on a failure the tail of the step's log is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NPM_MANIFESTS="$ROOT/scripts/npm"
SMARTMONGO_SPEC="@push.rocks/smartmongo@2.2.0"
SMARTMONGO_SHA1="8e8d6fe2de716cc16385447467cc47ce35e10af2"
APT_PACKAGES=(redis-server rabbitmq-server nginx patch)
# Applied in this order: string _ids, then pipeline-style updates.
CONGODB_PATCHES=("$NPM_MANIFESTS/congodb/congodb-any-id.patch" "$NPM_MANIFESTS/congodb/congodb-pipeline-update.patch")

start_time=$SECONDS
LOG="$(mktemp /tmp/install-servers.XXXXXX.log)"
CLEANUP=("$LOG")
cleanup() { rm -rf -- "${CLEANUP[@]}"; }
trap cleanup EXIT

say() { echo "install-servers: $*"; }
die() { echo "install-servers: ERROR: $*" >&2; exit 1; }

# run DESCRIPTION CMD...: runs CMD with its output in $LOG; on failure shows the log tail and exits.
run() {
  local what="$1"; shift
  if ! "$@" >"$LOG" 2>&1; then
    echo "install-servers: ERROR: $what failed: $*" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------- Debian packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
  say "apt-get install ${missing[*]}"
  # Never let package scripts start the system services (default ports, system users):
  # our own scripts/servers.sh starts private instances. Docker-style images already have this file.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    CLEANUP+=(/usr/sbin/policy-rc.d)
  fi
  export DEBIAN_FRONTEND=noninteractive
  run "apt-get update" apt-get update -q
  run "apt-get install" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- npm tools
command -v node >/dev/null || die "node is not installed (Node 20 expected)"
command -v npm >/dev/null || die "npm is not installed"
mkdir -p "$TOOLS"
NPM_FLAGS=(--no-audit --no-fund --no-progress --loglevel=error --ignore-scripts)

# stamp NAME: a fingerprint of what an installed tool was built from.
stamp() {
  local name="$1"
  {
    echo "node $(node --version)"
    cat "$NPM_MANIFESTS/$name/package.json" "$NPM_MANIFESTS/$name/package-lock.json"
    if [[ $name == congodb ]]; then echo "$SMARTMONGO_SPEC $SMARTMONGO_SHA1"; cat "${CONGODB_PATCHES[@]}"; fi
  } | sha256sum | cut -d' ' -f1
}

is_current() { [[ -f "$TOOLS/$1/.installed" && "$(cat "$TOOLS/$1/.installed")" == "$(stamp "$1")" ]]; }

# install_npm_tool NAME [extra step function]: builds $TOOLS/NAME.new, then swaps it in atomically.
install_npm_tool() {
  local name="$1" extra="${2:-}" dir="$TOOLS/$1.new"
  rm -rf -- "$dir"
  CLEANUP+=("$dir")
  mkdir -p "$dir"
  cp "$NPM_MANIFESTS/$name/package.json" "$NPM_MANIFESTS/$name/package-lock.json" "$dir/"
  run "npm ci ($name)" npm ci --prefix "$dir" "${NPM_FLAGS[@]}"
  [[ -z $extra ]] || "$extra" "$dir"
  stamp "$name" >"$dir/.installed"
  rm -rf -- "${TOOLS:?}/$name"
  mv "$dir" "$TOOLS/$name"
}

# Azurite (no package in its lock has an install script, so --ignore-scripts changes nothing).
if ! is_current azurite; then
  say "npm: azurite 3.35.0 -> .tools/azurite"
  install_npm_tool azurite
fi
[[ -x "$TOOLS/azurite/node_modules/.bin/azurite" ]] || die "azurite binary missing in $TOOLS/azurite"

# CongoDB: `npm install @push.rocks/smartmongo` fails (dependencies not served), so take only the
# dist_ts/congodb folder of the package tarball; its imports need only the pinned packages in
# scripts/npm/congodb (bson, mingo, @push.rocks/smartfs|smartpath|smartpromise|smartrx), then
# apply the patches in scripts/npm/congodb.
add_congodb_sources() {
  local dir="$1" tgz
  run "npm pack $SMARTMONGO_SPEC" npm pack "$SMARTMONGO_SPEC" --pack-destination "$dir" --silent
  tgz="$dir/push.rocks-smartmongo-2.2.0.tgz"
  [[ -f $tgz ]] || die "npm pack did not produce $tgz"
  [[ "$(sha1sum "$tgz" | cut -d' ' -f1)" == "$SMARTMONGO_SHA1" ]] || die "checksum mismatch for $tgz"
  run "extract congodb" tar -xzf "$tgz" -C "$dir" --strip-components=1 package/dist_ts/congodb package/license
  rm -f -- "$tgz"
  [[ -f "$dir/dist_ts/congodb/index.js" ]] || die "dist_ts/congodb/index.js missing after extraction"
  # As shipped, CongoDB turns every client _id into an ObjectId, so a string _id (an email, an order id)
  # fails on insert with a bogus E11000. The patch keeps _id values as sent and keys documents by any BSON value.
  # It also throws on pipeline-style updates (MongoDB 4.2+), which the reservations' one-round-trip take uses;
  # the second patch runs their stages with mingo, the aggregation engine it already uses.
  local patch
  for patch in "${CONGODB_PATCHES[@]}"; do
    run "patch CongoDB ($patch)" patch -p1 --forward --batch --quiet -d "$dir" -i "$patch"
  done
}
if ! is_current congodb; then
  say "npm: CongoDB (from $SMARTMONGO_SPEC) -> .tools/congodb"
  install_npm_tool congodb add_congodb_sources
fi
# Smoke check: the module loads and exports CongoServer.
run "load CongoDB module" node --input-type=module -e \
  "const m = await import('$TOOLS/congodb/dist_ts/congodb/index.js'); if (typeof m.CongoServer !== 'function') process.exit(3);"

say "ready in $((SECONDS - start_time)) s"
