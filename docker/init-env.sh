#!/bin/sh
# Creates docker/.env and config/.env for docker/compose.yaml with freshly generated secrets.
# Never overwrites an existing file. Run from the repository root: sh docker/init-env.sh
set -eu
cd "$(dirname "$0")/.."

rand_hex() { # URL-safe: these go inside connection URLs
  if command -v openssl >/dev/null 2>&1; then openssl rand -hex "$1"; else head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; fi
}
rand_b64() {
  if command -v openssl >/dev/null 2>&1; then openssl rand -base64 "$1" | tr -d '\n'; else head -c "$1" /dev/urandom | base64 | tr -d '\n'; fi
}

if [ -e docker/.env ]; then
  echo "docker/.env exists: left as it is"
else
  sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(rand_hex 24)|" \
      -e "s|^APP_OWNER_PASSWORD=.*|APP_OWNER_PASSWORD=$(rand_hex 24)|" \
      -e "s|^APP_USER_PASSWORD=.*|APP_USER_PASSWORD=$(rand_hex 24)|" \
      docker/.env.example > docker/.env
  chmod 600 docker/.env
  echo "docker/.env written (POSTGRES_PASSWORD, APP_OWNER_PASSWORD, APP_USER_PASSWORD generated)"
fi

if [ -e config/.env ]; then
  echo "config/.env exists: left as it is"
else
  sed -e "s|^JWT_SECRET=.*|JWT_SECRET=$(rand_b64 48)|" \
      -e "s|^PII_ENCRYPTION_KEY=.*|PII_ENCRYPTION_KEY=$(rand_b64 32)|" \
      -e "s|^PII_HASH_KEY=.*|PII_HASH_KEY=$(rand_b64 32)|" \
      config/.env.example > config/.env
  chmod 600 config/.env
  echo "config/.env written (JWT_SECRET, PII_ENCRYPTION_KEY, PII_HASH_KEY generated)."
  echo "Keep PII_ENCRYPTION_KEY and PII_HASH_KEY safe: encrypted ID numbers cannot be read without them."
  echo "Review CORS_ORIGINS and the S3_* settings before going live."
fi
