import { describe, type HttpAnswer, request } from "./http-client.js";

/** A Link as the REST API answers it (proto3 JSON). */
export interface LinkJson {
  readonly code: string;
  readonly domain: string;
  readonly shortUrl: string;
  readonly url: string;
  readonly redirectStatus: number;
  readonly cacheSeconds: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt?: string;
  readonly disabled: boolean;
  readonly title?: string;
  readonly tags: string[];
  readonly validSince?: string;
  readonly forwardQuery?: boolean;
  readonly maxVisits?: number;
  readonly visits?: number;
  readonly passwordProtected?: boolean;
  readonly rules?: ReadonlyArray<Record<string, unknown>>;
}

/** DESIGN.md §2 lets a create answer 200 or 201, and a delete 200 or 204. */
export const isCreated = (answer: HttpAnswer): boolean => answer.status === 200 || answer.status === 201;
export const isDeleted = (answer: HttpAnswer): boolean => answer.status === 200 || answer.status === 204;

export async function createLink(key: string, body: Record<string, unknown>): Promise<LinkJson> {
  const answer = await request("POST", "/v1/links", { key, body });
  if (!isCreated(answer)) throw new Error(`create ${JSON.stringify(body).slice(0, 200)} failed: ${describe(answer)}`);
  return answer.json as LinkJson;
}

export async function getLink(key: string, code: string): Promise<HttpAnswer> {
  return request("GET", `/v1/links/${encodeURIComponent(code)}`, { key });
}

export async function updateLink(key: string, code: string, body: Record<string, unknown>): Promise<HttpAnswer> {
  return request("PATCH", `/v1/links/${encodeURIComponent(code)}`, { key, body });
}

/** `GET /{code}` as a browser would, without following the redirect. */
export async function visit(code: string, query = ""): Promise<HttpAnswer> {
  return request("GET", `/${encodeURIComponent(code)}${query}`);
}

/** A custom code no other run of the suite will use: [A-Za-z0-9_-], within 64 characters. */
export function uniqueCode(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** A new link to https://example.com/<area>/<prefix> under a fresh code: the code and where it leads. */
export async function createTestLink(
  key: string,
  area: string,
  prefix: string,
): Promise<{ code: string; location: string }> {
  const location = `https://example.com/${area}/${prefix}`;
  const link = await createLink(key, { url: location, code: uniqueCode(prefix) });
  return { code: link.code, location };
}

/** `count` new links to https://example.com/<area>/<i> under generated codes, created in turn: each code and where it leads. */
export async function createRedirectTargets(
  key: string,
  area: string,
  count: number,
): Promise<{ code: string; location: string }[]> {
  const targets: { code: string; location: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const location = `https://example.com/${area}/${i}`;
    targets.push({ code: (await createLink(key, { url: location })).code, location });
  }
  return targets;
}
