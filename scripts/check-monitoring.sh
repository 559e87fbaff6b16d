#!/usr/bin/env bash
# Checks the monitoring files: bash scripts/check-monitoring.sh
#   1. promtool check rules   deploy/prometheus/rules/*.yml
#   2. promtool test rules    deploy/prometheus/rules/tests/*.yml (each alert fires, and stays quiet, when it should)
#   3. every Grafana dashboard in deploy/grafana/dashboards/*.json is valid JSON, uses the datasource uid
#      "prometheus", and every query in it is valid PromQL (Grafana's $variables replaced by sample values and
#      checked by promtool as recording rules)
# Installs promtool (Debian's prometheus package) when it is missing, without leaving the Prometheus service running.
# Exits non-zero on the first failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "check-monitoring: $*"; }

if ! command -v promtool >/dev/null; then
  log "installing promtool (apt package prometheus)"
  export DEBIAN_FRONTEND=noninteractive
  # The package's service must not start here: policy-rc.d answers "forbidden" to every start request.
  policy="/usr/sbin/policy-rc.d"
  created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  { apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends prometheus >/dev/null; }; } || {
    ((created_policy)) && rm -f "$policy"
    log "FAIL: could not install promtool"
    exit 1
  }
  ((created_policy)) && rm -f "$policy"
  if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl stop prometheus || true
  fi
fi

shopt -s nullglob
rules=(deploy/prometheus/rules/*.yml)
tests=(deploy/prometheus/rules/tests/*.yml)
dashboards=(deploy/grafana/dashboards/*.json)
shopt -u nullglob
((${#rules[@]})) || { log "FAIL: no rule files in deploy/prometheus/rules"; exit 1; }
((${#tests[@]})) || { log "FAIL: no rule tests in deploy/prometheus/rules/tests"; exit 1; }
((${#dashboards[@]})) || { log "FAIL: no dashboards in deploy/grafana/dashboards"; exit 1; }

log "promtool check rules (${#rules[@]} file(s))"
promtool check rules "${rules[@]}"

log "promtool test rules (${#tests[@]} file(s))"
promtool test rules "${tests[@]}"

log "dashboards (${#dashboards[@]} file(s)): JSON, datasource, PromQL"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/dashboard-queries.yml" "${dashboards[@]}" <<'PY'
import json, sys

out, files = sys.argv[1], sys.argv[2:]
samples = {"$__rate_interval": "5m", "$__range": "3h", "$__interval": "1m", "$app": ".*", "$function": ".*"}
rules, problems = [], []

def walk(panels):
    for panel in panels:
        yield panel
        yield from walk(panel.get("panels", []))

for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            board = json.load(f)
    except (OSError, ValueError) as error:
        problems.append(f"{path}: not valid JSON: {error}")
        continue
    for key in ("uid", "title", "panels"):
        if key not in board:
            problems.append(f"{path}: no '{key}'")
    for panel in walk(board.get("panels", [])):
        sources = [panel.get("datasource")] + [t.get("datasource") for t in panel.get("targets", [])]
        for source in filter(None, sources):
            if source.get("uid") != "prometheus":
                problems.append(f"{path}: panel '{panel.get('title')}' uses datasource {source}")
        for target in panel.get("targets", []):
            expr = target.get("expr", "")
            for name, value in sorted(samples.items(), key=lambda s: -len(s[0])):
                expr = expr.replace(name, value)
            if "$" in expr:
                problems.append(f"{path}: panel '{panel.get('title')}' has an unknown variable: {expr}")
            rules.append({"record": f"dashboard:query:{len(rules)}", "expr": expr})

with open(out, "w", encoding="utf-8") as f:
    json.dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, f, indent=1)
for problem in problems:
    print("  " + problem)
print(f"  {len(files)} dashboard(s), {len(rules)} queries")
sys.exit(1 if problems else 0)
PY
promtool check rules "$work/dashboard-queries.yml" >/dev/null || {
  promtool check rules "$work/dashboard-queries.yml" || true
  log "FAIL: a dashboard query is not valid PromQL"
  exit 1
}

log "OK: ${#rules[@]} rule file(s), ${#tests[@]} rule test file(s), ${#dashboards[@]} dashboard(s)"
