// The price schedule of a financial (or single) envelope: items priced in the
// tender's currency, amounts as decimal strings, each total exactly quantity
// times unit price and the schedule's total their sum (panjere_client/bundle.py).
// Decimal arithmetic on BigInt, so no amount ever passes through a float.

import { MalformedPriceSchedule } from "./errors.js";
import { canonicalize } from "./jcs.js";

export const PRICE_SCHEDULE = "price-schedule.json";
const DECIMAL = /^(0|[1-9][0-9]{0,23})(\.[0-9]{1,9})?$/;
const SCHEDULE_FIELDS = ["currency", "format", "items", "total"];
const ITEM_FIELDS = ["description", "item", "quantity", "total", "unit", "unit_price"];

function parse(text, what) {
  if (typeof text !== "string" || !DECIMAL.test(text)) {
    throw new MalformedPriceSchedule(`${what} is a decimal string such as "1250.50", not ${JSON.stringify(text)}`);
  }
  const [whole, fraction = ""] = text.split(".");
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

function scaled(value, scale) {
  return value.digits * 10n ** BigInt(scale - value.scale);
}

const multiply = (a, b) => ({ digits: a.digits * b.digits, scale: a.scale + b.scale });

function add(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { digits: scaled(a, scale) + scaled(b, scale), scale };
}

function equal(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return scaled(a, scale) === scaled(b, scale);
}

// As Python writes a Decimal with format(value, "f"): no exponent, every decimal kept.
function format({ digits, scale }) {
  const text = digits.toString().padStart(scale + 1, "0");
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

function text(value, what, longest, empty = false) {
  if (typeof value !== "string" || value.length > longest || (!value && !empty)) {
    throw new MalformedPriceSchedule(`${what} is a string of at most ${longest} characters`);
  }
  return value;
}

const sameFields = (object, fields) =>
  object !== null && typeof object === "object" && !Array.isArray(object) && Object.keys(object).sort().join() === fields.join();

export function checkPriceSchedule(schedule) {
  if (!sameFields(schedule, SCHEDULE_FIELDS)) throw new MalformedPriceSchedule(`a price schedule has exactly ${SCHEDULE_FIELDS.join(", ")}`);
  if (schedule.format !== 1) throw new MalformedPriceSchedule("the price schedule's format is 1");
  if (typeof schedule.currency !== "string" || !/^[A-Z]{3}$/.test(schedule.currency)) {
    throw new MalformedPriceSchedule('the currency is an ISO 4217 code such as "IRR"');
  }
  const items = schedule.items;
  if (!Array.isArray(items) || items.length < 1 || items.length > 10000) throw new MalformedPriceSchedule("a price schedule lists 1 to 10000 items");
  const seen = new Set();
  let total = { digits: 0n, scale: 0 };
  items.forEach((item, position) => {
    const where = `item ${position + 1}`;
    if (!sameFields(item, ITEM_FIELDS)) throw new MalformedPriceSchedule(`${where} has exactly ${ITEM_FIELDS.join(", ")}`);
    const reference = text(item.item, `${where}'s reference`, 100);
    if (seen.has(reference)) throw new MalformedPriceSchedule(`the item ${reference} is priced twice`);
    seen.add(reference);
    text(item.description, `${where}'s description`, 1000, true);
    text(item.unit, `${where}'s unit`, 32, true);
    const quantity = parse(item.quantity, `${where}'s quantity`);
    if (quantity.digits === 0n) throw new MalformedPriceSchedule(`${where}'s quantity is more than zero`);
    const line = parse(item.total, `${where}'s total`);
    if (!equal(line, multiply(quantity, parse(item.unit_price, `${where}'s unit price`)))) {
      throw new MalformedPriceSchedule(`${where}'s total ${item.total} is not ${item.quantity} times ${item.unit_price}`);
    }
    total = add(total, line);
  });
  if (!equal(parse(schedule.total, "the total"), total)) throw new MalformedPriceSchedule(`the total ${schedule.total} is not the items' sum`);
  return schedule;
}

// items: [{item, description, quantity, unit, unitPrice}] (decimal strings); totals computed here.
export function buildPriceSchedule(currency, items) {
  let total = { digits: 0n, scale: 0 };
  const rows = items.map((item) => {
    const quantity = String(item.quantity);
    const unitPrice = String(item.unitPrice ?? item.unit_price);
    const line = multiply(parse(quantity, "a quantity"), parse(unitPrice, "a price"));
    total = add(total, line);
    return {
      item: item.item,
      description: item.description ?? "",
      quantity,
      unit: item.unit ?? "",
      unit_price: unitPrice,
      total: format(line),
    };
  });
  return checkPriceSchedule({ format: 1, currency, items: rows, total: format(total) });
}

// The schedule as the file a financial envelope holds: canonical JSON, application/json.
export function priceScheduleFile(schedule) {
  checkPriceSchedule(schedule);
  return { file: new Blob([canonicalize(schedule)], { type: "application/json" }), name: PRICE_SCHEDULE, mediaType: "application/json", confidential: false };
}
