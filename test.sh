#!/usr/bin/env bash
# Runs every test: restores, installs Azurite (pinned in package-lock.json), starts it on free loopback ports
# with its data in a temporary folder, runs `dotnet test Serverless.sln`, and stops what it started.
# Extra arguments go to `dotnet test`, for example: ./test.sh --filter FullyQualifiedName~Ledger
set -euo pipefail
cd "$(dirname "$0")"

source scripts/azurite.sh

azurite_install
clients_install
dotnet restore Serverless.sln --verbosity quiet

data_dir=$(mktemp -d "${TMPDIR:-/tmp}/usage-processor-test-azurite.XXXXXX")
cleanup() {
  azurite_stop
  rm -rf "$data_dir"
}
trap cleanup EXIT INT TERM

azurite_start "$data_dir"
export METERING_TEST_STORAGE="$AZURITE_CONNECTION_STRING"
export METERING_TEST_AZURITE_LOCATION="$data_dir"

log="$data_dir/dotnet-test.log"
set +e
dotnet test Serverless.sln --no-restore --verbosity quiet "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies, in the plain "N passed, N failed" form.
awk '/(Passed|Failed)!.*Failed:/ {
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i + 1) + 0
    if ($i == "Passed:") p += $(i + 1) + 0
    if ($i == "Skipped:") s += $(i + 1) + 0
  }
} END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
