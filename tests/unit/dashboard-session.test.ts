import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HubClientError } from '../../server/client/errors.ts';
import { Session, type TokenStorage, agentTokenRefusal, mayAct, splitStartupHash, tokenKey } from '../../dashboard/src/state/session.ts';
import type { Role, Whoami } from '../../dashboard/src/state/types.ts';

function memoryStorage(initial: Record<string, string> = {}): TokenStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const who = (role: Role): Whoami => ({ role, agentId: role === 'agent' ? 'agt_1' : null, actor: `${role}:tok_1`, tokenId: 'tok_1', name: 'ann', projectId: null });

describe('the start-up URL', () => {
  test('#token=... gives the token and an empty hash', () => {
    assert.deepEqual(splitStartupHash('#token=mc_abc'), { token: 'mc_abc', rest: '' });
  });

  test('a route before the token is kept', () => {
    assert.deepEqual(splitStartupHash('#/inbox/dec_1&token=mc_abc'), { token: 'mc_abc', rest: '#/inbox/dec_1' });
  });

  test('a hash without a token is left as it is', () => {
    assert.deepEqual(splitStartupHash('#/tasks'), { rest: '#/tasks' });
    assert.deepEqual(splitStartupHash(''), { rest: '' });
  });

  test('an empty token is no token, but is still taken out of the address', () => {
    assert.deepEqual(splitStartupHash('#token='), { rest: '' });
  });
});

describe('signing in', () => {
  test('a start-up token is checked, stored, and signs in with its role', async () => {
    const storage = memoryStorage();
    const session = new Session(storage, async () => who('operator'));
    await session.resume('mc_op');
    const state = session.state.value;
    assert.equal(state.status, 'signed_in');
    assert.equal(state.status === 'signed_in' && state.canAct, true);
    assert.equal(storage.items.get(tokenKey), 'mc_op');
  });

  test('without a start-up token the stored one is used', async () => {
    const seen: string[] = [];
    const session = new Session(memoryStorage({ [tokenKey]: 'mc_kept' }), async (token) => (seen.push(token), who('viewer')));
    await session.resume(undefined);
    assert.deepEqual(seen, ['mc_kept']);
    assert.equal(session.state.value.status, 'signed_in');
  });

  test('with neither it stays signed out without asking the hub', async () => {
    const session = new Session(memoryStorage(), async () => assert.fail('no token, no request'));
    await session.resume(undefined);
    assert.deepEqual(session.state.value, { status: 'signed_out' });
  });

  test('a viewer signs in but may not act', async () => {
    const session = new Session(memoryStorage(), async () => who('viewer'));
    await session.signIn('mc_view');
    const state = session.state.value;
    assert.equal(state.status === 'signed_in' && state.canAct, false);
  });

  test('an agent token is refused with the reason, and not kept', async () => {
    const storage = memoryStorage();
    const session = new Session(storage, async () => who('agent'));
    await session.signIn('mc_agent');
    assert.deepEqual(session.state.value, { status: 'signed_out', error: agentTokenRefusal });
    assert.equal(storage.items.has(tokenKey), false);
  });

  test('a token the hub does not know is forgotten, and the problem detail shown', async () => {
    const storage = memoryStorage({ [tokenKey]: 'mc_old' });
    const session = new Session(storage, async () => {
      throw new HubClientError(401, 'unauthorized', 'the token is unknown', 'refused');
    });
    await session.resume(undefined);
    const state = session.state.value;
    assert.equal(state.status, 'signed_out');
    assert.match(state.status === 'signed_out' ? (state.error ?? '') : '', /the token is unknown/);
    assert.equal(storage.items.has(tokenKey), false);
  });

  test('an unreachable hub keeps the stored token for the next try', async () => {
    const storage = memoryStorage({ [tokenKey]: 'mc_kept' });
    const session = new Session(storage, async () => {
      throw new HubClientError(0, 'unreachable', 'connection refused', 'down');
    });
    await session.resume(undefined);
    const state = session.state.value;
    assert.match(state.status === 'signed_out' ? (state.error ?? '') : '', /cannot reach the hub: connection refused/);
    assert.equal(storage.items.get(tokenKey), 'mc_kept');
  });

  test('signing out forgets the token', async () => {
    const storage = memoryStorage();
    const session = new Session(storage, async () => who('admin'));
    await session.signIn('mc_admin');
    session.signOut();
    assert.deepEqual(session.state.value, { status: 'signed_out' });
    assert.equal(storage.items.has(tokenKey), false);
  });
});

describe('what a role may do', () => {
  test('admins and operators act; viewers and the healer only watch', () => {
    assert.deepEqual((['admin', 'operator', 'viewer', 'healer', 'agent'] as const).map(mayAct), [true, true, false, false, false]);
  });
});
