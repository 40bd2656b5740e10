#!/usr/bin/env bash
# Writes secrets.env beside this script for the local overlay's Secret `instagram-secrets`:
#   JWT_PRIVATE_KEY       a new Ed25519 private JWK (every auth-service replica signs with it)
#   SERVICE_TOKEN_KEY     32 random bytes, base64url: every service signs and checks its internal calls with it
#   DATABASE_URL          $DATABASE_URL, else the `uri` of CloudNativePG's secret instagram-db-app
#   S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY   $S3_ACCESS_KEY_ID / $S3_SECRET_ACCESS_KEY, else new ones
#                         (give the same pair to SeaweedFS's S3 configuration)
# An existing secrets.env is kept (a new signing key logs everybody out) unless --force is given;
# a SERVICE_TOKEN_KEY it lacks (written before there was one) is added to it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out=secrets.env
service_token_key() { node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))'; }
if [[ -e "$out" && "${1:-}" != "--force" ]]; then
  if ! grep -q '^SERVICE_TOKEN_KEY=' "$out"; then
    echo "SERVICE_TOKEN_KEY=$(service_token_key)" >>"$out"
    echo "$out exists; added SERVICE_TOKEN_KEY to it"
    exit 0
  fi
  echo "$out exists; keeping it (--force writes a new one)"
  exit 0
fi
database_url="${DATABASE_URL:-}"
if [[ -z "$database_url" ]]; then
  database_url="$(kubectl get secret instagram-db-app -n instagram -o jsonpath='{.data.uri}' | base64 -d)" || {
    echo "set DATABASE_URL, or create the CloudNativePG cluster instagram-db first (README)" >&2
    exit 1
  }
fi
random() { node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))'; }
jwk="$(node -e 'const { generateKeyPairSync } = require("node:crypto");
process.stdout.write(JSON.stringify(generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" })))')"
umask 077
{
  echo "JWT_PRIVATE_KEY=$jwk"
  echo "SERVICE_TOKEN_KEY=$(service_token_key)"
  echo "DATABASE_URL=$database_url"
  echo "S3_ACCESS_KEY_ID=${S3_ACCESS_KEY_ID:-instagram}"
  echo "S3_SECRET_ACCESS_KEY=${S3_SECRET_ACCESS_KEY:-$(random)}"
} >"$out"
echo "wrote $PWD/$out"
