import { errors, type GraphError } from './errors.js';

/**
 * Fault and latency injection: throttling (429 + Retry-After), 503 and 504 for a route pattern and
 * method, on every call, a seeded share of calls, or the next N calls; added latency fixed or random.
 */
export interface FaultRule {
  /** Assigned when added; used to list and to report which rule fired. */
  id?: string;
  /** HTTP method to match; any when omitted. */
  method?: string;
  /**
   * Glob on the resource path, with or without the version prefix: `*` is one segment, `**` any number.
   * Examples: `/users/*`, `/groups/*\/members/$ref`, `/v1.0/users/**`. Any path when omitted.
   */
  path?: string;
  /** Status to answer with; omit for a latency-only rule. */
  status?: 429 | 503 | 504;
  /** Retry-After seconds (429 default 1; 503 only when given). */
  retryAfter?: number;
  /** Share of matching calls that fail, drawn from an RNG seeded with `seed` (default 1). */
  probability?: number;
  seed?: number;
  /** Fire on the next N matching calls only. */
  count?: number;
  /** Extra latency when the rule fires: fixed ms or uniform within bounds. */
  latencyMs?: number | { min: number; max: number };
}

export interface LatencyConfig {
  fixedMs?: number;
  minMs?: number;
  maxMs?: number;
  seed?: number;
}

export interface FaultDecision {
  delayMs: number;
  error?: GraphError;
  ruleId?: string;
}

/** mulberry32: small, fast, and deterministic for a seed, so tests with probabilities repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `*` is one path segment; `**` any number of segments, zero included (`/groups/**` matches `/groups` too). */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] as string;
    if (ch === '/' && glob.startsWith('**', i + 1) && (glob[i + 3] === undefined || glob[i + 3] === '/')) {
      out += '(?:/[^/]+)*';
      i += 2;
    } else if (ch === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i += 1;
      } else out += '[^/]*';
    } else out += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}/?$`, 'i');
}

/** A route of the stand-in, as the fault rules are checked against it ('groups/{group}/members/$ref'). */
export interface KnownRoute {
  method: string;
  pattern: string;
}

/**
 * A concrete path for a route pattern: each {param} becomes the rule's own segment at that position when the rule
 * names one (a rule on `/groups/<real id>/members/$ref` must fit `groups/{group}/members/$ref`), else a sample id.
 */
function samplePath(pattern: string, rulePath = ''): string {
  const ruleSegments = rulePath.replace(/^\/(v1\.0|beta)(?=\/)/i, '').split('/').filter(Boolean);
  return (
    '/' +
    pattern
      .split('/')
      .filter(Boolean)
      .map((p, i) => {
        if (!(p.startsWith('{') && p.endsWith('}'))) return p;
        const own = ruleSegments[i];
        return own && !own.includes('*') ? own : '00000000-0000-0000-0000-000000000000';
      })
      .join('/')
  );
}

function methodFits(rule: FaultRule, route: KnownRoute): boolean {
  return !rule.method || rule.method.toUpperCase() === route.method.toUpperCase();
}

function pathFits(re: RegExp, route: KnownRoute, rulePath?: string): boolean {
  const path = samplePath(route.pattern, rulePath);
  return re.test(path) || re.test(`/v1.0${path}`) || re.test(`/beta${path}`);
}

/**
 * Why a rule can't fire and what it probably meant, or undefined when some known route fits. The hint
 * names the routes below the rule's literal prefix, e.g. "/groups/* matches /groups/{group} only; POST
 * goes to /groups/{group}/members/$ref: use /groups/**".
 */
export function explainUnmatchable(rule: FaultRule, routes: readonly KnownRoute[]): string | undefined {
  const re = globToRegExp(rule.path ?? '**');
  if (routes.some((r) => methodFits(rule, r) && pathFits(re, r, rule.path))) return undefined;
  return `${describeRule(rule)} matches no route of the Graph stand-in${hintFor(rule, routes)}`;
}

function describeRule(rule: FaultRule): string {
  return `Graph fault rule ${rule.id ? `${rule.id} ` : ''}(${rule.method ? `${rule.method.toUpperCase()} ` : ''}${rule.path ?? '**'})`;
}

/** Names what a rule covers and the deeper routes it misses, with the `**` form that would reach them. */
function hintFor(rule: FaultRule, routes: readonly KnownRoute[]): string {
  const path = (rule.path ?? '').replace(/^\/(v1\.0|beta)(?=\/)/i, '');
  const literal = path.split('*')[0]?.replace(/\/$/, '') ?? '';
  if (!literal || !path.includes('*')) return '.';
  const re = globToRegExp(rule.path ?? '**');
  const covered = routes.filter((r) => pathFits(re, r)).map((r) => `/${r.pattern}`);
  const deeper = routes.filter((r) => methodFits(rule, r) && `/${r.pattern}`.toLowerCase().startsWith(`${literal.toLowerCase()}/`) && !pathFits(re, r));
  if (deeper.length === 0) return '.';
  // Membership writes ($ref) are what a rule on a collection most often meant to hit: name them first.
  const examples = [...deeper.filter((r) => r.pattern.endsWith('$ref')), ...deeper.filter((r) => !r.pattern.endsWith('$ref'))].slice(0, 2);
  const coveredText = covered.length ? `${path} matches ${[...new Set(covered)].slice(0, 2).join(', ')} only` : `${path} matches no route`;
  const what = rule.method ? `${rule.method.toUpperCase()} calls` : 'calls';
  return `: ${coveredText}; ${what} below it go to e.g. ${examples.map((r) => `/${r.pattern}`).join(', ')}: use ${literal}/**.`;
}

interface ActiveRule {
  rule: FaultRule & { id: string };
  re: RegExp;
  random: () => number;
  remaining: number | undefined;
  /** Calls whose method and path fit the rule, whether or not it fired (probability, count). */
  matched: number;
  /** Calls the rule acted on (error and/or latency). */
  fired: number;
  /** Set when the rule fits no known route (explainUnmatchable). */
  warning?: string;
}

