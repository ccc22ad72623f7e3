/**
 * `./kurt`: brings up, inspects and stops every part of a local Kurt, and
 * runs its tests. The shell entry at the repository's root installs the Node
 * dependencies and then runs this file.
 */
import {
  collectStatus,
  describeFailure,
  down,
  envAssignments,
  formatStatus,
  logFilesFor,
  restart,
  showLogs,
  up,
} from "./commands.js";
import { parseSwitchoverArgs, switchover } from "./components/postgres-switchover.js";
import { infrastructureMode } from "./containers/index.js";
import { importCommand } from "./import/import-command.js";
import { domainCommand } from "./link-cli/domain-commands.js";
import { linkCommand } from "./link-cli/link-commands.js";
import { collectMetricsSummary, formatSummary, summarize } from "./metrics/metrics-summary.js";
import { createStack } from "./stack.js";
import { testCommand } from "./test-runner/test-command.js";

const USAGE = `usage: ./kurt COMMAND

  up              install what is missing, start every component, wait until all are ready
  status          one line per component: up or down, port, pid, detail; then the key metrics
  down [--purge]  stop what 'up' started (by pid); --purge also deletes data and logs (downloads are kept)
  restart NAME    restart a component's daemons one at a time (e.g. resolver, resolver-2, envoy)
  switchover [--to MEMBER]
                  hand the Postgres leadership to the synchronous standby (--to checks it is MEMBER),
                  with writes held in PgBouncer meanwhile, so no request fails
  logs NAME [-f]  show (or follow) the logs of a component, e.g. postgres-1, etcd, kafka, resolver, envoy;
                  without NAME: every service replica's JSON lines, interleaved (./kurt logs -f | jq)
  env             shell assignments: eval "$(./kurt env)" sets KURT_URL, KURT_GRPC and KURT_API_KEY
  test            static checks, then the test suites against the stack (started if it is not running)
  link …          create, get, list, update, delete links and read their stats (./kurt link help)
  domain …        add, list, update, remove the domains links live under (./kurt domain help)
  import --from bitly|shlink|kutt|yourls|csv FILE [--domain D] [--dry-run]
                  create the links of another shortener's export, keeping their codes (./kurt import help)

Ports move together with KURT_PORT_BASE (default 24000); replicas with KURT_SHORTENER_REPLICAS,
KURT_RESOLVER_REPLICAS and KURT_CLICKLOG_REPLICAS; state lives in KURT_STATE_DIR (default .kurt/).`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const say = (line: string) => console.error(line);
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  // The stack `./kurt test` starts sits behind one (simulated) proxy: the tests choose their visitors' addresses
  // with X-Forwarded-For, as a load balancer in front would (redirect rules by country, ADR 29). Set in the
  // environment so that every process the tests start (a restarted Envoy, another ./kurt) renders the same.
  if (command === "test") process.env.KURT_TRUSTED_PROXY_HOPS ??= "1";
  const stack = createStack(say);
  try {
    switch (command) {
      case "up":
        if (infrastructureMode(process.env) === "testcontainers") {
          say(
            "KURT_INFRA=testcontainers serves ./kurt test only: its containers end with the process that started them",
          );
          return 2;
        }
        await up(stack);
        return 0;
      case "down":
        await down(stack, rest.includes("--purge"));
        return 0;
      case "status": {
        const [lines, metrics] = await Promise.all([collectStatus(stack), collectMetricsSummary(stack.context)]);
        console.log(formatStatus(lines));
        console.log(`\n${formatSummary(summarize(metrics), metrics.seconds)}`);
        return lines.every((line) => line.up) ? 0 : 3;
      }
      case "logs": {
        // Without a name: every replica of Kurt's services, interleaved as they write. Their lines are JSON
        // that names the service and instance, so no file headers are added and the stream pipes into jq.
        const name = rest.find((arg) => !arg.startsWith("-"));
        const files = logFilesFor(stack, name ?? "services");
        if (files.length === 0) {
          say(`no component or daemon named ${JSON.stringify(name)}; see ./kurt status`);
          return 2;
        }
        return await showLogs(files, rest.includes("-f") || rest.includes("--follow"), { headers: name !== undefined });
      }
      case "restart": {
        const name = rest[0];
        if (name === undefined || !(await restart(stack, name))) {
          say(`usage: ./kurt restart NAME, where NAME is a component or daemon of ./kurt status`);
          return 2;
        }
        return 0;
      }
      case "switchover": {
        const parsed = parseSwitchoverArgs(rest);
        if (typeof parsed === "string") {
          say(`${parsed}\n\nusage: ./kurt switchover [--to MEMBER]`);
          return 2;
        }
        await switchover(stack.context, parsed.to);
        return 0;
      }
      case "env":
        console.log(envAssignments(stack));
        return 0;
      case "test":
        return await testCommand(stack, process.env);
      case "link":
      case "domain":
        return await (command === "link" ? linkCommand : domainCommand)(rest, {
          topology: stack.context.topology,
          paths: stack.context.paths,
          env: process.env,
          out: (text) => console.log(text),
          err: say,
        });
      case "import":
        return await importCommand(rest, {
          topology: stack.context.topology,
          paths: stack.context.paths,
          env: process.env,
          out: (text) => console.log(text),
          err: say,
          progress: process.stderr,
        });
      default:
        say(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    say(describeFailure(error, stack));
    return 1;
  }
}

// `./kurt status | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
