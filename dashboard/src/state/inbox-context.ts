// A decision's context as the inbox shows it: plain text line by line, a unified diff's lines marked.

export type ContextLineKind = 'text' | 'added' | 'removed' | 'hunk' | 'file' | 'policy';

export interface ContextLine {
  kind: ContextLineKind;
  text: string;
}

/** Longer than this many lines (or characters), the context starts folded. */
const foldLines = 14;
const foldChars = 1500;

/** The context's lines, each with its kind; diff kinds only when the text holds a hunk (`@@`), so a command's `--flag` line stays text. */
export function contextLines(context: string): ContextLine[] {
  const lines = context.replace(/\r\n/g, '\n').split('\n');
  const diff = lines.some((line) => line.startsWith('@@'));
  return lines.map((text) => ({ kind: kindOf(text, diff), text }));
}

function kindOf(line: string, diff: boolean): ContextLineKind {
  if (line.startsWith('Policy: rule ')) return 'policy';
  if (!diff) return 'text';
  if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('Index: ') || /^={10,}$/.test(line)) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'text';
}

/** True when the context is long enough to start folded. */
export function foldsContext(context: string): boolean {
  return context.length > foldChars || context.split('\n').length > foldLines;
}
