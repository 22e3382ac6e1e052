#!/usr/bin/env bash
# The README's first command: installs what is missing, starts every server, applies migrations,
# creates the admin user, builds, and starts the worker and both APIs. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
bash scripts/stack.sh up "$@"
cat <<MSG

  Ticket API     http://127.0.0.1:${TICKET_API_PORT:-8000}/docs
  Knowledge API  http://127.0.0.1:${KNOWLEDGE_API_PORT:-8001}/docs
  Temporal UI    http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}
  Sign in        POST /api/v1/auth/token  grant_type=password username=${ADMIN_USERNAME:-admin} password=\$ADMIN_PASSWORD (dev default: admin-dev-password)
  Stop           npm run down
MSG
