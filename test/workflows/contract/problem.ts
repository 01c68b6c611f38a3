/**
 * One broken contract rule. Every message names the file, the action (when there is one) and the
 * rule, so a red CI line tells the author exactly what to fix without opening the test.
 */
export interface ContractProblem {
  /** Path relative to the project root, e.g. "workflows/password-reset/workflow.json". */
  file: string;
  action?: string;
  /** Stable rule id, e.g. "graph-write-dry-run". */
  rule: string;
  message: string;
}

export function formatProblem(p: ContractProblem): string {
  const where = p.action === undefined ? p.file : `${p.file} › ${p.action}`;
  return `${where} [${p.rule}] ${p.message}`;
}

/** Collects problems for one file and rule without repeating both on every call. */
export function problemSink(file: string, rule: string): { problems: ContractProblem[]; add(message: string, action?: string): void } {
  const problems: ContractProblem[] = [];
  return {
    problems,
    add(message, action) {
      problems.push(action === undefined ? { file, rule, message } : { file, action, rule, message });
    },
  };
}
