import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/client.js';
import { buildQuery, isGuid } from '../graph/odata.js';
import { productByName, productNameForPartNumber } from './license-names.js';

/**
 * Resolves what a ticket calls a licence ("Microsoft 365 Business Premium", "SPB" or a skuId) to one
 * of the customer's subscriptions, with its seat counts. Exact matches only: by GUID, by part number
 * (case-insensitive), or by product name through license-names.ts. Never a substring match
 * (reference defect 20: "E3" must not pick whichever SKU comes first).
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
  const select = buildQuery({ $select: ['skuId', 'skuPartNumber', 'capabilityStatus', 'consumedUnits', 'prepaidUnits'] });
  const page = await graph.get<{ value?: SubscribedSku[] }>(`/subscribedSkus${select}`, { step: STEP });
  return page.value ?? [];
}

/** Matches `input` against a tenant's SKUs (pure; exported for the plan helpers and tests). */
export function matchLicense(input: string, skus: readonly SubscribedSku[]): ResolvedLicense {
  const wanted = input.trim();
  const tenantHas = () => skus.map((s) => ({ productName: productNameForPartNumber(s.skuPartNumber) ?? s.skuPartNumber, skuPartNumber: s.skuPartNumber, skuId: s.skuId }));
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
      throw new AppError({
        code: 'ambiguous',
        message: `The tenant has ${hits.length} subscriptions sold as "${product.name}".`,
        status: 409,
        fix: 'Put the part number (or skuId) of the one to use in the ticket.',
        step: STEP,
        details: { candidates: hits.map((h) => toResolvedLicense(h, 'productName')) },
      });
    }
    throw new AppError({
      code: 'not_found',
      message: `The tenant has no "${product.name}" subscription (${product.partNumbers.join(' or ')}).`,
      status: 404,
      fix: 'Buy the subscription first, or choose one of the licences the tenant has.',
      step: STEP,
      details: { tenantHas: tenantHas() },
    });
  }
  throw new AppError({
    code: 'not_found',
    message: `"${wanted}" is not a licence this tenant has.`,
    status: 404,
    fix: 'Use the product name, part number or skuId of one of the licences listed in the details.',
    step: STEP,
    details: { tenantHas: tenantHas() },
  });
}

export async function resolveLicense(graph: GraphClient, input: string): Promise<ResolvedLicense> {
  return matchLicense(input, await listSubscribedSkus(graph));
}
