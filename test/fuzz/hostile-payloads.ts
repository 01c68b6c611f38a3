import fc from 'fast-check';

/**
 * Seeded generators of hostile Thread webhook bodies. Every generated body starts from a valid request
 * for one intent and carries exactly one defect, so the right answer is known: 400 (413 for an
 * over-size body) with a problem at `expectPath`. Harmless noise (unknown members, odd spacing of the
 * intent name and field names) is added around it, as Thread's AI produces it.
 */
export interface HostilePayload {
  body: Record<string, unknown> | unknown;
  /** The defect, in words (shown when a case fails). */
  defect: string;
  /** A problem path the answer must contain (prefix match), e.g. "meta_data.ticket_id". */
  expectPath: string;
  expectStatus: 400 | 413;
}

type FieldKind = 'upn' | 'email' | 'list' | 'text' | 'multiline' | 'flag' | 'choice' | 'country' | 'password';

interface IntentShape {
  name: string;
  /** Valid base values; the first field is required. */
  fields: Record<string, { kind: FieldKind; value: unknown; required?: boolean }>;
}

export const INTENT_SHAPES: IntentShape[] = [
  { name: 'Password Reset', fields: { 'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true }, 'Temporary Password': { kind: 'password', value: undefined }, 'Force Change on Login': { kind: 'flag', value: 'Yes' } } },
  { name: 'Add User to Group', fields: { 'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true }, 'Group Name': { kind: 'list', value: 'Finance Team', required: true } } },
  { name: 'Remove User from Group', fields: { 'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true }, 'Group Name': { kind: 'list', value: ['Finance Team', 'Sales'], required: true } } },
  { name: 'License Assignment', fields: { 'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true }, 'License SKU': { kind: 'text', value: 'Microsoft 365 E3', required: true }, Action: { kind: 'choice', value: 'Assign' }, 'Usage Location': { kind: 'country', value: 'GB' } } },
  { name: 'MFA Reset', fields: { 'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true }, 'MFA Method to Reset': { kind: 'choice', value: 'All' } } },
  {
    name: 'New User Creation',
    fields: {
      'Display Name': { kind: 'text', value: 'Jane Doe', required: true },
      Email: { kind: 'upn', value: 'jane.doe@contoso.com', required: true },
      Department: { kind: 'text', value: 'Finance' },
      'Group Memberships': { kind: 'list', value: 'Finance Team' },
      'Manager Email': { kind: 'email', value: 'ben.walters@contoso.com' },
    },
  },
  {
    name: 'User Offboarding',
    fields: {
      'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true },
      'Remove Groups': { kind: 'flag', value: 'no' },
      'Forward Email To': { kind: 'email', value: 'manager@contoso.com' },
      'Auto Reply Message': { kind: 'multiline', value: 'Ben has left.\nPlease write to manager@contoso.com.' },
    },
  },
  {
    name: 'Shared Mailbox Permission',
    fields: {
      'Shared Mailbox Email': { kind: 'email', value: 'info@contoso.com', required: true },
      'User Email': { kind: 'upn', value: 'ben.walters@contoso.com', required: true },
      'Permission Type': { kind: 'choice', value: 'Full Access' },
      AutoMapping: { kind: 'flag', value: true },
    },
  },
];

/** Control characters: C0 (NUL, LF, CR, TAB, ESC...), DEL and C1 (U+0085 NEL, U+009B CSI). */
const CONTROL = fc.constantFrom('\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\u000b', '\f', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u009b');
/** Controls still refused in multi-line text (tab and line breaks are allowed there). */
const CONTROL_IN_MULTILINE = fc.constantFrom('\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\u001b', '\u001f', '\u007f', '\u0085');
const LONE_SURROGATE = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((c) => String.fromCharCode(c));

/** `text` with `bad` put somewhere inside (not at the ends: trimming may legitimately drop edge spaces). */
function insertInside(text: string, bad: string, at: number): string {
  const i = 1 + (at % Math.max(1, text.length - 1));
  return `${text.slice(0, i)}${bad}${text.slice(i)}`;
}

const META = { ticket_id: 5678, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' };

/** Harmless variations: spacing/case of the intent name and field names, unknown members. */
const noise = fc.record({
  nameCase: fc.constantFrom('as-is', 'lower', 'upper', 'spaced'),
  extraTop: fc.option(fc.dictionary(fc.string({ maxLength: 8 }).map((k) => `x_${k}`), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }), { nil: undefined }),
  extraField: fc.option(fc.tuple(fc.string({ maxLength: 8 }).map((k) => `zz_${k}`), fc.jsonValue({ maxDepth: 3 })), { nil: undefined }),
});

function spell(name: string, how: string): string {
  if (how === 'lower') return name.toLowerCase();
  if (how === 'upper') return name.toUpperCase();
  if (how === 'spaced') return `  ${name.replace(/ /g, '  ')} `;
  return name;
}

interface Base {
  shape: IntentShape;
  fields: Record<string, unknown>;
  meta: Record<string, unknown>;
  top: Record<string, unknown>;
  intentName: unknown;
}

type Defect = (base: Base) => fc.Arbitrary<{ apply: (b: Base) => void; defect: string; expectPath: string; expectStatus?: 400 | 413 }>;

const fieldOfKinds = (shape: IntentShape, kinds: FieldKind[]) => Object.entries(shape.fields).filter(([, f]) => kinds.includes(f.kind));

const DEFECTS: Array<{ weight: number; make: Defect }> = [
  // Finding 3: a ticket id with a control character (and other ids that are not positive whole numbers).
  {
    weight: 4,
    make: () =>
      fc
        .oneof(
          fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), CONTROL, fc.constantFrom('end', 'start', 'inside')).map(([n, c, where]) =>
            where === 'end' ? `${n}${c}` : where === 'start' ? `${c}${n}` : insertInside(`${n}${n}`, c, n),
          ),
          fc.constantFrom('9981234\n', '9981234\r\nX-Injected: 1', '\u00009981234', '12\u20283', 'abc', '-5', '0', '1.5', '1e3', '１２３', '99999999999999999999', ''),
          fc.constantFrom<unknown>(-1, 0, 1.25, 2 ** 60, true, null, [], {}, [42], { id: 42 }),
        )
        .map((id) => ({ apply: (b: Base) => void (b.meta.ticket_id = id), defect: `ticket_id ${JSON.stringify(id)}`, expectPath: 'meta_data' })),
  },
  // Finding 6: a lone surrogate in a field value.
  {
    weight: 3,
    make: (base) =>
      fc.tuple(fc.constantFrom(...fieldOfKinds(base.shape, ['upn', 'email', 'list', 'text', 'multiline'])), LONE_SURROGATE, fc.nat()).map(([[name, f], s, at]) => ({
        apply: (b: Base) => void (b.fields[name] = insertInside(String(Array.isArray(f.value) ? f.value[0] : f.value), s, at)),
        defect: `lone surrogate U+${s.charCodeAt(0).toString(16)} in ${name}`,
        expectPath: `intent_fields.${name}`,
      })),
  },
  // Control characters inside a field value (multi-line text keeps tab and line breaks).
  {
    weight: 3,
    make: (base) =>
      fc.tuple(fc.constantFrom(...fieldOfKinds(base.shape, ['upn', 'email', 'list', 'text', 'multiline'])), CONTROL, CONTROL_IN_MULTILINE, fc.nat()).map(([[name, f], c, cm, at]) => {
        const bad = f.kind === 'multiline' ? cm : c;
        return {
          apply: (b: Base) => void (b.fields[name] = insertInside(String(Array.isArray(f.value) ? f.value[0] : f.value), bad, at)),
          defect: `control U+${bad.charCodeAt(0).toString(16)} in ${name}`,
          expectPath: `intent_fields.${name}`,
        };
      }),
  },
  // Finding 6: an ignored member nested far too deep.
  {
    weight: 2,
    make: () =>
      fc.tuple(fc.integer({ min: 33, max: 400 }), fc.constantFrom('array', 'object'), fc.constantFrom('top', 'field', 'meta')).map(([depth, how, where]) => {
        let deep: unknown = 'x';
        for (let i = 0; i < depth; i++) deep = how === 'array' ? [deep] : { a: deep };
        const member = where === 'top' ? 'ignored' : where === 'field' ? 'intent_fields' : 'meta_data';
        return {
          apply: (b: Base) => {
            if (where === 'top') b.top.ignored = deep;
            else if (where === 'field') b.fields.zz_ignored = deep;
            else b.meta.ignored = deep;
          },
          defect: `${member} nested ${depth} deep (${how})`,
          expectPath: member,
        };
      }),
  },
  // A value of the wrong type.
  {
    weight: 2,
    make: (base) =>
      fc.tuple(fc.constantFrom(...Object.entries(base.shape.fields).filter(([, f]) => f.kind !== 'password')), fc.constantFrom<unknown>({ a: 1 }, [{ a: 1 }], [[1]], { '': null })).map(([[name], value]) => ({
        apply: (b: Base) => void (b.fields[name] = value),
        defect: `${name} = ${JSON.stringify(value)}`,
        expectPath: `intent_fields.${name}`,
      })),
  },
  // A required field left out or blank.
  {
    weight: 1,
    make: (base) =>
      fc.tuple(fc.constantFrom(...Object.entries(base.shape.fields).filter(([, f]) => f.required)), fc.constantFrom<unknown>(undefined, null, '', '   ', [])).map(([[name], value]) => ({
        apply: (b: Base) => {
          if (value === undefined) delete b.fields[name];
          else b.fields[name] = value;
        },
        defect: `${name} missing (${JSON.stringify(value)})`,
        expectPath: `intent_fields.${name}`,
      })),
  },
  // An oversized field value (over 4 KiB) or body (over 64 KiB).
  {
    weight: 1,
    make: (base) =>
      fc.tuple(fc.constantFrom(...Object.keys(base.shape.fields)), fc.boolean()).map(([name, wholeBody]) =>
        wholeBody
          ? { apply: (b: Base) => void (b.top.x_padding = 'p'.repeat(70_000)), defect: 'body over 64 KiB', expectPath: 'body', expectStatus: 413 as const }
          : { apply: (b: Base) => void (b.fields[name] = 'a'.repeat(5_000)), defect: `${name} over 4 KiB`, expectPath: `intent_fields.${name}` },
      ),
  },
  // intent_name that is not an intent (or carries a control character / lone surrogate).
  {
    weight: 1,
    make: (base) =>
      fc
        .oneof(
          // Tab and line breaks in a name are odd spacing (accepted); other controls are not.
          fc.tuple(CONTROL_IN_MULTILINE, fc.nat()).map(([c, at]) => insertInside(base.shape.name, c, at)),
          LONE_SURROGATE.map((s) => `${base.shape.name}${s}`),
          fc.constantFrom<unknown>('Reset Everything', 42, null, ['Password Reset'], { name: 'Password Reset' }),
        )
        .map((name) => ({ apply: (b: Base) => void (b.intentName = name), defect: `intent_name ${JSON.stringify(name)}`, expectPath: 'intent_name' })),
  },
  // meta_data that is not an object, or a contact text with a control character.
  {
    weight: 1,
    make: () =>
      fc.oneof(
        fc.constantFrom<unknown>(null, 'ticket 5', [5678], 5678).map((meta) => ({
          apply: (b: Base) => {
            b.top.meta_data = meta;
          },
          defect: `meta_data ${JSON.stringify(meta)}`,
          expectPath: 'meta_data',
        })),
        fc.tuple(CONTROL, LONE_SURROGATE, fc.boolean()).map(([c, s, useControl]) => ({
          apply: (b: Base) => void (b.meta.contact_name = `Megan${useControl ? c : s}Bowen`),
          defect: 'contact_name with a broken character',
          expectPath: 'meta_data.contact_name',
        })),
      ),
  },
];

/** One hostile body: a valid request for a random intent with one defect and some noise. */
export const hostilePayload: fc.Arbitrary<HostilePayload> = fc
  .tuple(fc.constantFrom(...INTENT_SHAPES), noise)
  .chain(([shape, extra]) => {
    const fields: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(shape.fields)) if (f.value !== undefined) fields[name] = f.value;
    const base: Base = { shape, fields, meta: { ...META }, top: {}, intentName: spell(shape.name, extra.nameCase) };
    return fc.oneof(...DEFECTS.map((d) => ({ weight: d.weight, arbitrary: d.make(base) }))).map((d) => {
      const b: Base = { shape, fields: structuredClone(fields), meta: { ...META }, top: {}, intentName: base.intentName };
      if (extra.extraField) b.fields[extra.extraField[0]] = extra.extraField[1];
      d.apply(b);
      const body = { ...(extra.extraTop ?? {}), intent_name: b.intentName, intent_fields: b.fields, meta_data: b.meta, ...b.top };
      return { body, defect: d.defect, expectPath: d.expectPath, expectStatus: d.expectStatus ?? 400 };
    });
  });

/** The seed: FUZZ_SEED from the environment, else a fixed one so `npm test` is repeatable. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isSafeInteger(fromEnv) ? fromEnv : 20_261_206;
}
