/** What to tell an operator when a server cannot listen: which address, why, and what to change. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number, setting: string): Error {
  const at = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is in use by another process: stop it, or set ${setting} to a free port`);
  if (error.code === 'EACCES') return new Error(`not allowed to listen on ${at} (ports below 1024 need root): set ${setting} to a port above 1023`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new Error(`cannot listen on ${at}: this machine has no such address; set HOST to one of its addresses, or unset it for 127.0.0.1`);
  return new Error(`cannot listen on ${at}: ${error.message}`);
}
