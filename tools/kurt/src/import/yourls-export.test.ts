import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExportFormatError } from "./import-row.js";
import { fixture } from "./test-support/fixtures.js";
import { parseYourlsExport } from "./yourls-export.js";

const blog = { code: "blog", url: "https://blog.example.com/", title: "The Example Blog", tags: [] };

test("the links table as CSV with its header: keyword, url, title", () => {
  assert.equal(parseYourlsExport(fixture("yourls-url.csv")), {
    rows: [
      { line: 2, code: "1", url: "https://example.com/", title: "Example Domain", tags: [] },
      { line: 3, code: "2", url: "https://www.example.org/about", title: "About us", tags: [] },
      { line: 4, code: "a", url: "https://news.example.net/2013/05/launch", title: "Launch news", tags: [] },
      { line: 5, ...blog },
      {
        line: 6,
        code: "kontakt",
        url: "https://www.example.de/kontakt",
        title: "Kontakt – Schreiben Sie uns",
        tags: [],
      },
      {
        line: 7,
        code: "wiki-ja",
        url: "https://ja.example.org/wiki/メインページ",
        title: "ウィキペディア（日本語版）",
        tags: [],
      },
      {
        line: 8,
        code: "podcast",
        url: "https://podcast.example.com/feed.xml",
        title: 'Podcast feed: "Example Talks"',
        tags: [],
      },
      { line: 9, code: "zz", url: "https://example.com/zz", tags: [] },
      { line: 10, code: "github", url: "https://github.com/example", title: "Example on GitHub", tags: [] },
      { line: 11, ...blog },
      {
        line: 12,
        code: "photos_2018",
        url: "https://photos.example.com/albums/2018",
        title: "Fotos 2018 📷",
        tags: [],
      },
      { line: 13, code: "ssh-keys", url: "https://example.com/keys.txt", title: "SSH keys", tags: [] },
    ],
    errors: [],
    unit: "line",
  });
});

test("a table dump without the header row is read in the table's column order", () => {
  const parsed = parseYourlsExport(
    '"blog","https://blog.example.com/","The Example Blog","2014-01-20 12:00:00","192.0.2.10","4120"\n' +
      '"kontakt","https://www.example.de/kontakt","Kontakt","2014-02-14 09:30:00","203.0.113.5","310"\n',
  );
  assert.equal(parsed.rows, [
    { line: 1, ...blog },
    { line: 2, code: "kontakt", url: "https://www.example.de/kontakt", title: "Kontakt", tags: [] },
  ]);
});

test("the Import Export plugin's CSV: source /keyword/, target", () => {
  const parsed = parseYourlsExport("source,target,hits\r\n/blog/,https://blog.example.com/,4120\r\n");
  assert.equal(parsed.rows, [{ line: 2, code: "blog", url: "https://blog.example.com/", tags: [] }]);
});

test("a CSV without keyword and url is not a YOURLS export", () => {
  assert.throws(
    () => parseYourlsExport("shortCode,longUrl\nabc,https://example.com/\n"),
    (error: unknown) => error instanceof ExportFormatError && /no keyword column/.test(error.message),
  );
});

test.run();
