// Panjere's sealing bundle for the browser: one file, static/js/sealing.js,
// exposing the global `PanjereSealing`. It speaks the formats of
// docs/sealing.md exactly as the Python client (panjere_client) does; the
// interoperability tests in tests/bidding run this built file under Node.js.
//
// Nothing here talks to the network: the page fetches the tender key, the key
// file or the sealed share, calls these functions, and uploads what they return.

import { b64decode } from "./encoding.js";
import { readBundle, describe, writeBundle } from "./bundle.js";
import { checkContext, DEFAULT_CHUNK_SIZE, openEnvelope, Sealer } from "./envelope.js";
import * as errors from "./errors.js";
import { configure, fingerprint, x25519Implementation } from "./hpke.js";
import { canonicalText } from "./jcs.js";
import { changePassphrase, createMemberKey, DEFAULT_PARAMETERS, dumpKeyFile, unlockMemberKey } from "./memberKeys.js";
import { buildPriceSchedule, checkPriceSchedule, PRICE_SCHEDULE, priceScheduleFile } from "./priceSchedule.js";
import { openShare } from "./shares.js";

function publicKeyBytes(key) {
  return typeof key === "string" ? b64decode(key, 32, errors.KeyFormatError) : key;
}

// Seal files into one envelope for the tender key of context.kind.
//   files: [{file: Blob|File, name?, mediaType?, confidential?}] (a financial or
//     single envelope includes priceScheduleFile(schedule));
//   tenderPublicKey: 32 raw bytes or their base64; context: {tender, lot, kind,
//     supplier, bid_version}; onProgress({phase: "hashing"|"sealing", done, total}).
// Returns a Blob of the envelope; `blob.envelope` = {header, sha256, size}, to
// compare with the platform's receipt.
export async function sealEnvelope({ files, tenderPublicKey, context, chunkSize = DEFAULT_CHUNK_SIZE, onProgress = () => {} }) {
  const checked = checkContext(context);
  const total = files.reduce((sum, entry) => sum + entry.file.size, 0);
  let hashed = 0;
  const described = await describe(files, checked.kind, (size) => {
    hashed += size;
    onProgress({ phase: "hashing", done: hashed, total });
  });
  const sealer = await new Sealer({ tenderPublicKey: publicKeyBytes(tenderPublicKey), context: checked, chunkSize }).start();
  let sealed = 0;
  await writeBundle((bytes) => sealer.write(bytes), files, described, (size) => {
    sealed += size;
    onProgress({ phase: "sealing", done: sealed, total });
  });
  const result = await sealer.close();
  result.blob.envelope = { header: result.header, sha256: result.sha256, size: result.size };
  return result.blob;
}

// Open an envelope Blob with a tender private key (32 bytes): for the
// interoperability tests and a committee's own tools. Returns {header,
// manifest, files: [{entry, blob}], sha256, size}.
export async function openEnvelopeFiles(blob, privateKey, { expectedContext } = {}) {
  const opened = await openEnvelope(blob, privateKey, { expectedContext });
  const bundle = await readBundle(opened.plaintext, { kind: opened.header.context.kind });
  return { ...opened, manifest: bundle.manifest, files: bundle.files };
}

export {
  buildPriceSchedule,
  canonicalText,
  changePassphrase,
  checkPriceSchedule,
  configure,
  createMemberKey,
  DEFAULT_PARAMETERS,
  dumpKeyFile,
  errors,
  fingerprint,
  openEnvelope,
  openShare,
  PRICE_SCHEDULE,
  priceScheduleFile,
  unlockMemberKey,
  x25519Implementation,
};

export const VERSION = "1";
