#!/usr/bin/env bash
# Static validation of the deployment files, no Docker engine, cluster or Functions host needed:
#
#   bash scripts/validate-deployment.sh            # exit 0 when every check passed
#
# Installs what is missing (apt: docker-compose 1.29.2, yamllint, prometheus for promtool, nginx, shellcheck; npm,
# pinned by scripts/npm/validators/package-lock.json, into .tools/validators: dockerfilelint, kubernetes-models,
# @kubernetes-models/keda, @kubernetes-models/gateway-api, yaml), then runs every check below even when one fails,
# and prints one line each:
#   compose     docker-compose -f docker-compose.yml config -q   (schema of the 1.29.2 parser)
#   dockerfile  dockerfilelint on every Dockerfile
#   yaml        yamllint --strict (config .yamllint) on docker-compose.yml, deploy/ and keda/
#   k8s         scripts/validate-k8s.mjs on keda/*.yaml, keda/alternatives/ingress-nginx/*.yaml and the Secrets
#               keda/generate-secrets.sh prints (made with placeholder inputs): schemas, unknown fields, references
#               (Gateway API routes included), HA rules, the RabbitMQ topology, function lists, settings names, and
#               docker-compose.yml's cross-references (bind mounts, nginx/Prometheus names, keys, seed data)
#   prometheus  promtool check config (which loads the rule files) and check rules; promtool test rules on
#               deploy/prometheus/rules/tests/*.yml (and deploy/prometheus/tests/*.yml) when there are any
#   nginx       nginx -t on a copy of deploy/nginx/nginx.conf that only adds private temp paths. Upstreams are
#               addressed through variables + resolver, so names that do not resolve here (auth, products, ...)
#               need no stand-in: nginx resolves them per request, not at load
#   json        the Grafana dashboards and the dev function-key files parse; dashboards have uid, title, panels
#   shell       shellcheck on the deployment scripts
# With --build-stage, also (about 30 s per app with a warm NuGet cache; needs the .NET SDK):
#   build       the build stage of each functions/<App>/Dockerfile replayed without Docker: its COPY lines copy
#               exactly those files from the repository root into an empty directory, its RUN lines (dotnet
#               restore, dotnet publish) run there, and the publish output must hold what the host loads
#               (functions.metadata, worker.config.json, extensions.json, host.json, <App>.dll)
# Environment: SHOP_VALIDATE_SKIP_INSTALL=1 uses the tools as they are (fails if one is missing).
set -uo pipefail

build_stage=0
for arg in "$@"; do
  case "$arg" in
    --build-stage) build_stage=1 ;;
    *) echo "usage: validate-deployment.sh [--build-stage]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
TOOLS="$ROOT/.tools"
VALIDATORS="$TOOLS/validators"
MANIFEST="$ROOT/scripts/npm/validators"
started=$SECONDS
WORK="$(mktemp -d /tmp/validate-deployment.XXXXXX)"
CLEANUP=("$WORK")
cleanup() { rm -rf -- "${CLEANUP[@]}"; }
trap cleanup EXIT

