import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExportFormatError } from "./import-row.js";
import { parseKuttExport } from "./kutt-export.js";
import { fixture } from "./test-support/fixtures.js";

test("saved pages of GET /api/v2/links: address, target, description, expire_in; banned and password-protected links refused", () => {
  const meetup = {
    code: "meetup",
    url: "https://meetup.example.org/berlin-js/june",
    title: "Berlin JS meetup — June",
    tags: [],
  };
  const survey = { code: "Q", url: "https://survey.example.org/q", title: "Quick survey", tags: [] };
  assert.equal(parseKuttExport(fixture("kutt-links.json")), {
    rows: [
      { line: 1, ...meetup },
      {
        line: 2,
        code: "x7Hq2",
        url: "https://forms.example.org/registration?lang=ru",
        title: "Формуляр регистрации",
        tags: [],
        expiresAt: new Date("2032-06-30T00:00:00Z"),
      },
      {
        line: 3,
        code: "flash-sale",
        url: "https://shop.example.org/flash",
        title: "Flash sale (48 h)",
        tags: [],
        expiresAt: new Date("2024-10-03T08:00:00Z"),
      },
      { line: 6, ...survey },
      { line: 7, ...survey },
      {
        line: 8,
        code: "podcast-42",
        url: "https://podcast.example.org/episodes/42",
        title: "Episode 42: 日本語で話そう",
        tags: [],
      },
      { line: 9, ...meetup },
      {
        line: 10,
        code: "cfp",
        url: "https://conf.example.org/cfp",
        tags: [],
        expiresAt: new Date("2031-09-01T00:00:00Z"),
      },
      { line: 11, code: "mañana", url: "https://example.org/es/manana", title: "Hasta mañana", tags: [] },
      { line: 12, code: "status", url: "https://status.example.org/", title: "Status", tags: [] },
    ],
    errors: [
      { line: 4, code: "free-gift", url: "https://phish.example.org/claim", reason: "banned in Kutt" },
      {
        line: 5,
        code: "board-minutes",
        url: "https://intranet.example.org/board/minutes",
        reason: "password-protected in Kutt, and the export has no password",
      },
    ],
    unit: "item",
  });
});

test("one page, as the API answers it, is read too", () => {
  const page = { total: 1, limit: 10, skip: 0, data: [{ address: "abc", target: "https://example.com/" }] };
  assert.equal(parseKuttExport(JSON.stringify(page)).rows, [
    { line: 1, code: "abc", url: "https://example.com/", tags: [] },
  ]);
});

test("a CSV is refused: Kutt has no export file, and the message says what to save instead", () => {
  assert.throws(
    () => parseKuttExport("address,target\nabc,https://example.com/\n"),
    (error: unknown) =>
      error instanceof ExportFormatError && /save the answers of GET \/api\/v2\/links/.test(error.message),
  );
  assert.throws(
    () => parseKuttExport('{"links": [}'),
    (error: unknown) => error instanceof ExportFormatError && /not valid JSON/.test(error.message),
  );
});

test.run();
