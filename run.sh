#!/usr/bin/env bash
# Runs the whole product on this machine: installs what it needs, starts Azurite (data kept in .azurite/) and the
# self-host on http://127.0.0.1:7071. Ctrl-C stops both; the next start finds the same data.
# Ports: AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT (default 10000-10002), SELFHOST_PORT (default 7071).
set -euo pipefail
cd "$(dirname "$0")"

source scripts/azurite.sh

# Background jobs get their own process group, so a Ctrl-C in the terminal reaches this script only, which then
# stops the host first (it finishes or releases in-flight messages) and the storage emulator last.
set -m

export AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
export AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}"
export AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
port="${SELFHOST_PORT:-7071}"
url="http://127.0.0.1:$port"
host_dll="src/Host/bin/Release/net10.0/UsageProcessor.Host.dll"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$AZURITE_BLOB_PORT" "$AZURITE_QUEUE_PORT" "$AZURITE_TABLE_PORT" "$port"; do
  if port_in_use "$p"; then
    echo "Port $p on 127.0.0.1 is already in use (another run, or another Azurite?)." >&2
    echo "Stop it, or choose other ports with AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT and SELFHOST_PORT." >&2
    exit 1
  fi
done

echo "Installing Azurite and building the self-host..."
azurite_install
dotnet build src/Host/Host.csproj --configuration Release --nologo --verbosity quiet

host_pid=""
watcher_pid=""
stop() {
  trap - INT TERM EXIT
  if [[ -n "$watcher_pid" ]]; then kill "$watcher_pid" 2>/dev/null || true; fi
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    echo
    echo "Stopping the self-host..."
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  echo "Stopping Azurite..."
  azurite_stop
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap '' PIPE

azurite_start .azurite
export AzureWebJobsStorage="$AZURITE_CONNECTION_STRING"

dotnet "$host_dll" --urls "$url" &
host_pid=$!

for _ in $(seq 1 300); do
  if curl -fsS "$url/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$host_pid" 2>/dev/null; then
    echo "The self-host exited during start-up; see its log above." >&2
    exit 1
  fi
  sleep 0.2
done

connection=""
if [[ "$AZURITE_QUEUE_PORT" != 10001 || "$AZURITE_TABLE_PORT" != 10002 || "$AZURITE_BLOB_PORT" != 10000 ]]; then
  connection=" --connection '$AZURITE_CONNECTION_STRING'"
fi

cat <<INFO

The usage processor is running (self-host over Azurite).
  API            $url/api/
  OpenAPI        $url/api/openapi.json
  Health         $url/api/health
  Storage        Azurite on 127.0.0.1:$AZURITE_BLOB_PORT (blob), :$AZURITE_QUEUE_PORT (queue), :$AZURITE_TABLE_PORT (table); data in .azurite/
  Function key   dev-key  (a local development key: header x-functions-key, or ?code=)

Try:
  curl -s -X POST $url/api/quote -H 'x-functions-key: dev-key' -H 'content-type: application/json' \\
    -d '{"domain":"document.invoice","detail":"hi","grounding":true,"pages":3,"serviceTier":"priority"}'

Send a day of traffic, then read a balance:
  dotnet run --project src/Host --configuration Release --no-build -- send samples/day.jsonl$connection
  curl -s $url/api/accounts/acme-corp/balance -H 'x-functions-key: dev-key'

Once acme-corp's jobs are billed, this terminal prints links to its usage page and to the operator's page.
A fresh link at any time (valid for 60 minutes; the page itself needs no key):
  curl -s $url/api/dashboard-links -H 'x-functions-key: dev-key' -H 'content-type: application/json' -d '{"accountId":"acme-corp","minutes":60}'

Press Ctrl-C to stop.

INFO

# Prints the usage page links once the sample day's first account has jobs (the host must be up; gives up with it).
page_link() {
  curl -fsS "$url/api/dashboard-links" -H 'x-functions-key: dev-key' -H 'content-type: application/json' -d "$1" 2>/dev/null |
    sed -E 's/.*"url":"([^"]*)".*/\1/'
}
(
  while kill -0 "$host_pid" 2>/dev/null; do
    if curl -fsS "$url/api/accounts/acme-corp/balance" -H 'x-functions-key: dev-key' 2>/dev/null | grep -q '"jobs":[1-9]'; then
      sleep 3 # let the rest of the day land
      echo
      echo "Usage page of acme-corp (valid 60 minutes):  $(page_link '{"accountId":"acme-corp","minutes":60}')"
      echo "Operator's page of every account:             $(page_link '{"scope":"operator","minutes":60}')"
      echo
      break
    fi
    sleep 2
  done
) &
watcher_pid=$!

wait "$host_pid"
