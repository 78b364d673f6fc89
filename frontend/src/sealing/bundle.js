// The bundle inside an envelope (panjere_client/bundle.py): magic, version,
// a manifest (canonical JSON: each file's name, media type, size, SHA-256,
// confidential flag), then the files' bytes in order. Files are read twice,
// a slice at a time: once to hash them, once to seal them.

import { sha256 } from "@noble/hashes/sha2.js";

import { concat, toHex } from "./encoding.js";
import {
  BadBundleMagic,
  BundleTrailingData,
  BundleTruncated,
  FileChanged,
  FileHashMismatch,
  MalformedManifest,
  MalformedPriceSchedule,
} from "./errors.js";
import { canonicalize } from "./jcs.js";
import { checkPriceSchedule, PRICE_SCHEDULE } from "./priceSchedule.js";

export const MAGIC = new Uint8Array([0x89, 0x50, 0x4a, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]);
const VERSION = 1;
const SLICE = 1024 * 1024;
const MAX_FILES = 1000;
const MAX_MANIFEST_SIZE = 1024 * 1024;
const MAX_PRICE_SCHEDULE_SIZE = 1024 * 1024;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const FORBIDDEN = /[\u0000-\u001f\u007f/\\<>:"|?*]/;

export function checkName(name) {
  if (typeof name !== "string" || !name) throw new MalformedManifest("a file name is a non-empty string");
  if (new TextEncoder().encode(name).length > 255) throw new MalformedManifest(`the file name ${name.slice(0, 40)}… is over 255 bytes`);
  if (name.normalize("NFC") !== name) throw new MalformedManifest(`the file name ${name} is not in Unicode NFC`);
  if (FORBIDDEN.test(name) || name === "." || name === ".." || name !== name.trim()) {
    throw new MalformedManifest(`the file name ${JSON.stringify(name)} is not a plain file name`);
  }
  return name;
}

function mediaTypeOf(entry) {
  const given = (entry.mediaType ?? entry.file.type ?? "").split(";")[0].trim().toLowerCase();
  return given || "application/octet-stream";
}

// Check a manifest's entries and the rule of its envelope kind.
export function checkManifest(files, kind) {
  if (files.length < 1 || files.length > MAX_FILES) throw new MalformedManifest(`a bundle holds 1 to ${MAX_FILES} files`);
  const folded = new Set();
  for (const entry of files) {
    checkName(entry.name);
    if (!MEDIA_TYPE.test(entry.media_type)) throw new MalformedManifest(`${entry.name}: ${entry.media_type} is not a media type`);
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) throw new MalformedManifest(`${entry.name}: the size is out of range`);
    if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new MalformedManifest(`${entry.name}: the SHA-256 is not 64 lower-case hex digits`);
    if (typeof entry.confidential !== "boolean") throw new MalformedManifest(`${entry.name}: 'confidential' is true or false`);
    // toLowerCase here, str.lower() in Python: the same Unicode mapping.
    const key = entry.name.toLowerCase();
    if (folded.has(key)) throw new MalformedManifest("two files have the same name (ignoring case)");
    folded.add(key);
  }
  const schedule = files.find((entry) => entry.name === PRICE_SCHEDULE);
  if (schedule && schedule.size > MAX_PRICE_SCHEDULE_SIZE) throw new MalformedPriceSchedule("the price schedule is over 1 MiB");
  if (schedule && schedule.media_type !== "application/json") throw new MalformedPriceSchedule("the price schedule's media type is application/json");
  if (kind === "technical" && schedule) throw new MalformedPriceSchedule("a technical envelope holds no price schedule");
  if ((kind === "financial" || kind === "single") && !schedule) throw new MalformedPriceSchedule(`a ${kind} envelope holds ${PRICE_SCHEDULE}`);
}

async function* slices(blob) {
  for (let at = 0; at < blob.size; at += SLICE) {
    yield new Uint8Array(await blob.slice(at, Math.min(at + SLICE, blob.size)).arrayBuffer());
  }
}

async function hashBlob(blob, progress) {
  const hash = sha256.create();
  for await (const bytes of slices(blob)) {
    hash.update(bytes);
    progress(bytes.length);
  }
  return toHex(hash.digest());
}

