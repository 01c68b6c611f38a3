import type { ProjectRule } from './types.js';

/** Helper registrations must be readable (literal route and methods) and loaded by lib/functions/index.ts. */
export const functionRegistrationsRule: ProjectRule = {
  id: 'function-registration',
  title: 'every helper registration is statically readable and loaded by lib/functions/index.ts',
  check(project) {
    return project.functions.problems;
  },
};
