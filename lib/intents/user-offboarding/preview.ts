import type { PlannedStep, UserOffboardingPlan } from './plan-types.js';

/**
 * The plan as the requester reads it before anything runs: used for the early `accepted` answer and
 * for dry runs. One sentence plus the planned steps.
 */
export function previewOf(who: string, steps: readonly PlannedStep[], alreadyDone: string | null): UserOffboardingPlan['preview'] {
  const list = steps.map((s) => ({ name: s.name, status: s.status, detail: s.detail }));
  if (alreadyDone) return { message: alreadyDone, steps: list };
  const planned = steps.filter((s) => s.status === 'planned').length;
  const refused = steps.filter((s) => s.status === 'failed').length;
  const skipped = steps.filter((s) => s.status === 'skipped').length;
  const parts = [`Offboarding ${who}: ${planned} change${planned === 1 ? '' : 's'} planned`];
  if (refused) parts.push(`${refused} not possible`);
  if (skipped) parts.push(`${skipped} skipped`);
  return { message: `${parts.join(', ')}.`, steps: list };
}
