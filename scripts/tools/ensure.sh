#!/usr/bin/env bash
# Runs before `npm start` and `npm test` (npm's prestart/pretest): a fresh clone needs nothing run before them.
#   ensure.sh deps   -> node_modules installed and in step with package-lock.json
#   ensure.sh tools  -> also the pinned Bicep / PowerShell / Pester (when the .NET SDK is there)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (first run, or package-lock.json changed)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-deps}" = "tools" ]; then
  if command -v dotnet >/dev/null 2>&1; then
    bash scripts/tools/install.sh >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "CI needs the .NET SDK to install Bicep, PowerShell and Pester (npm run tools)." >&2
    exit 1
  else
    echo "No .NET SDK: the Bicep, PowerShell and Pester tests will be skipped (install dotnet, then 'npm run tools')."
  fi
fi
