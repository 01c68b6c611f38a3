import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeployProblem } from './errors.js';

/**
 * infra/permissions.json: which identity gets which Graph/Exchange permission and why. The deploy command reads it
 * on every run (never a copy), so the grants follow the manifest its owner keeps up to date.
 */
const Identity = z.object({ id: z.string(), name: z.string(), modes: z.array(z.string()) });
const Grant = z.object({
  identity: z.string(),
  kind: z.enum(['appRole', 'directoryRole', 'delegated']),
  resource: z.string().optional(),
  resourceAppId: z.string().optional(),
  value: z.string(),
  id: z.string(),
  why: z.string().optional(),
});
const Manifest = z.object({ identities: z.array(Identity), grants: z.array(Grant) });

export type PermissionGrant = z.infer<typeof Grant>;
export type PermissionManifest = z.infer<typeof Manifest>;

export const MANIFEST_PATH = 'infra/permissions.json';

export async function loadManifest(root: string): Promise<PermissionManifest> {
  let text: string;
  try {
    text = await readFile(join(root, MANIFEST_PATH), 'utf8');
  } catch {
    throw new DeployProblem(`${MANIFEST_PATH} is missing.`, 'Restore it from the repository.');
  }
  const parsed = Manifest.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new DeployProblem(`${MANIFEST_PATH} does not have the expected shape: ${parsed.error.message}`, 'Fix the file.');
  }
  for (const grant of parsed.data.grants) {
    if (grant.kind === 'appRole' && !grant.resourceAppId) {
      throw new DeployProblem(`${MANIFEST_PATH}: app role ${grant.value} has no resourceAppId.`, 'Add the resource API app id.');
    }
  }
  return parsed.data;
}

/** The grants for the identities of one mode (e.g. "customer": the three managed identities and the mailbox). */
export function grantsForMode(manifest: PermissionManifest, mode: string): PermissionGrant[] {
  const inMode = new Set(manifest.identities.filter((i) => i.modes.includes(mode)).map((i) => i.id));
  return manifest.grants.filter((g) => inMode.has(g.identity));
}

export function identityName(manifest: PermissionManifest, id: string): string {
  return manifest.identities.find((i) => i.id === id)?.name ?? id;
}
