#!/usr/bin/env bash
# Issues a function key of its own to one API consumer (a partner, a mobile app, a team), so that the `api-key` rate
# limit counts that consumer alone instead of every client of a shared key:
#
#   bash scripts/new-api-consumer.sh NAME [PERMIT_LIMIT]
#
# NAME: letters, digits and underscores (it becomes the key's name in each app's key store and the consumer's name in the
# rate-limit settings). PERMIT_LIMIT (optional): requests a minute for this consumer instead of the `api-key` default.
# Prints, for the three apps, the commands that install the key as a named host key, and the settings that name the
# consumer to the rate limiter. The key is printed once, here; only its SHA-256 goes into the settings. Nothing is
# written anywhere.
set -euo pipefail

die() { echo "new-api-consumer: $*" >&2; exit 2; }
name="${1:-}"
limit="${2:-0}"
# An environment variable name too (RateLimiting__Consumers__NAME__...), hence no dashes or dots.
[[ $name =~ ^[A-Za-z][A-Za-z0-9_]{0,62}$ ]] || die "usage: $0 NAME [PERMIT_LIMIT]  (NAME: a letter, then letters, digits or underscores)"
[[ $limit =~ ^[0-9]+$ ]] || die "PERMIT_LIMIT must be a whole number of requests a minute"
command -v openssl >/dev/null || die "openssl is needed"

key="$(openssl rand -base64 48 | tr -d '\n=' | tr '+/' '-_')"
hash="$(printf '%s' "$key" | openssl dgst -sha256 -r | cut -d' ' -f1)"
b64="$(printf '%s' "$key" | base64 | tr -d '\n')"
setting="RateLimiting__Consumers__${name}"

cat <<TXT
# API consumer '$name'. Give the key to the consumer over a safe channel; it is not shown again.
key: $key

# 1. Install it as the host key '$name' of each app (the consumer sends it as x-functions-key or ?code=).
#    Kubernetes (keda/): add it to each app's function-key Secret; the hosts watch their Secret (no restart needed).
TXT
for app in auth products orders; do
  printf "kubectl -n shop patch secret %s-function-keys --type merge -p '{\"data\":{\"host.function.%s\":\"%s\"}}'\n" "$app" "$name" "$b64"
done
cat <<TXT
#    A running Functions host (func start, or any host you can reach with its master key): the admin API, per app.
#    BASE is the app's address, MASTER its master key (in compose: deploy/compose/function-keys/<app>.json).
TXT
# shellcheck disable=SC2016 # $BASE and $MASTER are for the reader's shell, not this one
printf 'curl -fsS -X PUT "$BASE/admin/host/keys/%s" -H "x-functions-key: $MASTER" -H "Content-Type: application/json" -d %s\n' \
  "$name" "'{\"name\":\"$name\",\"value\":\"$key\"}'"
cat <<TXT

# 2. Name the consumer to the rate limiter of every app (ConfigMap shop-common in keda/10-config.yaml, or the apps'
#    environment in docker-compose.yml). The SHA-256 identifies the key without being it.
${setting}__KeySha256: "$hash"
TXT
if ((limit > 0)); then
  echo "${setting}__PermitLimit: \"$limit\""
fi
