import { after, before } from 'node:test';
import type { Clock } from '../../server/clock.ts';
import type { ConfigOverrides } from '../../server/config.ts';
import type { Projection } from '../../server/log/event.ts';
import { type TestDatabase, testDatabase } from './database.ts';
import { type TestHub, testHub } from './hub.ts';

export interface HubSuite {
  /** The hub, started in `before`: read it inside tests and hooks, not at module top level. */
  readonly hub: TestHub;
  /** The fresh database the hub runs on, created in `before`. */
  readonly database: TestDatabase;
  /**
   * Resolves once the database and the hub are up. A further `before` hook at module level
   * must await it first: there node runs `before` hooks at once, side by side, not in turn.
   */
  ready(): Promise<void>;
}

/**
 * One fresh database and one test hub on it for the calling scope (a test file, or the
 * `describe` it is called in): `before` creates both, `after` closes the hub and drops the
 * database. A further `before` hook that needs the hub starts with `await suite.ready()`.
 */
export function hubSuite(overrides: ConfigOverrides = {}, projections: Projection[] = [], clock?: Clock): HubSuite {
  let database: TestDatabase | undefined;
  let hub: TestHub | undefined;
  let starting: Promise<void> | undefined;
  const ready = () =>
    (starting ??= (async () => {
      database = await testDatabase();
      hub = await testHub(database.url, overrides, projections, clock);
    })());
  before(() => ready());
  after(async () => {
    await hub?.close();
    await database?.drop();
  });
  const notYet = (what: string): never => {
    throw new Error(`hubSuite: the ${what} is not there yet; it is created in a before hook, so read it inside a test or hook`);
  };
  return {
    get hub() {
      return hub ?? notYet('hub');
    },
    get database() {
      return database ?? notYet('database');
    },
    ready,
  };
}
