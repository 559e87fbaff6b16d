#!/usr/bin/env bash
# End-to-end smoke test of a running Shop over real HTTP (the compose stack, or a cluster's gateway):
#
#   bash scripts/smoke.sh [--grant-admin] BASE_URL          e.g.  bash scripts/smoke.sh --grant-admin http://localhost:8080
#
# The journey: JWKS and health; sign-up, duplicate sign-up (409), login, /me; an administrator; the admin creates a
# product (a customer may not: 403); optimistic locking (If-Match: the current ETag gives 200, a stale one 412); the
# customer orders with an Idempotency-Key (a replay returns the same order, the same key with another body 422); the
# order reaches Confirmed, the admin ships and delivers it, it reaches Completed; the stock went down; and a burst
# of requests as the customer looking for a rate-limit answer (429 with Retry-After). Every step checks status codes
# and bodies; any deviation stops the run with a message and exit status 1. The rate-limit step only warns when no
# 429 comes (limits raised or rate limiting disabled), unless SHOP_SMOKE_REQUIRE_RATE_LIMIT=1 (scripts/smoke-gateway.sh
# sets it: rate limiting is on there), which makes it a failure.
#
# The administrator, one of:
#   --grant-admin                      sign up a fresh account and make it admin with SHOP_GRANT_ADMIN_CMD EMAIL, run
#                                      in the repository root (default: docker compose run --rm auth dotnet
#                                      /home/site/wwwroot/AuthFunctions.dll grant-admin; for a cluster e.g.
#                                      "kubectl -n shop exec deploy/auth-api -- dotnet /home/site/wwwroot/AuthFunctions.dll grant-admin")
#   SHOP_ADMIN_TOKEN=<access token>    an admin's bearer token
#   SHOP_ADMIN_EMAIL / SHOP_ADMIN_PASSWORD   an existing admin account
# Function keys (header x-functions-key): SHOP_AUTH_KEY, SHOP_PRODUCTS_KEY, SHOP_ORDERS_KEY, or SHOP_FUNCTION_KEY for
# all three; by default the compose stack's dev-only keys from deploy/compose/function-keys/.
# Other settings: SHOP_SMOKE_TIMEOUT (seconds an order may take per status, default 180), SHOP_SMOKE_BURST
# (requests of the rate-limit burst, default 700: above the per-user limit of 600 a minute),
# SHOP_SMOKE_PAYMENT_TOKEN (default tok_approve), SHOP_SMOKE_JSON (jq or python3; default jq when installed).
# Needs bash, curl, and jq or python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
grant_admin=0
while (($#)); do
  case "$1" in
    --grant-admin) grant_admin=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "smoke: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 ]] || { echo "usage: smoke.sh [--grant-admin] BASE_URL" >&2; exit 2; }
BASE="${1%/}"
TIMEOUT="${SHOP_SMOKE_TIMEOUT:-180}"
BURST="${SHOP_SMOKE_BURST:-700}"
PAYMENT_TOKEN="${SHOP_SMOKE_PAYMENT_TOKEN:-tok_approve}"
GRANT_CMD="${SHOP_GRANT_ADMIN_CMD:-docker compose run --rm auth dotnet /home/site/wwwroot/AuthFunctions.dll grant-admin}"

WORK="$(mktemp -d /tmp/shop-smoke.XXXXXX)"
trap 'rm -rf -- "$WORK"' EXIT
started=$SECONDS
step_no=0
warnings=()

command -v curl >/dev/null || { echo "smoke: curl is needed" >&2; exit 2; }
JSON_TOOL="${SHOP_SMOKE_JSON:-}" # jq or python3; by default jq when installed
if [[ -z $JSON_TOOL ]]; then
  if command -v jq >/dev/null; then JSON_TOOL=jq; else JSON_TOOL=python3; fi
fi
command -v "$JSON_TOOL" >/dev/null || { echo "smoke: jq or python3 is needed" >&2; exit 2; }

step() { step_no=$((step_no + 1)); printf 'smoke: %2d. %s\n' "$step_no" "$*"; }
ok() { printf 'smoke:     ok: %s\n' "$*"; }
warn() { printf 'smoke:     WARNING: %s\n' "$*"; warnings+=("$*"); }
fail() {
  printf 'smoke: FAIL at step %d: %s\n' "$step_no" "$*" >&2
  if [[ -f $WORK/body ]]; then
    printf 'smoke: last response: %s %s -> %s\n' "${LAST_METHOD:-}" "${LAST_PATH:-}" "${STATUS:-}" >&2
    head -c 1200 "$WORK/body" | sed 's/^/smoke:   | /' >&2
    echo >&2
  fi
  exit 1
}

# json FILE PATH: a value from a JSON file; PATH is a jq-style path of keys and [indexes] (".items[0].id").
json() {
  local file="$1" path="$2"
  if [[ $JSON_TOOL == jq ]]; then
    jq -r "$path | if . == null then empty elif type == \"object\" or type == \"array\" then tojson else tostring end" "$file" 2>/dev/null || true
  else
    python3 - "$file" "$path" <<'EOF' 2>/dev/null || true
import json, re, sys
try:
    value = json.load(open(sys.argv[1]))
    for key, index in re.findall(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]', sys.argv[2]):
        value = value[key] if key else value[int(index)]
except Exception:
    sys.exit(0)
if value is None:
    sys.exit(0)
print(json.dumps(value) if isinstance(value, (dict, list)) else (str(value).lower() if isinstance(value, bool) else value))
EOF
  fi
}
# A JSON string literal.
js() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }
header() { grep -i "^$1:" "$WORK/headers" | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
lower() { tr '[:upper:]' '[:lower:]'; }

# call METHOD PATH [options]: one request; sets STATUS, the body in $WORK/body, the headers in $WORK/headers.
#   -k KEY (x-functions-key)  -t TOKEN (bearer)  -d BODY (JSON)  -H "Name: value" (more headers)
call() {
  LAST_METHOD="$1" LAST_PATH="$2"
  shift 2
  local opt args=(-sS -X "$LAST_METHOD" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' --max-time 30)
  OPTIND=1
  while getopts 'k:t:d:H:' opt; do
    case "$opt" in
      k) args+=(-H "x-functions-key: $OPTARG") ;;
      t) args+=(-H "Authorization: Bearer $OPTARG") ;;
      d) args+=(-H 'Content-Type: application/json' --data-binary "$OPTARG") ;;
      H) args+=(-H "$OPTARG") ;;
      *) fail "call: bad option" ;;
    esac
  done
  : >"$WORK/body"
  STATUS="$(curl "${args[@]}" "$BASE$LAST_PATH" 2>"$WORK/curl.err")" || STATUS="000"
  [[ $STATUS != 000 ]] || fail "$LAST_METHOD $BASE$LAST_PATH: no HTTP answer ($(tr '\n' ' ' <"$WORK/curl.err"))"
}
expect() {
  local want
  for want in "$@"; do [[ $STATUS == "$want" ]] && return 0; done
  fail "$LAST_METHOD $LAST_PATH answered $STATUS, expected $*"
}

