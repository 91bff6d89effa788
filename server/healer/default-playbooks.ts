import type { HealerPlaybook } from './playbook.ts';

/** The playbooks used when the config names none: failures a plain restart is known to cure. */
export const defaultPlaybooks: readonly HealerPlaybook[] = [
  {
    name: 'transient-crash',
    match: { type: 'agent.failed', errorPattern: 'ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up' },
    action: 'respawn',
    maxAttempts: 3,
    backoffMs: 1000,
  },
];
