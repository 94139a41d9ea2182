#!/usr/bin/env bash
# Runs the whole test suite the way CI does, on a fresh machine:
#   1. installs the pinned Azurite (npm ci) used by the storage, Functions and end-to-end tests;
#   2. installs Debian's Chromium if it is missing (the digest page is checked in a real browser);
#   3. runs every xunit project in the solution.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/install-chromium.sh

dotnet test Aims.Functions.sln --configuration Release "$@"