# The compose stack's dev-only function keys (deploy/compose/function-keys/<app>.json), unless given.
dev_key() {
  local file="$ROOT/deploy/compose/function-keys/$1.json"
  [[ -f $file ]] || return 0
  json "$file" '.functionKeys[0].value'
}
AUTH_KEY="${SHOP_AUTH_KEY:-${SHOP_FUNCTION_KEY:-$(dev_key auth)}}"
PRODUCTS_KEY="${SHOP_PRODUCTS_KEY:-${SHOP_FUNCTION_KEY:-$(dev_key products)}}"
ORDERS_KEY="${SHOP_ORDERS_KEY:-${SHOP_FUNCTION_KEY:-$(dev_key orders)}}"
[[ -n $AUTH_KEY && -n $PRODUCTS_KEY && -n $ORDERS_KEY ]] || fail "no function keys: set SHOP_FUNCTION_KEY or SHOP_AUTH_KEY/SHOP_PRODUCTS_KEY/SHOP_ORDERS_KEY"

run_id="$(date -u +%Y%m%d%H%M%S)-$RANDOM"
# Not built from the email (the password policy refuses a password containing the email's local part, smoke-<run>).
password="Kettle-${run_id}-correct-horse-battery"

signup() { # signup EMAIL NAME
  call POST /api/auth/signup -k "$AUTH_KEY" -d "{\"email\":$(js "$1"),\"password\":$(js "$password"),\"displayName\":$(js "$2")}"
}
login() { # login EMAIL PASSWORD -> TOKEN
  call POST /api/auth/login -k "$AUTH_KEY" -d "{\"email\":$(js "$1"),\"password\":$(js "$2")}"
  expect 200
  TOKEN="$(json "$WORK/body" .accessToken)"
  [[ -n $TOKEN ]] || fail "login of $1 returned no accessToken"
}
# wait_status ORDER_ID WANTED...: polls the order (as its owner) until its status is one of WANTED; a final status
# that is not wanted, or the deadline, fails.
wait_status() {
  local id="$1" deadline=$((SECONDS + TIMEOUT)) status="" s
  shift
  while ((SECONDS < deadline)); do
    call GET "/api/orders/$id" -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN"
    expect 200
    status="$(json "$WORK/body" .status | lower)"
    for s in "$@"; do [[ $status == "$(lower <<<"$s")" ]] && { ok "order $id is $status after $((SECONDS - wait_started))s"; return 0; }; done
    case "$status" in
      rejected | paymentfailed | cancelled) fail "order $id ended as $status (reason: $(json "$WORK/body" .reason)) while waiting for $*" ;;
    esac
    sleep 2
  done
  fail "order $id is still '$status' after ${TIMEOUT}s, expected $* (SHOP_SMOKE_TIMEOUT)"
}

