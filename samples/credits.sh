#!/usr/bin/env bash
# The sample day's credit operations, run after `send samples/day.jsonl` has been billed (see samples/README.md):
# a promotion grant that expires, a purchase that pays what an account owes first, a credit correction, and a void.
# Every call is idempotent by its reference: running the script twice changes nothing the second time.
set -euo pipefail
url="${METERING_URL:-http://127.0.0.1:7071}/api/accounts"
key="${METERING_KEY:-dev-key}"
expires=$(date -u -d '+30 days' +%Y-%m-%dT00:00:00Z)

call() { curl -s -X POST "$url/$1" -H "x-functions-key: $key" -H 'Content-Type: application/json' -d "$2"; echo; }

# tailspin-labs: a 50-credit promotion, drawn before its sign-up bonus (priority 10 < 50), expiring in 30 days.
call tailspin-labs/grants '{"credits":50,"reason":"promotion","reference":"sample-promo","priority":10,"expiresAt":"'"$expires"'","actor":"growth@example.com"}'

# tailspin-labs: void job trial-1; its credits go back to the sign-up bonus it was drawn from.
call tailspin-labs/adjustments '{"type":"void","jobId":"trial-1","reference":"sample-void","reason":"test run by the customer","actor":"support@example.com"}'

# acme-corp owes 1,424.6 credits: a 1,500-credit purchase pays that first, leaving 75.4.
call acme-corp/credits '{"credits":1500,"reference":"sample-order-1"}'

# contoso-health: a 100-credit goodwill correction, which also pays what it owes first.
call contoso-health/adjustments '{"type":"credit","credits":100,"reference":"sample-goodwill","reason":"outage on 2026-11-25","actor":"support@example.com"}'

for account in tailspin-labs acme-corp contoso-health; do
  curl -s "$url/$account/balance" -H "x-functions-key: $key"; echo
done
