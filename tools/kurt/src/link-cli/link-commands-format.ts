import type { Domain, Link, RedirectRule, Stats } from "@kurt/contract";

const BARS = "▁▂▃▄▅▆▇█";

/** One character per value, scaled to the largest; all zeros stay at the lowest bar. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((value) => BARS[max === 0 ? 0 : Math.round((value / max) * (BARS.length - 1))]).join("");
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] as number) - [...cell].length)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const when = (date: Date | undefined) => (date === undefined ? "-" : date.toISOString());

/** A rule in the syntax `--rule` takes, so that it can be copied back into a command. */
export function formatRule(rule: RedirectRule): string {
  const query =
    rule.query === undefined
      ? undefined
      : rule.query.name + (rule.query.value === undefined ? "" : `:${rule.query.value}`);
  return [
    ["device", rule.device],
    ["country", rule.country],
    ["language", rule.language],
    ["query", query],
    ["url", rule.url],
  ]
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

/** The cap and how much of it is used; visits are counted against a cap only (the rest are in the stats). */
const visits = (link: Link) => (link.maxVisits === undefined ? "-" : `${link.visits} of ${link.maxVisits} used`);

export function formatLink(link: Link): string {
  const rules =
    link.rules.length === 0
      ? [["rules", "-"]]
      : link.rules.map((rule, i) => [i === 0 ? "rules" : "", `${i + 1}. ${formatRule(rule)}`]);
  return table([
    ["code", link.code],
    ["domain", link.domain || "-"],
    ["short url", link.shortUrl],
    ["url", link.url],
    ["status", String(link.redirectStatus)],
    ["cache seconds", String(link.cacheSeconds)],
    ["valid since", when(link.validSince)],
    ["expires", when(link.expiresAt)],
    ["max visits", visits(link)],
    ["disabled", link.disabled ? "yes" : "no"],
    ["password", link.passwordProtected ? "yes" : "no"],
    ["forward query", link.forwardQuery ? "yes" : "no"],
    ...rules,
    ["title", link.title ?? "-"],
    ["tags", link.tags.length === 0 ? "-" : link.tags.join(", ")],
    ["created", when(link.createdAt)],
    ["updated", when(link.updatedAt)],
  ]);
}

export function formatLinkList(links: readonly Link[]): string {
  if (links.length === 0) return "no links";
  const flags = (link: Link) =>
    [
      link.disabled ? "disabled" : "",
      link.validSince !== undefined ? `from ${when(link.validSince)}` : "",
      link.expiresAt !== undefined ? `expires ${when(link.expiresAt)}` : "",
      link.maxVisits !== undefined ? `visits ${link.visits}/${link.maxVisits}` : "",
      link.passwordProtected ? "password" : "",
      link.rules.length === 0 ? "" : link.rules.length === 1 ? "1 rule" : `${link.rules.length} rules`,
    ]
      .filter(Boolean)
      .join(", ");
  // A code is unique per domain only: once the list spans several domains, each row names its own.
  if (new Set(links.map((link) => link.domain)).size > 1) {
    return table([
      ["DOMAIN", "CODE", "STATUS", "URL", "NOTE"],
      ...links.map((link) => [link.domain || "-", link.code, String(link.redirectStatus), link.url, flags(link)]),
    ]);
  }
  return table([
    ["CODE", "STATUS", "URL", "NOTE"],
    ...links.map((link) => [link.code, String(link.redirectStatus), link.url, flags(link)]),
  ]);
}

export function formatDomain(domain: Domain): string {
  return table([
    ["domain", domain.domain],
    ["default", domain.isDefault ? "yes" : "no"],
    ["root redirect", domain.rootRedirect || "-"],
    ["not found redirect", domain.notFoundRedirect || "-"],
    ["created", when(domain.createdAt)],
  ]);
}

export function formatDomainList(domains: readonly Domain[]): string {
  if (domains.length === 0) return "no domains";
  return table([
    ["DOMAIN", "ROOT REDIRECT", "NOT FOUND REDIRECT", "NOTE"],
    ...domains.map((domain) => [
      domain.domain,
      domain.rootRedirect || "-",
      domain.notFoundRedirect || "-",
      domain.isDefault ? "default" : "",
    ]),
  ]);
}

export function formatStats(stats: Stats): string {
  const counts = stats.series.map((point) => point.clicks);
  const first = stats.series[0]?.start;
  const last = stats.series.at(-1)?.start;
  const lines = [
    table([
      ["code", stats.code],
      ...(stats.domain === "" ? [] : [["domain", stats.domain]]),
      ["clicks", String(stats.total)],
      ["humans", String(stats.humanTotal)],
      ["bots", String(stats.botTotal)],
      ["unique visitors", String(stats.uniqueVisitors)],
    ]),
  ];
  if (counts.length > 0) {
    lines.push("", `${sparkline(counts)}  max ${Math.max(...counts)}/point`, `${when(first)} … ${when(last)}`);
  }
  const top = (title: string, dimension: Stats["referrers"]) => {
    if (dimension.length === 0) return;
    lines.push(
      "",
      table([
        [title.toUpperCase(), "CLICKS"],
        ...dimension.slice(0, 5).map((d) => [d.value || "(none)", String(d.clicks)]),
      ]),
    );
  };
  top("referrer", stats.referrers);
  top("browser", stats.browsers);
  top("os", stats.os);
  top("device", stats.devices);
  top("country", stats.countries);
  return lines.join("\n");
}
