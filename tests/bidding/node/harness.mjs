// Runs the committed browser bundle (static/js/sealing.js) under Node.js for
// the interoperability tests: one request as JSON on stdin, one answer as
// JSON on stdout. Bytes travel as base64 (b64) or hex; large data as files.
// A refusal is an answer too: {"error": its name, "message": …}.

import { openAsBlob, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { dirname, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = process.env.PANJERE_SEALING_JS ?? resolve(here, "../../../static/js/sealing.js");
vm.runInThisContext(readFileSync(bundle, "utf8"), { filename: bundle });
const S = globalThis.PanjereSealing;

const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const bytes = (text) => new Uint8Array(Buffer.from(text, "base64"));
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const unhex = (text) => new Uint8Array(Buffer.from(text, "hex"));

async function writeBlob(blob, path) {
  await pipeline(Readable.fromWeb(blob.stream()), createWriteStream(path));
}

const commands = {
  async implementation() {
    return { x25519: await S.x25519Implementation() };
  },
  async jcs({ value }) {
    return { text: S.canonicalText(value) };
  },
  async "create-key"({ passphrase }) {
    const made = await S.createMemberKey(passphrase);
    return { keyFileText: made.keyFileText, publicKey: b64(made.publicKey), fingerprint: made.fingerprint };
  },
  async "unlock-key"({ keyFileText, passphrase }) {
    const opened = await S.unlockMemberKey(keyFileText, passphrase);
    return { privateKey: b64(opened.privateKey), publicKey: b64(opened.publicKey), fingerprint: opened.fingerprint };
  },
  async "change-passphrase"({ keyFileText, old, new: fresh }) {
    return { keyFileText: (await S.changePassphrase(keyFileText, old, fresh)).keyFileText };
  },
  async "open-share"({ sealed, privateKey, context }) {
    return { share: b64(await S.openShare(sealed, bytes(privateKey), context)) };
  },
  async "price-schedule"({ currency, items }) {
    const schedule = S.buildPriceSchedule(currency, items);
    const file = S.priceScheduleFile(schedule);
    return { schedule, file: b64(new Uint8Array(await file.file.arrayBuffer())) };
  },
  async seal({ files, tenderPublicKey, context, chunkSize, out, schedule }) {
    const entries = [];
    for (const file of files) {
      entries.push({ file: await openAsBlob(file.path), name: file.name, mediaType: file.mediaType, confidential: file.confidential });
    }
    if (schedule) entries.push(S.priceScheduleFile(schedule));
    const progress = [];
    const blob = await S.sealEnvelope({ files: entries, tenderPublicKey, context, chunkSize, onProgress: (p) => progress.push(p.phase) });
    await writeBlob(blob, out);
    return { ...blob.envelope, phases: [...new Set(progress)] };
  },
  async open({ path, privateKey, expectedContext, outDir }) {
    const opened = await S.openEnvelopeFiles(await openAsBlob(path), bytes(privateKey), { expectedContext });
    for (const [index, { blob }] of opened.files.entries()) await writeBlob(blob, resolve(outDir, String(index)));
    return { header: opened.header, manifest: opened.manifest, sha256: opened.sha256, size: opened.size };
  },
  async "open-raw"({ path, privateKey, out }) {
    const opened = await S.openEnvelope(await openAsBlob(path), bytes(privateKey));
    await writeBlob(opened.plaintext, out);
    return { header: opened.header, sha256: opened.sha256, size: opened.size };
  },
};

const request = JSON.parse(readFileSync(0, "utf8"));
S.configure({ x25519: request.x25519 ?? "auto" });
let answer;
try {
  answer = await commands[request.command](request);
} catch (error) {
  if (!(error instanceof S.errors.SealingError)) throw error;
  answer = { error: error.name, message: error.message };
}
writeFileSync(1, JSON.stringify(answer));
