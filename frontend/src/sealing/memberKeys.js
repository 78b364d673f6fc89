// A committee member's key file, made and opened on the member's own device:
// the same JSON, byte for byte, as panjere_client/member_keys.py writes. The
// private key is AES-256-GCM-encrypted under the key Argon2id (@noble/hashes,
// pure JavaScript: no WebAssembly for the CSP to allow) derives from the
// NFC-normalised passphrase; the AAD is the canonical JSON of the rest of
// the file.

import { argon2idAsync } from "@noble/hashes/argon2.js";

import { b64decode, b64encode, randomBytes, utf8 } from "./encoding.js";
import { MalformedKeyFile, WeakPassphrase, WrongPassphrase } from "./errors.js";
import { fingerprint, generateKeyPair, publicKeyOf } from "./hpke.js";
import { canonicalize } from "./jcs.js";

export const DEFAULT_PARAMETERS = Object.freeze({ memory_kib: 19456, iterations: 2, parallelism: 1 });
export const MIN_PASSPHRASE_LENGTH = 12;
const FIELDS = ["cipher", "encrypted_private_key", "format", "kdf", "public_key", "version"];
const KDF_FIELDS = ["algorithm", "iterations", "memory_kib", "parallelism", "salt", "version"];

function checkParameters({ memory_kib: m, iterations: t, parallelism: p }) {
  if (![m, t, p].every(Number.isSafeInteger)) throw new MalformedKeyFile("the Argon2id parameters are integers");
  if (p < 1 || p > 4 || t < 1 || t > 10) throw new MalformedKeyFile("Argon2id runs 1 to 10 iterations on 1 to 4 lanes here");
  if (m < 8 * p || m > 1024 * 1024) throw new MalformedKeyFile("the Argon2id memory is out of range");
  if (m * t < 7168 * 5) throw new MalformedKeyFile("the Argon2id parameters are weaker than OWASP's minimum");
}

function sortedCopy(value) {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((name) => [name, sortedCopy(value[name])]));
  }
  return value;
}

// The file's text: sorted members, two-space indents, a final newline (Python's json.dumps(indent=2, sort_keys=True)).
export function dumpKeyFile(keyFile) {
  return `${JSON.stringify(sortedCopy(keyFile), null, 2)}\n`;
}

function unsealed(keyFile) {
  const { encrypted_private_key: _, ...rest } = keyFile;
  return rest;
}

export function parseKeyFile(keyFile) {
  let document = keyFile;
  if (typeof keyFile === "string") {
    try {
      document = JSON.parse(keyFile);
    } catch (error) {
      throw new MalformedKeyFile(`the key file is not valid JSON (${error.message})`);
    }
  }
  const same = (object, fields) =>
    object !== null && typeof object === "object" && Object.keys(object).sort().join() === fields.join();
  if (!same(document, FIELDS)) throw new MalformedKeyFile("not a member key file (its members differ)");
  if (document.format !== "panjere-member-key" || document.version !== 1) throw new MalformedKeyFile("not a member key file of version 1");
  const { kdf, cipher } = document;
  if (!same(kdf, KDF_FIELDS) || kdf.algorithm !== "argon2id" || kdf.version !== 19) throw new MalformedKeyFile("the key file's KDF is not Argon2id version 19");
  if (!same(cipher, ["algorithm", "nonce"]) || cipher.algorithm !== "aes-256-gcm") throw new MalformedKeyFile("the key file's cipher is not AES-256-GCM");
  checkParameters(kdf);
  return {
    document,
    publicKey: b64decode(document.public_key, 32, MalformedKeyFile),
    salt: b64decode(kdf.salt, 16, MalformedKeyFile),
    nonce: b64decode(cipher.nonce, 12, MalformedKeyFile),
    encrypted: b64decode(document.encrypted_private_key, 48, MalformedKeyFile),
  };
}

async function derive(passphrase, salt, { memory_kib, iterations, parallelism }, onProgress) {
  const raw = await argon2idAsync(utf8(passphrase.normalize("NFC")), salt, {
    t: iterations,
    m: memory_kib,
    p: parallelism,
    dkLen: 32,
    asyncTick: 25,
    onProgress,
  });
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function checkNew(passphrase) {
  if (typeof passphrase !== "string" || [...passphrase.normalize("NFC")].length < MIN_PASSPHRASE_LENGTH) {
    throw new WeakPassphrase(`a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

async function seal(privateKey, publicKey, passphrase, parameters, onProgress) {
  checkParameters(parameters);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const document = {
    format: "panjere-member-key",
    version: 1,
    public_key: b64encode(publicKey),
    kdf: {
      algorithm: "argon2id",
      version: 19,
      memory_kib: parameters.memory_kib,
      iterations: parameters.iterations,
      parallelism: parameters.parallelism,
      salt: b64encode(salt),
    },
    cipher: { algorithm: "aes-256-gcm", nonce: b64encode(nonce) },
  };
  const key = await derive(passphrase, salt, parameters, onProgress);
  const encrypted = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: canonicalize(document) }, key, privateKey),
  );
  const keyFile = sortedCopy({ ...document, encrypted_private_key: b64encode(encrypted) });
  return { keyFile, keyFileText: dumpKeyFile(keyFile), publicKey, fingerprint: fingerprint(publicKey) };
}

// Make a key pair on this device and its key file under `passphrase`.
export async function createMemberKey(passphrase, { parameters = DEFAULT_PARAMETERS, onProgress } = {}) {
  checkNew(passphrase);
  const { privateKey, publicKey } = await generateKeyPair();
  try {
    return await seal(privateKey, publicKey, passphrase, parameters, onProgress);
  } finally {
    privateKey.fill(0);
  }
}

// The private key of a key file (object or text); WrongPassphrase if the passphrase is not its.
export async function unlockMemberKey(keyFile, passphrase, { onProgress } = {}) {
  const parsed = parseKeyFile(keyFile);
  const key = await derive(passphrase, parsed.salt, parsed.document.kdf, onProgress);
  let privateKey;
  try {
    privateKey = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: parsed.nonce, additionalData: canonicalize(unsealed(parsed.document)) },
        key,
        parsed.encrypted,
      ),
    );
  } catch {
    throw new WrongPassphrase("the passphrase does not unlock this key file");
  }
  const publicKey = await publicKeyOf(privateKey);
  if (publicKey.some((byte, i) => byte !== parsed.publicKey[i])) throw new MalformedKeyFile("the private key in the file is not the public key's");
  return { privateKey, publicKey, fingerprint: fingerprint(publicKey) };
}

// The same key pair under a new passphrase (new salt and nonce, current parameters).
export async function changePassphrase(keyFile, oldPassphrase, newPassphrase, { parameters = DEFAULT_PARAMETERS, onProgress } = {}) {
  checkNew(newPassphrase);
  const { privateKey, publicKey } = await unlockMemberKey(keyFile, oldPassphrase, { onProgress });
  try {
    return await seal(privateKey, publicKey, newPassphrase, parameters, onProgress);
  } finally {
    privateKey.fill(0);
  }
}
