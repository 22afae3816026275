// outsidein command center. Everything that comes from posts (text, author,
// brand names) is untrusted: it is only ever set as text (textContent,
// createTextNode, attribute values of our own elements), never as HTML.
"use strict";

(function () {
  const MOTIVES = ["discounts", "information", "community", "service", "none"];
  const QUADRANTS = ["keep_and_grow", "fix_fast", "tap_advocacy", "let_go"];
  const SVG = "http://www.w3.org/2000/svg";
  const FEED_MAX = 150;   // posts kept on screen
  const HELD_MAX = 500;   // posts kept while paused
  const POLL_MS = 2000;   // summary refresh
  const MAX_CARDS = 12;   // configured brands plus the busiest others

  const $ = (id) => document.getElementById(id);

  // el builds an element with a class and children (strings become text nodes).
  function el(tag, cls, ...kids) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const k of kids) {
      if (k === null || k === undefined) continue;
      e.appendChild(typeof k === "string" || typeof k === "number" ? document.createTextNode(String(k)) : k);
    }
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  const pct = (x) => Math.round(x * 100) + "%";
  const fmtNum = (x) => (x >= 100 ? Math.round(x) : Math.round(x * 10) / 10).toLocaleString("en");
  const fmtTime = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString("en-GB", { hour12: false });
  };
  const motiveClass = (m) => "m-" + (MOTIVES.includes(m) ? m : "none");

  // ---- clock and connection state ----
  function tick() { $("clock").textContent = new Date().toLocaleTimeString("en-GB", { hour12: false }); }
  function setConn(text, ok) {
    const c = $("conn");
    c.textContent = text;
    c.className = "conn " + (ok ? "ok" : "bad");
  }

  // ---- summary: cards, spikes, outside-in, quadrants ----
  let feedOK = false, summaryOK = false;
  function updateConn() {
    if (summaryOK && feedOK) setConn("live", true);
    else if (summaryOK) setConn("live · feed reconnecting", false);
    else setConn("no data from the service", false);
  }

  async function poll() {
    try {
      const res = await fetch("/api/v1/summary", { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      render(await res.json());
      summaryOK = true;
    } catch (e) {
      summaryOK = false;
    }
    updateConn();
    setTimeout(poll, POLL_MS);
  }

  function render(sum) {
    const brands = Array.isArray(sum.brands) ? sum.brands : [];
    if (sum.bucket_seconds > 0) bucketSeconds = sum.bucket_seconds;
    renderSpikes(brands);
    renderCards(brands);
    renderOutsideIn(brands);
    renderQuadrants(brands);
    updateBrandFilter(brands);
  }

  // The current complaint figure, the same on the tile and the banner: a
  // count over the bucket, never a rate extrapolated from a few seconds.
  let bucketSeconds = 60;
  function per(seconds) {
    return seconds >= 60 && seconds % 60 === 0 ? (seconds === 60 ? "min" : seconds / 60 + " min") : seconds + " s";
  }
  function countText(n) { return fmtNum(n || 0) + (n === 1 ? " complaint" : " complaints"); }
  function currentText(b) {
    const c = b.complaints || {};
    return countText(c.current) + " in the last " + per(bucketSeconds);
  }

  function renderSpikes(brands) {
    const box = $("spikes");
    const frag = document.createDocumentFragment();
    for (const b of brands) {
      const s = b.spike || {};
      if (!s.active) continue;
      const d = el("div", "spike");
      d.setAttribute("role", "alert");
      d.dataset.brand = b.brand;
      const factor = s.baseline > 0 ? Math.round(((b.complaints || {}).current || 0) / s.baseline) : 0;
      d.appendChild(el("h3", null, "▲ Complaint spike: ", el("strong", null, b.brand), " — ",
        el("span", "now", currentText(b)), factor >= 2 ? el("span", "factor", " · " + factor + "x normal") : null));
      const drv = driverLine(b.complaint_drivers, 3);
      if (drv) d.appendChild(drv);
      d.appendChild(el("p", "why",
        "usually " + fmtNum(s.baseline || 0) + " per " + per(bucketSeconds) + "; spike threshold " + fmtNum(s.threshold || 0) +
        "; peak " + fmtNum(s.peak_count || 0) + ", " + (Math.round((s.peak_score || 0) * 10) / 10) +
        " standard deviations above normal" + (s.since ? " · since " + fmtTime(s.since) : "")));
      const ul = el("ul");
      for (const p of (s.posts || []).slice(0, 5)) {
        ul.appendChild(el("li", null, (p.author ? p.author + ": " : "") + p.text));
      }
      d.appendChild(ul);
      frag.appendChild(d);
    }
    box.replaceChildren(frag);
    box.hidden = !box.firstChild;
  }

  // driverLine lists a brand's top complaint drivers: "about: baggage · jfk".
  function driverLine(drivers, n) {
    const list = (Array.isArray(drivers) ? drivers : []).slice(0, n);
    if (!list.length) return null;
    const p = el("p", "drivers", "about: ");
    list.forEach((d, i) => {
      if (i) p.appendChild(document.createTextNode(" · "));
      const t = el("em", "driver", d.term);
      t.title = d.count + " of the recent complaints (" + pct(d.share || 0) + ")" +
        (d.lift > 0 ? "; usually " + pct(d.baseline_share || 0) + ", " + fmtNum(d.lift) + "x" : "; no baseline yet");
      p.appendChild(t);
    });
    return p;
  }

  // axis labels the times under a chart: its start, the middle when mid,
  // and its end (endLabel, or the time).
  function axis(startISO, seconds, slots, endLabel, mid) {
    const start = new Date(startISO);
    const d = el("div", "axis");
    if (isNaN(start) || !slots) return d;
    const at = (f) => new Date(start.getTime() + f * seconds * slots * 1000);
    const hm = (t) => t.toLocaleTimeString("en-GB", { hour12: false, hour: "2-digit", minute: "2-digit", second: seconds < 60 ? "2-digit" : undefined });
    const t0 = el("time", null, hm(at(0)));
    t0.dateTime = at(0).toISOString();
    d.appendChild(t0);
    if (mid) d.appendChild(el("time", null, hm(at(0.5))));
    d.appendChild(el("time", null, endLabel || hm(at(1))));
    return d;
  }

  // trendChart draws 24 hours of a brand: posts per quarter-hour as bars,
  // the complaint share as a line (its own scale, 0-100%).
  function trendChart(t) {
    const W = 300, H = 40;
    const posts = (t && t.posts) || [], comp = (t && t.complaints) || [];
    const s = svg("svg", { class: "trend24", viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img" });
    let max = 1, total = 0, totalC = 0;
    for (const v of posts) { max = Math.max(max, v || 0); total += v || 0; }
    for (const v of comp) totalC += v || 0;
    const n = Math.max(posts.length, 1), bw = W / n;
    posts.forEach((v, i) => {
      if (!v) return;
      const h = (v / max) * (H - 2);
      s.appendChild(svg("rect", { class: "vol", x: (i * bw).toFixed(2), y: (H - h).toFixed(2), width: Math.max(bw - 0.4, 0.4).toFixed(2), height: h.toFixed(2) }));
    });
    const pts = [];
    posts.forEach((v, i) => { if (v) pts.push(((i + 0.5) * bw).toFixed(1) + "," + (H - ((comp[i] || 0) / v) * (H - 2) - 1).toFixed(1)); });
    if (pts.length > 1) s.appendChild(svg("polyline", { class: "share", points: pts.join(" ") }));
    const title = svg("title");
    title.textContent = "last 24 h per quarter-hour: bars posts (" + total.toLocaleString("en") + " in all), line complaint share (" +
      (total ? pct(totalC / total) : "–") + " overall)";
    s.appendChild(title);
    return s;
  }

  function bar(win) {
    const d = el("div", "bar");
    const shares = win && win.shares;
    if (!shares) { d.classList.add("empty"); return d; }
    if (!win.reliable) {
      d.classList.add("low-n");
      d.title = "only " + (win.posts || 0) + " posts: too few for shares to mean much";
    }
    for (const m of MOTIVES) {
      const v = shares[m] || 0;
      const s = el("span", "m-" + m, v >= 0.08 ? pct(v) : "");
      s.style.width = (v * 100).toFixed(2) + "%";
      s.title = m + " " + pct(v) + " (" + ((win.counts && win.counts[m]) || 0) + " posts)";
      d.appendChild(s);
    }
    return d;
  }

  function sparkline(c) {
    const W = 300, H = 60;
    const vals = (c && c.counts) || [];
    const ths = (c && c.thresholds) || [];
    const s = svg("svg", { class: "spark", viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img" });
    let max = 1;
    for (const v of vals) max = Math.max(max, v || 0);
    for (const t of ths) if (t !== null) max = Math.max(max, t);
    max *= 1.1;
    const n = Math.max(vals.length, 2);
    const x = (i) => (i * W) / (n - 1);
    const y = (v) => H - (v / max) * (H - 2) - 1;
    if (vals.length > 1) {
      const pts = vals.map((v, i) => x(i).toFixed(1) + "," + y(v || 0).toFixed(1));
      s.appendChild(svg("polygon", { class: "area", points: "0," + H + " " + pts.join(" ") + " " + x(vals.length - 1).toFixed(1) + "," + H }));
      s.appendChild(svg("polyline", { class: "line", points: pts.join(" ") }));
    }
    const tpts = [];
    ths.forEach((t, i) => { if (t !== null) tpts.push(x(i).toFixed(1) + "," + y(t).toFixed(1)); });
    if (tpts.length > 1) s.appendChild(svg("polyline", { class: "threshold", points: tpts.join(" ") }));
    const title = svg("title");
    title.textContent = "complaints per " + per(bucketSeconds) + ", last " + vals.length + " buckets; dashed: spike threshold";
    s.appendChild(title);
    return s;
  }

  function renderCards(brands) {
    const grid = $("brands");
    const shown = brands.slice(0, MAX_CARDS);
    const frag = document.createDocumentFragment();
    for (const b of shown) {
      const w15 = (b.windows && b.windows["15m"]) || {}, w24 = (b.windows && b.windows["24h"]) || {};
      const card = el("article", "card" + (b.spike && b.spike.active ? " spiking" : ""));
      card.dataset.brand = b.brand;
      const head = el("header", null, el("h3", null, b.brand));
      if (b.spike && b.spike.active) head.appendChild(el("span", "badge", "SPIKE"));
      head.appendChild(el("span", "vol", (w15.posts || 0).toLocaleString("en") + " posts/15m · " +
        (w24.posts || 0).toLocaleString("en") + "/24h"));
      card.appendChild(head);
      card.appendChild(el("div", "mix", el("span", null, "15m"), bar(w15), el("span", null, "24h"), bar(w24)));
      const c = b.complaints || {};
      const th = b.spike && b.spike.threshold;
      card.appendChild(el("div", "trend", el("div", "chart", sparkline(c), axis(c.start, bucketSeconds, (c.counts || []).length, "now")),
        el("p", "rate", el("b", "now", fmtNum(c.current || 0)), (c.current === 1 ? "complaint" : "complaints") + " in the last " + per(bucketSeconds),
          el("br"), th === null || th === undefined ? "learning baseline" : "threshold " + fmtNum(th))));
      const drv = driverLine(b.complaint_drivers, 3);
      if (drv) card.appendChild(drv);
      const t = b.trend || {};
      card.appendChild(el("div", "day", el("span", "label", "24 h"),
        el("div", "chart", trendChart(t), axis(t.start, t.slot_seconds || 900, (t.posts || []).length, "now", true))));
      if (b.brand === selected) card.classList.add("selected");
      card.tabIndex = 0;
      card.setAttribute("role", "button");
      card.setAttribute("aria-pressed", String(b.brand === selected));
      card.title = b.brand === selected ? "show all brands" : "show only " + b.brand + ": its drivers and latest posts";
      frag.appendChild(card);
    }
    if (!shown.length) frag.appendChild(el("p", "empty", "No brands yet: waiting for posts."));
    if (brands.length > shown.length) frag.appendChild(el("p", "empty", "+" + (brands.length - shown.length) + " more brands in /api/v1/summary"));
    grid.replaceChildren(frag);
  }

  function renderOutsideIn(brands) {
    const body = $("outside-in").tBodies[0];
    const frag = document.createDocumentFragment();
    for (const b of brands.slice(0, MAX_CARDS)) {
      const tr = el("tr", null, el("th", null, b.brand, b.expected ? null : el("small", null, "no expected mix declared")));
      tr.firstChild.scope = "row";
      const w24 = (b.windows && b.windows["24h"]) || {};
      const obs = w24.shares || null;
      if (obs && !w24.reliable) {
        tr.classList.add("low-n");
        tr.firstChild.appendChild(el("small", null, "only " + (w24.posts || 0) + " posts in 24 h"));
      }
      for (const m of MOTIVES) {
        const td = el("td", "m-" + m);
        td.appendChild(el("span", "obs", obs ? pct(obs[m] || 0) : "–"));
        if (b.expected) {
          const exp = el("span", "exp", "expected " + pct(b.expected[m] || 0));
          if (b.gap && b.gap[m] !== null && b.gap[m] !== undefined) {
            const g = Math.round(b.gap[m] * 100);
            const gap = el("span", "gap " + (g > 2 ? "up" : g < -2 ? "down" : "flat"), (g > 0 ? "+" : g < 0 ? "−" : "±") + Math.abs(g));
            gap.title = "observed minus expected, in percentage points, over " + (b.gap_posts || 0) + " posts" +
              (b.gap_reliable ? "" : ": too few to mean much");
            if (!b.gap_reliable) gap.classList.add("low-n");
            exp.appendChild(gap);
          }
          td.appendChild(exp);
        }
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
  }

  function renderQuadrants(brands) {
    const body = $("quadrants").tBodies[0];
    const frag = document.createDocumentFragment();
    for (const b of brands.slice(0, MAX_CARDS)) {
      const q = b.quadrants || {};
      let total = 0;
      for (const k of QUADRANTS) total += q[k] || 0;
      const tr = el("tr", null, el("th", null, b.brand));
      tr.firstChild.scope = "row";
      for (const k of QUADRANTS) {
        const n = q[k] || 0;
        tr.appendChild(el("td", "q-" + k, el("span", "qn", n.toLocaleString("en")), total ? " " + pct(n / total) : ""));
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
  }

  function updateBrandFilter(brands) {
    const sel = $("f-brand");
    const have = new Set(Array.from(sel.options).map((o) => o.value));
    const names = brands.map((b) => b.brand);
    if (selected) names.push(selected); // a brand from the URL, before its first post
    for (const name of names) {
      if (have.has(name)) continue;
      have.add(name);
      const o = el("option", null, name);
      o.value = name;
      sel.appendChild(o);
    }
    sel.value = selected;
  }

  // ---- the picked brand: ?brand= in the URL, the feed's filter, its detail ----
  let selected = new URLSearchParams(location.search).get("brand") || "";

  function select(brand) {
    selected = brand || "";
    const u = new URL(location.href);
    if (selected) u.searchParams.set("brand", selected); else u.searchParams.delete("brand");
    history.replaceState(null, "", u);
    $("f-brand").value = selected;
    for (const c of document.querySelectorAll("#brands .card")) {
      const on = c.dataset.brand === selected;
      c.classList.toggle("selected", on);
      c.setAttribute("aria-pressed", String(on));
    }
    connect();
    loadDetail();
  }

  async function loadDetail() {
    const box = $("detail");
    if (!selected) { box.hidden = true; box.replaceChildren(); return; }
    const want = selected;
    let d = null;
    try {
      const res = await fetch("/api/v1/brands/" + encodeURIComponent(want), { cache: "no-store" });
      if (res.ok) d = await res.json();
    } catch (e) { /* shown as empty below */ }
    if (want !== selected) return;
    const close = el("button", "close", "×");
    close.type = "button";
    close.title = "show all brands";
    close.addEventListener("click", () => select(""));
    const frag = document.createDocumentFragment();
    frag.appendChild(el("h3", null, want, close));
    const drivers = (d && d.complaint_drivers) || [];
    if (drivers.length) {
      const tb = el("tbody");
      for (const x of drivers) {
        tb.appendChild(el("tr", null, el("th", null, x.term), el("td", null, String(x.count)), el("td", null, pct(x.share || 0)),
          el("td", null, x.lift > 0 ? pct(x.baseline_share || 0) : "–"), el("td", null, x.lift > 0 ? fmtNum(x.lift) + "x" : "new")));
      }
      const table = el("table", "drivers-table",
        el("caption", null, "What its complaints of the last minutes are about"),
        el("thead", null, el("tr", null, el("th", null, "term"), el("th", null, "posts"), el("th", null, "share"), el("th", null, "usual"), el("th", null, "lift"))), tb);
      frag.appendChild(table);
    } else {
      frag.appendChild(el("p", "empty", d ? "No complaint driver stands out right now." : "No data for this brand yet."));
    }
    for (const m of MOTIVES) {
      const posts = (d && d.latest && d.latest[m]) || [];
      if (!posts.length) continue;
      const sec = el("details", "latest " + motiveClass(m), el("summary", null, "latest " + m + " (" + posts.length + ")"));
      if (m === "service") sec.open = true;
      const ol = el("ol", "feed");
      for (const p of posts) ol.appendChild(postItem(p));
      sec.appendChild(ol);
      frag.appendChild(sec);
    }
    box.replaceChildren(frag);
    box.hidden = false;
  }

  // ---- live feed ----
  // On load and on every filter change: fetch the recent posts, then follow
  // the stream from the last of them (in a worker, see feed-worker.js).
  let paused = false, held = [], gen = 0;

  function postItem(p) {
    const li = el("li", "post " + motiveClass(p.motive) + (p.complaint ? " complaint" : ""));
    const meta = el("div", "meta", el("span", "brand", p.brand || ""), el("span", "motive", p.motive || ""));
    if (p.complaint) meta.appendChild(el("span", "flag", "● complaint"));
    if (p.channel) meta.appendChild(el("span", "chan", p.channel));
    if (p.tier) meta.appendChild(el("span", "tier", p.tier + " value"));
    meta.appendChild(el("time", null, fmtTime(p.at)));
    li.appendChild(meta);
    li.appendChild(el("p", "text", (p.author ? p.author + ": " : "") + (p.text || "")));
    return li;
  }

  // show puts posts (oldest first) at the top of the feed, newest first.
  function show(posts) {
    const feed = $("feed");
    const frag = document.createDocumentFragment();
    for (let i = posts.length - 1; i >= 0; i--) frag.appendChild(postItem(posts[i]));
    feed.insertBefore(frag, feed.firstChild);
    while (feed.childElementCount > FEED_MAX) feed.lastElementChild.remove();
  }

  function onPost(p) {
    if (paused) {
      held.push(p);
      if (held.length > HELD_MAX) held.shift();
      $("held").textContent = held.length + " new";
      return;
    }
    show([p]);
  }

  function onFeedMessage(msg) {
    if (!msg || msg.gen !== gen) return; // from a connection since replaced
    if (msg.type === "post") {
      let p;
      try { p = JSON.parse(msg.data); } catch (e) { return; }
      onPost(p);
    } else {
      feedOK = msg.type === "open";
      updateConn();
    }
  }

  // follow starts the stream with the page's filters after event id after.
  const follow = (function () {
    if (typeof Worker !== "undefined") {
      const w = new Worker("/assets/feed-worker.js");
      w.onmessage = (e) => onFeedMessage(e.data);
      return (args) => w.postMessage(args);
    }
    let source = null; // no workers: the stream on the main thread
    return (args) => {
      if (source) source.close();
      const q = new URLSearchParams();
      if (args.brand) q.set("brand", args.brand);
      if (args.motive) q.set("motive", args.motive);
      if (args.after) q.set("after", String(args.after));
      source = new EventSource("/api/v1/stream?" + q);
      source.addEventListener("post", (ev) => onFeedMessage({ gen: args.gen, type: "post", data: ev.data }));
      source.onopen = () => onFeedMessage({ gen: args.gen, type: "open" });
      source.onerror = () => onFeedMessage({ gen: args.gen, type: "error" });
    };
  })();

  async function connect() {
    const my = ++gen;
    const brand = selected, motive = $("f-motive").value;
    const q = new URLSearchParams();
    if (brand) q.set("brand", brand);
    if (motive) q.set("motive", motive);
    let after = 0;
    try {
      const res = await fetch("/api/v1/recent?" + q, { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const r = await res.json();
      if (my !== gen) return;
      $("feed").replaceChildren();
      show((r.posts || []).slice(-FEED_MAX));
      after = r.last_event_id || 0;
    } catch (e) {
      if (my !== gen) return;
      $("feed").replaceChildren(); // the stream replays what the server kept
    }
    held = [];
    $("held").textContent = "";
    follow({ gen: my, brand, motive, after });
  }

  function togglePause() {
    paused = !paused;
    const b = $("pause");
    b.textContent = paused ? "Resume" : "Pause";
    b.setAttribute("aria-pressed", String(paused));
    if (!paused) {
      show(held.slice(-FEED_MAX));
      held = [];
      $("held").textContent = "";
    }
  }

  function start() {
    tick();
    setInterval(tick, 1000);
    $("pause").addEventListener("click", togglePause);
    $("f-brand").addEventListener("change", () => select($("f-brand").value));
    const pick = (ev) => {
      const card = ev.target.closest("#brands .card");
      if (!card || (ev.type === "keydown" && ev.key !== "Enter" && ev.key !== " ")) return;
      ev.preventDefault();
      select(card.dataset.brand === selected ? "" : card.dataset.brand);
    };
    $("brands").addEventListener("click", pick);
    $("brands").addEventListener("keydown", pick);
    setInterval(() => { if (selected && !document.hidden) loadDetail(); }, 5000);
    if (selected) loadDetail();
    $("f-motive").addEventListener("change", () => select($("f-brand").value));
    poll();
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
