import type { Deployment } from '../deploy/context.js';
import { DeployProblem } from '../deploy/errors.js';
import type { Runner } from '../deploy/runner.js';
import { latestOwnDeployment } from '../deploy/steps/infrastructure.js';
import { mspAppDisplayName } from '../deploy/steps/msp-app.js';

/** What the customer commands need from the msp-mode deployment, read from its last successful deployment's outputs. */
export interface MspDeployment {
  subscriptionId: string;
  resourceGroup: string;
  baseName: string;
  mspAppId: string;
  mspAppName: string;
  storageAccountName: string;
  logicAppName: string;
  helpersHostName: string;
  helpersAppClientId: string;
}

export async function findMspDeployment(run: Runner, resourceGroup: string, subscription: string | undefined): Promise<MspDeployment> {
  const account = (await run.check(['account', 'show', ...(subscription ? ['--subscription', subscription] : [])])) as { id: string };
  const deployments = (await run.check(['deployment', 'group', 'list', '--resource-group', resourceGroup, '--subscription', account.id])) as Deployment[];
  const latest = latestOwnDeployment(deployments);
  const out = (k: string): string => String(latest?.properties?.outputs?.[k]?.value ?? '');
  const param = (k: string): string => String(latest?.properties?.parameters?.[k]?.value ?? '');
  if (!latest) {
    throw new DeployProblem(`Resource group ${resourceGroup} holds no Thread intent runner deployment.`, 'Deploy it first: npm run deploy -- --mode msp … (scripts/deploy/README.md)');
  }
  if (out('deploymentMode') !== 'msp' || !out('mspAppClientId')) {
    throw new DeployProblem(
      `The runner in ${resourceGroup} is deployed in customer mode: it serves only its own tenant.`,
      'Customers are added to an msp-mode deployment (npm run deploy -- --mode msp); check --resource-group',
    );
  }
  const baseName = param('baseName');
  return {
    subscriptionId: account.id,
    resourceGroup,
    baseName,
    mspAppId: out('mspAppClientId'),
    mspAppName: mspAppDisplayName(baseName),
    storageAccountName: out('storageAccountName'),
    logicAppName: out('logicAppName'),
    helpersHostName: out('helpersHostName'),
    helpersAppClientId: param('helpersAppClientId'),
  };
}
