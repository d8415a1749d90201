# Shared by run.sh and test.sh: install, start and stop the Azurite storage emulator. Source it; do not run it.

azurite_bin="node_modules/.bin/azurite"

# Installs Azurite from package-lock.json when node_modules is missing or older than the lock file.
azurite_install() {
  if [[ ! -x "$azurite_bin" || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Installs the TypeScript client's packages (clients/typescript/package-lock.json) when missing or older than the lock
# file: its node --test tests run against the self-host from tests/Host.Tests (ClientsTests).
clients_install() {
  if [[ ! -x clients/typescript/node_modules/.bin/tsc || clients/typescript/package-lock.json -nt clients/typescript/node_modules/.package-lock.json ]]; then
    npm ci --prefix clients/typescript --no-audit --no-fund --loglevel=error
  fi
}

# Prints a free TCP port on 127.0.0.1.
azurite_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# Starts Azurite in the background with data under $1, on the ports in $AZURITE_BLOB_PORT, $AZURITE_QUEUE_PORT and
# $AZURITE_TABLE_PORT (free ones when unset), and waits until all three services listen.
# Sets AZURITE_PID and AZURITE_CONNECTION_STRING.
azurite_start() {
  local location="$1"
  mkdir -p "$location"
  AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-$(azurite_free_port)}"
  AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-$(azurite_free_port)}"
  AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-$(azurite_free_port)}"
  "$azurite_bin" --silent --disableTelemetry --skipApiVersionCheck --location "$location" \
    --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
    --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" \
    >"$location/azurite.log" 2>&1 &
  AZURITE_PID=$!
  local port
  for port in "$AZURITE_BLOB_PORT" "$AZURITE_QUEUE_PORT" "$AZURITE_TABLE_PORT"; do
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
        echo "Azurite exited during start-up; its log:" >&2
        cat "$location/azurite.log" >&2
        return 1
      fi
      sleep 0.1
    done
  done
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  local account="devstoreaccount1"
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/$account;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/$account;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/$account;"
  export AZURITE_CONNECTION_STRING
}

# Stops the Azurite started by azurite_start, if it still runs.
azurite_stop() {
  if [[ -n "${AZURITE_PID:-}" ]] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}