echo "smoke: $BASE (run $run_id, JSON via $JSON_TOOL)"

# ------------------------------------------------------------------------------------------------ reachability
step "JWKS (anonymous) and health"
call GET /api/auth/jwks
expect 200
[[ "$(json "$WORK/body" '.keys[0].kid')" != "" ]] || fail "the JWKS has no key"
ok "JWKS publishes key $(json "$WORK/body" '.keys[0].kid')"
for app in auth products orders; do
  call GET "/health/$app"
  if [[ $STATUS == 404 ]]; then
    warn "no /health/$app route (only the compose nginx has one); health not checked"
    break
  fi
  expect 200
done
[[ $STATUS == 404 ]] || ok "auth, products and orders report healthy"

# ------------------------------------------------------------------------------------------------ accounts
step "sign-up, duplicate sign-up, login, /me"
customer_email="smoke-$run_id@example.com"
signup "$customer_email" "Smoke Customer"
expect 201
signup "$customer_email" "Smoke Customer"
expect 409
login "$customer_email" "$password"
CUSTOMER_TOKEN="$TOKEN"
call GET /api/auth/me -k "$AUTH_KEY" -t "$CUSTOMER_TOKEN"
expect 200
[[ "$(json "$WORK/body" .email | lower)" == "$customer_email" ]] || fail "/me does not return $customer_email"
call GET /api/auth/me -k "$AUTH_KEY"
expect 401
ok "customer $customer_email signed up and logged in; /me without a token is 401"

step "an administrator"
if ((grant_admin)); then
  admin_email="smoke-admin-$run_id@example.com"
  signup "$admin_email" "Smoke Admin"
  expect 201
  echo "smoke:     running: $GRANT_CMD $admin_email"
  # shellcheck disable=SC2086 # the command is a word list on purpose
  (cd "$ROOT" && $GRANT_CMD "$admin_email") >"$WORK/grant.log" 2>&1 || { tail -n 20 "$WORK/grant.log" >&2; fail "grant-admin failed"; }
  login "$admin_email" "$password"
  ADMIN_TOKEN="$TOKEN"
  ok "$admin_email made admin with grant-admin"
elif [[ -n ${SHOP_ADMIN_TOKEN:-} ]]; then
  ADMIN_TOKEN="$SHOP_ADMIN_TOKEN"
  ok "admin token from SHOP_ADMIN_TOKEN"
