/**
 * One request before a ceiling or floor row is measured: it must come back as
 * a 302 (to the stub's Location, for a floor), not the resolver's (whose
 * Location would be the link's own URL) nor an error. A row whose route does
 * not reach what it is meant to measure measures nothing.
 */
export async function probeRedirect(url: string, expectedLocation: string | undefined): Promise<void> {
  const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  const location = response.headers.get("location");
  if (response.status !== 302 || (expectedLocation !== undefined && location !== expectedLocation)) {
    throw new Error(
      `the probe GET ${url} answered ${response.status} with location ${JSON.stringify(location)}, ` +
        `not 302${expectedLocation === undefined ? "" : ` to ${expectedLocation}`}: Envoy does not route it as the bench expects`,
    );
  }
}
