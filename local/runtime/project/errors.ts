/** One thing wrong with a project, located by file (relative to the project root) and action. */
export interface ProjectProblem {
  file: string;
  action?: string;
  message: string;
  /** For a documented Azure definition rule: its name and its Microsoft Learn page (also in message). */
  rule?: string;
  source?: string;
}

export function formatProblem(p: ProjectProblem): string {
  return p.action !== undefined ? `${p.file}: action '${p.action}': ${p.message}` : `${p.file}: ${p.message}`;
}

/** Every problem found while loading a project; the project is not loaded at all when thrown. */
export class ProjectValidationError extends Error {
  readonly code = 'InvalidProject';
  constructor(readonly problems: ProjectProblem[]) {
    super(`The Logic Apps project has ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ProjectValidationError';
  }
}