say() { echo "validate-deployment: $*"; }
die() { echo "validate-deployment: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- install
install_started=$SECONDS
declare -A APT_FOR=([docker-compose]=docker-compose [yamllint]=yamllint [promtool]=prometheus [nginx]=nginx [shellcheck]=shellcheck)
missing=()
for tool in "${!APT_FOR[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || missing+=("${APT_FOR[$tool]}")
done
if ((${#missing[@]})); then
  [[ ${SHOP_VALIDATE_SKIP_INSTALL:-0} != 1 ]] || die "missing: ${missing[*]}"
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
  say "apt-get install ${missing[*]}"
  # Never let package scripts start services (prometheus, nginx): Docker-style images already have this file.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    CLEANUP+=(/usr/sbin/policy-rc.d)
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; die "apt-get update failed"; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1 ||
    { tail -n 20 "$WORK/apt.log" >&2; die "apt-get install failed"; }
fi
export PATH="$PATH:/usr/sbin"

command -v node >/dev/null || die "node is not installed (Node 20 expected)"
stamp() { { echo "node $(node --version)"; cat "$MANIFEST/package.json" "$MANIFEST/package-lock.json"; } | sha256sum | cut -d' ' -f1; }
if [[ ! -f $VALIDATORS/.installed || "$(cat "$VALIDATORS/.installed")" != "$(stamp)" ]]; then
  [[ ${SHOP_VALIDATE_SKIP_INSTALL:-0} != 1 ]] || die "$VALIDATORS is missing or out of date"
  say "npm ci scripts/npm/validators -> .tools/validators"
  rm -rf -- "$VALIDATORS.new"
  CLEANUP+=("$VALIDATORS.new")
  mkdir -p "$VALIDATORS.new"
  cp "$MANIFEST/package.json" "$MANIFEST/package-lock.json" "$VALIDATORS.new/"
  npm ci --prefix "$VALIDATORS.new" --no-audit --no-fund --no-progress --loglevel=error --ignore-scripts \
    >"$WORK/npm.log" 2>&1 || { tail -n 20 "$WORK/npm.log" >&2; die "npm ci failed"; }
  stamp >"$VALIDATORS.new/.installed"
  rm -rf -- "$VALIDATORS"
  mv "$VALIDATORS.new" "$VALIDATORS"
fi
install_seconds=$((SECONDS - install_started))

# ---------------------------------------------------------------------------------------------- checks
failed=()
passed=0
# check NAME COMMAND...: runs COMMAND with its output in a log; prints a line; on failure prints the log.
check() {
  local name="$1" t=$SECONDS rc=0
  shift
  "$@" >"$WORK/$name.log" 2>&1 || rc=$?
  if ((rc == 0)); then
    passed=$((passed + 1))
    printf 'validate-deployment: %-10s ok   (%ss) %s\n' "$name" "$((SECONDS - t))" "$(tail -n 1 "$WORK/$name.log" | cut -c1-250)"
  else
    failed+=("$name")
    printf 'validate-deployment: %-10s FAIL (%ss)\n' "$name" "$((SECONDS - t))"
    sed 's/^/    /' "$WORK/$name.log" | tail -n 60
  fi
}

check_compose() {
  # Unset, so that the file's own ${VAR:-default} fall-backs are what is validated.
  env -u RABBITMQ_PASSWORD -u GRAFANA_ADMIN_PASSWORD docker-compose -f docker-compose.yml config -q &&
    echo "docker-compose $(docker-compose version --short 2>/dev/null): docker-compose.yml is valid"
}

check_dockerfiles() {
  local f rc=0 n=0
  while IFS= read -r f; do
    n=$((n + 1))
    "$VALIDATORS/node_modules/.bin/dockerfilelint" "$f" || rc=1
  done < <(find functions deploy -name Dockerfile -not -path '*/bin/*' -not -path '*/obj/*' | sort)
  ((n > 0)) || { echo "no Dockerfile found"; return 1; }
  ((rc == 0)) && echo "$n Dockerfiles: no issues"
  return "$rc"
}

check_yaml() {
  yamllint --strict -c .yamllint docker-compose.yml deploy keda && echo "yamllint $(yamllint --version | cut -d' ' -f2): no problems"
}

check_k8s() {
  # The Secrets are generated (never committed): validate exactly what generate-secrets.sh prints, made from
  # placeholder connection settings.
  SHOP_MONGODB_URI='mongodb://mongo.invalid:27017' \
    SHOP_REDIS='redis.invalid:6379' \
    SHOP_RABBITMQ_URI='amqp://user:password@rabbitmq.invalid:5672/' \
    SHOP_RABBITMQ_MANAGEMENT_URI='http://user:password@rabbitmq.invalid:15672/' \
    SHOP_STORAGE_CONNECTION='DefaultEndpointsProtocol=https;AccountName=invalid;AccountKey=aW52YWxpZA==;EndpointSuffix=core.windows.net' \
    SHOP_STRIPE_SECRET_KEY='sk_test_invalid' \
    bash keda/generate-secrets.sh >"$WORK/secrets.yaml" || return 1
  node scripts/validate-k8s.mjs --models "$VALIDATORS" --root . --compose docker-compose.yml keda/*.yaml \
    keda/alternatives/ingress-nginx/*.yaml "$WORK/secrets.yaml"
}

check_prometheus() {
  promtool check config deploy/prometheus/prometheus.yml || return 1
  local rules=(deploy/prometheus/rules/*.yml) tests=()
  [[ -e ${rules[0]} ]] && { promtool check rules "${rules[@]}" || return 1; }
  shopt -s nullglob
  tests=(deploy/prometheus/rules/tests/*.yml deploy/prometheus/tests/*.yml)
  shopt -u nullglob
  if ((${#tests[@]})); then promtool test rules "${tests[@]}" || return 1; fi
  echo "promtool: config, ${#rules[@]} rule file(s) and ${#tests[@]} rule test file(s) pass"
}

check_nginx() {
  local dir="$WORK/nginx"
  mkdir -p "$dir/temp"
  # The same configuration; only the temp directories move somewhere writable (they are absolute, compiled-in
  # paths otherwise, e.g. /var/lib/nginx on Debian).
  sed "s#^http {#http {\n  client_body_temp_path $dir/temp/body;\n  proxy_temp_path $dir/temp/proxy;\n  fastcgi_temp_path $dir/temp/fastcgi;\n  uwsgi_temp_path $dir/temp/uwsgi;\n  scgi_temp_path $dir/temp/scgi;#" \
    deploy/nginx/nginx.conf >"$dir/nginx.conf"
  grep -q "proxy_temp_path $dir" "$dir/nginx.conf" || { echo "could not prepare the test copy"; return 1; }
  nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -g "pid $dir/nginx.pid;" -e stderr || return 1
  # The apps trust X-Real-IP from nginx alone: it must be set for every location, i.e. once in the http block and
  # never overridden (a location with a proxy_set_header of its own inherits none of the http block's).
  # shellcheck disable=SC2016 # the nginx variable, literally
  grep -qE '^  proxy_set_header X-Real-IP \$remote_addr;' deploy/nginx/nginx.conf ||
    { echo "deploy/nginx/nginx.conf: the http block must set proxy_set_header X-Real-IP \$remote_addr"; return 1; }
  if grep -nE '^ {4,}proxy_set_header ' deploy/nginx/nginx.conf; then
    echo "deploy/nginx/nginx.conf: a location sets headers of its own and so loses X-Real-IP (set it there too, or move the header up)"
    return 1
  fi
  echo "$(nginx -v 2>&1): deploy/nginx/nginx.conf test is successful; X-Real-IP is set for every location"
}

check_json() {
  node --input-type=module - "$VALIDATORS" <<'EOF'
import { readFileSync, readdirSync } from "node:fs";
let problems = 0;
const files = [
  ...readdirSync("deploy/grafana/dashboards").filter((f) => f.endsWith(".json")).map((f) => `deploy/grafana/dashboards/${f}`),
  ...readdirSync("deploy/compose/function-keys").filter((f) => f.endsWith(".json")).map((f) => `deploy/compose/function-keys/${f}`),
];
for (const file of files) {
  let json;
  try { json = JSON.parse(readFileSync(file, "utf8")); } catch (e) { console.log(`${file}: ${e.message}`); problems++; continue; }
  if (file.includes("/dashboards/")) {
    if (!json.uid || !json.title || !Array.isArray(json.panels) || json.panels.length === 0) { console.log(`${file}: needs uid, title and panels`); problems++; }
    const ids = json.panels?.map((p) => p.id) ?? [];
    if (new Set(ids).size !== ids.length) { console.log(`${file}: duplicate panel ids`); problems++; }
    for (const p of json.panels ?? []) for (const t of p.targets ?? []) if (!t.expr) { console.log(`${file}: panel ${p.id} has a target without expr`); problems++; }
  }
}
if (problems) process.exit(1);
console.log(`${files.length} JSON files parse`);
EOF
}

check_shell() {
  shellcheck scripts/validate-deployment.sh scripts/smoke.sh scripts/new-api-consumer.sh scripts/local-settings.sh scripts/dev.sh keda/generate-secrets.sh deploy/compose/init-secrets.sh &&
    shellcheck -s sh deploy/compose/secret-env.sh && echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): no findings"
}

# The build context as Docker would send it: the repository root without what .dockerignore excludes (patterns
# translated to tar's unanchored excludes: `**/bin/` and `bin/` both become `bin`, which errs on excluding more).
make_build_context() {
  local context="$WORK/context" pattern excludes=()
  while IFS= read -r pattern || [[ -n $pattern ]]; do
    pattern="${pattern%%#*}"
    pattern="${pattern//[[:space:]]/}"
    [[ -n $pattern && $pattern != !* ]] || continue
    pattern="${pattern#\*\*/}"
    excludes+=("--exclude=${pattern%/}")
  done <"$ROOT/.dockerignore"
  mkdir -p "$context"
  tar -C "$ROOT" "${excludes[@]}" -cf - . | tar -C "$context" -xf -
}

# Replays the first stage of a Dockerfile (COPY from the build context, WORKDIR, RUN) in an empty directory; the
# stage's absolute paths (/src, /app) live under that directory.
replay_build_stage() {
  local dockerfile="$1" context="$WORK/context" dir line instr rest workdir=/ stage=0 src dest app parts
  app="$(basename "$(dirname "$dockerfile")")"
  dir="$WORK/build/$app"
  mkdir -p "$dir"
  while IFS= read -r line || [[ -n $line ]]; do
    while [[ $line == *\\ ]]; do IFS= read -r rest; line="${line%\\} $rest"; done
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    instr="${line%%[[:space:]]*}"
    rest="${line#"$instr"}"
    rest="${rest#"${rest%%[![:space:]]*}"}"
    case "${instr^^}" in
      FROM) stage=$((stage + 1)); ((stage == 1)) || break ;;
      WORKDIR) workdir="$rest"; mkdir -p "$dir$workdir" ;;
      COPY)
        [[ $rest != --* ]] || { echo "unsupported COPY flag: $line"; return 1; }
        read -r -a parts <<<"$rest"
        dest="${parts[-1]}"
        [[ $dest == /* ]] || dest="$workdir/$dest"
        for src in "${parts[@]:0:${#parts[@]}-1}"; do
          [[ -e $context/$src ]] || { echo "COPY $src: not in the build context (missing, or excluded by .dockerignore)"; return 1; }
          if [[ -d $context/$src ]]; then
            mkdir -p "$dir$dest"
            cp -a "$context/$src/." "$dir$dest/"
          else
            mkdir -p "$dir${dest%/*}"
            cp "$context/$src" "$dir$dest"
          fi
        done
        ;;
      RUN)
        echo "RUN $rest"
        (cd "$dir$workdir" && bash -c "${rest//\/app\//$dir/app/}") || { echo "RUN failed: $rest"; return 1; }
        ;;
      ENV | ARG | LABEL | EXPOSE) ;;
      *) echo "unsupported instruction in the build stage: $line"; return 1 ;;
    esac
  done <"$dockerfile"
  local out="$dir/app/publish" f
  for f in functions.metadata worker.config.json extensions.json host.json "$app.dll"; do
    [[ -f $out/$f ]] || { echo "publish output lacks $f"; return 1; }
  done
  echo "$app: the build stage restores and publishes from the files its COPY lines name"
}

check_build_stage() {
  command -v dotnet >/dev/null || { echo "dotnet is not installed"; return 1; }
  local f
  make_build_context || return 1
  for f in functions/*/Dockerfile; do replay_build_stage "$f" || return 1; done
}

check compose check_compose
check dockerfile check_dockerfiles
check yaml check_yaml
check k8s check_k8s
check prometheus check_prometheus
check nginx check_nginx
check json check_json
check shell check_shell
((build_stage == 0)) || check build check_build_stage

total=$((SECONDS - started))
if ((${#failed[@]})); then
  say "FAILED: ${failed[*]} (${passed} passed; install ${install_seconds}s, total ${total}s)"
  exit 1
fi
say "all ${passed} checks passed (install ${install_seconds}s, total ${total}s)"
