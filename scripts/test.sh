#!/usr/bin/env bash
# Runs the whole test suite the way CI does, on a fresh machine:
#   1. installs the pinned Azurite (npm ci) used by the storage, Functions and end-to-end tests;
#   2. installs Debian's Chromium if it is missing (the digest page is checked in a real browser);
#   3. runs every xunit project in the solution.
set -euo pipefail
cd "$(dirname "$0")/.."

# Azurite 3.37 declares Node.js >= 22 (npm reports EBADENGINE on older ones).
if ! command -v node >/dev/null 2>&1; then
  echo "error: Node.js 22 or later is needed (Azurite 3.37, the storage emulator the tests use, runs on it); node was not found." >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 22 ]; then
  echo "warning: Node.js $(node --version) found; Azurite 3.37 requires Node.js 22 or later. The tests may still run, but upgrade Node.js." >&2
fi

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/install-chromium.sh

dotnet test Aims.Functions.sln --configuration Release "$@"
