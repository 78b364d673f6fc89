// The bid page: the price schedule and the documents are assembled and sealed here, in the
// browser, with PanjereSealing (static/js/sealing.js); only the sealed envelopes are sent.
"use strict";
(function () {
  const form = document.getElementById("bid-form");
  if (!form || !window.PanjereSealing) return;
  const S = window.PanjereSealing;
  const data = form.dataset;
  const keys = JSON.parse(data.keys);
  const versions = JSON.parse(data.versions);
  const kinds = JSON.parse(data.kinds);
  const status = document.getElementById("bid-status");
  const progress = document.getElementById("bid-progress");
  const words = JSON.parse(document.getElementById("bid-words").textContent);

  function show(text, level) {
    status.textContent = text;
    status.className = "alert alert-" + (level || "info");
    status.hidden = false;
  }

  function rows() {
    return Array.from(form.querySelectorAll("[data-item]"));
  }

  function updateTotals() {
    try {
      const schedule = schedule_();
      rows().forEach((row, index) => {
        row.querySelector("[data-total]").textContent = schedule.items[index].total;
      });
      document.getElementById("bid-total").textContent = schedule.total + " " + data.currency;
    } catch (error) {
      document.getElementById("bid-total").textContent = "—";
    }
  }

  function schedule_() {
    return S.buildPriceSchedule(
      data.currency,
      rows().map((row) => ({
        item: row.dataset.item,
        description: row.dataset.description,
        quantity: row.dataset.quantity,
        unit: row.dataset.unit,
        unitPrice: row.querySelector("input").value.trim(),
      }))
    );
  }

  function declarations() {
    const checked = Array.from(form.querySelectorAll("[data-declaration]")).map((box) => ({
      text: box.dataset.declaration,
      accepted: box.checked,
    }));
    const text = JSON.stringify({ format: 1, declarations: checked });
    return { file: new Blob([text], { type: "application/json" }), name: "declarations.json", mediaType: "application/json" };
  }

  function documents() {
    const input = form.querySelector("input[type=file]");
    return Array.from(input.files).map((file) => ({ file, name: file.name, mediaType: file.type || "application/octet-stream" }));
  }

  function idempotencyKey(supplier, version) {
    const name = "panjere-bid-" + data.tender + "-" + data.lot + "-" + supplier + "-" + version;
    let key = sessionStorage.getItem(name);
    if (!key) {
      key = crypto.randomUUID();
      sessionStorage.setItem(name, key);
    }
    return key;
  }

  function upload(body, key) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("POST", data.url);
      request.setRequestHeader("Idempotency-Key", key);
      request.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) {
          progress.value = event.loaded / event.total;
          show(words.uploading + " " + Math.round((100 * event.loaded) / event.total) + "%");
        }
      };
      request.onload = () => resolve(request);
      request.onerror = () => reject(new Error(words.network));
      request.send(body);
    });
  }

  form.addEventListener("input", updateTotals);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const supplier = form.querySelector("[name=supplier]").value;
      const version = versions[supplier];
      const priced = S.priceScheduleFile(schedule_());
      const technical = [declarations(), ...documents()];
      const contents = kinds.length === 1 ? { single: [priced, ...technical] } : { technical, financial: [priced] };
      const body = new FormData();
      body.append("supplier", supplier);
      for (const kind of kinds) {
        const blob = await S.sealEnvelope({
          files: contents[kind],
          tenderPublicKey: keys[kind],
          context: { tender: data.tender, lot: data.lot, kind, supplier, bid_version: version },
          onProgress: ({ done, total }) => {
            progress.value = total ? done / total : 1;
            show(words.sealing + " (" + kind + ")");
          },
        });
        body.append(kind, blob, kind + ".pje");
      }
      let answer = await upload(body, idempotencyKey(supplier, version));
      if (answer.status === 0) answer = await upload(body, idempotencyKey(supplier, version));
      const result = JSON.parse(answer.responseText || "{}");
      if (answer.status === 200 || answer.status === 201) {
        show(words.done, "success");
        window.location.assign(data.receiptUrl.replace("0", String(result.id)));
      } else {
        show(result.detail || result.title || words.network, "danger");
        button.disabled = false;
      }
    } catch (error) {
      show(String(error.message || error), "danger");
      button.disabled = false;
    }
  });
  updateTotals();
})();
