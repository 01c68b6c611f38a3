import { relative, resolve } from 'node:path';

/** One compiler or linter finding, as the Bicep CLI prints it: `<file>(<line>,<col>) : <Level> <code>: <message>`. */
export interface Diagnostic {
  /** Path relative to the folder that was checked, with forward slashes. */
  file: string;
  line: number;
  column: number;
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  message: string;
}

const LINE = /^(.+?)\((\d+),(\d+)\) : (Error|Warning|Info) ([^:\s]+): (.*)$/;

/** Parses the CLI's default diagnostics format; paths are made relative to `baseDir`. Other lines are ignored. */
export function parseDiagnostics(output: string, baseDir: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const [, path, line, column, level, code, message] = m;
    found.push({
      file: relative(baseDir, resolve(baseDir, path!)).split('\\').join('/'),
      line: Number(line),
      column: Number(column),
      level: level as Diagnostic['level'],
      code: code!,
      message: message!.trim(),
    });
  }
  return found;
}

/** Removes repeats: `build` and `lint`, and main.bicep and its modules, report the same finding more than once. */
export function uniqueDiagnostics(all: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of all) seen.set(`${d.file}:${d.line}:${d.column}:${d.code}`, d);
  return [...seen.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}(${d.line},${d.column}) : ${d.level} ${d.code}: ${d.message}`;
}
