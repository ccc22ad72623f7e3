/**
 * A reader of the Prometheus text exposition format (version 0.0.4), enough
 * for what Kurt's services and Envoy's admin serve: one sample per line,
 * `name{label="value",…} number [timestamp]`, comments and blank lines skipped.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (match === null) {
      if (text.slice(at).trim() === "") break;
      throw new Error(`line ${line}: malformed labels at ${JSON.stringify(text.slice(at, at + 40))}`);
    }
    labels[match[1] as string] = unescapeLabel(match[2] as string);
  }
  return labels;
}

/** Like Prometheus's own reader (Go's ParseFloat), Inf and NaN in any case: prom-client writes "Nan". */
function parseValue(text: string, line: number): number {
  const word = text.toLowerCase();
  if (word === "+inf" || word === "inf") return Number.POSITIVE_INFINITY;
  if (word === "-inf") return Number.NEGATIVE_INFINITY;
  if (word === "nan") return Number.NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`line ${line}: ${JSON.stringify(text)} is not a number`);
  return value;
}

/** Every sample of the page; throws naming the line of the first one that is not in the format. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = SAMPLE.exec(line);
    if (match === null)
      throw new Error(`line ${index + 1}: not a Prometheus sample: ${JSON.stringify(line.slice(0, 80))}`);
    samples.push({
      name: match[1] as string,
      labels: match[2] === undefined ? {} : parseLabels(match[2], index + 1),
      value: parseValue(match[3] as string, index + 1),
    });
  });
  return samples;
}

/** The samples of one metric whose labels include every pair of `where`. */
export function select(
  samples: readonly Sample[],
  name: string,
  where: Readonly<Record<string, string>> = {},
): Sample[] {
  const wanted = Object.entries(where);
  return samples.filter(
    (sample) => sample.name === name && wanted.every(([label, value]) => sample.labels[label] === value),
  );
}

/** The sum of those samples (0 when there are none). */
export function sumOf(samples: readonly Sample[], name: string, where: Readonly<Record<string, string>> = {}): number {
  return select(samples, name, where).reduce((total, sample) => total + sample.value, 0);
}