elif [[ -n ${SHOP_ADMIN_EMAIL:-} && -n ${SHOP_ADMIN_PASSWORD:-} ]]; then
  login "$SHOP_ADMIN_EMAIL" "$SHOP_ADMIN_PASSWORD"
  ADMIN_TOKEN="$TOKEN"
  ok "logged in as $SHOP_ADMIN_EMAIL"
else
  fail "no administrator: use --grant-admin, SHOP_ADMIN_TOKEN, or SHOP_ADMIN_EMAIL and SHOP_ADMIN_PASSWORD"
fi

# ------------------------------------------------------------------------------------------------ catalog
step "admin creates a product (a customer may not)"
stock=10
product_body() { # product_body PRICE
  printf '{"sku":%s,"name":"Smoke kettle","description":"smoke test %s","category":"smoke","price":%d,"currency":"EUR","stock":%d}' \
    "$(js "SMOKE-$run_id")" "$run_id" "$1" "$stock"
}
call POST /api/products -k "$PRODUCTS_KEY" -t "$CUSTOMER_TOKEN" -d "$(product_body 2999)"
expect 403
call POST /api/products -k "$PRODUCTS_KEY" -t "$ADMIN_TOKEN" -d "$(product_body 2999)"
expect 201
product_id="$(json "$WORK/body" .id)"
etag="$(header etag)"
[[ -n $product_id ]] || fail "the created product has no id"
[[ $etag == '"1"' ]] || fail "a new product's ETag is $etag, expected \"1\""
[[ -n "$(header location)" ]] || fail "201 without a Location header"
ok "product $product_id created (ETag $etag); a customer got 403"

step "optimistic locking: If-Match with the current version, then a stale one"
call GET "/api/products/$product_id" -k "$PRODUCTS_KEY"
expect 200
[[ "$(header etag)" == "$etag" ]] || fail "GET returned ETag $(header etag), expected $etag"
call PUT "/api/products/$product_id" -k "$PRODUCTS_KEY" -t "$ADMIN_TOKEN" -H "If-Match: $etag" -d "$(product_body 2799)"
expect 200
new_etag="$(header etag)"
[[ -n $new_etag && $new_etag != "$etag" ]] || fail "the update did not return a new ETag ($new_etag)"
call PUT "/api/products/$product_id" -k "$PRODUCTS_KEY" -t "$ADMIN_TOKEN" -H "If-Match: $etag" -d "$(product_body 2599)"
expect 412
call PUT "/api/products/$product_id" -k "$PRODUCTS_KEY" -t "$ADMIN_TOKEN" -d "$(product_body 2599)"
expect 428
ok "If-Match $etag -> 200 (ETag $new_etag); the stale $etag again -> 412; none -> 428"

# ------------------------------------------------------------------------------------------------ order
step "customer orders with an Idempotency-Key (replay, conflicting reuse)"
quantity=2
idempotency_key="$(uuid)"
order_body() { # order_body QUANTITY
  printf '{"items":[{"productId":%s,"quantity":%d}],"shippingAddress":{"name":"Smoke Customer","line1":"1 Test Street","city":"Berlin","postalCode":"10115","country":"DE"},"paymentToken":%s}' \
    "$(js "$product_id")" "$1" "$(js "$PAYMENT_TOKEN")"
}
call POST /api/orders -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN" -H "Idempotency-Key: $idempotency_key" -d "$(order_body "$quantity")"
expect 202
order_id="$(json "$WORK/body" .orderId)"
[[ -n $order_id ]] || fail "202 without an orderId"
call POST /api/orders -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN" -H "Idempotency-Key: $idempotency_key" -d "$(order_body "$quantity")"
expect 202
[[ "$(json "$WORK/body" .orderId)" == "$order_id" ]] || fail "the replay returned order $(json "$WORK/body" .orderId), expected $order_id"
call POST /api/orders -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN" -H "Idempotency-Key: $idempotency_key" -d "$(order_body 1)"
expect 422
call POST /api/orders -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN" -d "$(order_body "$quantity")"
expect 400 428
ok "order $order_id accepted; the replay returned it again; another body with the key -> 422; no key -> $STATUS"

