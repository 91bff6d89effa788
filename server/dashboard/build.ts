import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'esbuild';

/** The dashboard's folder: `src/`, `index.html`, and the build's `dist/`. */
export const dashboardRoot = fileURLToPath(new URL('../../dashboard/', import.meta.url));

export interface BuiltFile {
  /** Relative to `dist/`, e.g. `assets/app-3FJ2K5QX.js`. */
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** What a build wrote: the hashed JS and CSS the page loads (source maps left out). */
export interface DashboardBuild {
  files: BuiltFile[];
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles `dashboard/src/main.ts` with esbuild into `dist/assets/` under content-hashed names,
 * writes a `.gz` beside each, then `dist/index.html` pointing at them, then removes the assets
 * of earlier builds. A page that is open keeps working until it reloads.
 */
export async function buildDashboard(root: string = dashboardRoot): Promise<DashboardBuild> {
  // A dev dependency: imported only when a build is asked for, so a hub without it still starts.
  const esbuild = await import('esbuild');
  const dist = path.join(root, 'dist');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(root, 'src', 'main.ts') },
    outdir: dist,
    entryNames: 'assets/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [compactStyles(path.join(root, 'src'))],
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, output]) => output.entryPoint !== undefined);
  if (!entry) throw new Error('esbuild wrote no entry bundle');
  const href = (output: string) => `/${path.relative(dist, path.resolve(output)).split(path.sep).join('/')}`;
  const script = href(entry[0]);
  const style = entry[1].cssBundle ? href(entry[1].cssBundle) : undefined;

  const files: BuiltFile[] = [];
  for (const [output] of outputs.filter(([name]) => !name.endsWith('.map'))) {
    const body = await readFile(output);
    const zipped = gzipSync(body, { level: 9 });
    await writeFile(`${output}.gz`, zipped);
    files.push({ file: href(output).slice(1), bytes: body.length, gzipBytes: zipped.length });
  }
  const template = await readFile(path.join(root, 'index.html'), 'utf8');
  const page = template
    .replace('<!-- mc:style -->', style ? `<link rel="stylesheet" href="${style}">` : '')
    .replace('<!-- mc:script -->', `<script type="module" src="${script}"></script>`);
  await writeFile(path.join(dist, 'index.html'), page);
  await pruneAssets(path.join(dist, 'assets'), new Set(outputs.map(([name]) => path.basename(name))));
  return { files, bytes: sum(files.map((f) => f.bytes)), gzipBytes: sum(files.map((f) => f.gzipBytes)) };
}

/**
 * esbuild minifies the code but keeps template literals as written, so the components' styles
 * (Lit's css`...`) would ship with their indentation and line breaks: this folds every run of
 * whitespace in them to one space (about 1 KiB of the gzipped bundle). CSS reads the same; only
 * css`` templates are touched, never html`` ones, where whitespace can show.
 */
function compactStyles(src: string): Plugin {
  return {
    name: 'compact-styles',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(src)) return undefined;
        const source = await readFile(args.path, 'utf8');
        return { contents: source.replace(/\bcss`([^`]*)`/g, (_, text: string) => `css\`${text.replace(/\s+/g, ' ').trim()}\``), loader: 'ts' };
      });
    },
  };
}

/**
 * True when `dist/index.html` is missing or older than any file under `src/` or `index.html`.
 * False when there is no `src/` (an image that ships without the dashboard's sources).
 */
export async function dashboardIsStale(root: string = dashboardRoot): Promise<boolean> {
  const sources = await listFiles(path.join(root, 'src')).catch(() => undefined);
  if (!sources) return false;
  const built = await stat(path.join(root, 'dist', 'index.html')).catch(() => undefined);
  if (!built) return true;
  for (const file of [...sources, path.join(root, 'index.html')]) {
    if ((await stat(file)).mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

/** Builds the dashboard when it is missing or stale; tells `report` what it did. */
export async function ensureDashboard(report: (line: string) => void, root: string = dashboardRoot): Promise<void> {
  if (!(await dashboardIsStale(root))) return;
  report('the dashboard bundle is missing or older than its sources: building it');
  const build = await buildDashboard(root);
  report(`dashboard built: ${kib(build.bytes)} (${kib(build.gzipBytes)} gzipped)`);
}

/** The sizes as a small table, one line per file and a total. */
export function formatBuild(build: DashboardBuild): string {
  const width = Math.max(5, ...build.files.map((f) => `dist/${f.file}`.length)) + 2;
  const line = (name: string, bytes: number, gzipBytes: number) => `${name.padEnd(width)}${kib(bytes).padStart(10)}   gzip ${kib(gzipBytes).padStart(9)}`;
  return [...build.files.map((f) => line(`dist/${f.file}`, f.bytes, f.gzipBytes)), line('total', build.bytes, build.gzipBytes)].join('\n');
}

async function pruneAssets(assets: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(assets)) {
    if (!keep.has(name.replace(/\.gz$/, ''))) await rm(path.join(assets, name), { force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

// `npm run build`: build and print the sizes.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const build = await buildDashboard();
  process.stdout.write(`${formatBuild(build)}\n`);
}
