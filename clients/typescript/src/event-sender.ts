import { gzipSync } from "node:zlib";

export interface EventSenderOptions {
  /** Scheme, host and port, without /api. */
  baseUrl: string;
  /** A function key, sent as x-functions-key. */
  functionKey: string;
  /** Events per batch, 1 to 1,000 (default 500). */
  maxEvents?: number;
  /** Uncompressed NDJSON bytes per batch, at most 1 MiB (default 512 KiB). */
  maxBytes?: number;
  /** How long the first event of a batch may wait for others, in ms (default 1000). */
  maxDelayMs?: number;
  /** The first back-off after a 429, a 503 or a network fault, in ms; it doubles up to maxBackoffMs (default 500). */
  backoffMs?: number;
  /** The longest back-off, in ms (default 30000). */
  maxBackoffMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** An event the API refused for its content (never billed): fix it and send it again. */
export interface RefusedEvent {
  jobId: string;
  errors: Record<string, string[]>;
}

interface EventResult {
  index: number;
  jobId?: string | null;
  status: "accepted" | "refused" | "not-stored";
  errors?: Record<string, string[]>;
}

const MaxEvents = 1000;
const MaxBytes = 1024 * 1024;

/**
 * Sends job-completed events to POST /api/events in gzip NDJSON batches, flushed at a count, a size or an age.
 *
 * One batch is in flight at a time, in the order events were added, so nothing is reordered. Nothing is dropped: 429,
 * 503 and network faults are retried with exponential back-off (honouring Retry-After) for as long as it takes, and
 * events a 503 reports as not stored are sent again, in order. Resending is safe: the API bills a job id once.
 * Every event needs its jobId.
 */
export class EventSender {
  readonly #options: Required<Omit<EventSenderOptions, "fetch">> & { fetch: typeof fetch };
  #batch: { line: string; jobId: string }[] = [];
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #failure: unknown;
  accepted = 0;
  readonly refused: RefusedEvent[] = [];

  constructor(options: EventSenderOptions) {
    this.#options = {
      maxEvents: 500,
      maxBytes: 512 * 1024,
      maxDelayMs: 1000,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      ...options,
      baseUrl: options.baseUrl.replace(/\/$/, ""),
      fetch: options.fetch ?? globalThis.fetch,
    };
    if (this.#options.maxEvents < 1 || this.#options.maxEvents > MaxEvents) throw new RangeError(`maxEvents must be from 1 to ${MaxEvents}.`);
    if (this.#options.maxBytes < 1 || this.#options.maxBytes > MaxBytes) throw new RangeError(`maxBytes must be from 1 to ${MaxBytes}.`);
  }

  /** Queues one event; it is sent after the events queued before it. Throws when it has no jobId. */
  add(event: { jobId: string } & Record<string, unknown>): void {
    if (typeof event?.jobId !== "string" || event.jobId.trim() === "") {
      throw new TypeError("An event needs its jobId: it is what makes a resent event count once.");
    }
    const line = JSON.stringify(event);
    const size = Buffer.byteLength(line) + 1;
    if (this.#batch.length > 0 && this.#bytes + size > this.#options.maxBytes) this.#cut();
    this.#batch.push({ line, jobId: event.jobId });
    this.#bytes += size;
    if (this.#batch.length >= this.#options.maxEvents || this.#bytes >= this.#options.maxBytes) {
      this.#cut();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#cut(), this.#options.maxDelayMs);
    }
  }

  /** Sends everything queued so far and resolves when the API has answered for all of it. */
  async flush(): Promise<void> {
    this.#cut();
    await this.#chain;
    if (this.#failure !== undefined) throw this.#failure;
  }

  // Closes the current batch and queues its sending behind the batches before it.
  #cut(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#bytes = 0;
    this.#chain = this.#chain.then(() => (this.#failure === undefined ? this.#send(batch) : undefined)).catch((e: unknown) => {
      this.#failure = e;
    });
  }

  async #send(batch: { line: string; jobId: string }[]): Promise<void> {
    let pending = batch;
    let backoff = this.#options.backoffMs;
    while (pending.length > 0) {
      const body = gzipSync(pending.map((e) => e.line + "\n").join(""));
      let response: Response;
      try {
        response = await this.#options.fetch(`${this.#options.baseUrl}/api/events`, {
          method: "POST",
          headers: { "x-functions-key": this.#options.functionKey, "content-type": "application/x-ndjson", "content-encoding": "gzip" },
          body,
        });
      } catch {
        // A network fault: the API may or may not have stored the batch; sending it again is safe.
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
        continue;
      }
      const results = response.status === 200 || response.status === 503 ? await readResults(response) : undefined;
      if (results === undefined) {
        if (response.status === 429 || response.status >= 500) {
          await sleep(retryAfter(response) ?? backoff);
          backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
          continue;
        }
        // 400, 401, 413, 415: sending again cannot help, and events are never dropped silently.
        throw new Error(`POST /api/events answered ${response.status}: ${await response.text()}`);
      }
      const again: typeof pending = [];
      for (const result of results) {
        const event = pending[result.index];
        if (event === undefined) continue;
        if (result.status === "accepted") this.accepted++;
        else if (result.status === "refused") this.refused.push({ jobId: event.jobId, errors: result.errors ?? {} });
        else again.push(event);
      }
      if (again.length > 0) {
        await sleep(retryAfter(response) ?? backoff);
        backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
      }
      pending = again;
    }
  }
}

async function readResults(response: Response): Promise<EventResult[] | undefined> {
  try {
    const answer = (await response.json()) as { results?: EventResult[] };
    return Array.isArray(answer.results) ? answer.results : undefined;
  } catch {
    return undefined;
  }
}

function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
