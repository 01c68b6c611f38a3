import { z } from 'zod';
import { getGraphClient, type GraphClient } from '../graph/index.js';

/**
 * The Graph client of a look-up. Look-up bodies may name the customer's tenant: in msp mode they must (the
 * client then holds a token for that tenant from the MSP app's federated credential, lib/msp/customer-token.ts,
 * and a missing tenant is refused rather than read in the MSP's own directory); in customer mode the helpers'
 * managed identity reaches only its own tenant and the id is not used.
 */
export const tenantIdSchema = z.string().uuid().optional();

export function graphFor(tenantId: string | undefined): Promise<GraphClient> {
  return getGraphClient(tenantId ? { tenantId } : {});
}
