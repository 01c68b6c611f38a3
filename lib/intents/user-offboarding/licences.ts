import { productNameForPartNumber } from '../../lookups/license-names.js';
import type { InheritedLicence, OffboardingLicence } from './plan-types.js';

/**
 * Splits the user's licences into direct ones (removable with assignLicense) and group-inherited ones
 * (https://learn.microsoft.com/graph/api/user-assignlicense: a removal naming an inherited SKU fails as a whole, so they are never sent;
 * they go away only with the group membership). From `licenseAssignmentStates`; a user object without
 * them (older answers) falls back to `assignedLicenses`, all treated as direct.
 */
type Raw = Record<string, unknown>;

interface AssignmentState {
  skuId?: string;
  assignedByGroup?: string | null;
  state?: string;
}

export interface LicenceSplit {
  direct: OffboardingLicence[];
  inherited: InheritedLicence[];
}

export function splitLicences(
  rawUser: Raw,
  skuNames: ReadonlyMap<string, string>,
  groupNames: ReadonlyMap<string, string>,
  removableGroupIds: ReadonlySet<string>,
): LicenceSplit {
  const name = (skuId: string) => skuNames.get(skuId.toLowerCase()) ?? skuId;
  const licence = (skuId: string): OffboardingLicence => {
    const part = name(skuId);
    const product = productNameForPartNumber(part);
    return { skuId, skuPartNumber: part, label: product ? `${product} (${part})` : part };
  };
  const states = Array.isArray(rawUser.licenseAssignmentStates) ? (rawUser.licenseAssignmentStates as AssignmentState[]) : undefined;
  if (!states) {
    const assigned = Array.isArray(rawUser.assignedLicenses) ? (rawUser.assignedLicenses as Array<{ skuId?: string }>) : [];
    return { direct: assigned.flatMap((a) => (a.skuId ? [licence(a.skuId)] : [])), inherited: [] };
  }
  const direct = new Map<string, OffboardingLicence>();
  const inherited = new Map<string, InheritedLicence>();
  for (const s of states) {
    if (!s.skuId) continue;
    const key = s.skuId.toLowerCase();
    if (!s.assignedByGroup) {
      direct.set(key, licence(s.skuId));
      continue;
    }
    const groupId = s.assignedByGroup;
    const entry = inherited.get(key) ?? { ...licence(s.skuId), groups: [] };
    if (!entry.groups.some((g) => g.id.toLowerCase() === groupId.toLowerCase())) {
      entry.groups.push({ id: groupId, displayName: groupNames.get(groupId.toLowerCase()) ?? groupId, removedWithMembership: removableGroupIds.has(groupId.toLowerCase()) });
    }
    inherited.set(key, entry);
  }
  return { direct: [...direct.values()], inherited: [...inherited.values()] };
}

/** Ids (lower case) of the groups that give the user a licence. */
export function licenceGroupIds(rawUser: Raw): Set<string> {
  const states = Array.isArray(rawUser.licenseAssignmentStates) ? (rawUser.licenseAssignmentStates as AssignmentState[]) : [];
  return new Set(states.flatMap((s) => (s.assignedByGroup ? [s.assignedByGroup.toLowerCase()] : [])));
}
