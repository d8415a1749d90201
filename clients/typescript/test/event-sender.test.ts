import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { EventSender } from "../src/index.js";

interface Call {
  lines: string[];
  encoding: string | null;
}

// A fake /api/events: answers each call with the next status, accepting every event of a 200.
function fakeApi(statuses: number[]) {
  const calls: Call[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const text = gunzipSync(init!.body as Uint8Array).toString("utf8");
    const lines = text.split("\n").filter((l) => l !== "");
    calls.push({ lines, encoding: new Headers(init!.headers).get("content-encoding") });
    const status = statuses.shift() ?? 200;
    if (status !== 200) return new Response("", { status });
    const results = lines.map((l, index) => {
      const jobId = (JSON.parse(l) as { jobId: string }).jobId;
      return { index, jobId, status: jobId.startsWith("bad") ? "refused" : "accepted", ...(jobId.startsWith("bad") ? { errors: { domain: ["is required."] } } : {}) };
    });
    return Response.json({ accepted: 0, refused: 0, notStored: 0, results });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const options = { baseUrl: "http://api.test", functionKey: "k", backoffMs: 1, maxDelayMs: 10_000 };

describe("EventSender", () => {
  it("add_EventWithoutJobId_Throws", () => {
    const sender = new EventSender({ ...options, fetch: fakeApi([]).fetch });
    assert.throws(() => sender.add({ jobId: "" }), /jobId/);
    assert.throws(() => sender.add({} as { jobId: string }), /jobId/);
  });

  it("flush_MoreThanACount_SendsGzipBatchesOfAtMostTheCountInOrder", async () => {
    const api = fakeApi([]);
    const sender = new EventSender({ ...options, maxEvents: 3, fetch: api.fetch });
    for (let i = 0; i < 7; i++) sender.add({ jobId: `job-${i}` });
    await sender.flush();
    assert.deepEqual(api.calls.map((c) => c.lines.length), [3, 3, 1]);
    assert.deepEqual(api.calls.flatMap((c) => c.lines.map((l) => JSON.parse(l).jobId)), [0, 1, 2, 3, 4, 5, 6].map((i) => `job-${i}`));
    assert.ok(api.calls.every((c) => c.encoding === "gzip"));
    assert.equal(sender.accepted, 7);
  });

  it("add_PastTheByteLimit_StartsANewBatch", async () => {
    const api = fakeApi([]);
    const sender = new EventSender({ ...options, maxBytes: 60, fetch: api.fetch });
    for (let i = 0; i < 3; i++) sender.add({ jobId: `job-${i}`, domain: "document.invoice" });
    await sender.flush();
    assert.deepEqual(api.calls.map((c) => c.lines.length), [1, 1, 1]);
  });

  it("add_AfterTheDelay_SendsWithoutFlush", async () => {
    const api = fakeApi([]);
    const sender = new EventSender({ ...options, maxDelayMs: 20, fetch: api.fetch });
    sender.add({ jobId: "job-1" });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(api.calls.length, 1);
  });

  it("flush_429And503ThenOk_RetriesTheSameBatchAndDropsNothing", async () => {
    const api = fakeApi([429, 503, 200]);
    const sender = new EventSender({ ...options, fetch: api.fetch });
    sender.add({ jobId: "job-1" });
    sender.add({ jobId: "bad-2" });
    await sender.flush();
    assert.equal(api.calls.length, 3);
    assert.ok(api.calls.every((c) => c.lines.length === 2));
    assert.equal(sender.accepted, 1);
    assert.deepEqual(sender.refused, [{ jobId: "bad-2", errors: { domain: ["is required."] } }]);
  });

  it("flush_NetworkFault_SendsAgain", async () => {
    const api = fakeApi([]);
    let failures = 1;
    const flaky = (async (url: string | URL | Request, init?: RequestInit) => {
      if (failures-- > 0) throw new TypeError("fetch failed");
      return api.fetch(url, init);
    }) as typeof fetch;
    const sender = new EventSender({ ...options, fetch: flaky });
    sender.add({ jobId: "job-1" });
    await sender.flush();
    assert.equal(sender.accepted, 1);
  });

  it("flush_400_Rejects", async () => {
    const sender = new EventSender({ ...options, fetch: fakeApi([400]).fetch });
    sender.add({ jobId: "job-1" });
    await assert.rejects(sender.flush(), /400/);
  });
});
