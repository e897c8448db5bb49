// zhikong checkpoint station: every scan is written to this browser's IndexedDB first, with
// an event id made here, and only then uploaded to POST /api/v1/scans in batches of at most
// 1,000. The server answers each item accepted, duplicate or rejected; accepted and duplicate
// items leave the queue, rejected ones leave it too and are shown with the reason. On a
// network error, a 5xx or an expired session the queue stays and is retried with backoff and
// on the browser's `online` event. The event id never changes across retries and reloads, and
// the server stores each (checkpoint, event id) once: nothing is lost, nothing counted twice.
(() => {
  "use strict";
  const root = document.getElementById("station");
  if (!root) return;
  const checkpoint = Number(root.dataset.checkpoint);
  const fever = Number(root.dataset.fever);
  const texts = JSON.parse(root.dataset.texts || "{}");
  const t = (k) => texts[k] || k;
  let csrf = root.dataset.csrf;
  const MAX_BATCH = 1000;
  const SHOWN = 30; // recent scans listed
  const KEPT = 300; // recent scans kept on the device
  const RETRY_FIRST = 1000;
  const RETRY_MAX = 15000;
  const UPLOAD_WAIT = 3000; // ms before a scan without an answer is shown as queued
  const UPLOAD_TIMEOUT = 20000; // ms before an unanswered upload counts as a failure
  const $ = (id) => document.getElementById(id);

  // ---- storage ---------------------------------------------------------------------------
  // queue:  {event_id, seq, scan}: the body item exactly as uploaded, until the server answers.
  // recent: {event_id, seq, checkpoint_id, at, method, temperature, direction, state, …}: what
  //         the page lists; state queued → accepted | duplicate | rejected.
  const dbReady = new Promise((resolve, reject) => {
    const open = indexedDB.open("zhikong-station", 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore("queue", { keyPath: "event_id" }).createIndex("seq", "seq");
      db.createObjectStore("recent", { keyPath: "event_id" }).createIndex("seq", "seq");
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });

  const done = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  // Run `work(stores)` in one transaction; resolves once it is committed (durable).
  async function tx(names, mode, work) {
    const db = await dbReady;
    const trans = db.transaction(names, mode);
    const committed = new Promise((resolve, reject) => {
      trans.oncomplete = resolve;
      trans.onerror = () => reject(trans.error);
      trans.onabort = () => reject(trans.error);
    });
    committed.catch(() => {});
    const stores = Object.fromEntries(names.map((n) => [n, trans.objectStore(n)]));
    let out;
    try {
      out = await work(stores);
    } catch (e) {
      try {
        trans.abort();
      } catch (_) {
        /* already finished */
      }
      throw e;
    }
    await committed;
    return out;
  }

  // The `limit` first records of a store in `seq` order (newest first when `newest`).
  function byseq(store, limit, newest) {
    return new Promise((resolve, reject) => {
      const out = [];
      const req = store.index("seq").openCursor(null, newest ? "prev" : "next");
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const c = req.result;
        if (!c || out.length >= limit) return resolve(out);
        out.push(c.value);
        c.continue();
      };
    });
  }

  let lastSeq = 0;
  function nextSeq() {
    lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
    return lastSeq;
  }

  function newEventId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // ---- the scan ----------------------------------------------------------------------------
  function showError(key) {
    const p = $("input-error");
    p.textContent = key ? t(key) : "";
    p.hidden = !key;
  }

  function temperature() {
    const raw = $("temperature").value.trim();
    if (!raw) return { ok: true, value: null };
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 30 || v > 45) return { ok: false };
    return { ok: true, value: Math.round(v * 10) / 10 };
  }

  function direction() {
    const checked = document.querySelector("input[name=direction]:checked");
    return checked ? checked.value : "in";
  }

  // GB 11643: 17 digits, a birth date, and the check character (ISO 7064 MOD 11-2). The
  // server checks again, with the division codes.
  function idProblem(v) {
    if (v.length !== 18) return "station.id.length";
    if (!/^\d{17}[\dX]$/.test(v)) return "station.id.digits";
    const y = Number(v.slice(6, 10));
    const m = Number(v.slice(10, 12));
    const d = Number(v.slice(12, 14));
    const born = new Date(Date.UTC(y, m - 1, d));
    if (y < 1900 || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born > new Date()) {
      return "station.id.birth";
    }
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(v[i]) * weights[i];
    return "10X98765432"[sum % 11] === v[17] ? null : "station.id.check";
  }

  let latest = null; // event id of the scan shown large

  async function record(what) {
    const temp = temperature();
    if (!temp.ok) {
      showError("station.temperature.range");
      return false;
    }
    showError(null);
    const scan = {
      event_id: newEventId(),
      checkpoint_id: checkpoint,
      at: new Date().toISOString(),
      direction: direction(),
      ...what,
    };
    if (temp.value !== null) scan.temperature = temp.value;
    const seq = nextSeq();
    const shown = {
      event_id: scan.event_id,
      seq,
      checkpoint_id: checkpoint,
      at: scan.at,
      method: scan.code ? "code" : "id_number",
      temperature: temp.value,
      direction: scan.direction,
      state: "queued",
    };
    // Stored before anything is sent: a crash or a closed tab from here on loses nothing.
    await tx(["queue", "recent"], "readwrite", (s) => {
      s.queue.put({ event_id: scan.event_id, seq, scan });
      s.recent.put(shown);
    });
    latest = scan.event_id;
    // While the link is known to be down, say so at once; otherwise the server's verdict
    // follows in a moment (or, after UPLOAD_WAIT without one, the queued state).
    show(shown, $("link").dataset.state !== "offline");
    $("temperature").value = "";
    await refreshQueue();
    flush();
    setTimeout(refreshLatest, UPLOAD_WAIT);
    return true;
  }

  // ---- showing ------------------------------------------------------------------------------
  const DECISIONS = ["pass", "refer", "stop"];

  function localDecision(r) {
    return r.temperature !== null && r.temperature >= fever ? "refer" : "queued";
  }

  // What a recent scan looks like: the decision word, the masked name, the reason.
  function view(r, checking) {
    if (r.state === "queued") {
      if (checking) return { decision: "checking", word: t("station.decision.checking"), name: "", reason: "" };
      const d = localDecision(r);
      return {
        decision: d,
        word: d === "refer" ? t("station.decision.refer") : t("station.decision.queued"),
        name: "",
        reason: d === "refer" ? t("station.reason.fever_local") : t("station.reason.await_link"),
      };
    }
    if (r.state === "rejected") {
      const e = r.error || {};
      return { decision: "rejected", word: t("station.decision.rejected"), name: "", reason: `${e.field || ""}: ${e.message || ""}` };
    }
    const d = DECISIONS.includes(r.decision) ? r.decision : "duplicate";
    return {
      decision: d,
      word: d === "duplicate" ? t("station.decision.duplicate") : t(`station.decision.${d}`),
      name: r.person_name || "",
      reason: r.reason ? t(`station.reason.${r.reason}`) : "",
    };
  }

  function show(r, checking) {
    const v = view(r, checking);
    const box = $("decision");
    box.className = `verdict verdict-${v.decision}`;
    box.dataset.decision = v.decision;
    box.dataset.state = r.state;
    box.dataset.event = r.event_id;
    $("decision-word").textContent = v.word;
    $("decision-name").textContent = v.name;
    // The colour beside the reason, unless the colour is the reason.
    const colour = r.colour && r.colour !== r.reason ? t(`station.colour.${r.colour}`) : "";
    $("decision-reason").textContent = [colour, v.reason].filter(Boolean).join(" · ");
  }

  async function refreshLatest() {
    if (!latest) return;
    const r = await tx(["recent"], "readonly", (s) => done(s.recent.get(latest)));
    if (r) show(r, false);
  }

  function time(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(document.documentElement.lang, { hour12: false });
  }

  async function renderRecent() {
    const all = await tx(["recent"], "readonly", (s) => byseq(s.recent, KEPT, true));
    const mine = all.filter((r) => r.checkpoint_id === checkpoint).slice(0, SHOWN);
    const list = $("recent");
    list.replaceChildren();
    if (!mine.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = t("station.recent_none");
      list.append(li);
      return;
    }
    for (const r of mine) {
      const v = view(r, false);
      const li = document.createElement("li");
      li.className = `recent-${v.decision}`;
      li.dataset.event = r.event_id;
      li.dataset.state = r.state;
      li.dataset.decision = v.decision;
      const parts = [
        time(r.at),
        t(r.direction === "out" ? "station.out" : "station.in"),
        t(r.method === "code" ? "station.code" : "station.manual"),
        r.temperature !== null ? `${r.temperature.toFixed(1)} ℃` : "",
        r.person_name || "",
      ].filter(Boolean);
      const word = document.createElement("b");
      word.textContent = v.word;
      const rest = document.createElement("span");
      rest.textContent = ` ${parts.join(" · ")}${v.reason ? ` — ${v.reason}` : ""}`;
      li.append(word, rest);
      list.append(li);
    }
  }

  // Keep the KEPT newest recent scans; queued ones always stay.
  async function prune() {
    await tx(["recent"], "readwrite", async (s) => {
      const n = await done(s.recent.count());
      if (n <= KEPT) return;
      for (const r of await byseq(s.recent, n - KEPT, false)) {
        if (r.state !== "queued") s.recent.delete(r.event_id);
      }
    });
  }

  async function refreshQueue() {
    const n = await tx(["queue"], "readonly", (s) => done(s.queue.count()));
    $("count-queued").textContent = String(n);
    root.dataset.queued = String(n);
    await renderRecent();
    return n;
  }

  function link(state) {
    const p = $("link");
    p.dataset.state = state;
    p.textContent = t(`station.link.${state}`);
    if (state === "signin") {
      const a = document.createElement("a");
      a.href = `/login?next=${encodeURIComponent(location.pathname)}`;
      a.textContent = " →";
      p.append(a);
    }
  }

  // Today's counts as the server last gave them, kept on the device with their time, so that
  // a page reloaded from the device's cache shows the latest known ones, not the cached ones.
  const COUNTS_KEY = `zhikong-station-counts-${checkpoint}`;

  function showCounts(c, at) {
    for (const k of ["total", "pass", "refer", "stop"]) $(`count-${k}`).textContent = String(c[k]);
    root.dataset.countsAt = String(at);
    $("counts-at").textContent = new Date(at).toLocaleTimeString(document.documentElement.lang, { hour12: false });
  }

  function restoreCounts() {
    const rendered = Number(root.dataset.countsAt || 0);
    try {
      const kept = JSON.parse(localStorage.getItem(COUNTS_KEY) || "null");
      const day = (ms) => new Date(ms).toDateString();
      if (kept && kept.at > rendered && day(kept.at) === day(Date.now())) return showCounts(kept.counts, kept.at);
    } catch (_) {
      /* nothing kept */
    }
    showCounts(
      Object.fromEntries(["total", "pass", "refer", "stop"].map((k) => [k, Number($(`count-${k}`).textContent)])),
      rendered,
    );
  }

  async function refreshCounts() {
    try {
      const res = await fetch(`/api/v1/checkpoints/${checkpoint}/today`, { credentials: "same-origin" });
      if (!res.ok) return;
      const counts = await res.json();
      const at = Date.now();
      showCounts(counts, at);
      localStorage.setItem(COUNTS_KEY, JSON.stringify({ counts, at }));
    } catch (_) {
      /* offline: the last counts stay, with their time */
    }
  }

  // ---- upload -------------------------------------------------------------------------------
  let retryIn = 0;
  let retryTimer = null;
  let running = null;
  let again = false;

  // The session's CSRF token may have changed (a new login): read it from a fresh page.
  async function renewCsrf() {
    try {
      const res = await fetch(location.pathname, { credentials: "same-origin" });
      if (!res.ok || res.redirected) return false;
      const m = /data-csrf="([^"]+)"/.exec(await res.text());
      if (!m || m[1] === csrf) return false;
      csrf = m[1];
      return true;
    } catch (_) {
      return false;
    }
  }

  function later(state) {
    link(state);
    refreshLatest();
    retryIn = Math.min(retryIn ? retryIn * 2 : RETRY_FIRST, RETRY_MAX);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryIn);
    return false;
  }

  // Record the server's answer to a batch, in one transaction.
  async function settle(batch, items) {
    await tx(["queue", "recent"], "readwrite", async (s) => {
      for (const item of items) {
        const sent = batch[item.index];
        if (!sent || item.event_id !== sent.event_id) continue;
        if (!["accepted", "duplicate", "rejected"].includes(item.status)) continue;
        s.queue.delete(sent.event_id);
        const r = await done(s.recent.get(sent.event_id));
        if (!r) continue;
        r.state = item.status;
        r.decision = item.decision || null;
        r.reason = item.reason || null;
        r.colour = item.colour || null;
        r.person_name = item.person_name || null;
        r.error = item.error || null;
        s.recent.put(r);
      }
    });
  }

  // Upload the queue oldest first until it is empty (true) or the link fails (false).
  async function drain() {
    let renewed = false;
    for (;;) {
      const batch = await tx(["queue"], "readonly", (s) => byseq(s.queue, MAX_BATCH, false));
      if (!batch.length) {
        retryIn = 0;
        link(navigator.onLine ? "online" : "offline");
        return true;
      }
      link("uploading");
      let res;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), UPLOAD_TIMEOUT);
      try {
        res = await fetch("/api/v1/scans", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          body: JSON.stringify({ scans: batch.map((q) => q.scan) }),
          signal: abort.signal,
        });
      } catch (_) {
        return later("offline");
      } finally {
        clearTimeout(timer);
      }
      if (res.status === 401 || res.status === 403) {
        if (!renewed && (await renewCsrf())) {
          renewed = true;
          continue;
        }
        return later("signin");
      }
      if (!res.ok) return later(res.status >= 500 ? "offline" : "failed");
      let report;
      try {
        report = await res.json();
      } catch (_) {
        return later("failed");
      }
      await settle(batch, report.items || []);
      await prune();
      retryIn = 0;
      await refreshQueue();
      await refreshLatest();
      await refreshCounts();
    }
  }

  function flush() {
    clearTimeout(retryTimer);
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let ok = true;
      do {
        again = false;
        ok = await drain().catch(() => later("failed"));
      } while (again && ok);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  // ---- wiring -------------------------------------------------------------------------------
  $("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("scan");
    const code = input.value.trim();
    if (!code) return;
    input.value = "";
    record({ code }).finally(() => input.focus());
  });

  $("manual-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("id-number");
    const id = input.value.trim().toUpperCase();
    const problem = idProblem(id);
    input.setCustomValidity(problem ? t(problem) : "");
    if (problem) {
      showError(problem);
      input.focus();
      return;
    }
    record({ id_number: id }).then((ok) => {
      if (ok) input.value = "";
    });
  });

  const saved = localStorage.getItem("zhikong-station-direction");
  if (saved) {
    const r = document.querySelector(`input[name=direction][value=${saved === "out" ? "out" : "in"}]`);
    if (r) r.checked = true;
  }
  for (const r of document.querySelectorAll("input[name=direction]")) {
    r.addEventListener("change", () => localStorage.setItem("zhikong-station-direction", direction()));
  }

  window.addEventListener("online", () => {
    retryIn = 0;
    flush();
  });
  window.addEventListener("offline", () => link("offline"));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(refreshCounts, 60000);

  // The page and its scripts stay on the device, for a reload without the link.
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker
      .register("/checkpoint/sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then(() => caches.open("zhikong-station-v1"))
      .then((cache) => cache.addAll([location.pathname, "/assets/app.css", "/assets/app.js", "/assets/station.js"]))
      .then(() => {
        root.dataset.offline = "ready";
      })
      .catch(() => {
        root.dataset.offline = "unavailable";
      });
  }

  restoreCounts();
  refreshQueue().then(() => flush());
})();