// entries: [{file: Blob|File, name?, mediaType?, confidential?}] → the manifest's entries.
export async function describe(entries, kind, progress = () => {}) {
  const files = [];
  for (const entry of entries) {
    if (!(entry.file instanceof Blob)) throw new TypeError("each file is given as a Blob or File");
    const name = (entry.name ?? entry.file.name ?? "").normalize("NFC");
    files.push({
      name,
      media_type: mediaTypeOf(entry),
      size: entry.file.size,
      sha256: await hashBlob(entry.file, progress),
      confidential: entry.confidential === true,
    });
  }
  checkManifest(files, kind);
  const schedule = files.findIndex((entry) => entry.name === PRICE_SCHEDULE);
  if (schedule >= 0) {
    let parsed;
    try {
      parsed = JSON.parse(await entries[schedule].file.text());
    } catch (error) {
      throw new MalformedPriceSchedule(`the price schedule is not valid JSON (${error.message})`);
    }
    checkPriceSchedule(parsed);
  }
  const manifest = canonicalize({ format: VERSION, files });
  if (manifest.length > MAX_MANIFEST_SIZE) throw new MalformedManifest("the manifest is over 1 MiB");
  return { files, manifest };
}

// Write the bundle's bytes into `sink` (an async write(bytes)), checking each file is unchanged.
export async function writeBundle(sink, entries, described, progress = () => {}) {
  const { files, manifest } = described;
  const length = manifest.length;
  await sink(concat(MAGIC, new Uint8Array([VERSION, length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255])));
  await sink(manifest);
  for (let i = 0; i < entries.length; i++) {
    const hash = sha256.create();
    let size = 0;
    for await (const bytes of slices(entries[i].file)) {
      hash.update(bytes);
      size += bytes.length;
      await sink(bytes);
      progress(bytes.length);
    }
    if (size !== files[i].size || toHex(hash.digest()) !== files[i].sha256) {
      throw new FileChanged(`${files[i].name} changed while it was being sealed`);
    }
  }
}

// Read a bundle Blob: {manifest, files: [{entry, blob}]}, every file's size and hash checked.
export async function readBundle(blob, { kind } = {}) {
  const head = new Uint8Array(await blob.slice(0, 13).arrayBuffer());
  for (let i = 0; i < Math.min(8, head.length); i++) {
    if (head[i] !== MAGIC[i]) throw new BadBundleMagic("not a Panjere bundle (the magic bytes differ)");
  }
  if (head.length < 13) throw new BundleTruncated("the bundle ends inside its preamble");
  if (head[8] !== VERSION) throw new MalformedManifest(`the bundle format version ${head[8]} is unknown`);
  const length = ((head[9] << 24) >>> 0) + (head[10] << 16) + (head[11] << 8) + head[12];
  if (length < 1 || length > MAX_MANIFEST_SIZE) throw new MalformedManifest("the manifest's length is out of range");
  const raw = new Uint8Array(await blob.slice(13, 13 + length).arrayBuffer());
  if (raw.length < length) throw new BundleTruncated("the bundle ends inside its manifest");
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (error) {
    throw new MalformedManifest(`the manifest is not valid JSON (${error.message})`);
  }
  const canonical = canonicalize(manifest);
  if (canonical.length !== raw.length || canonical.some((byte, i) => byte !== raw[i])) {
    throw new MalformedManifest("the manifest is not in RFC 8785 canonical form");
  }
  checkManifest(manifest.files ?? [], kind);
  const files = [];
  let at = 13 + length;
  for (const entry of manifest.files) {
    const part = blob.slice(at, at + entry.size);
    if (part.size < entry.size) throw new BundleTruncated(`the bundle ends inside ${entry.name}`);
    if ((await hashBlob(part, () => {})) !== entry.sha256) throw new FileHashMismatch(`${entry.name} does not match its SHA-256`);
    files.push({ entry, blob: part });
    at += entry.size;
  }
  if (at !== blob.size) throw new BundleTrailingData("bytes follow the last file of the bundle");
  return { manifest, files };
}
