// The live feed's connection: a server-sent events stream, held in a worker
// so that the page's main thread only renders (and so that headless browsers
// that wait for a page's requests to finish, as `--virtual-time-budget`
// does, are not held forever by a stream that never ends). The page posts
// {gen, brand, motive, after} to (re)connect; posts come back tagged with gen.
"use strict";

let source = null;

onmessage = (e) => {
  const { gen, brand, motive, after } = e.data || {};
  if (source) source.close();
  const q = new URLSearchParams();
  if (brand) q.set("brand", brand);
  if (motive) q.set("motive", motive);
  if (after) q.set("after", String(after));
  source = new EventSource("/api/v1/stream" + (q.toString() ? "?" + q : ""));
  source.addEventListener("post", (ev) => postMessage({ gen, type: "post", data: ev.data }));
  source.onopen = () => postMessage({ gen, type: "open" });
  source.onerror = () => postMessage({ gen, type: "error" });
};
