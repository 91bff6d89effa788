import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { secretEnvironment, secretSetting } from '../../server/client/secret-setting.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mc-secret-setting-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe('secretSetting', () => {
  test('reads NAME_FILE, dropping the line break an editor leaves at the end', () => {
    const file = secretFile('token', 'mc_from_a_file\n');
    assert.deepEqual(secretSetting({ MC_ADMIN_TOKEN_FILE: file }, 'MC_ADMIN_TOKEN'), { value: 'mc_from_a_file', file });
  });

  test('takes NAME when no file is named, and nothing when neither is set (empty counts as unset)', () => {
    assert.deepEqual(secretSetting({ MC_ADMIN_TOKEN: 'mc_plain' }, 'MC_ADMIN_TOKEN'), { value: 'mc_plain' });
    assert.equal(secretSetting({ MC_ADMIN_TOKEN: '', MC_ADMIN_TOKEN_FILE: '' }, 'MC_ADMIN_TOKEN'), undefined);
  });

  test('refuses both at once, naming both', () => {
    const file = secretFile('both', 'x');
    assert.throws(() => secretSetting({ DATABASE_URL: 'postgres://x', DATABASE_URL_FILE: file }, 'DATABASE_URL'), /DATABASE_URL and DATABASE_URL_FILE are both set/);
  });

  test('refuses a file it cannot read, or an empty one, naming the variable and the file', () => {
    const missing = path.join(dir, 'missing');
    assert.throws(() => secretSetting({ MC_HEALER_SECRET_FILE: missing }, 'MC_HEALER_SECRET'), (error: Error) => error.message.includes('MC_HEALER_SECRET_FILE') && error.message.includes(missing) && error.message.includes('ENOENT'));
    const empty = secretFile('empty', '\n');
    assert.throws(() => secretSetting({ MC_HEALER_SECRET_FILE: empty }, 'MC_HEALER_SECRET'), /which is empty/);
  });
});

describe('secretEnvironment', () => {
  test('hands a child the file when there is one, so its environment holds no secret', () => {
    assert.deepEqual(secretEnvironment('MC_HEALER_TOKEN', { value: 'mc_x', file: '/run/secrets/healer-token' }), { MC_HEALER_TOKEN_FILE: '/run/secrets/healer-token' });
    assert.deepEqual(secretEnvironment('MC_HEALER_TOKEN', { value: 'mc_x' }), { MC_HEALER_TOKEN: 'mc_x' });
    assert.deepEqual(secretEnvironment('MC_HEALER_TOKEN', undefined), {});
  });
});
