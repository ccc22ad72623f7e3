import { test } from "uvu";
import * as assert from "uvu/assert";
import { isPrefetch } from "./prefetch.js";

const from = (headers: Readonly<Record<string, string | undefined>>) => (name: string) => headers[name];

test("browser prefetches and prerenders are prefetches, whatever the spelling of the header's value", () => {
  for (const headers of [
    { "sec-purpose": "prefetch" } as Record<string, string>,
    { "sec-purpose": "prefetch;prerender" },
    { "sec-purpose": "Prefetch; anonymous-client-ip" },
    { purpose: "prefetch" },
    { "x-moz": "prefetch" },
    { "x-purpose": "preview" },
  ])
    assert.ok(isPrefetch(from(headers)), JSON.stringify(headers));
});

test("link-preview agents are prefetches", () => {
  for (const agent of [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  ])
    assert.ok(isPrefetch(from({ "user-agent": agent })), agent);
});

test("a person's browser, a crawler and other purposes are not", () => {
  for (const headers of [
    {} as Record<string, string>,
    { "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" },
    { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
    { "sec-purpose": "prerenderless" },
    { purpose: "navigate" },
  ])
    assert.not.ok(isPrefetch(from(headers)), JSON.stringify(headers));
});

test.run();
