#!/usr/bin/env bash
# Writes each app's local.settings.json (what `func start` reads) from its local.settings.example.json, pointed at
# the servers of scripts/servers.sh (.servers/env), with what the examples leave empty filled in for this machine:
#
#   bash scripts/local-settings.sh [--force] [--out DIR]
#
# - the server addresses (MongoDB, Redis, RabbitMQ, Azurite) from .servers/env (run `scripts/servers.sh start` first);
# - one generated internal service key, accepted by ProductFunctions and sent by OrderFunctions;
# - a generated RS256 signing key for AuthFunctions (scripts/new-signing-key.sh), so tokens survive a restart;
# - the function key OrderFunctions sends to ProductFunctions (Core Tools does not check keys locally; the value
#   only has to be there);
# - distinct metrics ports (the examples': 9464 auth, 9465 products, 9466 orders).
# Existing local.settings.json files are kept unless --force. --out DIR writes DIR/<App>/local.settings.json
# instead (used by the tests). Secrets are generated here, written only to those git-ignored files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
force=0
out=""
while (($#)); do
  case "$1" in
    --force) force=1; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    *) echo "usage: $0 [--force] [--out DIR]" >&2; exit 2 ;;
  esac
done

ENV_FILE="$ROOT/.servers/env"
[[ -f $ENV_FILE ]] || { echo "local-settings: no $ENV_FILE; run 'bash scripts/servers.sh start' first" >&2; exit 1; }
# shellcheck source=/dev/null
source "$ENV_FILE"
command -v python3 >/dev/null || { echo "local-settings: python3 is needed" >&2; exit 1; }

apps=(AuthFunctions ProductFunctions OrderFunctions)
target() { if [[ -n $out ]]; then echo "$out/$1/local.settings.json"; else echo "$ROOT/functions/$1/local.settings.json"; fi; }
if ((!force)); then
  for app in "${apps[@]}"; do
    if [[ -f $(target "$app") ]]; then
      echo "local-settings: $(target "$app") exists; keeping all three (--force rewrites them)"
      exit 0
    fi
  done
fi

new_key() { openssl rand -hex 32; }
internal_key="$(new_key)"
signing="$(bash "$ROOT/scripts/new-signing-key.sh" "dev-$(date -u +%Y%m%d%H%M%S)")"
products_key_for_orders="$(new_key)"
export SHOP_INTERNAL_KEY="$internal_key" SHOP_PRODUCTS_KEY_FOR_ORDERS="$products_key_for_orders"
SHOP_SIGNING_KID="$(sed -n 's/^Auth__SigningKeys__0__Kid=//p' <<<"$signing")"
SHOP_SIGNING_PEM="$(sed -n 's/^Auth__SigningKeys__0__PrivateKeyPem=//p' <<<"$signing")"
export SHOP_SIGNING_KID SHOP_SIGNING_PEM SHOP_TEST_MONGODB_URI SHOP_TEST_REDIS SHOP_TEST_RABBITMQ_URI SHOP_TEST_AZURITE

for app in "${apps[@]}"; do
  file="$(target "$app")"
  mkdir -p "$(dirname "$file")"
  python3 - "$ROOT/functions/$app/local.settings.example.json" "$file" "$app" <<'PY'
import json, os, sys
example, target, app = sys.argv[1:]
with open(example) as f:
    settings = json.load(f)
values = settings["Values"]
env = os.environ
values["AzureWebJobsStorage"] = env["SHOP_TEST_AZURITE"]
values["Mongo__ConnectionString"] = env["SHOP_TEST_MONGODB_URI"]
values["Redis__Configuration"] = env["SHOP_TEST_REDIS"]
if "RabbitMq__Uri" in values:
    values["RabbitMq__Uri"] = env["SHOP_TEST_RABBITMQ_URI"]
if app == "AuthFunctions":
    values["Auth__SigningKeys__0__Kid"] = env["SHOP_SIGNING_KID"]
    values["Auth__SigningKeys__0__PrivateKeyPem"] = env["SHOP_SIGNING_PEM"]
    values["Auth__AllowEphemeralSigningKey"] = "false"
if app == "ProductFunctions":
    values["Internal__ApiKeys__0"] = env["SHOP_INTERNAL_KEY"]
if app == "OrderFunctions":
    values["Internal__OutgoingApiKey"] = env["SHOP_INTERNAL_KEY"]
    values["Orders__ProductsFunctionKey"] = env["SHOP_PRODUCTS_KEY_FOR_ORDERS"]
with open(target, "w") as f:
    json.dump(settings, f, indent=2)
    f.write("\n")
PY
  chmod 600 "$file"
  echo "local-settings: wrote $file"
done
