import { isbot } from "isbot";
import UAParser from "ua-parser-js";
import { UNKNOWN, type UserAgentClass } from "../domain/click.js";
import type { UserAgentClassifier } from "../domain/user-agent-classifier.js";

/**
 * Browser, OS and device type from ua-parser-js, bots from isbot's list (a
 * maintained set of crawler, preview and script patterns). ua-parser-js
 * leaves the device type unset for desktops, so a user agent it parses
 * without a type is a desktop; one it cannot read at all stays "unknown".
 * A bot's device is "bot", so that the devices breakdown shows crawlers
 * apart instead of as desktops.
 */
export function createUaParserClassifier(): UserAgentClassifier {
  const parser = new UAParser();
  return {
    classify(userAgent): UserAgentClass {
      if (userAgent.trim() === "") return { browser: UNKNOWN, os: UNKNOWN, device: UNKNOWN, bot: false };
      const result = parser.setUA(userAgent).getResult();
      const bot = isbot(userAgent);
      const browser = result.browser.name ?? UNKNOWN;
      const os = result.os.name ?? UNKNOWN;
      const recognised = result.browser.name !== undefined || result.os.name !== undefined;
      const device = bot ? "bot" : (result.device.type ?? (recognised ? "desktop" : UNKNOWN));
      return { browser, os, device, bot };
    },
  };
}
