#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [extra `dotnet test` arguments, e.g. --filter Category=Unit]
#
# 1. installs the local test servers if missing (scripts/install-servers.sh)
# 2. starts them (scripts/servers.sh start) and exports .servers/env with SHOP_REQUIRE_SERVERS=1,
#    so a test that needs a server fails instead of skipping when the server is missing
# 3. runs dotnet test on Shop.sln (Release) with TRX results in .servers/test-results
# 4. stops the servers (unless SHOP_KEEP_SERVERS=1) and prints one final line summed over all test
#    projects:  N passed, N failed, N skipped
# Exit status: non-zero if dotnet test failed, a test failed, or no test ran.
# The counts are also written to .servers/test-results/summary.env (PASSED=, FAILED=, SKIPPED=, TOTAL=).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/.servers/test-results"

log() { echo "test: $*"; }

SERVERS_UP=0
stop_servers() {
  if ((SERVERS_UP)) && [[ ${SHOP_KEEP_SERVERS:-0} != 1 ]]; then
    SERVERS_UP=0
    bash "$ROOT/scripts/servers.sh" stop || log "WARNING: stopping the servers failed"
  fi
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# trx_counter FILE NAME: an attribute of the <Counters .../> element of a TRX file (0 when absent).
trx_counter() {
  local v
  v="$(tr '\n' ' ' <"$1" | grep -o '<Counters [^>]*>' | head -n 1 | grep -o " $2=\"[0-9]*\"" | tr -dc '0-9' || true)"
  echo "${v:-0}"
}
# trx_tests FILE OUTCOME: names of the tests with that outcome (Failed, NotExecuted, ...).
trx_tests() {
  tr '\n' ' ' <"$1" | grep -o '<UnitTestResult [^>]*>' | grep " outcome=\"$2\"" |
    sed -e 's/.* testName="\([^"]*\)".*/\1/' -e 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' || true
}

# summarize DIR: sums every TRX file in DIR; prints failed/skipped test names and the final line.
summarize() {
  local dir="$1" f passed=0 failed=0 skipped=0 total=0 files=0 n
  shopt -s nullglob
  for f in "$dir"/*.trx; do
    files=$((files + 1))
    if ! tr '\n' ' ' <"$f" | grep -q '<Counters '; then
      log "WARNING: $f has no <Counters> element (test run aborted?)"
    fi
    total=$((total + $(trx_counter "$f" total)))
    passed=$((passed + $(trx_counter "$f" passed)))
    # error/timeout/aborted outcomes count as failures too
    for n in failed error timeout aborted; do failed=$((failed + $(trx_counter "$f" "$n"))); done
    skipped=$((skipped + $(trx_counter "$f" notExecuted)))
  done
  shopt -u nullglob
  if ((files)); then
    local names
    names="$(for f in "$dir"/*.trx; do trx_tests "$f" Failed; trx_tests "$f" Error; trx_tests "$f" Timeout; done | sort -u)"
    [[ -z $names ]] || { log "failed tests:"; awk 'NR <= 100 { print "  - " $0 }' <<<"$names"; }
    names="$(for f in "$dir"/*.trx; do trx_tests "$f" NotExecuted; done | sort -u)"
    [[ -z $names ]] || { log "skipped tests:"; awk 'NR <= 100 { print "  - " $0 }' <<<"$names"; }
  fi
  printf 'PASSED=%d\nFAILED=%d\nSKIPPED=%d\nTOTAL=%d\nTRX_FILES=%d\n' "$passed" "$failed" "$skipped" "$total" "$files" >"$dir/summary.env"
  SUM_PASSED=$passed SUM_FAILED=$failed SUM_SKIPPED=$skipped SUM_FILES=$files
}

# `scripts/test.sh --summarize DIR` only parses existing TRX files (used to test the parser).
if [[ ${1:-} == --summarize ]]; then
  summarize "${2:?usage: $0 --summarize DIR}"
  echo "$SUM_PASSED passed, $SUM_FAILED failed, $SUM_SKIPPED skipped"
  exit 0
fi

bash "$ROOT/scripts/install-servers.sh"
SERVERS_UP=1
bash "$ROOT/scripts/servers.sh" start
# shellcheck source=/dev/null
source "$ROOT/.servers/env"
export SHOP_REQUIRE_SERVERS=1
log "MongoDB for this run: $SHOP_TEST_MONGODB_KIND ($([[ $SHOP_TEST_MONGODB_KIND == congodb ]] && echo 'CongoDB in-memory stand-in, not a real MongoDB' || echo 'real server from MONGODB_URI'))"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start=$SECONDS
dotnet_rc=0
log "building Shop.sln (Release)"
dotnet build "$ROOT/Shop.sln" -c Release --nologo -v quiet || dotnet_rc=$?
build_rc=$dotnet_rc
# One test project after the other, each announced when it starts and ends, with a line every minute while it runs,
# so a long integration phase is never silent.
for project in "$ROOT"/tests/*/*.csproj; do
  ((build_rc == 0)) || break
  name="$(basename "$project" .csproj)"
  grep -q '<IsTestProject>true</IsTestProject>\|Microsoft.NET.Test.Sdk' "$project" || continue
  project_start=$SECONDS
  log "$name: started"
  (while sleep 60; do log "$name: still running ($((SECONDS - project_start)) s)"; done) &
  heartbeat=$!
  project_rc=0
  dotnet test "$project" -c Release --no-build --logger "trx;LogFilePrefix=$name" --results-directory "$RESULTS" "$@" || project_rc=$?
  kill "$heartbeat" 2>/dev/null || true
  wait "$heartbeat" 2>/dev/null || true
  counts="$(for f in "$RESULTS/$name"*.trx; do [[ -f $f ]] && echo "$(trx_counter "$f" passed) $(trx_counter "$f" failed) $(trx_counter "$f" notExecuted)"; done | awk '{p+=$1; f+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped", p, f, s}')"
  log "$name: finished in $((SECONDS - project_start)) s with exit code $project_rc ($counts)"
  ((project_rc == 0)) || dotnet_rc=$project_rc
done
log "dotnet test exited with $dotnet_rc after $((SECONDS - start)) s"

stop_servers
summarize "$RESULTS"

rc=0
if ((dotnet_rc != 0)); then log "FAIL: dotnet test exited with $dotnet_rc"; rc=1; fi
if ((SUM_FAILED > 0)); then log "FAIL: $SUM_FAILED test(s) failed"; rc=1; fi
if ((SUM_FILES == 0)); then log "FAIL: no TRX results in $RESULTS"; rc=1; fi
if ((SUM_PASSED + SUM_FAILED == 0)); then log "FAIL: no test ran"; rc=1; fi
echo "$SUM_PASSED passed, $SUM_FAILED failed, $SUM_SKIPPED skipped"
exit "$rc"
