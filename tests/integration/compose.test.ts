import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { skipUnlessCi } from '../helpers/skip.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const missing = skipUnlessCi(compose.error ? 'docker-compose is not installed (Debian package docker-compose; .ci/run installs it)' : false);

/** The secrets an operator sets before `up`: the stack has no default for any of them. */
const secrets = {
  POSTGRES_PASSWORD: 'pw0123456789abcdef',
  MC_HEALER_TOKEN: 'mc_compose_test_healer_token_0123456789',
  MC_HEALER_SECRET: `whsec_${Buffer.from('the compose test callback secret').toString('base64')}`,
  MC_RUNNER_TOKEN: 'mc_compose_test_runner_token_0123456789',
};

/** `docker-compose config` with only `env` (and PATH) in its environment. */
function composeConfig(env: Record<string, string>) {
  return spawnSync('docker-compose', ['-f', 'docker-compose.dev.yml', 'config'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
}

interface Service {
  environment: Record<string, string>;
  command?: string[];
  ports?: Array<string | { host_ip?: string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
}

function services(): Record<string, Service> {
  const run = composeConfig(secrets);
  assert.equal(run.status, 0, run.stderr);
  return (parseYaml(run.stdout) as { services: Record<string, Service> }).services;
}

test('docker-compose.dev.yml is a valid compose file once its secrets are set', { skip: missing }, () => {
  const run = composeConfig(secrets);
  assert.equal(run.status, 0, run.stderr);
});

test('the compose stack runs the hub from this checkout against its own PostgreSQL', { skip: missing }, () => {
  const { postgres, hub } = services();
  assert.ok(postgres && hub);
  assert.equal(hub.environment.DATABASE_URL, `postgres://mission_control:${secrets.POSTGRES_PASSWORD}@postgres:5432/mission_control`);
  assert.equal(postgres.environment.POSTGRES_PASSWORD, secrets.POSTGRES_PASSWORD);
  assert.deepEqual(hub.depends_on, { postgres: { condition: 'service_healthy' } });
});

test('the compose stack runs the healer as its own service, pointed at the hub', { skip: missing }, () => {
  const { hub, healer } = services();
  assert.ok(healer?.command?.includes('server/healer/main.ts'));
  assert.equal(healer!.environment.MC_HUB_URL, 'http://hub:8787');
  assert.equal(hub!.environment.MC_HEALER, 'off');
});

test('the compose stack runs a runner as its own service, pointed at the hub, with the token the hub registers', { skip: missing }, () => {
  const { hub, runner } = services();
  assert.ok(runner?.command?.includes('server/runner/main.ts'));
  assert.equal(runner!.environment.MC_HUB_URL, 'http://hub:8787');
  assert.equal(hub!.environment.MC_RUNNER, 'off');
  assert.equal(hub!.environment.MC_RUNNER_TOKEN, secrets.MC_RUNNER_TOKEN);
  assert.equal(runner!.environment.MC_RUNNER_TOKEN, secrets.MC_RUNNER_TOKEN);
  assert.equal((runner as Service & { ports?: unknown }).ports, undefined, 'a runner listens on nothing');
});

describe('secrets in the compose stack', { skip: missing }, () => {
  for (const name of Object.keys(secrets)) {
    test(`without ${name} it refuses to start, saying to set it`, () => {
      const { [name as keyof typeof secrets]: _left, ...rest } = secrets;
      const run = composeConfig(rest);
      assert.notEqual(run.status, 0, `it started without ${name}`);
      assert.match(run.stderr, new RegExp(`set ${name}, `));
    });
  }

  test('the healer signs in with the token the hub registers, and both share the callback secret', () => {
    const { hub, healer } = services();
    assert.equal(hub!.environment.MC_HEALER_TOKEN, secrets.MC_HEALER_TOKEN);
    assert.equal(healer!.environment.MC_HEALER_TOKEN, secrets.MC_HEALER_TOKEN);
    assert.equal(hub!.environment.MC_HEALER_SECRET, secrets.MC_HEALER_SECRET);
    assert.equal(healer!.environment.MC_HEALER_SECRET, secrets.MC_HEALER_SECRET);
  });
});

describe('listening in the compose stack', { skip: missing }, () => {
  test('the hub and the healer listen on every address inside their containers, published on loopback only', () => {
    const { hub, healer } = services();
    for (const [name, service] of Object.entries({ hub, healer })) {
      assert.equal(service!.environment.HOST, '0.0.0.0', name);
      for (const port of service!.ports ?? []) assert.match(typeof port === 'string' ? port : String(port.host_ip), /^127\.0\.0\.1/, `${name} publishes ${JSON.stringify(port)}`);
    }
  });

  test('the image sets HOST=0.0.0.0 for any container run from it', () => {
    assert.match(readFileSync(path.join(root, 'Dockerfile'), 'utf8'), /^ENV HOST=0\.0\.0\.0$/m);
  });
});
