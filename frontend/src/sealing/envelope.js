// The sealed envelope, byte for byte as panjere_client/envelope.py writes it
// (docs/sealing.md, "The envelope"): a header bound as HPKE's info, a
// content key sealed to the tender key, then AES-256-GCM chunks whose nonce
// carries the chunk index and a final flag. Sealing reads the plaintext a
// chunk at a time and keeps only ciphertext (as the parts of a Blob).

import { sha256 } from "@noble/hashes/sha2.js";

import { concat, equalBytes, fromHex, randomBytes, toHex, utf8 } from "./encoding.js";
import {
  BadMagic,
  ChunkOutOfOrder,
  ChunkTagMismatch,
  ContextMismatch,
  EnvelopeTooLarge,
  EnvelopeTruncated,
  InvalidContext,
  MalformedChunk,
  MalformedHeader,
  SealedKeyMismatch,
  TrailingData,
  UnsupportedSuite,
  UnsupportedVersion,
  WrongTenderKey,
} from "./errors.js";
import * as hpke from "./hpke.js";
import { canonicalize } from "./jcs.js";

export const MAGIC = new Uint8Array([0x89, 0x50, 0x4a, 0x45, 0x0d, 0x0a, 0x1a, 0x0a]);
export const FORMAT_VERSION = 1;
export const SUITE = "hpke-x25519-hkdfsha256-aes256gcm";
export const KINDS = ["technical", "financial", "single"];
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 1024 * 1024;
const MAX_HEADER_SIZE = 4096;
const SEALED_KEY_SIZE = 80;
const TAG_SIZE = 16;
const MORE = 0;
const FINAL = 1;
const CONTEXT_FIELDS = ["tender", "lot", "kind", "supplier", "bid_version"];
const HEADER_FIELDS = ["chunk_size", "context", "format", "nonce_prefix", "suite", "tender_key"];
const SEARCH_WINDOW = 256;

function checkId(value, name, Refusal) {
  if (typeof value !== "string" || value.length < 1 || value.length > 200) {
    throw new Refusal(`the ${name} is a string of 1 to 200 characters`);
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Refusal(`the ${name} holds a control character`);
}

// A context object, exactly {tender, lot, kind, supplier, bid_version}, checked.
export function checkContext(context, Refusal = InvalidContext) {
  if (context === null || typeof context !== "object" || Array.isArray(context)) {
    throw new Refusal("a context is an object");
  }
  const names = Object.keys(context).sort();
  if (names.join() !== [...CONTEXT_FIELDS].sort().join()) {
    throw new Refusal(`a context has exactly ${CONTEXT_FIELDS.join(", ")}`);
  }
  checkId(context.tender, "tender", Refusal);
  checkId(context.supplier, "supplier", Refusal);
  if (context.lot !== null) checkId(context.lot, "lot", Refusal);
  if (!KINDS.includes(context.kind)) throw new Refusal(`the kind is one of ${KINDS.join(", ")}`);
  const version = context.bid_version;
  if (!Number.isSafeInteger(version) || version < 1 || version > 2 ** 31 - 1) {
    throw new Refusal("the bid version is an integer from 1");
  }
  return Object.fromEntries(CONTEXT_FIELDS.map((name) => [name, context[name]]));
}

function u32(value) {
  return new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

function nonce(prefix, index, flag) {
  return concat(prefix, u32(index), new Uint8Array([flag]));
}

async function aesKey(raw, usage) {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, [usage]);
}

// Turns plaintext pieces into chunk records: a full chunk is held back until
// more comes, so the last one is the final one (1 to chunkSize bytes, or none
// only when the whole plaintext is empty), exactly as Python's Sealer does.
export class Sealer {
  constructor({ tenderPublicKey, context, chunkSize = DEFAULT_CHUNK_SIZE }) {
    if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new RangeError(`the chunk size is ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE} bytes`);
    }
    this.publicKey = hpke.rawKey(tenderPublicKey, "the tender public key");
    this.context = checkContext(context);
    this.chunkSize = chunkSize;
    this.parts = [];
    this.hash = sha256.create();
    this.size = 0;
    this.plaintextSize = 0;
    this.buffer = new Uint8Array(chunkSize);
    this.filled = 0;
    this.index = 0;
  }

  async start() {
    this.noncePrefix = randomBytes(7);
    const header = {
      format: FORMAT_VERSION,
      suite: SUITE,
      context: this.context,
      chunk_size: this.chunkSize,
      tender_key: hpke.fingerprint(this.publicKey),
      nonce_prefix: toHex(this.noncePrefix),
    };
    this.header = header;
    this.headerBytes = canonicalize(header);
    const contentKey = randomBytes(32);
    const sealedKey = await hpke.seal(this.publicKey, this.headerBytes, contentKey);
    this.key = await aesKey(contentKey, "encrypt");
    contentKey.fill(0);
    this.aad = sha256(this.headerBytes);
    const length = this.headerBytes.length;
    this.emit(concat(MAGIC, new Uint8Array([FORMAT_VERSION, length >> 8, length & 255])));
    this.emit(this.headerBytes);
    this.emit(sealedKey);
    return this;
  }

  emit(bytes) {
    this.parts.push(bytes);
    this.hash.update(bytes);
    this.size += bytes.length;
  }

  async chunk(plaintext, flag) {
    if (this.index >= 2 ** 32) throw new EnvelopeTooLarge("an envelope holds at most 2**32 chunks");
    const iv = nonce(this.noncePrefix, this.index, flag);
    const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: this.aad }, this.key, plaintext),
    );
    this.emit(concat(new Uint8Array([flag]), u32(ciphertext.length)));
    this.emit(ciphertext);
    this.index += 1;
  }

  async write(bytes) {
    let done = 0;
    while (done < bytes.length) {
      if (this.filled === this.chunkSize) {
        await this.chunk(this.buffer, MORE);
        this.filled = 0;
      }
      const take = Math.min(this.chunkSize - this.filled, bytes.length - done);
      this.buffer.set(bytes.subarray(done, done + take), this.filled);
      this.filled += take;
      done += take;
    }
    this.plaintextSize += bytes.length;
  }

  async close() {
    await this.chunk(this.buffer.subarray(0, this.filled), FINAL);
    this.buffer.fill(0);
    const blob = new Blob(this.parts, { type: "application/octet-stream" });
    this.parts = [];
    return {
      blob,
      header: this.header,
      sha256: toHex(this.hash.digest()),
      size: this.size,
      plaintextSize: this.plaintextSize,
    };
  }
}

