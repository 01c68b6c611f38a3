import { z } from 'zod';
import { getGraphClient, type GraphClient } from '../graph/index.js';

/**
 * Look-up bodies may name the customer tenant (multi-tenant app-registration mode); otherwise the
 * helpers' configured tenant is used.
 */
export const tenantIdSchema = z.string().uuid().optional();

export function graphFor(tenantId: string | undefined): Promise<GraphClient> {
  return getGraphClient(tenantId ? { tenantId } : {});
}
