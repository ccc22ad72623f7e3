import { test } from "uvu";
import * as assert from "uvu/assert";
import { createUaParserClassifier } from "./ua-parser-classifier.js";

const classifier = createUaParserClassifier();

export const USER_AGENTS = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  safariIpad:
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  firefoxMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
  chromeAndroid:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  curl: "curl/8.4.0",
} as const;

test("a desktop browser: name, OS, and desktop for the device ua-parser leaves unset", () => {
  assert.equal(classifier.classify(USER_AGENTS.chromeWindows), {
    browser: "Chrome",
    os: "Windows",
    device: "desktop",
    bot: false,
  });
  assert.equal(classifier.classify(USER_AGENTS.firefoxMac), {
    browser: "Firefox",
    os: "Mac OS",
    device: "desktop",
    bot: false,
  });
});

test("phones and tablets are told apart", () => {
  assert.equal(classifier.classify(USER_AGENTS.safariIphone), {
    browser: "Mobile Safari",
    os: "iOS",
    device: "mobile",
    bot: false,
  });
  assert.is(classifier.classify(USER_AGENTS.safariIpad).device, "tablet");
  assert.equal(classifier.classify(USER_AGENTS.chromeAndroid), {
    browser: "Chrome",
    os: "Android",
    device: "mobile",
    bot: false,
  });
});

test("isbot counts agents too short or too bare to be a browser as bots", () => {
  assert.is(classifier.classify("zzz").bot, true);
  assert.is(classifier.classify("node").bot, true);
});

test("crawlers and scripts are bots, with bot as their device", () => {
  for (const agent of [USER_AGENTS.googlebot, USER_AGENTS.curl, "facebookexternalhit/1.1", "Slackbot 1.0"]) {
    const result = classifier.classify(agent);
    assert.ok(result.bot, agent);
    assert.is(result.device, "bot", agent);
  }
});

test("a headless browser is a bot even though its browser and OS are known", () => {
  const result = classifier.classify(
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
  );
  assert.is(result.bot, true);
  assert.is(result.os, "Linux");
});

test("no user agent at all is unknown on every dimension", () => {
  assert.equal(classifier.classify(""), { browser: "unknown", os: "unknown", device: "unknown", bot: false });
});

test("a user agent neither parser recognises is unknown rather than a desktop", () => {
  assert.equal(classifier.classify("Mozilla/5.0 (X11; Foo)"), {
    browser: "unknown",
    os: "unknown",
    device: "unknown",
    bot: false,
  });
});

test("one parser instance classifies many agents without carrying state from one to the next", () => {
  assert.is(classifier.classify(USER_AGENTS.safariIphone).device, "mobile");
  assert.is(classifier.classify(USER_AGENTS.chromeWindows).device, "desktop");
  assert.is(classifier.classify(USER_AGENTS.safariIphone).device, "mobile");
});

test.run();
