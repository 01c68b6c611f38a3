import type { ActionStatus, ErrorInfo } from '../model.js';

/** What actions('X') / result() return (https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference#result). */
export interface ActionResultView {
  name: string;
  inputs?: unknown;
  outputs?: unknown;
  startTime: string;
  endTime?: string;
  trackingId: string;
  clientTrackingId: string;
  code: string;
  status: ActionStatus;
  error?: ErrorInfo;
  trackedProperties?: Record<string, unknown>;
}

export interface LoopPosition {
  name: string;
  item: unknown;
  index: number;
  /** Until iterations count for iterationIndexes() but have no item(). */
  until?: boolean;
}

/**
 * Visibility scope for action results and loop items. Each Foreach repetition gets its own frame,
 * so concurrent repetitions see their own inner action results, as in Azure.
 */
export class Frame {
  readonly results = new Map<string, ActionResultView>();

  constructor(
    readonly parent?: Frame,
    readonly loop?: LoopPosition,
  ) {}

  lookup(name: string): ActionResultView | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      const r = f.results.get(name);
      if (r) return r;
    }
    return undefined;
  }

  findLoop(name?: string): LoopPosition | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (!f.loop) continue;
      if (name === undefined ? !f.loop.until : f.loop.name.toLowerCase() === name.toLowerCase()) return f.loop;
    }
    return undefined;
  }

  /** repetitionIndexes of this frame for repetition records, outermost loop first. */
  repetitionIndexes(): Array<{ scopeName: string; itemIndex: number }> {
    const out: Array<{ scopeName: string; itemIndex: number }> = [];
    for (let f: Frame | undefined = this; f; f = f.parent) if (f.loop) out.unshift({ scopeName: f.loop.name, itemIndex: f.loop.index });
    return out;
  }

  /** Every visible result, innermost first (for workflowContext.actions). */
  allResults(): Record<string, ActionResultView> {
    const out: Record<string, ActionResultView> = {};
    for (let f: Frame | undefined = this; f; f = f.parent) for (const [k, v] of f.results) if (!(k in out)) out[k] = v;
    return out;
  }
}
