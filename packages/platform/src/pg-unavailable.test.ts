import { test } from "uvu";
import * as assert from "uvu/assert";
import { KurtError, notFound, unauthenticated } from "./errors.js";
import { orUnavailable } from "./pg-unavailable.js";

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  return orUnavailable(call).then(
    () => assert.unreachable("the call should fail"),
    (error: unknown) => error,
  );
}

const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

test("a result passes through unchanged", async () => {
  assert.is(await orUnavailable(async () => 42), 42);
});

test("connection, operator-intervention and resource SQLSTATEs, and a write on a not-yet-promoted leader, become UNAVAILABLE, keeping the cause", async () => {
  for (const code of ["08006", "57P01", "53300", "25006"]) {
    const cause = sqlError(code);
    const error = await failure(async () => Promise.reject(cause));
    assert.instance(error, KurtError);
    assert.is((error as KurtError).code, "unavailable");
    assert.is((error as KurtError).cause, cause);
  }
});

test("an error without a SQLSTATE (refused connection, timeout) becomes UNAVAILABLE", async () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  for (const cause of [refused, new Error("timeout exceeded when trying to connect")]) {
    const error = await failure(async () => Promise.reject(cause));
    assert.is((error as KurtError).code, "unavailable");
  }
});

test("another SQLSTATE stays as it is: a wrong statement is a bug, not an outage", async () => {
  for (const code of ["42P01", "25001", "23505"]) {
    const cause = sqlError(code);
    assert.is(await failure(async () => Promise.reject(cause)), cause);
  }
});

test("a domain error thrown inside the call passes as it is", async () => {
  for (const domain of [unauthenticated("unknown API key"), notFound("no such link")])
    assert.is(await failure(async () => Promise.reject(domain)), domain);
});

test.run();