// --- opening (for interoperability tests, and a member's own device) ----------

class BlobReader {
  constructor(blob) {
    this.blob = blob;
    this.at = 0;
  }

  async read(size) {
    const end = Math.min(this.at + size, this.blob.size);
    const bytes = new Uint8Array(await this.blob.slice(this.at, end).arrayBuffer());
    this.at = end;
    return bytes;
  }

  get left() {
    return this.blob.size - this.at;
  }
}

function sameContext(a, b) {
  return CONTEXT_FIELDS.every((name) => a[name] === b[name]);
}

// Read and check an envelope's header (no key needed); the reader is left at the first chunk.
export async function parseHeader(reader, { expectedContext, tenderKeyFingerprint } = {}) {
  const preamble = await reader.read(11);
  if (!equalBytes(preamble.subarray(0, Math.min(8, preamble.length)), MAGIC.subarray(0, Math.min(8, preamble.length)))) {
    throw new BadMagic("not a Panjere envelope (the magic bytes differ)");
  }
  if (preamble.length < 11) throw new EnvelopeTruncated("the envelope ends inside its preamble");
  if (preamble[8] !== FORMAT_VERSION) throw new UnsupportedVersion(`the envelope format version ${preamble[8]} is unknown`);
  const length = (preamble[9] << 8) | preamble[10];
  if (length < 1 || length > MAX_HEADER_SIZE) throw new MalformedHeader(`a header is 1 to ${MAX_HEADER_SIZE} bytes`);
  const raw = await reader.read(length);
  if (raw.length < length) throw new EnvelopeTruncated("the envelope ends inside its header");
  let header;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    if (!equalBytes(canonicalize(header), raw)) throw new Error("not in RFC 8785 canonical form");
  } catch (error) {
    throw new MalformedHeader(`the header is ${error.message}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new MalformedHeader("the header is not an object");
  if (header.format !== FORMAT_VERSION) throw new UnsupportedVersion(`the header's format ${header.format} is unknown`);
  if (header.suite !== SUITE) throw new UnsupportedSuite(`the suite ${header.suite} is unknown`);
  if (Object.keys(header).sort().join() !== HEADER_FIELDS.join()) throw new MalformedHeader("the header's members differ");
  checkContext(header.context, MalformedHeader);
  fromHex(header.tender_key, 32, MalformedHeader);
  const noncePrefix = fromHex(header.nonce_prefix, 7, MalformedHeader);
  const chunkSize = header.chunk_size;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new MalformedHeader("the chunk size is out of range");
  }
  const sealedKey = await reader.read(SEALED_KEY_SIZE);
  if (sealedKey.length < SEALED_KEY_SIZE) throw new EnvelopeTruncated("the envelope ends inside its sealed key");
  if (expectedContext !== undefined && expectedContext !== null) {
    const expected = checkContext(expectedContext);
    if (!sameContext(header.context, expected)) {
      const differ = CONTEXT_FIELDS.filter((name) => header.context[name] !== expected[name]);
      throw new ContextMismatch(`the envelope is for another context: ${differ.join(", ")}`);
    }
  }
  if (tenderKeyFingerprint !== undefined && header.tender_key !== tenderKeyFingerprint) {
    throw new WrongTenderKey(`the envelope is sealed to the tender key ${header.tender_key}`);
  }
  return { header, raw, noncePrefix, sealedKey, prefixSize: 11 + length + SEALED_KEY_SIZE };
}

