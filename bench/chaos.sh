#!/usr/bin/env bash
# Runs the chaos harness from a fresh clone: installs Azurite (pinned in package-lock.json) if needed, builds the
# self-host it drives and the harness, then runs it. It starts its own Azurite and self-hosts on free ports.
#   bench/chaos.sh                          the short profile (about two minutes; CI runs it)
#   bench/chaos.sh --profile long           20,000+ messages (docs/reliability.md)
#   bench/chaos.sh --profile long --seed N  rerun a run
# Exits 0 when every must-be-zero figure is 0, 1 when one is not, 2 when the run could not finish.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh
azurite_install
dotnet build src/Host/Host.csproj --configuration Release --nologo --verbosity quiet
dotnet run --configuration Release --project bench/Chaos -- "$@"
