import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWebhook } from '../../lib/contract/validate.js';
import { hasLoneSurrogate } from '../../lib/contract/text-safety.js';
import { ledgerKey } from '../../lib/idempotency/key.js';
import { fuzzSeed, hostilePayload } from './hostile-payloads.js';

/**
 * Issue 11 ("no 5xx for any payload"), the fast half: the webhook validator itself, called directly with
 * seeded hostile payloads. Every payload carries one defect, so the answer must be a 400 (413 when over
 * size) naming it; the validator must never throw (a throw is the helper's 500, the router's 503).
 * The slower half sends a seeded batch through the real router: webhook-router.fuzz.test.ts.
 */
const seed = fuzzSeed();
const HOSTILE_RUNS = 5_000;
const ARBITRARY_RUNS = 2_000;

/** Every string in a value, keys included (iterative: a hostile value may be deep). */
function strings(value: unknown): string[] {
  const out: string[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') out.push(v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        stack.push(x);
      }
    }
  }
  return out;
}

const byteLength = (body: unknown): number => Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8');

describe(`webhook validator fuzz (seed ${seed}; FUZZ_SEED overrides)`, () => {
  it(`answers each of ${HOSTILE_RUNS} one-defect payloads with 400/413 naming the defect, never throwing`, () => {
    console.log(`validator fuzz seed: ${seed} (${HOSTILE_RUNS} hostile + ${ARBITRARY_RUNS} arbitrary payloads)`);
    const statuses = new Map<number, number>();
    fc.assert(
      fc.property(hostilePayload, (p) => {
        const result = validateWebhook(p.body, byteLength(p.body));
        expect(result.ok, p.defect).toBe(false);
        if (result.ok) return;
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        expect(result.status, p.defect).toBe(p.expectStatus);
        expect(result.problems.map((x) => x.path).some((path) => path.startsWith(p.expectPath)), `${p.defect}: ${JSON.stringify(result.problems)}`).toBe(true);
        for (const problem of result.problems) {
          expect(problem.message.length).toBeGreaterThan(0);
          expect(problem.fix.length).toBeGreaterThan(0);
        }
      }),
      { seed, numRuns: HOSTILE_RUNS },
    );
    expect([...statuses.keys()].every((s) => s === 400 || s === 413)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(HOSTILE_RUNS);
  });

  it(`never throws on ${ARBITRARY_RUNS} arbitrary JSON bodies, and what it accepts is safe downstream`, () => {
    const envelope = fc.record(
      {
        intent_name: fc.oneof(fc.constantFrom('Password Reset', 'Add User to Group', 'mfa reset', 'License Assignment'), fc.jsonValue({ maxDepth: 1 })),
        intent_fields: fc.oneof(
          fc.record({ 'User Email': fc.oneof(fc.constant('a.b@contoso.com'), fc.string({ unit: 'binary' })), 'Group Name': fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }))), 'License SKU': fc.string({ unit: 'binary' }) }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        meta_data: fc.oneof(fc.record({ ticket_id: fc.oneof(fc.nat(), fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
        dry_run: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(envelope, fc.jsonValue({ maxDepth: 4 })), (body) => {
        const result = validateWebhook(body, byteLength(body));
        if (!result.ok) {
          expect([400, 413]).toContain(result.status);
          expect(result.problems.length).toBeGreaterThan(0);
          return;
        }
        // Accepted: every string can go into a URL, a header-free JSON body and a Table Storage key.
        const request = result.request;
        expect(Number.isSafeInteger(request.ticketId) && request.ticketId > 0).toBe(true);
        expect(() => ledgerKey(request)).not.toThrow();
        for (const text of strings(request)) {
          expect(hasLoneSurrogate(text)).toBe(false);
          expect(() => encodeURIComponent(text)).not.toThrow();
        }
      }),
      { seed: seed + 1, numRuns: ARBITRARY_RUNS },
    );
  });

  describe('fixed hostile examples (issue 11)', () => {
    const meta = (ticket_id: unknown) => ({ ticket_id, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' });
    it('finding 3: ticket id "9981234\\n" is a 400 naming meta_data.ticket_id', () => {
      const result = validateWebhook({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'ben.walters@contoso.com' }, meta_data: meta('9981234\n') });
      expect(result).toMatchObject({ ok: false, status: 400, problems: [expect.objectContaining({ path: 'meta_data.ticket_id', message: expect.stringContaining('control character (U+000A)') })] });
    });

    it('finding 6: a lone surrogate in Group Name is a 400 naming intent_fields.Group Name', () => {
      const body = JSON.parse('{"intent_name":"Add User to Group","intent_fields":{"User Email":"ben.walters@contoso.com","Group Name":"Fin\\ud800ance"},"meta_data":{"ticket_id":5}}') as unknown;
      const result = validateWebhook(body);
      expect(result).toMatchObject({ ok: false, status: 400, problems: [expect.objectContaining({ path: 'intent_fields.Group Name', message: expect.stringContaining('unpaired surrogate U+D800') })] });
    });

    it('finding 6: an ignored member nested 100,000 levels deep is a 400 naming it (no stack overflow)', () => {
      const text = `{"intent_name":"Password Reset","intent_fields":{"User Email":"ben.walters@contoso.com"},"meta_data":{"ticket_id":5},"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const result = validateWebhook(JSON.parse(text) as unknown, 1_000);
      expect(result).toMatchObject({ ok: false, status: 400, problems: [expect.objectContaining({ path: expect.stringMatching(/^extra/) })] });
    });
  });
});
