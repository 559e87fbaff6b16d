#!/bin/sh
# Compose helper (DEVELOPMENT ONLY): for every variable FILE__<NAME>=<path>, exports <NAME> with the content of the
# file, then runs the given command. Lets a generated secret that lives only in a named volume reach a setting the
# app reads from the environment (e.g. FILE__Internal__ApiKeys__0=/run/shop-internal/api-key), without writing it
# into docker-compose.yml or an image. The Functions host passes its environment on to the worker.
set -eu
for name in $(env | sed -n 's/^FILE__\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p'); do
  path="$(printenv "FILE__$name")"
  if [ ! -r "$path" ]; then
    echo "secret-env: $path (for $name) is missing or unreadable" >&2
    exit 1
  fi
  value="$(cat "$path")"
  export "$name=$value"
  unset "FILE__$name"
done
exec "$@"
