// A job pipeline sending samples/day.jsonl with the TypeScript client's batching sender:
//   npm run build --prefix clients/typescript
//   node clients/typescript/dist/samples/pipeline.js http://127.0.0.1:7071 dev-key samples/day.jsonl
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { EventSender, balance, createMeteringClient } from "../src/index.js";

/** Sends every line of the day file (moved so its latest job finished 3 minutes ago) and waits for every answer. */
export async function sendDay(baseUrl: string, functionKey: string, dayFile: string, now = new Date()): Promise<EventSender> {
  const jobs = (await readFile(dayFile, "utf8"))
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { jobId: string; completedAt: string } & Record<string, unknown>);
  // The jobs were recorded on 2026-11-25; the API takes jobs of the last 35 days, so the day is moved to now.
  const latest = Math.max(...jobs.map((j) => Date.parse(j.completedAt)));
  const offset = now.getTime() - 3 * 60_000 - latest;
  const sender = new EventSender({ baseUrl, functionKey, maxEvents: 50, maxDelayMs: 200 });
  for (const job of jobs) {
    sender.add({ ...job, completedAt: new Date(Date.parse(job.completedAt) + offset).toISOString() });
  }
  await sender.flush();
  return sender;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [baseUrl = "http://127.0.0.1:7071", key = "dev-key", day = "samples/day.jsonl"] = process.argv.slice(2);
  const sender = await sendDay(baseUrl, key, day);
  console.log(`accepted ${sender.accepted}, refused ${sender.refused.length}`);
  const client = createMeteringClient({ baseUrl, functionKey: key });
  for (const account of ["acme-corp", "contoso-health", "fabrikam_insurance", "northwind.media", "tailspin-labs"]) {
    const b = await balance(client, account);
    console.log(`${account}: ${b.jobs} jobs, ${b.usedCredits} credits (billing is asynchronous: read again in a few seconds)`);
  }
}
