/** What to tell an operator when a server cannot listen: which address, why, and what to change. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number, setting: string): Error {
  const at = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is in use by another process: stop it, or set ${setting} to a free port`);
  if (error.code === 'EACCES') return new Error(`not allowed to listen on ${at} (ports below 1024 need root): set ${setting} to a port above 1023`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new Error(`cannot listen on ${at}: this machine has no such address; set HOST to one of its addresses, or unset it for 127.0.0.1`);
  return new Error(`cannot listen on ${at}: ${error.message}`);
}

/** A port from the environment, or `fallback`; anything but 0-65535 is an error naming the variable. */
export function portSetting(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new Error(`${name} must be a port number from 0 to 65535 (0: any free port), got "${value}"`);
  return number;
}
