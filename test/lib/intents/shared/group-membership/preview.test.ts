import { describe, expect, it } from 'vitest';
import type { PlannedGroup } from '../../../../../lib/intents/shared/group-membership/plan-types.js';
import { previewOf } from '../../../../../lib/intents/shared/group-membership/preview.js';

const user = { id: 'u', userPrincipalName: 'jane@contoso.com', displayName: 'Jane Doe' };
const group = (name: string, decision: PlannedGroup['decision'], detail = `${name}.`): PlannedGroup => ({
  name,
  step: `add_member:${name}`,
  decision,
  detail,
  group: { id: name, displayName: name, kind: 'security', mail: null },
});

describe('previewOf', () => {
  it('one step per group and a sentence naming what happens where', () => {
    const preview = previewOf({
      intent: 'add-user-to-group',
      operation: 'add',
      user,
      groups: [group('Sales', 'graph'), group('All Staff', 'exchange'), group('Eng', 'already_done'), group('All Users', 'refused', 'It is dynamic.')],
      graphChanges: [],
      exchangeChanges: [],
      longRunning: true,
    });
    expect(preview.steps.map((s) => s.status)).toEqual(['planned', 'planned', 'already_done', 'failed']);
    expect(preview.message).toBe(
      'Jane Doe (jane@contoso.com) will be added to Sales with Microsoft Graph; will be added to All Staff in Exchange Online (takes a few minutes); is already a member of Eng; cannot be added to All Users (It is dynamic).',
    );
  });

  it('speaks of removal for remove', () => {
    const preview = previewOf({ intent: 'remove-user-from-group', operation: 'remove', user, groups: [group('Sales', 'graph'), group('Eng', 'already_done')], graphChanges: [], exchangeChanges: [], longRunning: false });
    expect(preview.message).toBe('Jane Doe (jane@contoso.com) will be removed from Sales with Microsoft Graph; is not a member of Eng.');
  });
});
