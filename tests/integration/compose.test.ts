import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const missing = compose.error ? 'docker-compose is not installed (Debian package docker-compose; .ci/run installs it)' : false;

test('docker-compose.dev.yml is a valid compose file', { skip: missing }, () => {
  execFileSync('docker-compose', ['-f', 'docker-compose.dev.yml', 'config', '-q'], { cwd: root, stdio: 'pipe' });
});

test('the compose stack runs the hub from this checkout against its own PostgreSQL', { skip: missing }, () => {
  const config = execFileSync('docker-compose', ['-f', 'docker-compose.dev.yml', 'config'], { cwd: root, encoding: 'utf8' });
  assert.match(config, /postgres:\n/);
  assert.match(config, /hub:\n/);
  assert.match(config, /DATABASE_URL: postgres:\/\/\S+@postgres:5432\//);
  assert.match(config, /condition: service_healthy/);
});

test('the compose stack runs the healer as its own service, pointed at the hub', { skip: missing }, () => {
  const config = execFileSync('docker-compose', ['-f', 'docker-compose.dev.yml', 'config'], { cwd: root, encoding: 'utf8' });
  assert.match(config, /healer:\n/);
  assert.match(config, /server\/healer\/main\.ts/);
  assert.match(config, /MC_HUB_URL: http:\/\/hub:8787/);
  assert.match(config, /MC_HEALER: 'off'|MC_HEALER: "off"|MC_HEALER: off/);
});
