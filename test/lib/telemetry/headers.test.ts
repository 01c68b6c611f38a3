import { describe, expect, it } from 'vitest';
import { allowListedHeaders } from '../../../lib/telemetry/headers.js';

describe('allowListedHeaders', () => {
  it('keeps only the allow-listed headers, drops auth headers and empties, caps length', () => {
    const headers = new Headers({
      'content-type': 'application/json',
      'user-agent': 'Thread/1.0',
      authorization: 'Bearer secret-token',
      'x-ms-client-principal': 'eyJ...',
      'x-thread-request-id': 'r-1',
      'x-request-id': '',
      'x-forwarded-for': '203.0.113.9,'.repeat(100),
    });
    const picked = allowListedHeaders((name) => headers.get(name));
    expect(Object.keys(picked)).toEqual(['Content-Type', 'User-Agent', 'X-Forwarded-For', 'X-Thread-Request-Id']);
    expect(picked['X-Forwarded-For']).toHaveLength(512);
    expect(JSON.stringify(picked)).not.toContain('secret-token');
  });
});
