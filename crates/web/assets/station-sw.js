// zhikong checkpoint station's service worker (scope /checkpoint/): the station page and its
// assets come from the network when it answers and from this device's cache when it does not,
// so that the officer can reload the page with scans still queued while the link is down.
// It never touches the API: scans are queued by the page itself (assets/station.js).
const CACHE = "zhikong-station-v1";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("zhikong-station-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const page = url.pathname.startsWith("/checkpoint/") && url.pathname !== "/checkpoint/sw.js";
  const asset = url.pathname.startsWith("/assets/");
  if (!page && !asset) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        // Only real pages: not a redirect to the login form, not an error page.
        if (res.ok && res.type === "basic" && !res.redirected) {
          const copy = res.clone();
          event.waitUntil(caches.open(CACHE).then((c) => c.put(url.pathname, copy)));
        }
        return res;
      })
      .catch(() =>
        caches.match(url.pathname).then((hit) => hit || Response.error()),
      ),
  );
});
