import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONBOARDING_SETTING, withCaller } from '../../scripts/deploy/steps/onboarding-caller.js';
import { MSP_ARGS, createWorld, isChange, label, type FakeAzWorld } from './support.js';

/**
 * msp mode: the technician who deploys may run `npm run customer:add`, whose POST /api/msp/verify-tenant admits only
 * the object ids in the helpers' ONBOARDING_CALLER_OBJECT_IDS (docs/msp-mode.md "Settings"). The deploy command adds
 * the signed-in user's id (`az ad signed-in-user show`) and keeps ids already there.
 */
describe('withCaller', () => {
  it('adds the id once, keeping the others, ignoring case and spaces', () => {
    expect(withCaller(undefined, 'AB')).toBe('ab');
    expect(withCaller('x, y', 'z')).toBe('x,y,z');
    expect(withCaller('x,AB', 'ab')).toBeUndefined();
  });
});

describe('npm run deploy -- --mode msp: onboarding caller', () => {
  let world: FakeAzWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.update((s) => {
      s.signedInUser = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', userPrincipalName: 'tech@fabrikam-msp.com' };
    });
    expect((await world.deploy(MSP_ARGS)).code).toBe(0);
  }, 120_000);
  afterAll(() => world.cleanup());

  it("sets the signed-in technician's object id on the helpers app only", async () => {
    const state = await world.state();
    const sites = state.sites as Record<string, { appSettings?: Record<string, string> }>;
    const holders = Object.entries(sites).filter(([, site]) => site.appSettings?.[ONBOARDING_SETTING] !== undefined);
    expect(holders).toHaveLength(1);
    expect(holders[0]?.[0]).toMatch(/^func-/);
    expect(holders[0]?.[1].appSettings?.[ONBOARDING_SETTING]).toBe('0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0');
  });

  it('a second technician is added beside the first; a re-run by either changes nothing', async () => {
    await world.update((s) => {
      s.signedInUser = { id: '11112222-3333-4444-8555-666677778888', userPrincipalName: 'second@fabrikam-msp.com' };
    });
    await world.clearLog();
    expect((await world.deploy(MSP_ARGS)).code).toBe(0);
    expect((await world.calls()).filter(isChange).map(label)).toContain('functionapp config appsettings set');
    const sites = (await world.state()).sites as Record<string, { appSettings?: Record<string, string> }>;
    const value = Object.values(sites).map((s) => s.appSettings?.[ONBOARDING_SETTING]).find(Boolean);
    expect(value).toBe('0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0,11112222-3333-4444-8555-666677778888');
    await world.clearLog();
    expect((await world.deploy(MSP_ARGS)).code).toBe(0);
    expect((await world.calls()).filter(isChange).map(label)).toEqual([]);
  }, 120_000);
});
