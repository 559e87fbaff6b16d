#!/usr/bin/env bash
# The compose stack's one-shot `secrets-init` job (DEVELOPMENT ONLY). Runs before the apps on every
# `docker compose up`; idempotent:
#   - /secrets/auth/signing-key.pem   AuthFunctions' RS256 signing key, made once with scripts/new-signing-key.sh
#   - /secrets/internal/api-key       the internal service key (Products accepts it, Orders sends it), made once
#   - /keys/<app>/host.json           the Functions host key store of each app (AzureWebJobsSecretStorageType=files),
#                                     refreshed from the committed dev-only files in deploy/compose/function-keys/
# The first two live only in named volumes: they are generated on the machine, never committed. Delete them with
# `docker compose down -v` (which also deletes the databases) to get new ones.
set -euo pipefail

SECRETS_DIR="${SECRETS_DIR:-/secrets}"
KEYS_DIR="${KEYS_DIR:-/keys}"
SHOP_DIR="${SHOP_DIR:-/opt/shop}"
umask 077
say() { echo "secrets-init: $*"; }

# write_once FILE COMMAND...: writes COMMAND's output to FILE unless FILE already has content (atomic rename).
write_once() {
  local file="$1"; shift
  if [[ -s $file ]]; then
    say "$file exists, kept"
    return
  fi
  "$@" >"$file.tmp"
  [[ -s $file.tmp ]] || { say "ERROR: nothing written for $file" >&2; exit 1; }
  mv "$file.tmp" "$file"
  say "$file created"
}

signing_key_pem() {
  # scripts/new-signing-key.sh prints settings; the PEM is the base64 value of ...__PrivateKeyPem.
  local line
  line="$(bash "$SHOP_DIR/scripts/new-signing-key.sh" compose-1 | grep '^Auth__SigningKeys__0__PrivateKeyPem=')"
  printf '%s' "${line#*=}" | base64 -d
}

internal_api_key() { openssl rand -hex 32; }

mkdir -p "$SECRETS_DIR/auth" "$SECRETS_DIR/internal"
write_once "$SECRETS_DIR/auth/signing-key.pem" signing_key_pem
write_once "$SECRETS_DIR/internal/api-key" internal_api_key
grep -q -- '-----BEGIN PRIVATE KEY-----' "$SECRETS_DIR/auth/signing-key.pem" ||
  { say "ERROR: signing-key.pem is not a PEM private key" >&2; exit 1; }

# The Functions host (files storage) reads host.json from FUNCTIONS_SECRETS_PATH and writes there too (per-function
# keys it generates, the Durable extension's system key), so each app gets a writable directory of its own.
for app in auth products orders; do
  mkdir -p "$KEYS_DIR/$app"
  cp "$SHOP_DIR/deploy/compose/function-keys/$app.json" "$KEYS_DIR/$app/host.json.tmp"
  mv "$KEYS_DIR/$app/host.json.tmp" "$KEYS_DIR/$app/host.json"
  say "$KEYS_DIR/$app/host.json refreshed from deploy/compose/function-keys/$app.json"
done
