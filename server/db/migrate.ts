import { type Kysely, type Migration, Migrator } from 'kysely';
import * as events from './migrations/2026-11-21T00-00-events.ts';
import * as tokens from './migrations/2026-11-21T01-00-tokens.ts';
import * as agents from './migrations/2026-11-21T02-00-agents.ts';
import * as tasks from './migrations/2026-11-21T02-10-tasks.ts';
import * as decisions from './migrations/2026-11-21T02-20-decisions.ts';
import * as budgets from './migrations/2026-11-21T02-30-budgets.ts';
import * as hubIdentity from './migrations/2026-11-30T00-00-hub-identity.ts';
import * as tokenRevocation from './migrations/2026-11-30T00-10-token-revocation.ts';
import * as respawnIndex from './migrations/2026-11-30T00-20-respawn-index.ts';
import * as eventTrace from './migrations/2026-11-30T01-00-event-trace.ts';
import * as runners from './migrations/2026-11-30T02-00-runners.ts';
import * as projects from './migrations/2026-11-30T03-00-projects.ts';
import * as projectTokens from './migrations/2026-11-30T03-10-project-tokens.ts';
import * as policyRules from './migrations/2026-12-01T00-00-policy-rules.ts';
import * as coderRole from './migrations/2026-12-01T00-10-coder-role.ts';
import * as decisionTool from './migrations/2026-12-01T00-20-decision-tool.ts';
import * as webhooks from './migrations/2026-12-01T01-00-webhooks.ts';
import * as notifications from './migrations/2026-12-01T02-00-notifications.ts';
import * as eventSearch from './migrations/2026-12-02T00-00-event-search.ts';
import * as eventArchives from './migrations/2026-12-03T00-00-event-archives.ts';
import * as eventKeysBytewise from './migrations/2026-12-04T00-00-event-keys-bytewise.ts';

/** Every migration, in order; a new one is one more line. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T00-00-events': events,
  '2026-11-21T01-00-tokens': tokens,
  '2026-11-21T02-00-agents': agents,
  '2026-11-21T02-10-tasks': tasks,
  '2026-11-21T02-20-decisions': decisions,
  '2026-11-21T02-30-budgets': budgets,
  '2026-11-30T00-00-hub-identity': hubIdentity,
  '2026-11-30T00-10-token-revocation': tokenRevocation,
  '2026-11-30T00-20-respawn-index': respawnIndex,
  '2026-11-30T01-00-event-trace': eventTrace,
  '2026-11-30T02-00-runners': runners,
  '2026-11-30T03-00-projects': projects,
  '2026-11-30T03-10-project-tokens': projectTokens,
  '2026-12-01T00-00-policy-rules': policyRules,
  '2026-12-01T00-10-coder-role': coderRole,
  '2026-12-01T00-20-decision-tool': decisionTool,
  '2026-12-01T01-00-webhooks': webhooks,
  '2026-12-01T02-00-notifications': notifications,
  '2026-12-02T00-00-event-search': eventSearch,
  '2026-12-03T00-00-event-archives': eventArchives,
  '2026-12-04T00-00-event-keys-bytewise': eventKeysBytewise,
};

/** The newest migration name: the schema version this build expects. */
export const schemaVersion = Object.keys(migrations).at(-1) as string;

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Brings the schema up to date; safe to run from several hubs at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error } = await migrator(db).migrateToLatest();
  if (error) throw error;
}

/** True when every migration this build knows has run. */
export async function migrationsCurrent(db: Kysely<any>): Promise<boolean> {
  const list = await migrator(db).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
