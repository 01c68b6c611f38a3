import { subscriptionArgs, type Step } from '../context.js';

export const SIGNING_KEY_SECRET = 'status-url-signing-key';

/**
 * The status-URL signing key is created once and kept: a new value would invalidate every outstanding status URL.
 * Whether it exists is asked of the ARM control plane (`Microsoft.KeyVault/vaults/secrets`), which describes the
 * secret without its value (https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets), so no
 * secret is ever read and no Key Vault data-plane permission is needed. The vault is found by type in the resource
 * group because its name carries a suffix only Bicep computes (before the first deployment there is none).
 */
export const signingKeyStep: Step = {
  id: 'signing-key',
  title: `Status-URL signing key (Key Vault secret ${SIGNING_KEY_SECRET}: created once, never replaced)`,
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { run, options } = ctx;
    const vaults = (await run.check(
      ['resource', 'list', '--resource-group', options.resourceGroup, '--resource-type', 'Microsoft.KeyVault/vaults', ...subscriptionArgs(ctx)],
      { plan: [] },
    )) as Array<{ id: string; name: string }>;
    const vault = vaults.length === 1 ? vaults[0] : vaults.find((v) => v.name.startsWith(`kv-${options.baseName}-`));
    let exists = false;
    if (vault) {
      const secret = await run.checkOptional(['resource', 'show', '--ids', `${vault.id}/secrets/${SIGNING_KEY_SECRET}`]);
      exists = secret !== undefined;
    }
    ctx.state.signingKeyExists = exists;
    return {
      status: 'unchanged',
      summary: exists ? `exists in ${vault?.name ?? 'the vault'}: kept (createStatusSigningKey=false)` : 'not there yet: the deployment creates it (createStatusSigningKey=true)',
    };
  },
};
