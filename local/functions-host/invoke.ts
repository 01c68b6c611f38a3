import { randomUUID } from 'node:crypto';
import type { HttpFunctionOptions, HttpResponseInit, InvocationContext as InvocationContextType, LogLevel, TimerFunctionOptions } from '@azure/functions';
import azureFunctions from '@azure/functions';

/**
 * Runs one registered function the way the Functions worker would: a real @azure/functions
 * HttpRequest and InvocationContext in, the handler's HttpResponseInit (or HttpResponse) out,
 * normalised through the library's own HttpResponse so jsonBody/body/headers mean the same.
 * The package is CommonJS; its classes are reached through the default export under Node's ESM.
 */
const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

export type HostLog = (level: LogLevel, functionName: string, ...args: unknown[]) => void;

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  body?: Buffer;
}

export interface HttpResult {
  status: number;
  headers: Array<[string, string]>;
  cookies: string[];
  body: Buffer;
}

function contextFor(functionName: string, log: HostLog): InvocationContextType {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    logHandler: (level, ...args) => log(level, functionName, ...args),
  });
}

export async function invokeHttp(name: string, fn: HttpFunctionOptions, call: HttpCall, log: HostLog): Promise<HttpResult> {
  // The library derives request.query from the URL itself.
  const request = new HttpRequest({
    method: call.method,
    url: call.url,
    headers: call.headers,
    params: call.params,
    ...(call.body && call.body.length > 0 ? { body: { bytes: call.body } } : {}),
  });
  const result = (await fn.handler(request, contextFor(name, log))) as HttpResponseInit | InstanceType<typeof HttpResponse> | undefined;
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, key) => headers.push([key, value]));
  const cookies = response.cookies.map((c) => {
    const parts = [`${c.name}=${c.value}`];
    if (c.path) parts.push(`Path=${c.path}`);
    if (c.maxAge !== undefined) parts.push(`Max-Age=${c.maxAge}`);
    if (c.secure) parts.push('Secure');
    if (c.httpOnly) parts.push('HttpOnly');
    if (c.sameSite) parts.push(`SameSite=${c.sameSite}`);
    return parts.join('; ');
  });
  return { status: response.status, headers, cookies, body: Buffer.from(await response.arrayBuffer()) };
}

export async function invokeTimer(name: string, fn: TimerFunctionOptions, log: HostLog): Promise<void> {
  const now = new Date();
  await fn.handler(
    { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: now.toISOString(), next: now.toISOString(), lastUpdated: now.toISOString() } },
    contextFor(name, log),
  );
}
