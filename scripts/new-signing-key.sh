#!/usr/bin/env bash
# Prints a fresh RS256 signing key for AuthFunctions as settings (the PEM base64-encoded, so it fits in one
# environment variable). Usage: scripts/new-signing-key.sh [kid]   e.g. >> .env, or into a Kubernetes secret.
set -euo pipefail
kid="${1:-key-$(date -u +%Y%m%d)}"
pem=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)
printf 'Auth__SigningKeys__0__Kid=%s\n' "$kid"
printf 'Auth__SigningKeys__0__PrivateKeyPem=%s\n' "$(printf '%s\n' "$pem" | base64 -w0)"
