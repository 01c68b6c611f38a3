import { AppError } from '../errors/app-error.js';
import type { GraphCallOptions, GraphClient } from './client.js';

/**
 * Follows @odata.nextLink until the collection ends (https://learn.microsoft.com/graph/paging). Headers such as
 * ConsistencyLevel are re-sent on every page because Graph does not carry them over. A page cap
 * stops runaway loops (a tenant with 100,000 users does not belong in a help-desk helper).
 */
export interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export interface PagingOptions extends GraphCallOptions {
  /** Default 20 pages. */
  maxPages?: number;
}

export interface PagedResult<T> {
  items: T[];
  /** @odata.count from the first page, when requested. */
  count?: number;
  /** True when the page cap stopped the walk before the end. */
  truncated: boolean;
  pages: number;
}

export async function getAllPages<T>(graph: GraphClient, path: string, options: PagingOptions = {}): Promise<PagedResult<T>> {
  const maxPages = options.maxPages ?? 20;
  const items: T[] = [];
  let count: number | undefined;
  let next: string | undefined = path;
  let pages = 0;
  while (next !== undefined && pages < maxPages) {
    const page: Page<T> = await graph.get<Page<T>>(next, options);
    pages++;
    if (pages === 1 && typeof page['@odata.count'] === 'number') count = page['@odata.count'];
    items.push(...(page.value ?? []));
    const link = page['@odata.nextLink'];
    if (link === undefined) {
      next = undefined;
    } else {
      next = graph.relativeLink(link);
      if (next === undefined) {
        throw new AppError({
          code: 'internal',
          message: 'Microsoft Graph returned a next-page link outside the Graph API.',
          status: 502,
          fix: 'Report this with the run id; the helper refused to follow the link.',
          step: options.step,
        });
      }
    }
  }
  return { items, count, truncated: next !== undefined, pages };
}
