// Build docs/assets/js/plotly-partial.min.js: plotly.js with only the trace types the
// site draws, plus the Swedish locale, as one minified file defining the global `Plotly`.
//
// Run through build_plotly.sh (it runs `npm ci` first so the versions are the locked ones).
// The output is deterministic: same lock file, same bytes. No date goes into the header.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '..', '..', 'docs', 'assets', 'js', 'plotly-partial.min.js');
const PLOTLY_DIR = join(HERE, 'node_modules', 'plotly.js');
// What the bundle was built from and what came out, so that a test can tell, without
// rebuilding, that the committed bundle is the one the committed lock file builds.
const RECORD = join(HERE, 'plotly-partial.sha256.json');
const RECORD_INPUTS = ['package-lock.json', 'build_plotly.mjs', 'build_plotly.sh'];

// Trace modules registered on top of core; `scatter` is part of plotly.js/lib/core.
const EXTRA_TRACES = ['bar', 'heatmap', 'choropleth'];
const TRACES = ['bar', 'scatter', 'heatmap', 'choropleth'];
// English is built into core; Swedish is the site's second language.
const LOCALES = ['sv'];

// Read a package's version from its own package.json (the installed, locked one).
function packageVersion(dir) {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

// The CommonJS entry module, kept here so the header and the code cannot disagree.
function entrySource() {
    const requires = [
        ...EXTRA_TRACES.map((t) => `require('plotly.js/lib/${t}')`),
        ...LOCALES.map((l) => `require('plotly.js/lib/locales/${l}')`),
    ];
    return [
        "'use strict';",
        "var Plotly = require('plotly.js/lib/core');",
        `Plotly.register([${requires.join(', ')}]);`,
        'module.exports = Plotly;',
        '',
    ].join('\n');
}

// Header comment: what is inside, where it came from, how to rebuild it.
function banner(plotlyVersion, esbuildVersion) {
    const distHeader = readFileSync(join(PLOTLY_DIR, 'dist', 'plotly.js'), 'utf8').slice(0, 400);
    const copyright = distHeader.match(/Copyright [0-9-]+, Plotly, Inc\./);
    if (!copyright) throw new Error('no copyright line in plotly.js/dist/plotly.js header');
    return [
        '/*!',
        ` * plotly-partial.min.js: partial bundle of plotly.js v${plotlyVersion}`,
        ` * ${copyright[0]} Licensed under the MIT license.`,
        ` * traces: ${TRACES.join(', ')}`,
        ` * locales: en (built in), ${LOCALES.join(', ')}`,
        ` * built with esbuild ${esbuildVersion} by scripts/assets/build_plotly.sh; do not edit by hand`,
        ' */',
    ].join('\n');
}

// Bundle with esbuild into an IIFE that assigns the global `Plotly`.
async function bundle(header) {
    const result = await esbuild.build({
        stdin: { contents: entrySource(), resolveDir: HERE, sourcefile: 'plotly-entry.cjs', loader: 'js' },
        bundle: true,
        format: 'iife',
        globalName: 'Plotly',
        platform: 'browser',
        target: 'es2017',
        minify: true,
        legalComments: 'eof',
        banner: { js: header },
        // plotly.js/src/registry.js requires maplibre-gl's CSS for `map` subplots; we have none.
        loader: { '.css': 'empty' },
        // Same defines as plotly.js's own esbuild-config.js.
        define: { global: 'window', 'define.amd': 'false' },
        write: false,
        metafile: true,
        logLevel: 'warning',
    });
    return { code: result.outputFiles[0].contents, metafile: result.metafile };
}

// Fail if a trace module outside the expected helpers slipped into the bundle.
function checkTraceDirs(metafile) {
    // bar/heatmap/choropleth reuse code from these trace folders without registering them
    const helpers = ['pie', 'histogram', 'histogram2d', 'scattergeo'];
    const allowed = new Set([...TRACES, ...helpers]);
    const found = new Set();
    for (const path of Object.keys(metafile.inputs)) {
        const m = path.match(/plotly\.js\/src\/traces\/([^/]+)\//);
        if (m) found.add(m[1]);
    }
    const extra = [...found].filter((t) => !allowed.has(t));
    if (extra.length) throw new Error(`unexpected trace folders in bundle: ${extra.join(', ')}`);
}

// Load data
const plotlyVersion = packageVersion(PLOTLY_DIR);
const esbuildVersion = esbuild.version;

// Process data
const { code, metafile } = await bundle(banner(plotlyVersion, esbuildVersion));
checkTraceDirs(metafile);

// Save outputs
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, code);
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const inputs = Object.fromEntries(RECORD_INPUTS.map((name) => [name, sha256(readFileSync(join(HERE, name)))]));
writeFileSync(RECORD, JSON.stringify({ inputs, output: { 'docs/assets/js/plotly-partial.min.js': sha256(code) } }, null, 2) + '\n');

const full = readFileSync(join(PLOTLY_DIR, 'dist', 'plotly.min.js'));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
console.log(`wrote ${OUT}`);
console.log(`sha256 ${createHash('sha256').update(code).digest('hex')}`);
console.log(`partial: ${kb(code.length)} raw, ${kb(gz(code))} gzip -9`);
console.log(`full plotly.min.js ${plotlyVersion}: ${kb(full.length)} raw, ${kb(gz(full))} gzip -9`);
