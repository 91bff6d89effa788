import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { buildDashboard, dashboardIsStale } from '../../server/dashboard/build.ts';
import { dashboardRoutes } from '../../server/dashboard/routes.ts';
import { HubError } from '../../server/errors.ts';
import type { HubEnv } from '../../server/http/env.ts';

let root: string;
let app: Hono<HubEnv>;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mc-dashboard-'));
  const dist = path.join(root, 'dist');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-ABC123.js"></script>');
  await writeFile(path.join(dist, 'assets', 'app-ABC123.js'), 'console.log(1)');
  await writeFile(path.join(dist, 'assets', 'app-ABC123.js.gz'), gzipSync('console.log(1)'));
  await writeFile(path.join(root, 'secret.txt'), 'not for the web');
  app = new Hono<HubEnv>();
  app.route('/', dashboardRoutes(dist));
  app.onError((error, c) => c.json({ code: error instanceof HubError ? error.code : 'internal' }, error instanceof HubError ? (error.status as 404) : 500));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('serving the dashboard', () => {
  test('/ is index.html, revalidated on every load', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /app-ABC123\.js/);
  });

  test('/ answers 304 to a matching If-None-Match', async () => {
    const etag = (await app.request('/')).headers.get('etag')!;
    assert.equal((await app.request('/', { headers: { 'if-none-match': etag } })).status, 304);
  });

  test('a hashed asset is cached for a year, immutable', async () => {
    const res = await app.request('/assets/app-ABC123.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(await res.text(), 'console.log(1)');
  });

  test('a client that takes gzip gets the precompressed file', async () => {
    const res = await app.request('/assets/app-ABC123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(res.headers.get('vary'), 'accept-encoding');
  });

  for (const probe of ['/assets/nope.js', '/assets/..%2Fsecret.txt', '/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/', '/assets/.gz']) {
    test(`${probe} is a 404 problem`, async () => {
      const res = await app.request(probe);
      assert.equal(res.status, 404);
      assert.notEqual(await res.text(), 'not for the web');
    });
  }

  test('without a build, / is a 404 that says how to build', async () => {
    const bare = new Hono<HubEnv>();
    bare.route('/', dashboardRoutes(path.join(root, 'missing')));
    bare.onError((error, c) => c.text(error.message, 404));
    const res = await bare.request('/');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /npm run build/);
  });
});

describe('knowing when to build', () => {
  test('stale when dist/index.html is missing, fresh after it, stale again when a source changes', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'mc-dashboard-src-'));
    try {
      await mkdir(path.join(project, 'src', 'state'), { recursive: true });
      await writeFile(path.join(project, 'index.html'), '<!doctype html>');
      await writeFile(path.join(project, 'src', 'state', 'store.ts'), 'export {}');
      assert.equal(await dashboardIsStale(project), true);
      await mkdir(path.join(project, 'dist'));
      await writeFile(path.join(project, 'dist', 'index.html'), 'built');
      const past = new Date(Date.now() - 60_000);
      await utimes(path.join(project, 'index.html'), past, past);
      await utimes(path.join(project, 'src', 'state', 'store.ts'), past, past);
      assert.equal(await dashboardIsStale(project), false);
      const future = new Date(Date.now() + 60_000);
      await utimes(path.join(project, 'src', 'state', 'store.ts'), future, future);
      assert.equal(await dashboardIsStale(project), true);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  test('never stale without sources (an image that ships only the API)', async () => {
    assert.equal(await dashboardIsStale(path.join(root, 'no-such-dashboard')), false);
  });
});

describe('building the dashboard', () => {
  test("styles ship without their indentation; markup keeps its whitespace", async () => {
    const site = await mkdtemp(path.join(tmpdir(), 'mc-dashboard-build-'));
    try {
      await mkdir(path.join(site, 'src'));
      await writeFile(path.join(site, 'index.html'), '<!doctype html><!-- mc:style --><!-- mc:script -->');
      await writeFile(
        path.join(site, 'src', 'main.ts'),
        [
          'const css = (parts: TemplateStringsArray) => parts.join("");',
          'const html = (parts: TemplateStringsArray) => parts.join("");',
          'export const style = css`',
          '  .card {',
          '    color: red;',
          '  }',
          '`;',
          'export const markup = html`<pre>',
          '  two spaces kept</pre>`;',
          'console.log(style, markup);',
        ].join('\n'),
      );
      const build = await buildDashboard(site);
      const script = build.files.find((f) => f.file.endsWith('.js'))!;
      const code = await readFile(path.join(site, 'dist', script.file), 'utf8');
      assert.match(code, /\.card \{ color: red; \}/);
      assert.match(code, /<pre>\n {2}two spaces kept<\/pre>/);
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});
