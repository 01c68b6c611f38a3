import { describe, expect, it } from 'vitest';
import type { ActionResultLike } from '../../../lib/inline/context.js';
import { failedRunbookMessage, settledJob } from '../../../lib/inline/runbook-job.js';

/**
 * settledJob folds a runbook step (Start_<x>_job createJob without waiting + Record_<x>_job_status, the last
 * getJobStatus read) into the one job result the summaries read (docs/workflow-design.md, "Runbook jobs").
 * Status values: https://learn.microsoft.com/rest/api/automation/job/get (JobStatus).
 */
const JOB = 'f16d2abe-2b86-4176-a713-8e7b6d1a4f03';
const start = { name: 'Start_add_member_job', status: 'Succeeded', inputs: { parameters: { runbookParameters: { GroupIdentity: 'all-staff@contoso.com' } } }, outputs: { statusCode: 200, body: { jobId: JOB, status: 'New' } } };
// A Compose's outputs are its value itself, not {statusCode, body}.
const record = (status: string | null, statusDetails = 'None') =>
  ({ name: 'Record_add_member_job_status', status: 'Succeeded', inputs: { jobId: JOB, status, statusDetails }, outputs: { jobId: JOB, status, statusDetails } }) as unknown as ActionResultLike;

describe('settledJob', () => {
  it('a Completed job is the start itself (Succeeded, with its jobId)', () => {
    expect(settledJob(start, record('Completed'))).toBe(start);
  });

  it.each(['Failed', 'Stopped', 'Suspended'])('a job that ended %s is Failed, naming the job and where its error is', (status) => {
    const job = settledJob(start, record(status));
    expect(job?.status).toBe('Failed');
    expect(job?.error?.message).toBe(`the runbook job ${JOB} ended with status ${status}. Its error is on the job's Exception tab in the Automation account (Jobs → ${JOB}).`);
    expect((job?.outputs?.body as { jobId?: string }).jobId).toBe(JOB);
    expect(job?.inputs).toEqual(start.inputs);
  });

  // A failing runbook writes RESULT: {"outcome":"failed",...} last before it throws (runbooks/README.md, "Output
  // contract"); getJobStatus has no exception text, so that line is the only place the reason can come from.
  const output = (text: unknown, status = 'Succeeded') => ({ name: 'Get_add_member_job_output', status, inputs: { parameters: { jobId: JOB } }, outputs: { statusCode: 200, body: text } });
  const ROOM = "'boardroom@contoso.com' is a RoomMailbox, not a shared mailbox; no permission was changed.";
  const failedLine = (message: string) => `RESULT: ${JSON.stringify({ outcome: 'failed', message, details: { exchangeConnected: true } })}`;

  it('a Failed job whose runbook wrote a failed RESULT line gives the runbook\'s reason, naming the job', () => {
    const job = settledJob(start, record('Failed'), output(`Connected to Exchange Online organization contoso.onmicrosoft.com.\n${failedLine(ROOM)}\n`));
    expect(job?.status).toBe('Failed');
    expect(job?.error?.message).toBe(`'boardroom@contoso.com' is a RoomMailbox, not a shared mailbox; no permission was changed (runbook job ${JOB}, status Failed).`);
    expect((job?.outputs?.body as { error?: { message?: string } }).error?.message).toBe(job?.error?.message);
  });

  it('without a failed RESULT line (script never ran, output unreadable, a success line) the Exception tab stays the pointer', () => {
    const exceptionTab = `the runbook job ${JOB} ended with status Failed. Its error is on the job's Exception tab in the Automation account (Jobs → ${JOB}).`;
    expect(settledJob(start, record('Failed'), output(''))?.error?.message).toBe(exceptionTab);
    expect(settledJob(start, record('Failed'), output(failedLine(ROOM), 'Failed'))?.error?.message).toBe(exceptionTab);
    expect(settledJob(start, record('Failed'), output('RESULT: {not json'))?.error?.message).toBe(exceptionTab);
    expect(settledJob(start, record('Failed'), output('RESULT: {"outcome":"applied","action":"add_member","message":"Added.","details":{}}'))?.error?.message).toBe(exceptionTab);
    expect(settledJob(start, record('Failed'), output(failedLine('  ')))?.error?.message).toBe(exceptionTab);
  });

  it('a Completed job stays the start even if its output were odd; a running one stays TimedOut', () => {
    expect(settledJob(start, record('Completed'), output(failedLine(ROOM)))).toBe(start);
    expect(settledJob(start, record('Running'), output(failedLine(ROOM)))?.status).toBe('TimedOut');
  });

  it('failedRunbookMessage reads the last RESULT line from text or from lines', () => {
    expect(failedRunbookMessage(output([`progress`, failedLine("Couldn't find object \"lee.gu@contoso.com\".")]))).toBe('Couldn\'t find object "lee.gu@contoso.com".');
    expect(failedRunbookMessage(output(`${failedLine('first')}\r\n${failedLine('last')}`))).toBe('last');
    expect(failedRunbookMessage(undefined)).toBeUndefined();
    expect(failedRunbookMessage(output({ value: 1 }))).toBeUndefined();
  });

  it('a job still running when the wait ended is TimedOut: it may still finish', () => {
    const job = settledJob(start, record('Running'));
    expect(job?.status).toBe('TimedOut');
    expect(job?.error?.message).toContain('was still Running when the workflow stopped waiting; it may still finish');
  });

  it('no status read at all: whether it changed anything is unknown', () => {
    expect(settledJob(start, undefined)?.error?.message).toContain('could not be read, so whether it changed anything is unknown');
    expect(settledJob(start, record(null))?.status).toBe('TimedOut');
  });

  it('a failed start says the job may not have started, with what Azure Automation answered', () => {
    const failedStart = { ...start, status: 'Failed', outputs: { statusCode: 500, body: { error: { code: 'ServiceProviderActionFailed', message: "The service provider action failed with error code 'Http500' and error message 'Injected 500.'." } } } };
    const job = settledJob(failedStart, undefined);
    expect(job?.status).toBe('Failed');
    expect(job?.error?.message).toBe("the job may not have started — check the Automation account's jobs before sending the request again (Azure Automation answered: Injected 500.).");
  });

  it('a start that did not run stays as it is', () => {
    expect(settledJob(undefined, undefined)).toBeUndefined();
    const skipped = { ...start, status: 'Skipped' };
    expect(settledJob(skipped, undefined)).toBe(skipped);
  });
});
