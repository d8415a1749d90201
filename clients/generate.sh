#!/usr/bin/env bash
# Regenerates the client libraries from the OpenAPI document:
#   clients/openapi.json                  the document, as OpenApiDocument.Build() writes it (the tests' copy)
#   clients/dotnet/Client/Generated         Kiota (dotnet tool, pinned in dotnet-tools.json)
#   clients/typescript/src/generated      openapi-typescript (pinned in clients/typescript/package-lock.json)
# Usage: clients/generate.sh            regenerate in place
#        clients/generate.sh --check    regenerate into a temporary folder and fail if anything differs (CI)
# Optional: OPENAPI_DOCUMENT=<path> uses that document instead of writing one with the tests (CI passes the one
# the test run wrote).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[[ "${1:-}" == "--check" ]] && check=true

out=$(mktemp -d "${TMPDIR:-/tmp}/usage-processor-clients.XXXXXX")
trap 'rm -rf "$out"' EXIT

document="${OPENAPI_DOCUMENT:-}"
if [[ -z "$document" ]]; then
  document="$out/openapi.json"
  METERING_OPENAPI_OUT="$document" dotnet test tests/Metering.Tests --verbosity quiet \
    --filter "FullyQualifiedName~OpenApiDocumentTests.Build_WrittenForLint_ReadsBackUnchanged" >/dev/null
fi

if [[ ! -x clients/typescript/node_modules/.bin/openapi-typescript ]]; then
  npm ci --prefix clients/typescript --no-audit --no-fund --loglevel=error
fi
dotnet tool restore >/dev/null

generate() { # $1: folder the three outputs go to
  mkdir -p "$1/dotnet" "$1/typescript"
  cp "$document" "$1/openapi.json"
  # KIOTA_OFFLINE_ENABLED: no update check (CI reaches only the package registries).
  KIOTA_OFFLINE_ENABLED=true dotnet kiota generate --language CSharp --openapi "$document" --output "$1/dotnet" \
    --class-name MeteringApiClient --namespace-name UsageProcessor.Client.Generated \
    --exclude-backward-compatible --clean-output --log-level Error >/dev/null
  rm -f "$1/dotnet/.kiota.log"
  # The lock file records where the document was read; the same place every time, so runs compare equal.
  sed -i 's|"descriptionLocation": ".*"|"descriptionLocation": "../../../openapi.json"|' "$1/dotnet/kiota-lock.json"
  clients/typescript/node_modules/.bin/openapi-typescript "$document" --output "$1/typescript/api.ts" >/dev/null
}

dotnet_dir=clients/dotnet/Client/Generated
ts_file=clients/typescript/src/generated/api.ts
if $check; then
  generate "$out/new"
  status=0
  diff -q "$out/new/openapi.json" clients/openapi.json >/dev/null || { echo "clients/openapi.json differs from the document the route table gives." >&2; status=1; }
  diff -r -q "$out/new/dotnet" "$dotnet_dir" || status=1
  diff -q "$out/new/typescript/api.ts" "$ts_file" || status=1
  if [[ $status -ne 0 ]]; then
    echo "The generated clients drifted from the OpenAPI document: run clients/generate.sh and commit the result." >&2
  else
    echo "clients: generated code matches the OpenAPI document"
  fi
  exit $status
fi

generate "$out/new"
cp "$out/new/openapi.json" clients/openapi.json
rm -rf "$dotnet_dir" && mkdir -p "$dotnet_dir" && cp -r "$out/new/dotnet/." "$dotnet_dir/"
mkdir -p "$(dirname "$ts_file")" && cp "$out/new/typescript/api.ts" "$ts_file"
echo "clients regenerated from the OpenAPI document"
