// Build static/js/sealing.js from src/sealing (npm run build), or check that
// the committed file is what the sources build to (npm run check-bundle).
// esbuild is pinned exactly, so one source gives one output, byte for byte.
//
//   node build.mjs                      write ../static/js/sealing.js
//   node build.mjs --outfile PATH       write PATH instead
//   node build.mjs --check              exit 1 if the committed file differs

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const committed = resolve(here, "../static/js/sealing.js");
const args = process.argv.slice(2);
const outfile = args.includes("--outfile") ? resolve(args[args.indexOf("--outfile") + 1]) : committed;
const { version: esbuildVersion } = JSON.parse(readFileSync(resolve(here, "node_modules/esbuild/package.json"), "utf8"));

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/sealing/index.js"],
  bundle: true,
  format: "iife",
  globalName: "PanjereSealing",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  legalComments: "eof",
  charset: "utf8",
  write: false,
  banner: {
    js: `/* Panjere sealing bundle: built from frontend/src/sealing by \`npm run build\` (esbuild ${esbuildVersion}). Do not edit: change the sources and rebuild. Bundles @hpke/core, @hpke/common, @hpke/dhkem-x25519 (MIT, Ajitomi Daisuke; X25519 from noble-curves, MIT, Paul Miller) and @noble/hashes (MIT, Paul Miller). */`,
  },
  logLevel: "warning",
});
const output = result.outputFiles[0].contents;

if (args.includes("--check")) {
  const current = readFileSync(committed);
  if (Buffer.compare(Buffer.from(output), current) !== 0) {
    console.error("static/js/sealing.js is not what frontend/src/sealing builds to: run `make bundle` and commit it.");
    process.exit(1);
  }
  console.log(`static/js/sealing.js is current (${current.length} bytes).`);
} else {
  writeFileSync(outfile, output);
  console.log(`${outfile}: ${output.length} bytes`);
}
