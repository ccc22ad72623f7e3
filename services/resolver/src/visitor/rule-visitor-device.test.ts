import type { VisitorDevice } from "@kurt/core/redirect-rule";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { deviceOfUserAgent } from "./rule-visitor-device.js";

/**
 * Real agents, each with the class a rule sees and, in the comment, how
 * clicklog's stats (ua-parser-js) type the same agent: rules and stats agree
 * that phones and tablets are mobile and the rest desktop.
 */
const AGENTS: readonly (readonly [string, VisitorDevice, string])[] = [
  [
    "iPhone, Safari",
    "ios", // mobile
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  ],
  [
    "iPhone, Chrome",
    "ios", // mobile
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
  ],
  [
    "iPhone, Instagram in-app browser",
    "ios", // mobile
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 302.0.0.23.114 (iPhone14,5; iOS 16_6; en_US; en; scale=3.00; 1170x2532; 521487064)",
  ],
  [
    "iPad, iPadOS 12",
    "ios", // tablet
    "Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
  ],
  [
    "iPad, iPadOS 16 in mobile mode",
    "ios", // tablet
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  ],
  [
    "iPad, iPadOS 17 default (the Mac's agent)",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
  ],
  [
    "iPod touch",
    "ios", // mobile
    "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.1 Mobile/15E148 Safari/604.1",
  ],
  [
    "Android phone, Chrome",
    "android", // mobile
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
  ],
  [
    "Android phone, Samsung Internet",
    "android", // mobile
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
  ],
  [
    "Android phone, Firefox",
    "android", // mobile
    "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
  ],
  [
    "Android tablet, Chrome",
    "android", // tablet
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  ],
  [
    "Android tablet, Firefox",
    "android", // tablet
    "Mozilla/5.0 (Android 14; Tablet; rv:121.0) Gecko/121.0 Firefox/121.0",
  ],
  [
    "Kindle Fire, Silk",
    "android", // tablet
    "Mozilla/5.0 (Linux; Android 9; KFMAWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/120.3.1 like Chrome/120.0.6099.216 Safari/537.36",
  ],
  [
    "Windows 10 Mobile, Edge (also says Android and iPhone)",
    "other-mobile", // mobile
    "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977",
  ],
  [
    "Windows Phone 8.1, IE Mobile",
    "other-mobile", // mobile
    "Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537",
  ],
  [
    "KaiOS feature phone (also says Android)",
    "other-mobile", // mobile
    "Mozilla/5.0 (Mobile; LYF/F300B/LYF-F300B-001-01-15-130718-i;Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
  ],
  [
    "BlackBerry 10",
    "other-mobile", // mobile
    "Mozilla/5.0 (BB10; Touch) AppleWebKit/537.10+ (KHTML, like Gecko) Version/10.0.9.2372 Mobile Safari/537.10+",
  ],
  [
    "BlackBerry PlayBook",
    "other-mobile", // tablet
    "Mozilla/5.0 (PlayBook; U; RIM Tablet OS 2.1.0; en-US) AppleWebKit/536.2+ (KHTML like Gecko) Version/7.2.1.0 Safari/536.2+",
  ],
  [
    "Opera Mini",
    "other-mobile", // mobile
    "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
  ],
  [
    "Firefox OS phone",
    "other-mobile", // mobile
    "Mozilla/5.0 (Mobile; rv:26.0) Gecko/26.0 Firefox/26.0",
  ],
  [
    "Windows, Chrome",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  ],
  [
    "Windows, Edge",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
  ],
  [
    "Windows, Firefox",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
  ],
  [
    "Mac, Safari",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  ],
  [
    "Mac, Firefox",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
  ],
  [
    "Linux, Chrome",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  ],
  [
    "Linux, Firefox",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
  ],
  [
    "ChromeOS",
    "desktop", // untyped: desktop
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  ],
  [
    "Googlebot (desktop)",
    "desktop", // bot
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  ],
  [
    "Googlebot smartphone: what its agent says",
    "android", // bot
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.224 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  ],
  [
    "Bingbot",
    "desktop", // bot
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  ],
  ["curl", "desktop", "curl/8.5.0"],
  ["no agent", "desktop", ""],
];

test("real agents get the device class their agent says", () => {
  for (const [what, device, agent] of AGENTS) assert.is(deviceOfUserAgent(agent), device, what);
});

test("a desktop agent that mentions neither a mobile system nor a mobile token stays desktop", () => {
  for (const agent of [
    "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0 Automobile-Club-Checker",
    "python-requests/2.31.0",
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
  ]) {
    assert.is(deviceOfUserAgent(agent), "desktop", agent);
  }
});

test.run();
