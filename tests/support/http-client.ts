import { gatewayUrl } from "./stack.js";

/** What the gateway answered, body read in full. Redirects are never followed. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers the way a client would
  readonly json: any;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
  /** Serialised as JSON. */
  readonly body?: unknown;
  /** Sent as is (malformed JSON, huge bodies). */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export async function request(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && headers["content-type"] === undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: "manual",
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** One line for assertion messages: status and body. */
export function describe(answer: HttpAnswer): string {
  return `${answer.status} ${answer.text.slice(0, 300)}`;
}
