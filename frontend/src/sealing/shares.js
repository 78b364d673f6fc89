// A tender key share sealed to this member (panjere_client/shares.py): HPKE
// with info = the canonical JSON naming the tender, kind, member and both keys.

import { b64decode } from "./encoding.js";
import { MalformedShare, ShareMismatch } from "./errors.js";
import * as hpke from "./hpke.js";
import { canonicalize } from "./jcs.js";

const KINDS = ["technical", "financial", "single"];

// context: {tender, kind, member, tender_key}; sealedShare: bytes or base64. Returns the share.
export async function openShare(sealedShare, privateKey, context) {
  const sealed = typeof sealedShare === "string" ? b64decode(sealedShare, undefined, MalformedShare) : sealedShare;
  if (!(sealed instanceof Uint8Array) || sealed.length <= 48) throw new MalformedShare("a sealed share is longer than 48 bytes");
  const { tender, kind, member, tender_key: tenderKey } = context ?? {};
  for (const [name, value] of [["tender", tender], ["member", member]]) {
    if (typeof value !== "string" || value.length < 1 || value.length > 200) throw new MalformedShare(`the ${name} is a string of 1 to 200 characters`);
  }
  if (!KINDS.includes(kind)) throw new MalformedShare(`the kind is one of ${KINDS.join(", ")}`);
  if (typeof tenderKey !== "string" || !/^[0-9a-f]{64}$/.test(tenderKey)) throw new MalformedShare("the tender key fingerprint is 64 lower-case hex digits");
  const info = canonicalize({
    format: 1,
    purpose: "panjere-tender-key-share",
    tender,
    kind,
    member,
    member_key: hpke.fingerprint(await hpke.publicKeyOf(privateKey)),
    tender_key: tenderKey,
  });
  try {
    return await hpke.open(privateKey, info, sealed);
  } catch {
    throw new ShareMismatch("the share does not open with this key for this tender, kind and member");
  }
}
