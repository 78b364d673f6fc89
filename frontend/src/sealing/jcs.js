// RFC 8785 JSON Canonicalization Scheme for what the formats hold: objects,
// arrays, strings, safe integers, booleans and null (the rules of
// panjere_client/jcs.py). JSON.stringify already writes strings as RFC 8785
// asks; Array.prototype.sort already orders names by UTF-16 code units.

import { utf8 } from "./encoding.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function write(value) {
  if (value === null || value === true || value === false) return String(value);
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new TypeError("a string holds a lone surrogate");
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`the number ${value} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  if (typeof value === "object") {
    const names = Object.keys(value).sort();
    return `{${names.map((name) => `${write(name)}:${write(value[name])}`).join(",")}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON form here`);
}

export const canonicalize = (value) => utf8(write(value));
export const canonicalText = write;
