/**
 * What the license-assignment plan helper answers (`200 {plan}`) and workflows/license-assignment
 * acts on. Free of runtime imports so the workflow's inline summary can share the type.
 */
export type LicenseChange = 'assign' | 'remove' | 'none';

export interface LicenseGroupSource {
  id: string;
  /** The group's display name, or its id when the name could not be read. */
  displayName: string;
}

export interface LicenseAssignmentPlan {
  intent: 'license-assignment';
  action: 'Assign' | 'Remove';
  user: { id: string; userPrincipalName: string; displayName: string; usageLocation: string | null };
  license: { skuId: string; skuPartNumber: string; productName: string; total: number; consumed: number; free: number };
  /**
   * The single licence write the workflow makes: `none` when the user already is in the requested
   * state (already assigned / not assigned), which is reported as already_done.
   */
  change: LicenseChange;
  /** Usage location to PATCH before assigning (the user has none); null when nothing to set. */
  setUsageLocation: { value: string; source: 'field' | 'default' } | null;
  /** Where the user holds the licence now: directly and/or through these groups. */
  holding: { direct: boolean; groups: LicenseGroupSource[] };
  /** Why nothing is written, when `change` is none. */
  alreadyDone?: string;
  /** The writes the workflow will make, in order. */
  changes: Array<{ step: string; target: string; description: string }>;
  /** Things the technician should know that do not stop the change. */
  notes: string[];
}
