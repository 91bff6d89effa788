import type { Logger } from 'pino';
import type { SystemAccount } from '../system-account.ts';

/**
 * Who the agents of a hub run as: the dedicated user `user` (made if missing) when the hub can
 * switch users, that is when it runs as root; otherwise the hub's own user, which it says once.
 */
export function agentAccount(hubUid: number | undefined, user: string, find: (name: string) => SystemAccount, logger: Pick<Logger, 'info' | 'warn'>): SystemAccount | undefined {
  if (hubUid !== 0) {
    logger.warn(
      `agents run with the hub's own rights: they can read its files, its data directory and its process's environment. ` +
        `Run the hub as root (it then starts agents as the user "${user}") or start it in a container of its own.`,
    );
    return undefined;
  }
  const account = find(user);
  logger.info({ user: account.name, uid: account.uid }, `agents run as the user ${account.name}`);
  return account;
}
