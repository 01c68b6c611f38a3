import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipFolder } from '../zip.js';
import { need, resourceGroupPath, subscriptionArgs, type DeployContext, type PackageFile, type Step } from '../context.js';
import { AzCommandError } from '../errors.js';

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function zip(ctx: DeployContext, folder: string, file: string): Promise<PackageFile> {
  return ctx.run.local(
    `zip ${folder} -> ${file} (written by the deploy command)`,
    async () => {
      await zipFolder(join(ctx.root, folder), join(ctx.root, file));
      return { path: file, sha256: await sha256(join(ctx.root, file)) };
    },
    { path: file, sha256: '<sha256>' },
  );
}

/** `npm run pack`, then one zip per app (host.json at the root of each, as Azure expects). */
export const packagesStep: Step = {
  id: 'packages',
  title: 'Packages built (npm run pack: dist/functions and dist/logicapp)',
  modes: ['customer', 'msp'],
  async run(ctx) {
    await ctx.run.local('node dist/scripts/pack.js', () => ctx.local.pack(), undefined);
    ctx.state.helpersPackage = await zip(ctx, 'dist/functions', 'dist/functions.zip');
    ctx.state.logicAppPackage = await zip(ctx, 'dist/logicapp', 'dist/logicapp.zip');
    return { status: 'built', summary: 'dist/functions.zip and dist/logicapp.zip' };
  },
};

/**
 * Which package each app runs is recorded as a tag on the resource group (read in the resource group step; merged,
 * so no other tag changes; the
 * Bicep deployment is resource-group scoped and never touches the group's own tags). Same hash and no Bicep
 * deployment in this run: the app already runs this code, and the upload is skipped.
 */
interface CodeTarget {
  id: string;
  title: string;
  tag: string;
  command: 'functionapp' | 'logicapp';
  appName(ctx: DeployContext): string;
  pkg(ctx: DeployContext): PackageFile;
  /** Errors worth waiting out, with how long. */
  retry?: { matches: RegExp; attempts: number; delayMs: number; why: string };
}

function codeStep(target: CodeTarget): Step {
  return {
    id: target.id,
    title: target.title,
    modes: ['customer', 'msp'],
    async run(ctx) {
      const pkg = target.pkg(ctx);
      const tags = need(ctx, 'resourceGroupTags');
      if (tags[target.tag] === pkg.sha256 && !need(ctx, 'bicepApplied')) {
        return { status: 'unchanged', summary: `${target.appName(ctx)} already runs this package` };
      }
      const args = [target.command, 'deployment', 'source', 'config-zip', '--resource-group', ctx.options.resourceGroup, '--name', target.appName(ctx), '--src', pkg.path, ...subscriptionArgs(ctx)];
      for (let attempt = 1; ; attempt++) {
        try {
          await ctx.run.apply(args);
          break;
        } catch (error) {
          const retry = target.retry;
          if (!retry || attempt >= retry.attempts || !(error instanceof AzCommandError) || !retry.matches.test(error.stderr)) throw error;
          ctx.io.out(`    ${retry.why}; trying again in ${retry.delayMs / 1000} s (${attempt}/${retry.attempts - 1})`);
          await ctx.sleep(retry.delayMs);
        }
      }
      await ctx.run.apply([
        'tag', 'update', '--resource-id', ctx.state.resourceGroupId ?? resourceGroupPath(ctx), '--operation', 'Merge', '--tags', `${target.tag}=${pkg.sha256}`, ...subscriptionArgs(ctx),
      ]);
      ctx.state.resourceGroupTags = { ...tags, [target.tag]: pkg.sha256 };
      return { status: 'changed', summary: `${pkg.path} deployed to ${target.appName(ctx)}` };
    },
  };
}

export const HELPERS_PACKAGE_TAG = 'thread-intent-helpers-package';
export const LOGICAPP_PACKAGE_TAG = 'thread-intent-workflows-package';

export const helpersCodeStep = codeStep({
  id: 'helpers-code',
  title: 'Helper functions code deployed (dist/functions.zip)',
  tag: HELPERS_PACKAGE_TAG,
  command: 'functionapp',
  appName: (ctx) => need(ctx, 'outputs').helpersName,
  pkg: (ctx) => need(ctx, 'helpersPackage'),
  // infra/README.md: on the first deployment the helpers' new storage role can take minutes to apply; the upload
  // fails with a 403 from storage inside a 400 answer until it does.
  retry: { matches: /\b403\b|AuthorizationPermissionMismatch|AuthorizationFailure/, attempts: 11, delayMs: 30_000, why: 'storage access for the new Function App is not active yet' },
});

export const workflowsCodeStep = codeStep({
  id: 'workflows-code',
  title: 'Workflows deployed to the Logic App (dist/logicapp.zip)',
  tag: LOGICAPP_PACKAGE_TAG,
  command: 'logicapp',
  appName: (ctx) => need(ctx, 'outputs').logicAppName,
  pkg: (ctx) => need(ctx, 'logicAppPackage'),
});
