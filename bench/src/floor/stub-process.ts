/**
 * What both floor stubs share as processes of their own: their arguments,
 * the line that tells the bench they listen, and an exit when the bench is
 * gone (their stdin is a pipe from it, closed when it exits in any way).
 */

export interface StubArguments {
  readonly host: string;
  readonly port: number;
  /** The one Location every answer redirects to. */
  readonly location: string;
}

/** The line a stub prints on stdout once it accepts connections: `ready <port>`. */
export const READY_PREFIX = "ready ";

/** The port in a ready line, or undefined when the line is not one. */
export function readyPort(line: string): number | undefined {
  const match = /^ready (\d+)$/.exec(line.trim());
  return match === null ? undefined : Number(match[1]);
}

/** HOST PORT LOCATION, as floor-stubs.ts passes them (port 0: any free one). */
export function stubArguments(argv: readonly string[] = process.argv.slice(2)): StubArguments {
  const [host, port, location] = argv;
  if (host === undefined || port === undefined || !/^\d+$/.test(port) || location === undefined) {
    throw new Error(`usage: HOST PORT LOCATION, got ${JSON.stringify(argv)}`);
  }
  return { host, port: Number(port), location };
}

/** Says it listens on `port`, and exits when the bench closes its end of stdin. */
export function announceReady(port: number): void {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
  process.stdout.write(`${READY_PREFIX}${port}\n`);
}
