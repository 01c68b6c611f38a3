/** One line of the `npm run bench` table. Each area's bench module returns a list of these. */
export interface BenchRow {
  area: string;
  metric: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "< 2 ms"; empty when the metric is informational. */
  target?: string;
  /** Whether the measured value meets the target; undefined when there is no target. */
  ok?: boolean;
}

export type BenchModule = { run(): Promise<BenchRow[]> };