step "the order is confirmed (stock reserved, paid)"
wait_started=$SECONDS
wait_status "$order_id" Confirmed

step "admin ships and delivers; the order completes"
call POST "/api/orders/$order_id/ship" -k "$ORDERS_KEY" -t "$CUSTOMER_TOKEN"
expect 403 404
call POST "/api/orders/$order_id/ship" -k "$ORDERS_KEY" -t "$ADMIN_TOKEN"
expect 202
wait_started=$SECONDS
wait_status "$order_id" Shipped Delivered Completed
call POST "/api/orders/$order_id/deliver" -k "$ORDERS_KEY" -t "$ADMIN_TOKEN"
expect 202
wait_started=$SECONDS
wait_status "$order_id" Completed
history="$(json "$WORK/body" .history)"
[[ -n $history ]] || fail "the completed order has no status history"

step "the stock went down by the ordered quantity"
deadline=$((SECONDS + 30))
while :; do
  call GET "/api/products/$product_id" -k "$PRODUCTS_KEY"
  expect 200
  left="$(json "$WORK/body" .stock)"
  [[ $left == $((stock - quantity)) ]] && break
  ((SECONDS < deadline)) || fail "stock is $left, expected $((stock - quantity))"
  sleep 2 # other instances may serve a cached copy for a few seconds (Cache__LocalExpiration)
done
ok "stock $stock -> $left"

# ------------------------------------------------------------------------------------------------ rate limit
step "a burst of $BURST requests looking for a rate-limit answer (429)"
# As the throwaway customer, so only that user's budget is spent (the per-user API limit; the per-address limit of
# sign-up and login is left alone, or a second run within a minute would be refused).
url="$BASE/api/products?page=1&pageSize=1"
burst_headers=(-H "x-functions-key: $PRODUCTS_KEY" -H "Authorization: Bearer $CUSTOMER_TOKEN")
if curl --help all 2>/dev/null | grep -q -- '--parallel-max'; then
  args=(-sS --parallel --parallel-max 25 --max-time 30 "${burst_headers[@]}" -w '%{http_code}\n')
  for ((i = 0; i < BURST; i++)); do args+=(-o /dev/null "$url"); done
  curl "${args[@]}" >"$WORK/codes" 2>/dev/null || true
else
  for ((i = 0; i < BURST; i++)); do
    curl -sS -o /dev/null --max-time 30 "${burst_headers[@]}" -w '%{http_code}\n' "$url" >>"$WORK/codes" 2>/dev/null || echo 000 >>"$WORK/codes"
  done
fi
limited="$(grep -c '^429$' "$WORK/codes" || true)"
summary="$(sort "$WORK/codes" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')"
bad="$(grep -vc -e '^200$' -e '^429$' "$WORK/codes" || true)"
((bad == 0)) || fail "the burst got answers other than 200 and 429: $summary"
if ((limited > 0)); then
  # Catch one 429 with its headers: it must say when to retry.
  for ((i = 0; i < 100; i++)); do
    call GET "/api/products?page=1&pageSize=1" -k "$PRODUCTS_KEY" -t "$CUSTOMER_TOKEN"
    [[ $STATUS == 429 ]] && break
  done
  if [[ $STATUS == 429 ]]; then
    [[ -n "$(header retry-after)" ]] || fail "429 without Retry-After"
    ok "rate limited: $summary; a 429 says Retry-After: $(header retry-after)"
  else
    ok "rate limited: $summary (the limit had refilled before a 429 could be inspected)"
  fi
elif [[ ${SHOP_SMOKE_REQUIRE_RATE_LIMIT:-0} == 1 ]]; then
  fail "no 429 in $BURST requests ($summary), and SHOP_SMOKE_REQUIRE_RATE_LIMIT=1"
else
  warn "skipped: no 429 seen in $BURST requests ($summary)"
fi

echo "smoke: PASSED in $((SECONDS - started))s (${#warnings[@]} warning(s))"
for w in "${warnings[@]}"; do echo "smoke:   warning: $w"; done
