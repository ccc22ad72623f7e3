import type { UserAgentClass } from "./click.js";

/**
 * Tells browser, OS, device type and bot from a User-Agent header. A port so
 * that the parsers (and their update cadence) stay outside the domain.
 */
export interface UserAgentClassifier {
  classify(userAgent: string): UserAgentClass;
}
