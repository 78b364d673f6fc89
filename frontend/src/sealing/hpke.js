// HPKE (RFC 9180) base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
// AES-256-GCM, the suite of panjere_client. X25519 is the browser's own
// (WebCrypto) where it has it, else @hpke/dhkem-x25519's pure JavaScript; the
// key schedule and AES-GCM are WebCrypto's either way. Keys travel as their
// raw 32 bytes, as in the Python client.

import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import {
  DhkemX25519HkdfSha256 as PureDhkemX25519,
  HkdfSha256 as PureHkdfSha256,
  X25519 as PureX25519,
} from "@hpke/dhkem-x25519";
import { sha256 } from "@noble/hashes/sha2.js";

import { concat, randomBytes, toHex } from "./encoding.js";
import { KeyFormatError } from "./errors.js";

const ENC_SIZE = 32;
let preference = "auto";
let chosen = null;

// "auto" (WebCrypto's X25519 when it works), "native" or "js": tests use the last two.
export function configure({ x25519 = "auto" } = {}) {
  if (!["auto", "native", "js"].includes(x25519)) throw new TypeError("x25519 is auto, native or js");
  preference = x25519;
  chosen = null;
}

async function webCryptoHasX25519() {
  try {
    await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
    return true;
  } catch {
    return false;
  }
}

async function suite() {
  if (chosen === null) {
    chosen = (async () => {
      const native = preference === "native" || (preference === "auto" && (await webCryptoHasX25519()));
      const kem = native ? new DhkemX25519HkdfSha256() : new PureDhkemX25519();
      return { native, suite: new CipherSuite({ kem, kdf: new HkdfSha256(), aead: new Aes256Gcm() }) };
    })();
  }
  return chosen;
}

// Which X25519 sealing uses here: "native" (WebCrypto) or "js".
export async function x25519Implementation() {
  return (await suite()).native ? "native" : "js";
}

export function rawKey(key, what) {
  if (key instanceof Uint8Array && key.length === 32) return key;
  if (key instanceof ArrayBuffer && key.byteLength === 32) return new Uint8Array(key);
  throw new KeyFormatError(`${what} is 32 raw bytes`);
}

// The raw public key of a raw private key (pure JavaScript: the same everywhere).
const pure = new PureX25519(new PureHkdfSha256());
export async function publicKeyOf(privateKey) {
  const key = await pure.deserializePrivateKey(rawKey(privateKey, "a private key").slice().buffer);
  return new Uint8Array(await pure.serializePublicKey(await pure.derivePublicKey(key)));
}

export async function generateKeyPair() {
  const privateKey = randomBytes(32);
  return { privateKey, publicKey: await publicKeyOf(privateKey) };
}

export function fingerprint(publicKey) {
  return toHex(sha256(rawKey(publicKey, "a public key")));
}

// Single-shot seal: enc || ciphertext, as cryptography's Suite.encrypt returns.
export async function seal(publicKey, info, plaintext) {
  const { suite: s } = await suite();
  const recipientPublicKey = await s.kem.deserializePublicKey(rawKey(publicKey, "a public key").slice().buffer);
  const { ct, enc } = await s.seal({ recipientPublicKey, info }, plaintext);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

// Single-shot open; throws (an @hpke error) when it does not authenticate.
export async function open(privateKey, info, sealed) {
  const { suite: s } = await suite();
  const recipientKey = await s.kem.deserializePrivateKey(rawKey(privateKey, "a private key").slice().buffer);
  const plaintext = await s.open(
    { recipientKey, enc: sealed.slice(0, ENC_SIZE).buffer, info },
    sealed.slice(ENC_SIZE).buffer,
  );
  return new Uint8Array(plaintext);
}
