import { describe, expect, it } from 'vitest';
import { MAIL_NICKNAME_MAX, sanitiseMailNickname } from '../../../../lib/intents/new-user-creation/mail-nickname.js';

describe('sanitiseMailNickname', () => {
  it('keeps the local part when every character is allowed', () => {
    expect(sanitiseMailNickname('jane.doe@contoso.com')).toBe('jane.doe');
    expect(sanitiseMailNickname("liam.o'neil@contoso.com")).toBe("liam.o'neil");
  });

  it('drops characters Graph refuses and folds accents', () => {
    expect(sanitiseMailNickname('josé (temp)@contoso.com')).toBe('josetemp');
    expect(sanitiseMailNickname('a"b;c:d<e>f,g[h]i\\j@contoso.com')).toBe('abcdefghij');
  });

  it('never starts or ends with a dot nor holds two in a row', () => {
    expect(sanitiseMailNickname('.a..b.@contoso.com')).toBe('a.b');
  });

  it('is at most 64 characters and empty when nothing usable is left', () => {
    expect(sanitiseMailNickname(`${'x'.repeat(70)}@contoso.com`)).toHaveLength(MAIL_NICKNAME_MAX);
    expect(sanitiseMailNickname('()@contoso.com')).toBe('');
  });

  it('uses the whole value when there is no @', () => {
    expect(sanitiseMailNickname('plainname')).toBe('plainname');
  });
});
