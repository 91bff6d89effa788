/** What stands in for a secret in the log. */
export const redactedMark = '[redacted]';

// Shapes of secrets an agent may print: the hub's own tokens and webhook secrets, passwords in
// URLs (postgres://user:password@host), Authorization headers, and well-known API key formats.
// Every repetition that could rescan the line is bounded, so a line costs linear time.
const secretShapes: Array<[RegExp, string]> = [
  [/\bmc_[A-Za-z0-9_-]{32,}/g, `mc_${redactedMark}`],
  [/\bwhsec_[A-Za-z0-9+/=_-]{8,}/g, `whsec_${redactedMark}`],
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:@/]{0,256}:)[^\s@/]{1,256}@/gi, `$1${redactedMark}@`],
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${redactedMark}`],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,})/g, redactedMark],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, `sk-${redactedMark}`],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, redactedMark],
  [/\b((?:aws_)?secret_access_key["']?\s*[=:]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, `$1${redactedMark}`],
];
const keyBegin = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const keyEnd = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
const wholeKey = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/**
 * Redacts the secrets in one stream's lines before the hub logs them. Remembers whether a
 * private key block is open, so its body lines (which look like any base64) are redacted too.
 */
export class SecretRedactor {
  private inPrivateKey = false;

  /** The line with every secret-shaped string replaced, and whether anything was. */
  redact(line: string): { line: string; redacted: boolean } {
    const insideKey = this.inPrivateKey;
    this.follow(line);
    if (insideKey) return { line: redactedMark, redacted: true };
    let result = keyBegin.test(line) ? line.replace(wholeKey, `-----PRIVATE KEY ${redactedMark}-----`) : line;
    for (const [shape, replacement] of secretShapes) result = result.replace(shape, replacement);
    return { line: result, redacted: result !== line };
  }

  /** Follows a line without redacting it (one that is not logged), so an open private key block is still known. */
  follow(line: string): void {
    if (this.inPrivateKey) {
      if (keyEnd.test(line)) this.inPrivateKey = false;
      return;
    }
    const begin = line.search(keyBegin);
    if (begin >= 0) this.inPrivateKey = !keyEnd.test(line.slice(begin));
  }
}
