import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors/app-error.js';

/**
 * Who is calling. In Azure, App Service Authentication (Easy Auth) validates the caller's bearer
 * token and passes the object id in x-ms-client-principal-id (it strips any such header a client
 * sends); locally local/functions-host does the same. Only the identities listed in
 * ALLOWED_CALLER_OBJECT_IDS (the Logic App's managed identity) may call the helpers; an empty list
 * lets nobody in (fail closed).
 */
export const PRINCIPAL_ID_HEADER = 'x-ms-client-principal-id';

export function checkCaller(request: HttpRequest, allowedObjectIds: readonly string[]): string {
  const id = request.headers.get(PRINCIPAL_ID_HEADER)?.trim().toLowerCase();
  if (!id) {
    throw new AppError({
      code: 'unauthorized',
      message: 'The caller did not authenticate.',
      status: 401,
      fix: 'Call the helper with a managed-identity bearer token for the helpers app (Http action authentication: ManagedServiceIdentity, audience = the helpers app).',
      step: 'check_caller',
    });
  }
  if (!allowedObjectIds.includes(id)) {
    throw new AppError({
      code: 'forbidden',
      message: 'The caller is not allowed to use the helpers.',
      status: 403,
      fix: 'Add the calling identity\'s object id to the ALLOWED_CALLER_OBJECT_IDS app setting of the helpers app.',
      step: 'check_caller',
    });
  }
  return id;
}
