// The TypeScript client of the usage processor API: the types openapi-typescript generated from the OpenAPI
// document (src/generated/api.ts, rewritten by clients/generate.sh), calls through openapi-fetch, and the thin layer
// generation cannot give: a batching event sender, admission with a reservation, balance and quote.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

export type { components, paths } from "./generated/api.js";
export { EventSender, type EventSenderOptions, type RefusedEvent } from "./event-sender.js";

export type Schemas = components["schemas"];
// JSON answers and problems only: routes that also answer CSV or HTML are typed by their JSON body.
type JsonMedia = `application/${string}json`;
export type MeteringClient = Client<paths, JsonMedia>;

export interface MeteringClientOptions {
  /** Scheme, host and port, without /api (the self-host: http://127.0.0.1:7071). */
  baseUrl: string;
  /** A function key, sent as x-functions-key. */
  functionKey: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** An openapi-fetch client of every route, typed from the OpenAPI document. */
export function createMeteringClient(options: MeteringClientOptions): MeteringClient {
  return createClient<paths, JsonMedia>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    headers: { "x-functions-key": options.functionKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The answer to an admission: admitted (with its reservation when one was asked), or refused with the reason. */
export type Admission =
  | { admitted: true; view: Schemas["AdmissionView"] }
  | { admitted: false; status: 402 | 429; reason: Schemas["ProblemDocument"]["reason"]; detail?: string | null; retryAfterSeconds?: number };

/** Thrown for answers that are neither the expected one nor an expected refusal. */
export class MeteringError extends Error {
  constructor(readonly status: number, readonly problem: unknown) {
    super(`The usage processor answered ${status}: ${JSON.stringify(problem)}`);
  }
}

/**
 * Counts one request against the account's rate window, credits and spend cap; with a reservation (its requestId and
 * usage) also reserves the job's quoted credits. 402 and 429 are answers, not errors.
 */
export async function admit(client: MeteringClient, accountId: string, reservation?: Schemas["ReservationBody"]): Promise<Admission> {
  const { data, error, response } = await client.POST("/api/accounts/{accountId}/admissions", {
    params: { path: { accountId } },
    ...(reservation ? { body: reservation } : {}),
  });
  if (data) {
    return { admitted: true, view: data };
  }
  if (response.status === 402 || response.status === 429) {
    const problem = error;
    const retryAfter = response.headers.get("Retry-After");
    return {
      admitted: false,
      status: response.status,
      reason: problem.reason,
      detail: problem.detail,
      ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
    };
  }
  throw new MeteringError(response.status, error);
}

/** The account's balance for a period (YYYY-MM; the current month when absent). */
export async function balance(client: MeteringClient, accountId: string, period?: string): Promise<Schemas["BalanceView"]> {
  const { data, error, response } = await client.GET("/api/accounts/{accountId}/balance", {
    params: { path: { accountId }, query: period ? { period } : {} },
  });
  if (!data) throw new MeteringError(response.status, error);
  return data;
}

/** The price of one job. */
export async function quote(client: MeteringClient, usage: Schemas["UsageToPrice"]): Promise<Schemas["JobQuote"]>;
/** The prices of up to 1,000 jobs, in order, with exact totals. */
export async function quote(client: MeteringClient, usage: Schemas["UsageToPrice"][]): Promise<Schemas["QuoteBatch"]>;
export async function quote(
  client: MeteringClient,
  usage: Schemas["UsageToPrice"] | Schemas["UsageToPrice"][],
): Promise<Schemas["JobQuote"] | Schemas["QuoteBatch"]> {
  const { data, error, response } = await client.POST("/api/quote", { body: usage });
  if (!data) throw new MeteringError(response.status, error);
  return data;
}
