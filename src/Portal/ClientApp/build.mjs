// Bundles every ClientApp/*.js entry point into wwwroot/dist with esbuild (no CDN: the app serves all assets).
// Usage: node ClientApp/build.mjs [--dev]   (--dev: unminified, with source maps)
// Frontend.targets runs this before every build whose inputs changed; it checks the .build-<mode> stamp
// written last, so switching between Debug (dev) and Release rebuilds the bundle.
import * as esbuild from 'esbuild';
import { readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const dev = process.argv.includes('--dev');
const clientApp = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(clientApp, '..', 'wwwroot', 'dist');

const entryPoints = (await readdir(clientApp))
  .filter((name) => name.endsWith('.js'))
  .map((name) => path.join(clientApp, name));

// bpmn-js-bpmnlint needs the lint rules compiled into the bundle: `import lintConfig from './.bpmnlintrc'`
// turns the JSON config into a module exporting { config, resolver }, as bpmnlint's rollup/webpack plugins do.
const bpmnlintConfig = {
  name: 'bpmnlintrc',
  setup(build) {
    build.onLoad({ filter: /\.bpmnlintrc$/ }, async (args) => {
      const compileConfig = require('bpmnlint/lib/support/compile-config');
      const config = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: await compileConfig(config), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

const started = performance.now();
// A clean folder, so fonts whose hashed names changed do not pile up and get published.
await rm(outdir, { recursive: true, force: true });

await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  // Fonts and images referenced from CSS (bootstrap-icons, bpmn-font) become files next to the bundle.
  loader: {
    '.woff': 'file',
    '.woff2': 'file',
    '.ttf': 'file',
    '.eot': 'file',
    '.svg': 'file',
    '.png': 'file',
  },
  assetNames: 'assets/[name]-[hash]',
  plugins: [bpmnlintConfig],
  logLevel: 'warning',
});

await mkdir(outdir, { recursive: true });
await writeFile(path.join(outdir, `.build-${dev ? 'dev' : 'release'}`), new Date().toISOString() + '\n');

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`esbuild: ${entryPoints.length} entry points -> wwwroot/dist (${dev ? 'dev' : 'release'}) in ${seconds}s`);
