/** One Azure Automation job as the stand-in keeps it, and its ARM JSON shapes. */

export type JobStatus = 'New' | 'Activating' | 'Running' | 'Completed' | 'Failed' | 'Stopped' | 'Stopping';
export type JobProvisioningState = 'Processing' | 'Succeeded' | 'Failed';
export type StreamType = 'Output' | 'Error' | 'Warning' | 'Verbose' | 'Progress';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Stopped'];

export interface JobStreamRecord {
  jobStreamId: string;
  time: string;
  streamType: StreamType;
  streamText: string;
}

export interface JobRecord {
  /** ARM resource id of the job (what the PUT response's `id` carries). */
  id: string;
  name: string;
  jobId: string;
  runbook: string;
  parameters: Record<string, string>;
  status: JobStatus;
  statusDetails: string;
  provisioningState: JobProvisioningState;
  creationTime: string;
  startTime: string | null;
  endTime: string | null;
  lastModifiedTime: string;
  lastStatusModifiedTime: string;
  exception: string | null;
  streams: JobStreamRecord[];
  /** Which engine ran the runbook (admin API only; ARM has no such property). */
  engine: 'typescript' | 'pwsh';
}

/** Automation reports times with an explicit offset, e.g. 2024-05-01T10:00:00.123+00:00. */
export function armTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function jobJson(job: JobRecord): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    type: 'Microsoft.Automation/AutomationAccounts/Jobs',
    properties: {
      runbook: { name: job.runbook },
      startedBy: '',
      runOn: '',
      jobId: job.jobId,
      creationTime: job.creationTime,
      status: job.status,
      statusDetails: job.statusDetails,
      startTime: job.startTime,
      endTime: job.endTime,
      exception: job.exception,
      lastModifiedTime: job.lastModifiedTime,
      lastStatusModifiedTime: job.lastStatusModifiedTime,
      parameters: job.parameters,
      provisioningState: job.provisioningState,
    },
  };
}

/** The admin API's job: the ARM shape plus the engine that ran it. */
export function adminJobJson(job: JobRecord): Record<string, unknown> {
  return { ...jobJson(job), runbookEngine: job.engine };
}

export function streamJson(job: JobRecord, stream: JobStreamRecord, withText: boolean): Record<string, unknown> {
  return {
    id: `${job.id}/streams/${stream.jobStreamId}`,
    properties: {
      jobStreamId: stream.jobStreamId,
      time: stream.time,
      streamType: stream.streamType,
      summary: stream.streamText.length > 80 ? `${stream.streamText.slice(0, 77)}...` : stream.streamText,
      ...(withText ? { streamText: stream.streamText, value: {} } : {}),
    },
  };
}

/** The job's Output stream as GET .../output returns it (text/plain, one line per Write-Output). */
export function jobOutputText(job: JobRecord): string {
  return job.streams
    .filter((s) => s.streamType === 'Output')
    .map((s) => s.streamText)
    .join('\n');
}
