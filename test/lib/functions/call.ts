import type { HttpFunctionOptions, HttpResponseInit } from '@azure/functions';
import azureFunctions from '@azure/functions';

const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

/** Calls a registration's handler directly, as the worker would, and reads the answer back. */
export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

export const CALLER = 'aaaaaaaa-1111-2222-3333-444444444444';

export async function call(
  fn: HttpFunctionOptions,
  init: { method?: string; path?: string; body?: string | object; principal?: string | null; query?: string } = {},
): Promise<{ answer: Answer; logs: string[] }> {
  const logs: string[] = [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const principal = init.principal === undefined ? CALLER : init.principal;
  if (principal) headers['x-ms-client-principal-id'] = principal;
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const request = new HttpRequest({
    method: init.method ?? 'POST',
    url: `http://127.0.0.1/api/${init.path ?? fn.route ?? ''}${init.query ?? ''}`,
    headers,
    ...(body !== undefined ? { body: { string: body } } : {}),
  });
  const context = new InvocationContext({ functionName: 'test', logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
  const result = (await fn.handler(request, context)) as HttpResponseInit;
  const response = new HttpResponse(result);
  const text = await response.text();
  return { answer: { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined }, logs };
}
