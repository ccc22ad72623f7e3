import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Paths } from "../paths.js";
import { runChecked } from "../run-command.js";

/**
 * The Kafka broker as a folder of jars from Maven Central: the pom in
 * tools/kurt/kafka/ pins the version, `mvn dependency:copy-dependencies`
 * fills `<cache>/kafka-<version>/libs`, and a marker holding the pom's hash
 * makes a second install a no-op (and a changed pom a fresh download).
 */

/** tools/kurt/kafka: the pom and the log4j2 configuration. */
export const KAFKA_FILES_DIR = fileURLToPath(new URL("../../kafka/", import.meta.url));
const POM = path.join(KAFKA_FILES_DIR, "pom.xml");
export const KAFKA_LOG4J2_CONFIG = path.join(KAFKA_FILES_DIR, "log4j2.xml");

export interface KafkaDistribution {
  readonly version: string;
  readonly home: string;
  readonly libsDir: string;
  /** For `java -cp`: the JVM expands the trailing `*` itself. */
  readonly classpath: string;
}

export function kafkaDistribution(paths: Paths): KafkaDistribution {
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, "utf8"))?.[1]?.trim();
  if (!version) throw new Error(`${POM} does not pin <kafka.version>`);
  const home = path.join(paths.cacheDir, `kafka-${version}`);
  const libsDir = path.join(home, "libs");
  return { version, home, libsDir, classpath: path.join(libsDir, "*") };
}

const markerFile = (dist: KafkaDistribution) => path.join(dist.home, "installed.sha256");
const pomHash = () => createHash("sha256").update(readFileSync(POM)).digest("hex");

export function isKafkaInstalled(dist: KafkaDistribution): boolean {
  try {
    return readFileSync(markerFile(dist), "utf8").trim() === pomHash();
  } catch {
    return false;
  }
}

/** Downloads the broker's jars unless the marker says this pom's jars are already there. */
export async function installKafka(paths: Paths, say: (line: string) => void): Promise<KafkaDistribution> {
  const dist = kafkaDistribution(paths);
  if (isKafkaInstalled(dist)) return dist;
  say(`downloading Apache Kafka ${dist.version} jars from Maven Central`);
  mkdirSync(dist.home, { recursive: true });
  // Download beside the final folder and rename, so an interrupted download never looks complete.
  const partial = `${dist.libsDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  await runChecked(
    "mvn",
    [
      "-q",
      "-B",
      "-f",
      POM,
      `-Dmaven.repo.local=${path.join(paths.cacheDir, "m2")}`,
      "dependency:copy-dependencies",
      `-DoutputDirectory=${partial}`,
    ],
    { cwd: dist.home, timeoutMs: 15 * 60_000 },
  );
  if (!existsSync(path.join(partial, `kafka_2.13-${dist.version}.jar`))) {
    throw new Error(`mvn finished but ${partial} holds no kafka_2.13-${dist.version}.jar`);
  }
  rmSync(dist.libsDir, { recursive: true, force: true });
  renameSync(partial, dist.libsDir);
  writeFileSync(markerFile(dist), `${pomHash()}\n`);
  return dist;
}
