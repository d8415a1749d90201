#!/usr/bin/env bash
# Runs the throughput harness from a fresh clone: installs Azurite (pinned in package-lock.json) if needed, then
# builds and runs bench/Throughput, which starts its own Azurite, prints the figures and writes docs/throughput.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh
azurite_install
dotnet run -c Release --project bench/Throughput -- "$@"
