import { describe, expect, it } from 'vitest';
import { coerceBoolean, coerceChoice, coerceCountry, coerceList, coerceText } from '../../../lib/contract/coerce.js';

describe('coerceBoolean', () => {
  it.each([
    ['yes', true], ['YES', true], [' Yes ', true], ['y', true], ['Y', true], ['true', true], ['TRUE', true], ['1', true],
    ['no', false], ['No', false], ['n', false], ['N', false], ['false', false], ['False', false], ['0', false], [' 0 ', false],
    [true, true], [false, false], [1, true], [0, false],
  ] as const)('%j → %s', (raw, expected) => {
    expect(coerceBoolean(raw, 'Flag')).toEqual({ ok: true, value: expected });
  });

  it.each([undefined, null, '', '   '])('%j is "not given"', (raw) => {
    expect(coerceBoolean(raw, 'Flag')).toEqual({ ok: true, value: undefined });
  });

  it.each(['maybe', 'yess', '2', 'on', 2, -1, 0.5, [], {}])('%j is a problem naming the allowed values', (raw) => {
    const result = coerceBoolean(raw, 'Revoke Sessions');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('Revoke Sessions');
    expect(result.fix).toBe('Set Revoke Sessions to one of: Yes, No, True, False, Y, N, 1 or 0.');
  });
});

describe('coerceText', () => {
  it('trims, turns empty into "not given", numbers into text', () => {
    expect(coerceText('  Jane  ', 'X')).toEqual({ ok: true, value: 'Jane' });
    expect(coerceText('   ', 'X')).toEqual({ ok: true, value: undefined });
    expect(coerceText(null, 'X')).toEqual({ ok: true, value: undefined });
    expect(coerceText(42, 'X')).toEqual({ ok: true, value: '42' });
  });
  it.each([[true, 'the boolean true'], [[1], 'a list'], [{ a: 1 }, 'an object']])('refuses %j', (raw, described) => {
    const result = coerceText(raw, 'Department');
    expect(result).toMatchObject({ ok: false, message: `Department must be text, not ${described}.` });
  });
});

describe('coerceChoice', () => {
  const allowed = ['Full Access', 'Send As', 'Send on Behalf'] as const;
  it.each([
    ['full access', 'Full Access'], ['FULL ACCESS', 'Full Access'], ['FullAccess', 'Full Access'], [' send-as ', 'Send As'],
    ['send on behalf', 'Send on Behalf'],
  ] as const)('%j → %s (canonical spelling)', (raw, expected) => {
    expect(coerceChoice(raw, 'Permission Type', allowed)).toEqual({ ok: true, value: expected });
  });
  it('uses synonyms', () => {
    expect(coerceChoice('Send on behalf of', 'Permission Type', allowed, { 'send on behalf of': 'Send on Behalf' })).toEqual({ ok: true, value: 'Send on Behalf' });
  });
  it('empty is "not given" so the caller applies the default', () => {
    expect(coerceChoice('', 'Permission Type', allowed)).toEqual({ ok: true, value: undefined });
  });
  it('refuses other values and lists the allowed ones', () => {
    expect(coerceChoice('Read', 'Permission Type', allowed)).toEqual({
      ok: false,
      message: 'Permission Type "Read" is not one of the allowed values.',
      fix: 'Set Permission Type to one of: Full Access, Send As, Send on Behalf.',
    });
  });
});

describe('coerceList', () => {
  it.each([
    ['Sales', ['Sales']],
    ['Sales, Marketing', ['Sales', 'Marketing']],
    ['Sales;Marketing ; Finance', ['Sales', 'Marketing', 'Finance']],
    [' Sales ,, ; ,Marketing, ', ['Sales', 'Marketing']],
    ['Sales, sales, SALES, Marketing', ['Sales', 'Marketing']],
    [['Sales', 'Marketing; Finance', 'sales'], ['Sales', 'Marketing', 'Finance']],
    ['', []],
    [undefined, []],
    [null, []],
    [2024, ['2024']],
    [['Sales', 2024], ['Sales', '2024']],
  ] as const)('%j → %j', (raw, expected) => {
    expect(coerceList(raw, 'Group Name')).toEqual({ ok: true, value: expected });
  });
  it('refuses non-text entries', () => {
    expect(coerceList(['Sales', true], 'Group Name')).toMatchObject({ ok: false, message: 'Group Name must list names as text; it contains the boolean true.' });
    expect(coerceList(['Sales', null], 'Group Name')).toMatchObject({ ok: false, message: 'Group Name must list names as text; it contains null.' });
    expect(coerceList({ a: 1 }, 'Group Name')).toMatchObject({ ok: false, message: 'Group Name must be text, not an object.' });
  });
});

describe('coerceCountry', () => {
  it.each([['us', 'US'], [' gb ', 'GB'], ['De', 'DE']])('%j → %s', (raw, expected) => {
    expect(coerceCountry(raw, 'Usage Location')).toEqual({ ok: true, value: expected });
  });
  it.each(['UK', 'USA', 'U', '12', 'XX'])('refuses %j', (raw) => {
    expect(coerceCountry(raw, 'Usage Location')).toMatchObject({ ok: false, message: `Usage Location "${raw}" is not a two-letter ISO country code.` });
  });
});
