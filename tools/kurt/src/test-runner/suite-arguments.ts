/** The command line of run-suites.ts: DIR PATTERN [-i IGNORE]… (uvu's own meaning for each). */
export function suiteArguments(argv: readonly string[]): { dir: string; pattern: string; ignore: string[] } {
  const [dir, pattern, ...rest] = argv;
  if (dir === undefined || pattern === undefined) throw new Error("usage: run-suites.ts DIR PATTERN [-i IGNORE]…");
  const ignore: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const value = rest[i + 1];
    if (rest[i] !== "-i" || value === undefined) throw new Error(`unknown argument ${JSON.stringify(rest[i])}`);
    ignore.push(value);
    i++;
  }
  return { dir, pattern, ignore };
}