/** A rule as listed: its definition plus what it has done so far. */
export type ListedFaultRule = FaultRule & { id: string; remaining?: number; matched: number; fired: number; warning?: string };

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private latency: LatencyConfig | undefined;
  private latencyRandom: () => number = seededRandom(1);
  private nextId = 1;

  /**
   * @param routes the stand-in's route table, to warn about rules that can never match (none: no check).
   * @param warn where those warnings go (the Graph stand-in writes them to stderr).
   */
  constructor(
    private readonly routes: readonly KnownRoute[] = [],
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  add(rule: FaultRule): FaultRule & { id: string } {
    if (rule.status !== undefined && ![429, 503, 504].includes(rule.status)) throw new Error(`fault status must be 429, 503 or 504, got ${rule.status}`);
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) throw new Error('fault probability must be within 0..1');
    if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) throw new Error('fault count must be a positive integer');
    if (rule.status === undefined && rule.latencyMs === undefined) throw new Error('a fault rule needs a status, a latencyMs, or both');
    const withId = { ...rule, id: rule.id ?? `fault-${this.nextId++}` };
    const warning = this.routes.length ? explainUnmatchable(withId, this.routes) : undefined;
    this.rules.push({ rule: withId, re: globToRegExp(rule.path ?? '**'), random: seededRandom(rule.seed ?? 1), remaining: rule.count, matched: 0, fired: 0, ...(warning ? { warning } : {}) });
    if (warning) this.warn(warning);
    return withId;
  }

  setLatency(config: LatencyConfig | undefined): void {
    if (config && config.minMs !== undefined && config.maxMs !== undefined && config.minMs > config.maxMs) throw new Error('latency minMs must not exceed maxMs');
    this.latency = config;
    this.latencyRandom = seededRandom(config?.seed ?? 1);
  }

  clear(): void {
    this.rules = [];
    this.setLatency(undefined);
  }

  list(): { rules: ListedFaultRule[]; latency?: LatencyConfig } {
    const rules = this.rules.map((r): ListedFaultRule => ({
      ...r.rule,
      ...(r.remaining === undefined ? {} : { remaining: r.remaining }),
      matched: r.matched,
      fired: r.fired,
      ...(r.warning ? { warning: r.warning } : {}),
    }));
    return this.latency ? { rules, latency: this.latency } : { rules };
  }

  /**
   * Rules no call has matched so far, each with a line for the technician (why, and what it probably
   * meant), e.g. for `npm start` to print when it stops.
   */
  unmatchedRules(): Array<{ rule: FaultRule & { id: string }; message: string }> {
    return this.rules
      .filter((r) => r.matched === 0)
      .map((r) => ({ rule: { ...r.rule }, message: r.warning ?? `${describeRule(r.rule)} matched no call${this.routes.length ? hintFor(r.rule, this.routes) : '.'}` }));
  }

  private span(min: number, max: number, random: () => number): number {
    return Math.round(min + (max - min) * random());
  }

  private globalDelay(): number {
    const l = this.latency;
    if (!l) return 0;
    if (l.minMs !== undefined || l.maxMs !== undefined) return this.span(l.minMs ?? 0, l.maxMs ?? l.minMs ?? 0, this.latencyRandom) + (l.fixedMs ?? 0);
    return l.fixedMs ?? 0;
  }

  /** What happens to a call: its added delay and the error to answer with, if any. */
  decide(method: string, version: string, resourcePath: string): FaultDecision {
    const decision: FaultDecision = { delayMs: this.globalDelay() };
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!active.re.test(resourcePath) && !active.re.test(`/${version}${resourcePath}`)) continue;
      active.matched += 1;
      if (active.remaining !== undefined && active.remaining <= 0) continue;
      if (rule.probability !== undefined && active.random() >= rule.probability) continue;
      if (active.remaining !== undefined) active.remaining -= 1;
      active.fired += 1;
      const l = rule.latencyMs;
      if (l !== undefined) decision.delayMs += typeof l === 'number' ? l : this.span(l.min, l.max, active.random);
      if (rule.status !== undefined && !decision.error) {
        decision.ruleId = rule.id;
        decision.error =
          rule.status === 429 ? errors.throttled(rule.retryAfter ?? 1) : rule.status === 503 ? errors.serviceUnavailable(rule.retryAfter) : errors.gatewayTimeout();
      }
    }
    // Spent count rules stay listed (remaining 0) so tests can see they fired.
    return decision;
  }
}
