/** True when PostgreSQL could not be reached or went away, as opposed to refusing a statement. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Node's socket errors, and PostgreSQL's classes 08 (connection) and 57P (shutdown, cannot connect now).
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
    if (code.startsWith('08') || code.startsWith('57P')) return true;
  }
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** The error to show when the hub cannot use the database at `url` at start: where (never the password), why, what to check; any other error as it is. */
export function databaseStartError(error: unknown, url: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  let where = 'DATABASE_URL';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return new Error('DATABASE_URL is not a URL: it must look like postgres://user:password@host:5432/database');
  }
  const reason = typeof code === 'string' ? code : (error as Error).message;
  if (isConnectionError(error)) return new Error(`cannot reach the database at ${where} (${reason}): check DATABASE_URL, and that PostgreSQL runs there and accepts connections`);
  if (typeof code === 'string' && code.startsWith('28')) return new Error(`the database at ${where} refused the login (${(error as Error).message}): check the user and password in DATABASE_URL`);
  if (code === '3D000') return new Error(`the database at ${where} does not exist: create it, or name another in DATABASE_URL`);
  return error;
}
