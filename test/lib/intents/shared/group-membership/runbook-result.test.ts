import { describe, expect, it } from 'vitest';
import { parseRunbookOutput } from '../../../../../lib/intents/shared/group-membership/runbook-result.js';

describe('parseRunbookOutput', () => {
  it('reads the last RESULT line after progress lines', () => {
    const out = [
      'Group all-staff@contoso.com (MailUniversalDistributionGroup); member a@contoso.com; Add.',
      'Added a@contoso.com to all-staff@contoso.com.',
      'RESULT: {"outcome":"applied","action":"add_member","message":"Added a@contoso.com to all-staff@contoso.com.","details":{"group":"all-staff@contoso.com"}}',
      '',
    ].join('\r\n');
    expect(parseRunbookOutput(out)).toEqual({
      ok: true,
      result: { outcome: 'applied', action: 'add_member', message: 'Added a@contoso.com to all-staff@contoso.com.', details: { group: 'all-staff@contoso.com' } },
    });
  });

  it('takes the last of several RESULT lines and accepts an array of lines', () => {
    const parsed = parseRunbookOutput(['RESULT: {"outcome":"applied"}', 'RESULT: {"outcome":"already_satisfied","action":"remove_member"}']);
    expect(parsed).toMatchObject({ ok: true, result: { outcome: 'already_satisfied', action: 'remove_member', message: '', details: {} } });
  });

  it.each([
    ['', /no output/],
    ['Added someone.', /no RESULT line/],
    ['RESULT: {not json', /not valid JSON/],
    ['RESULT: {"outcome":"maybe"}', /no known outcome/],
    ['RESULT: ["applied"]', /no known outcome/],
  ])('refuses %j', (output, reason) => {
    const parsed = parseRunbookOutput(output);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});
