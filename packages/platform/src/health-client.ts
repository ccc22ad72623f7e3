import { type Client, credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

const HealthClient = makeGenericClientConstructor(
  healthService as Parameters<typeof makeGenericClientConstructor>[0],
  "Health",
);

/** Asks a server's grpc.health.v1 Check; resolves to its status name ("SERVING", "NOT_SERVING", …). */
export function checkHealth(address: string, service = "", timeoutMs = 2_000): Promise<string> {
  const client = new HealthClient(address, credentials.createInsecure()) as unknown as Client & {
    check: (
      request: { service: string },
      options: { deadline: number },
      callback: (error: Error | null, response?: { status: string | number }) => void,
    ) => void;
  };
  return new Promise<string>((resolve, reject) => {
    client.check({ service }, { deadline: Date.now() + timeoutMs }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(String(response?.status));
    });
  });
}
