import { AUTHORIZATION_KEY } from "@kurt/contract";
import { type CallContext, createLogger, KurtError } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateApiKeySecret, hashApiKeySecret } from "./api-key-secret.js";
import { createAuthenticate, type StoredKeyGrant } from "./authenticate.js";
import { createAuthorizeCall } from "./authorize-call.js";

const secret = generateApiKeySecret();
const key: StoredKeyGrant = { id: "key-1", scopes: ["stats:read"], revokedAt: null };
const authorize = createAuthorizeCall(
  createAuthenticate(async (hash) => (hash.equals(hashApiKeySecret(secret)) ? key : undefined)),
);

/** A call with the given `authorization` metadata, whose log lines are kept. */
function call(authorization: string | undefined) {
  const lines: string[] = [];
  const context: CallContext = {
    requestId: "req-1",
    header: (name) => (name === AUTHORIZATION_KEY ? authorization : undefined),
    logger: createLogger({ level: "debug", base: {} }, (line) => lines.push(line)),
    setResponseHeader: () => {},
  };
  return { context, lines };
}

const refusal = (promise: Promise<unknown>): Promise<KurtError> =>
  promise.then(
    () => {
      throw new Error("the call should be refused");
    },
    (error: unknown) => error as KurtError,
  );

test("the call's authorization header is checked: a key with the scope is answered, nothing is logged", async () => {
  const { context, lines } = call(`Bearer ${secret}`);
  assert.is(await authorize(context, "stats:read"), key);
  assert.equal(lines, []);
});

test("a missing or unknown key is UNAUTHENTICATED, logged with the scope and reason but never the secret", async () => {
  for (const header of [undefined, `Bearer ${generateApiKeySecret()}`]) {
    const { context, lines } = call(header);
    assert.is((await refusal(authorize(context, "stats:read"))).code, "unauthenticated");
    assert.is(lines.length, 1);
    const line = JSON.parse(lines[0] as string);
    assert.is(line.msg, "call refused");
    assert.is(line.needed, "stats:read");
    if (header !== undefined) assert.not.ok((lines[0] as string).includes(header.slice("Bearer ".length)));
  }
});

test("a key without the scope is PERMISSION_DENIED, and the secret stays out of the log", async () => {
  const { context, lines } = call(`Bearer ${secret}`);
  assert.is((await refusal(authorize(context, "links:write"))).code, "permission_denied");
  assert.is(lines.length, 1);
  assert.not.ok((lines[0] as string).includes(secret));
});

test("an error that is not a refusal (a bug) passes as it is and is not logged as one", async () => {
  const bug = new TypeError("boom");
  const failing = createAuthorizeCall<StoredKeyGrant>(async () => Promise.reject(bug));
  const { context, lines } = call(`Bearer ${secret}`);
  assert.is(await refusal(failing(context, "stats:read")), bug as unknown as KurtError);
  assert.equal(lines, []);
  assert.instance(bug, Error);
  assert.not.instance(bug, KurtError);
});

test.run();
