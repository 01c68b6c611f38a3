import { describe, expect, it } from 'vitest';
import type { LicenseAssignmentPlan } from '../../../../lib/intents/license-assignment/plan-types.js';
import { main } from '../../../../lib/intents/license-assignment/summary.js';
import { context, httpFailed, ok, skipped } from '../../inline/fake-context.js';

/** The inline summary of workflows/license-assignment, from plan + write results. */
function plan(overrides: Partial<LicenseAssignmentPlan> = {}): LicenseAssignmentPlan {
  return {
    intent: 'license-assignment',
    action: 'Assign',
    user: { id: 'u-1', userPrincipalName: 'lee.gu@contoso.com', displayName: 'Lee Gu', usageLocation: null },
    license: { skuId: 'sku-1', skuPartNumber: 'SPB', productName: 'Microsoft 365 Business Premium', total: 25, consumed: 10, free: 15 },
    change: 'assign',
    setUsageLocation: { value: 'GB', source: 'field' },
    holding: { direct: false, groups: [] },
    changes: [
      { step: 'set_usage_location', target: 'lee.gu@contoso.com', description: 'Set the usage location of Lee Gu to GB.' },
      { step: 'assign_license', target: 'SPB', description: 'Assign Microsoft 365 Business Premium to Lee Gu.' },
    ],
    notes: [],
    ...overrides,
  };
}

const request = (dryRun = false) => ({ intent: 'license-assignment', dryRun });
const graphError = (status: number, code: string, message: string) => httpFailed(status, { error: { code, message } });

describe('summarise-license-assignment', () => {
  it('success after setting the usage location and assigning, with the new seat count', () => {
    const out = main(context({ Plan_license_assignment: ok({ plan: plan() }), Set_usage_location: ok(undefined, 204), Assign_license: ok({}) }, request()));
    expect(out.status).toBe('success');
    expect(out.steps.map((s) => `${s.name}=${s.status}`)).toEqual([
      'plan=succeeded',
      'set_usage_location:lee.gu@contoso.com=succeeded',
      'assign_license:Microsoft 365 Business Premium=succeeded',
    ]);
    expect(out.result).toMatchObject({ action: 'assigned', usage_location_set: 'GB', sku_part_number: 'SPB' });
    expect(out.message).toContain('11 of 25 seats');
  });

  it('partial_success when the usage location was set but the licence was refused', () => {
    const out = main(
      context(
        {
          Plan_license_assignment: ok({ plan: plan() }),
          Set_usage_location: ok(undefined, 204),
          Assign_license: graphError(400, 'Request_BadRequest', 'Subscription with SKU sku-1 does not have any available licenses.'),
        },
        request(),
      ),
    );
    expect(out.status).toBe('partial_success');
    expect(out.error).toMatchObject({ code: 'quota_exceeded', step: 'assign_license:Microsoft 365 Business Premium' });
    expect(out.message).toMatch(/usage location was set to GB, but the licence was not assigned/);
  });

  it('uses the second assignment when Graph still saw no usage location the first time', () => {
    const out = main(
      context(
        {
          Plan_license_assignment: ok({ plan: plan() }),
          Set_usage_location: ok(undefined, 204),
          Assign_license: graphError(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'),
          Assign_license_after_wait: ok({}),
        },
        request(),
      ),
    );
    expect(out.status).toBe('success');
    expect(out.result).toMatchObject({ action: 'assigned' });
  });

  it('failed (nothing changed) when the usage location could not be set; the assignment is skipped', () => {
    const out = main(context({ Plan_license_assignment: ok({ plan: plan() }), Set_usage_location: graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges.'), Assign_license: skipped }, request()));
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'forbidden' });
    expect(out.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped']);
  });

  it('already_done without writes; a removal race ("does not have a corresponding license") is already_done too', () => {
    const none = main(context({ Plan_license_assignment: ok({ plan: plan({ change: 'none', setUsageLocation: null, changes: [], alreadyDone: 'Lee Gu already has it.' }) }) }, request()));
    expect(none).toMatchObject({ status: 'success', result: { action: 'already_assigned' } });
    expect(none.steps[1]).toMatchObject({ status: 'already_done', detail: 'Lee Gu already has it.' });

    const removal = plan({ action: 'Remove', change: 'remove', setUsageLocation: null, changes: [{ step: 'remove_license', target: 'SPB', description: 'Remove.' }] });
    const race = main(context({ Plan_license_assignment: ok({ plan: removal }), Remove_license: graphError(400, 'Request_BadRequest', 'User does not have a corresponding license.') }, request()));
    expect(race.status).toBe('success');
    expect(race.steps[1]).toMatchObject({ name: 'remove_license:Microsoft 365 Business Premium', status: 'already_done' });
  });

  it('names the group when Graph refuses removing a group-inherited licence', () => {
    const removal = plan({ action: 'Remove', change: 'remove', setUsageLocation: null, holding: { direct: true, groups: [{ id: 'g-1', displayName: 'Licensing <E3>' }] } });
    const out = main(context({ Plan_license_assignment: ok({ plan: removal }), Remove_license: graphError(400, 'Request_BadRequest', 'User license is inherited from a group membership and it cannot be removed directly from the user.') }, request()));
    expect(out.status).toBe('failed');
    expect(out.error?.message).toContain('"Licensing <E3>"');
    expect(out.error?.fix).toContain('Licensing <E3>');
  });

  it('dry run: plan steps as planned, nothing written', () => {
    const out = main(context({ Plan_license_assignment: ok({ plan: plan() }) }, request(true)));
    expect(out).toMatchObject({ status: 'success', result: { dry_run: true } });
    expect(out.steps.map((s) => s.status)).toEqual(['succeeded', 'planned', 'planned']);
    expect(out.message).toMatch(/^Dry run: /);
  });

  it('failed with the helper error when the plan refused', () => {
    const refusal = httpFailed(409, { error: { code: 'quota_exceeded', message: 'No free SPB licences: 25 of 25 are in use.', fix: 'Buy more.', step: 'check_seats' } });
    const out = main(context({ Plan_license_assignment: refusal }, request()));
    expect(out).toMatchObject({ status: 'failed', error: { code: 'quota_exceeded', step: 'check_seats' } });
    expect(out.message).toContain('25 of 25');
  });
});
