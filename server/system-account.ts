import { execFileSync } from 'node:child_process';

/** A user of this machine, as a child process is started with it. */
export interface SystemAccount {
  name: string;
  uid: number;
  gid: number;
}

/** The system user `name`, made first (no home, no login shell, a group of its own) when missing. Needs root to make one. */
export function systemAccount(name: string): SystemAccount {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`"${name}" is not a system user name`);
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { name, uid: id('-u'), gid: id('-g') };
  }
}
