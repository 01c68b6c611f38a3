import { startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { createGraphClient, type GraphClient } from '../../../lib/graph/client.js';
import { createCredential } from '../../../lib/graph/credential.js';
import { cachedTokenProvider } from '../../../lib/graph/token-provider.js';
import type { RetryPolicy } from '../../../lib/graph/retry-policy.js';

/**
 * The Graph stand-in (default contoso tenant) plus the managed-identity stand-in, and a GraphClient
 * that reaches Graph exactly as in App Service: ManagedIdentityCredential via IDENTITY_ENDPOINT.
 */
export interface GraphEnv {
  graphStandIn: GraphStandIn;
  identity: IdentityStandIn;
  graph: GraphClient;
  sleeps: number[];
  stop(): Promise<void>;
}

export async function startGraphEnv(retry: Partial<RetryPolicy> = {}): Promise<GraphEnv> {
  const graphStandIn = await startGraphStandIn();
  const identity = await startIdentityStandIn();
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  Object.assign(process.env, identity.env());
  const sleeps: number[] = [];
  const graph = createGraphClient({
    baseUrl: graphStandIn.url,
    token: cachedTokenProvider(createCredential({ mode: 'managed-identity' })),
    retry: { sleep: async (ms) => void sleeps.push(ms), ...retry },
  });
  return {
    graphStandIn,
    identity,
    graph,
    sleeps,
    async stop() {
      await Promise.all([graphStandIn.stop(), identity.stop()]);
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = saved.endpoint;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
      else process.env.IDENTITY_HEADER = saved.header;
    },
  };
}