// Open an envelope Blob with the tender private key: {header, plaintext (a Blob), sha256, size}.
export async function openEnvelope(blob, privateKey, { expectedContext, maxSize } = {}) {
  if (maxSize !== undefined && blob.size > maxSize) throw new EnvelopeTooLarge(`the envelope is larger than ${maxSize} bytes`);
  const reader = new BlobReader(blob);
  const ownFingerprint = hpke.fingerprint(await hpke.publicKeyOf(privateKey));
  const parsed = await parseHeader(reader, { expectedContext, tenderKeyFingerprint: ownFingerprint });
  let contentKey;
  try {
    contentKey = await hpke.open(privateKey, parsed.raw, parsed.sealedKey);
  } catch {
    throw new SealedKeyMismatch("the content key does not open: the header or the sealed key was altered");
  }
  if (contentKey.length !== 32) throw new SealedKeyMismatch("the sealed content key is not 32 bytes");
  const key = await aesKey(contentKey, "decrypt");
  contentKey.fill(0);
  const aad = sha256(parsed.raw);
  const chunkSize = parsed.header.chunk_size;
  const decrypt = async (index, flag, ciphertext) => {
    try {
      const iv = nonce(parsed.noncePrefix, index, flag);
      return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, ciphertext));
    } catch {
      return null;
    }
  };
  const parts = [];
  for (let index = 0; ; index++) {
    if (reader.left === 0) throw new EnvelopeTruncated(`the envelope ends after ${index} chunks, without its final chunk`);
    const head = await reader.read(5);
    if (head.length < 5) throw new EnvelopeTruncated(`the envelope ends inside the record of chunk ${index}`);
    const flag = head[0];
    const length = ((head[1] << 24) >>> 0) + (head[2] << 16) + (head[3] << 8) + head[4];
    if (flag === MORE ? length !== chunkSize + TAG_SIZE : flag !== FINAL || length < TAG_SIZE || length > chunkSize + TAG_SIZE) {
      throw new MalformedChunk(`chunk ${index}'s flag or length is not in the format`);
    }
    if (flag === FINAL && length === TAG_SIZE && index > 0) throw new MalformedChunk("an empty final chunk follows data");
    const ciphertext = await reader.read(length);
    if (ciphertext.length < length) throw new EnvelopeTruncated(`the envelope ends inside chunk ${index}`);
    if (flag === FINAL && reader.left > 0) throw new TrailingData(`bytes follow the final chunk (chunk ${index})`);
    const plaintext = await decrypt(index, flag, ciphertext);
    if (plaintext === null) {
      for (let other = Math.max(0, index - SEARCH_WINDOW); other <= index + SEARCH_WINDOW; other++) {
        if (other !== index && (await decrypt(other, flag, ciphertext)) !== null) {
          throw new ChunkOutOfOrder(`chunk ${other} stands at position ${index}: chunks were reordered or repeated`);
        }
      }
      if (flag === FINAL && (await decrypt(index, MORE, ciphertext)) !== null) {
        throw new EnvelopeTruncated(`chunk ${index} was marked final: the envelope was cut after it`);
      }
      throw new ChunkTagMismatch(`chunk ${index} does not authenticate: it was altered`);
    }
    parts.push(plaintext);
    if (flag === FINAL) break;
  }
  const hash = sha256.create();
  for (let at = 0; at < blob.size; at += 1024 * 1024) {
    hash.update(new Uint8Array(await blob.slice(at, at + 1024 * 1024).arrayBuffer()));
  }
  return {
    header: parsed.header,
    plaintext: new Blob(parts),
    sha256: toHex(hash.digest()),
    size: blob.size,
  };
}
