import type { ConfigField, ConfigSchema } from "./config.js";

/**
 * Renders configuration schemas as Markdown tables, so that the list of
 * variables in the docs is produced from the very objects the services
 * validate their environment with and cannot drift from them.
 */

export interface ConfigDocSection {
  readonly title: string;
  /** One paragraph under the title (Markdown). */
  readonly intro: string;
  readonly schema: ConfigSchema;
}

/** A table cell holds no line break, and a `|` would end the cell. */
function cell(text: string): string {
  return text.replaceAll("\n", " ").replaceAll("|", "\\|");
}

function code(text: string): string {
  return `\`${text}\``;
}

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}–${max}`;
  if (min !== undefined) return `≥ ${min}`;
  if (max !== undefined) return `≤ ${max}`;
  return "";
}

/** The accepted values of a field, in words. */
export function describeType(field: ConfigField): string {
  switch (field.kind) {
    case "port":
      return "port (1–65535)";
    case "integer": {
      const bounds = range(field.min, field.max);
      return bounds === "" ? "integer" : `integer, ${bounds}`;
    }
    case "boolean":
      return `${code("true")} or ${code("false")} (${code("1")}/${code("0")})`;
    case "enum":
      return `one of ${field.values.map(code).join(", ")}`;
    case "list":
      return field.item ? `comma-separated ${code(field.item.format)} list` : "comma-separated list";
    case "string":
      return field.pattern ? `string matching ${code(field.pattern.source)}` : "string";
  }
}

export function describeDefault(field: ConfigField): string {
  const value = field.default;
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.length === 0 ? "(empty)" : code(value.join(","));
  return code(String(value));
}

function table(schema: ConfigSchema): string[] {
  const rows = Object.entries(schema).map(([name, field]) =>
    [
      code(name),
      describeType(field),
      describeDefault(field),
      field.default === undefined ? "yes" : "",
      field.secret ? "yes" : "",
      field.description,
    ].map(cell),
  );
  return [
    "| variable | accepted values | default | required | secret | meaning |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

export function renderConfigDoc(options: {
  readonly title: string;
  readonly intro: string;
  readonly sections: readonly ConfigDocSection[];
}): string {
  const lines = [`# ${options.title}`, "", options.intro];
  for (const section of options.sections) {
    lines.push("", `## ${section.title}`, "", section.intro, "", ...table(section.schema));
  }
  return `${lines.join("\n")}\n`;
}
