/** THE Graph seam: the only module tree in the helpers that talks to Microsoft Graph. */
export { createGraphClient, type GraphClient, type GraphCallOptions, type GraphClientOptions, type GraphMethod } from './client.js';
export { getGraphClient, resetGraphClients } from './default-client.js';
export { createCredential, type GraphAuth } from './credential.js';
export { cachedTokenProvider, GRAPH_SCOPE } from './token-provider.js';
export { getAllPages, type PagedResult, type PagingOptions } from './paging.js';
export { runBatch, BATCH_LIMIT, type BatchRequest, type BatchItemResult, type BatchOptions } from './batch.js';
export { odataString, escapeODataLiteral, odataGuid, isGuid, buildQuery } from './odata.js';
export { encodeSegment, userPath, graphPath } from './path.js';
export { toGraphAppError, graphFailureToAppError, readGraphErrorBody } from './errors.js';
export { defaultRetryPolicy, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
