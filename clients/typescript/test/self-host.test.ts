// Against a running self-host: METERING_URL and METERING_KEY (tests/Host.Tests ClientsTests starts one and runs these).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { admit, balance, createMeteringClient, quote } from "../src/index.js";
import { sendDay } from "../samples/pipeline.js";

const baseUrl = process.env.METERING_URL;
const functionKey = process.env.METERING_KEY ?? "dev-key";
const day = process.env.METERING_SAMPLE_DAY;

describe("against the self-host", { skip: baseUrl ? false : "METERING_URL is not set" }, () => {
  const client = createMeteringClient({ baseUrl: baseUrl ?? "", functionKey });
  const account = "client-typescript";

  it("quote_OneJobAndABatch_AnswersEachShape", async () => {
    const one = await quote(client, { domain: "document.invoice", detail: "hi", grounding: true, pages: 1, serviceTier: "priority" });
    assert.equal(one.kind, "job");
    assert.equal(one.credits, 10.8);
    const batch = await quote(client, [{ domain: "audio.call", durationSeconds: 3600 }, { domain: "healthcare.phi-redaction", pages: 2 }]);
    assert.equal(batch.kind, "batch");
    assert.equal(batch.totals.credits, 28);
  });

  it("accountCalls_AdmissionGrantsPurchasesBalanceUsageAndSubscriptions_Answer", async () => {
    const created = await client.PUT("/api/accounts/{accountId}", { params: { path: { accountId: account } }, body: { plan: "starter" } });
    assert.equal(created.data?.plan, "starter");
    const plain = await admit(client, account);
    assert.ok(plain.admitted);
    const reserved = await admit(client, account, { requestId: "req-1", domain: "document.invoice", pages: 2 });
    assert.ok(reserved.admitted && (reserved.view.reservation?.credits ?? 0) > 0);
    const grant = await client.POST("/api/accounts/{accountId}/grants", {
      params: { path: { accountId: account } },
      body: { credits: 50, reason: "promotion", reference: "promo-1" },
    });
    assert.equal(grant.data?.credits, 50);
    const purchase = await client.POST("/api/accounts/{accountId}/credits", {
      params: { path: { accountId: account } },
      body: { credits: 10.5, reference: "order-1" },
    });
    assert.equal(purchase.data?.credits, 10.5);
    assert.equal((await balance(client, account)).walletCredits, 160.5);
    const usage = await client.GET("/api/accounts/{accountId}/usage", { params: { path: { accountId: account }, query: { limit: 10 } } });
    assert.deepEqual(usage.data?.items, []);
    const subscription = await client.POST("/api/accounts/{accountId}/alert-subscriptions", {
      params: { path: { accountId: account } },
      body: { kind: "balance-updated", webhookUrl: "https://hooks.example.com/balance", reference: "hook-1" },
    });
    assert.match(subscription.data?.id ?? "", /^sub_/);
  });

  it("sendDay_TheSampleDayThroughTheBatchingSender_RefusesOnlyTheInvalidLine", { skip: day ? false : "METERING_SAMPLE_DAY is not set" }, async () => {
    const sender = await sendDay(baseUrl ?? "", functionKey, day ?? "");
    assert.deepEqual(sender.refused.map((r) => r.jobId), ["docpipe-eu1:20261125-999999"]);
    assert.equal(sender.accepted, 211);
  });
});
