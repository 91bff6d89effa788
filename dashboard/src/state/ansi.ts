/** A run of an output line's text in one style: a terminal colour (SGR 30–37, 90–97) and bold. */
export interface AnsiSpan {
  text: string;
  /** The SGR foreground code, or undefined for the terminal's own colour. */
  fg: number | undefined;
  bold: boolean;
}

// One alternative per kind of escape, SGR first: CSI (ESC [ params intermediates final); strings
// (OSC, DCS, SOS, PM, APC) up to BEL or ST, or to the end of a line that never closes them; the
// other ESC sequences (ESC, intermediates, one final: `ESC ( B`, `ESC 7`); an 8-bit CSI; and the
// control characters left (a tab stays). Everything but SGR is dropped.
const escapes = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

interface Style {
  fg: number | undefined;
  bold: boolean;
}

/**
 * The line as styled runs of plain text: colours and bold from SGR sequences (`ESC[1;31m`,
 * reset by `ESC[0m`, `ESC[m`, `ESC[39m`, `ESC[22m`), every other escape and control character
 * removed. The text is never markup: an element renders each run as a text node.
 */
export function ansiSpans(line: string): AnsiSpan[] {
  const spans: AnsiSpan[] = [];
  let style: Style = { fg: undefined, bold: false };
  let from = 0;
  const push = (text: string) => {
    if (text === '') return;
    const last = spans.at(-1);
    if (last && last.fg === style.fg && last.bold === style.bold) last.text += text;
    else spans.push({ text, ...style });
  };
  for (const match of line.matchAll(escapes)) {
    push(line.slice(from, match.index));
    from = match.index + match[0].length;
    if (match[2] === 'm' && match[1] !== undefined && /^[\d;]*$/.test(match[1])) style = applySgr(style, match[1]);
  }
  push(line.slice(from));
  return spans;
}

/** The style after one SGR sequence's parameters (`1;31`); unknown codes change nothing. */
function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
  let { fg, bold } = style;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) {
      fg = undefined;
      bold = false;
    } else if (code === 1) bold = true;
    else if (code === 22) bold = false;
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) fg = code;
    else if (code === 39) fg = undefined;
    // 256-colour and true-colour arguments are skipped, so `38;5;31` is not read as red.
    else if (code === 38 || code === 48 || code === 58) i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
  }
  return { fg, bold };
}

/** The text of a line without its escapes (what it reads as). */
export function plainText(spans: readonly AnsiSpan[]): string {
  return spans.map((s) => s.text).join('');
}
