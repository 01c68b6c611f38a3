import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type KeyType = 'Primary' | 'Secondary';

interface WorkflowKeys {
  primary: string;
  secondary: string;
}

function newKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The workflows' SAS access keys, generated on first use and kept in `<dataDir>/keys.json` so
 * callback URLs handed out stay valid across restarts (as on Azure, until a key is regenerated).
 */
export class AccessKeys {
  private constructor(
    private readonly file: string,
    private readonly keys: Record<string, WorkflowKeys>,
  ) {}

  static async open(dataDir: string): Promise<AccessKeys> {
    const file = join(dataDir, 'keys.json');
    let keys: Record<string, WorkflowKeys> = {};
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { workflows?: Record<string, WorkflowKeys> };
      keys = parsed.workflows ?? {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new AccessKeys(file, keys);
  }

  /** Makes sure every workflow has keys; writes the file when any were created. */
  async ensure(workflows: Iterable<string>): Promise<void> {
    let changed = false;
    for (const wf of workflows) {
      if (!this.keys[wf]) {
        this.keys[wf] = { primary: newKey(), secondary: newKey() };
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  get(workflow: string): WorkflowKeys | undefined {
    return this.keys[workflow];
  }

  async regenerate(workflow: string, type: KeyType): Promise<void> {
    const current = this.keys[workflow] ?? { primary: newKey(), secondary: newKey() };
    this.keys[workflow] = type === 'Primary' ? { ...current, primary: newKey() } : { ...current, secondary: newKey() };
    await this.save();
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    // Keys are secrets: readable by the owner only.
    await writeFile(tmp, JSON.stringify({ workflows: this.keys }, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
