/**
 * Generated sections of README.md live between `<!-- <name>:start -->` and `<!-- <name>:end -->`. The
 * generators in scripts/docs/ render a section; their tests compare it with the README and, with
 * UPDATE_README=1, write it back. Everything outside the markers is hand-written and left alone.
 */
export interface SectionMarkers {
  start: string;
  end: string;
}

export function sectionMarkers(name: string): SectionMarkers {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

function bounds(readme: string, markers: SectionMarkers): { start: number; end: number } | undefined {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start === -1 || end === -1 || end < start) return undefined;
  return { start, end };
}

/** The text between the markers (trimmed), or undefined when the markers are missing or out of order. */
export function readSection(readme: string, markers: SectionMarkers): string | undefined {
  const at = bounds(readme, markers);
  return at ? readme.slice(at.start + markers.start.length, at.end).trim() : undefined;
}

/** README text with the section replaced by `content`; throws when the markers are missing. */
export function withSection(readme: string, markers: SectionMarkers, content: string): string {
  const at = bounds(readme, markers);
  if (!at) throw new Error(`README.md needs ${markers.start} and ${markers.end} (in this order).`);
  return `${readme.slice(0, at.start + markers.start.length)}\n${content}\n${readme.slice(at.end)}`;
}

/** Markdown table cell: no pipes breaking the row, no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
