import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/client.js';
import { isGuid } from '../graph/odata.js';
import { productByName, productByPartNumber, productNameForPartNumber } from './license-names.js';
import { subscribedSkusRequest } from './requests.js';
import { closestDistance } from './similarity.js';

/**
 * Resolves what a ticket calls a licence ("Microsoft 365 Business Premium", "SPB" or a skuId) to one
 * of the customer's subscriptions, with its seat counts. Exact matches only: by GUID, by part number
 * (case-insensitive), or by product name through license-names.ts. Never a substring match
 * ("E3" must not pick whichever SKU happens to come first).
 */
export interface ResolvedLicense {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  capabilityStatus: string;
  /** Enabled prepaid units. */
  total: number;
  consumed: number;
  free: number;
  matchedBy: 'skuId' | 'skuPartNumber' | 'productName';
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus?: string;
  consumedUnits?: number;
  prepaidUnits?: { enabled?: number };
}

const STEP = 'resolve_license';

export function toResolvedLicense(sku: SubscribedSku, matchedBy: ResolvedLicense['matchedBy']): ResolvedLicense {
  const total = sku.prepaidUnits?.enabled ?? 0;
  const consumed = sku.consumedUnits ?? 0;
  return {
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    productName: productNameForPartNumber(sku.skuPartNumber) ?? sku.skuPartNumber,
    capabilityStatus: sku.capabilityStatus ?? 'Enabled',
    total,
    consumed,
    free: Math.max(0, total - consumed),
    matchedBy,
  };
}

export async function listSubscribedSkus(graph: GraphClient): Promise<SubscribedSku[]> {
  const request = subscribedSkusRequest('skus', ['skuId', 'skuPartNumber', 'capabilityStatus', 'consumedUnits', 'prepaidUnits']);
  const page = await graph.get<{ value?: SubscribedSku[] }>(request.url, { step: STEP });
  return page.value ?? [];
}

/** A licence the tenant has, as not-found answers list it. */
export interface LicenseChoice {
  productName: string;
  skuPartNumber: string;
  skuId: string;
  free: number;
  total: number;
  consumed: number;
}

/**
 * The tenant's licences for a "not found" answer: those with free seats first, each group ordered by
 * how close its product name or part number is to what was asked (similarity.ts), then by name.
 * Subscriptions that are no longer enabled (Suspended, Deleted, LockedOut) are left out: nothing can be assigned from them.
 */
export function licenseChoices(input: string, skus: readonly SubscribedSku[]): LicenseChoice[] {
  const wanted = input.trim().toLowerCase();
  return skus
    .filter((s) => (s.capabilityStatus ?? 'Enabled') === 'Enabled' || s.capabilityStatus === 'Warning')
    .map((s) => {
      const r = toResolvedLicense(s, 'skuPartNumber');
      const names = [r.productName, r.skuPartNumber, ...(productByPartNumber(r.skuPartNumber)?.aliases ?? [])];
      // A name containing what was asked ("E5" in "Microsoft 365 E5") counts as closest.
      const contains = wanted.length > 0 && names.some((n) => n.toLowerCase().includes(wanted));
      const choice: LicenseChoice = { productName: r.productName, skuPartNumber: r.skuPartNumber, skuId: r.skuId, free: r.free, total: r.total, consumed: r.consumed };
      return { choice, distance: contains ? 0 : closestDistance(wanted, names) };
    })
    .sort((a, b) => Number(b.choice.free > 0) - Number(a.choice.free > 0) || a.distance - b.distance || a.choice.productName.localeCompare(b.choice.productName))
    .map((c) => c.choice);
}

const seats = (c: LicenseChoice) => `${c.productName} (${c.skuPartNumber}, ${c.free} of ${c.total} free)`;

/** At most SHOWN names in the text; the answer's details hold them all. */
const SHOWN = 8;
const listed = (names: readonly string[]) => (names.length > SHOWN ? `${names.slice(0, SHOWN).join('; ')} and ${names.length - SHOWN} more` : names.join('; '));

/** "Licences with free seats: …. Without free seats: …." for a technician. */
export function describeChoices(choices: readonly LicenseChoice[]): string {
  if (choices.length === 0) return 'The tenant has no active licences.';
  const free = choices.filter((c) => c.free > 0);
  const full = choices.filter((c) => c.free === 0);
  return [
    free.length ? `Licences with free seats: ${listed(free.map(seats))}.` : 'No licence in the tenant has a free seat.',
    full.length ? `Without free seats: ${listed(full.map((c) => `${c.productName} (${c.skuPartNumber})`))}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function licenseNotFound(message: string, wanted: string, skus: readonly SubscribedSku[], buyFirst: boolean): AppError {
  const choices = licenseChoices(wanted, skus);
  const best = choices.find((c) => c.free > 0);
  const use = best ? `for example "${best.productName}" or ${best.skuPartNumber}` : 'one of those listed';
  return new AppError({
    code: 'not_found',
    message: `${message} ${describeChoices(choices)}`,
    status: 404,
    fix: buyFirst
      ? `Buy the subscription first, or put another licence the tenant has in the ticket (${use}) and send the request again.`
      : `Put the product name or part number of a licence the tenant has in the ticket (${use}) and send the request again.`,
    step: STEP,
    details: { tenantHas: choices, suggestions: choices.slice(0, 5) },
  });
}

/** Matches `input` against a tenant's SKUs (pure; exported for the plan helpers and tests). */
export function matchLicense(input: string, skus: readonly SubscribedSku[]): ResolvedLicense {
  const wanted = input.trim();
  if (isGuid(wanted)) {
    const hit = skus.find((s) => s.skuId.toLowerCase() === wanted.toLowerCase());
    if (hit) return toResolvedLicense(hit, 'skuId');
  }
  const byPart = skus.find((s) => s.skuPartNumber.toLowerCase() === wanted.toLowerCase());
  if (byPart) return toResolvedLicense(byPart, 'skuPartNumber');
  const product = productByName(wanted);
  if (product) {
    const parts = product.partNumbers.map((p) => p.toLowerCase());
    const hits = skus.filter((s) => parts.includes(s.skuPartNumber.toLowerCase()));
    if (hits.length === 1) return toResolvedLicense(hits[0] as SubscribedSku, 'productName');
    if (hits.length > 1) {
      const candidates = hits.map((h) => toResolvedLicense(h, 'productName'));
      throw new AppError({
        code: 'ambiguous',
        message: `The tenant has ${hits.length} subscriptions sold as "${product.name}": ${candidates.map((c) => `${c.skuPartNumber} (skuId ${c.skuId}, ${c.free} of ${c.total} free)`).join('; ')}.`,
        status: 409,
        fix: 'Put the part number (or skuId) of the one to use in the ticket.',
        step: STEP,
        details: { candidates },
      });
    }
    throw licenseNotFound(`The tenant has no "${product.name}" subscription (${product.partNumbers.join(' or ')}).`, wanted, skus, true);
  }
  throw licenseNotFound(`"${wanted}" is not a licence this tenant has.`, wanted, skus, false);
}

export async function resolveLicense(graph: GraphClient, input: string): Promise<ResolvedLicense> {
  return matchLicense(input, await listSubscribedSkus(graph));
}
