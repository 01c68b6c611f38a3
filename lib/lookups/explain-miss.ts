import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { classifyGroup } from './group-kind.js';
import {
  groupSuggestionRequest,
  lookupMissOf,
  rankGroups,
  rankUsers,
  userSuggestionRequest,
  withGroupSuggestions,
  withUserSuggestions,
} from './suggestions.js';

/**
 * Adds "did you mean …" to not-found errors of user and group look-ups (suggestions.ts), all of them
 * in ONE extra $batch and only when there is a miss. Anything else (403, 429, ambiguous, …) passes
 * through untouched, and if the suggestion read itself fails the original error is kept as it was.
 */
const STEP = 'suggest_similar';

type Raw = Record<string, unknown>;
const kindOf = (g: Raw) =>
  classifyGroup({
    groupTypes: Array.isArray(g.groupTypes) ? g.groupTypes.map(String) : [],
    mailEnabled: g.mailEnabled === true,
    securityEnabled: g.securityEnabled === true,
    isAssignableToRole: g.isAssignableToRole === true,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled === true,
  }).kind;

/** Each error with suggestions added where it is a user/group miss; the others unchanged. */
export async function explainMisses(graph: GraphClient, errors: readonly unknown[]): Promise<unknown[]> {
  const requests: Array<{ index: number; request: BatchRequest }> = [];
  errors.forEach((err, index) => {
    const miss = lookupMissOf(err);
    if (!miss) return;
    const request = miss.kind === 'user' ? userSuggestionRequest(miss.input, `s${index}`) : groupSuggestionRequest(miss.input, `s${index}`);
    if (request) requests.push({ index, request });
  });
  if (requests.length === 0) return [...errors];
  let answers: Awaited<ReturnType<typeof runBatch>>;
  try {
    answers = await runBatch(graph, requests.map((r) => r.request), { step: STEP });
  } catch {
    return [...errors]; // suggestions are a courtesy; the miss is still the answer
  }
  const out = [...errors];
  for (const { index } of requests) {
    const err = errors[index] as AppError;
    const miss = lookupMissOf(err) as NonNullable<ReturnType<typeof lookupMissOf>>;
    const answer = answers.get(`s${index}`);
    if (!answer || answer.error) continue;
    const value = ((answer.body as { value?: Raw[] } | undefined)?.value ?? []) as Raw[];
    out[index] = miss.kind === 'user' ? withUserSuggestions(err, rankUsers(miss.input, value)) : withGroupSuggestions(err, rankGroups(miss.input, value, kindOf));
  }
  return out;
}

/** The error with suggestions added when it is a user/group miss. */
export async function explainMiss(graph: GraphClient, err: unknown): Promise<unknown> {
  if (!lookupMissOf(err)) return err;
  const [out] = await explainMisses(graph, [err]);
  return out;
}

/** Runs a look-up; a user/group miss it throws comes back with suggestions. */
export async function withSuggestions<T>(graph: GraphClient, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw await explainMiss(graph, err);
  }
}

/** Results whose `error` is a miss get suggestions, in one $batch for all of them. */
export async function explainResultMisses<R extends { ok: boolean; error?: AppError }>(graph: GraphClient, results: R[]): Promise<R[]> {
  if (!results.some((r) => !r.ok && lookupMissOf(r.error))) return results;
  const explained = await explainMisses(graph, results.map((r) => (r.ok ? undefined : r.error)));
  return results.map((r, i) => (r.ok ? r : { ...r, error: explained[i] as AppError }));
}
