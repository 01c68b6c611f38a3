import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushTelemetry, track } from '../../../lib/telemetry/track.js';

/**
 * With APPLICATIONINSIGHTS_CONNECTION_STRING set, events reach the ingestion endpoint through the real
 * applicationinsights package, redacted. The endpoint is a local HTTPS server standing in for Azure
 * Monitor (the exporter only speaks HTTPS), with a throw-away self-signed certificate that this test
 * process alone is told to accept.
 */
let server: Server;
const bodies: string[] = [];
const certDir = mkdtempSync(join(tmpdir(), 'ai-ingest-'));
const previousTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], {
    stdio: 'ignore',
  });
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  server = createServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      bodies.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Everything the SDK might call points at the local server or is switched off: no traffic leaves 127.0.0.1.
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
  process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/;LiveEndpoint=https://127.0.0.1:${port}/`;
});

afterAll(async () => {
  delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  delete process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED;
  delete process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED;
  delete process.env.APPLICATION_INSIGHTS_NO_STATSBEAT;
  if (previousTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTlsSetting;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(certDir, { recursive: true, force: true });
});

describe('Application Insights sink', () => {
  it('delivers a custom event with string dimensions and redacted secrets', async () => {
    track({
      name: 'webhook_received',
      run_id: 'run-ai-1',
      intent_name: 'Password Reset',
      ticket_id: '4242',
      contact_name: 'Pat',
      contact_email: 'pat@msp.example',
      company_name: 'Contoso',
      raw_payload: { intent_fields: { 'Temporary Password': 'Never-Sent-Pw1' } },
    });
    await flushTelemetry();
    await expect.poll(() => bodies.join('\n'), { timeout: 20_000, interval: 200 }).toContain('run-ai-1');
    const all = bodies.join('\n');
    expect(all).toContain('webhook_received');
    expect(all).toContain('4242');
    expect(all).not.toContain('Never-Sent-Pw1');
  });
});
