/**
 * One request before a floor is measured: it must come back as the stub's
 * 302, not the resolver's (whose Location would be the link's own URL) nor
 * an error. A floor whose route does not reach its stub measures nothing.
 */
export async function probeFloor(
  url: string,
  headers: Readonly<Record<string, string>>,
  expectedLocation: string,
): Promise<void> {
  const response = await fetch(url, { redirect: "manual", headers, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  const location = response.headers.get("location");
  if (response.status !== 302 || location !== expectedLocation) {
    throw new Error(
      `the floor probe GET ${url} answered ${response.status} with location ${JSON.stringify(location)}, ` +
        `not 302 to the stub's ${expectedLocation}: Envoy does not route it to the stub`,
    );
  }
}
