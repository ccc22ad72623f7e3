import { test } from "uvu";
import * as assert from "uvu/assert";
import { gone, notFound, unavailable } from "./errors.js";
import { toHttpError } from "./http-errors.js";

test("a domain error answers the contract's HTTP status with a google.rpc.Status body", () => {
  const answers = [notFound("link"), gone("link expired"), unavailable("no database answered")].map(toHttpError);
  assert.equal(
    answers.map(({ status, internal }) => [status, internal]),
    [
      [404, false],
      [410, false],
      [503, false],
    ],
  );
  assert.equal(JSON.parse(answers[1]?.body ?? ""), { code: 9, message: "link expired", details: [] });
});

test("any other error is a 500 that tells the client nothing of its cause", () => {
  const answer = toHttpError(new TypeError("cannot read properties of undefined"));
  assert.is(answer.status, 500);
  assert.is(answer.internal, true);
  assert.equal(JSON.parse(answer.body), { code: 13, message: "internal error", details: [] });
});

test.run();
