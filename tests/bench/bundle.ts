import { gzipSync } from 'node:zlib';
import { buildDashboard } from '../../server/dashboard/build.ts';

export interface BundleResult {
  /** The dashboard as the hub serves it: every file of the build, minified and gzipped. */
  bytes: number;
  gzipBytes: number;
  /** The peer: Lit alone (`lit`, the components' runtime), bundled and minified the same way. */
  litGzipBytes: number;
}

/** Builds the dashboard as `npm run build` does, and Lit alone beside it, and weighs both. */
export async function runBundleSize(): Promise<BundleResult> {
  const build = await buildDashboard();
  const esbuild = await import('esbuild');
  const lit = await esbuild.build({
    stdin: { contents: "export * from 'lit';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return { bytes: build.bytes, gzipBytes: build.gzipBytes, litGzipBytes: gzipSync(lit.outputFiles[0]!.contents, { level: 9 }).length };
}
