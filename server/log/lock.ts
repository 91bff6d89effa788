/** Every append transaction takes this advisory lock, so commits happen in `seq` order (invariant 2). */
export const logLockKey = 0x6d636c6f67;

/** Held by `npm run rebuild` for its whole run, so two rebuilds never fold into the same copies of the views. */
export const rebuildLockKey = 0x6d63726231;

/** The channel a commit NOTIFYs: only a wake-up, readers go to the table. */
export const notifyChannel = 'mc_events';
