// The server-free edition's service worker (written into the site as sw.js, after two lines the build
// adds: VERSION, the site's files' hash, and FILES, every file of the site). At the first visit it keeps
// every file in the browser's Cache Storage, so every page opens with the network off afterwards; a new
// build (a new VERSION) replaces them all together. It asks nothing of any host but the site's own.
const CACHE = `reconnection-workbook-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith("reconnection-workbook-") && name !== CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The site's own files from the cache first (a page's address with a #page needs no query either);
// anything else, and anything not kept yet, from the network as usual.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const kept = await cache.match(event.request, { ignoreSearch: true });
      if (kept) return kept;
      if (url.pathname.endsWith("/")) {
        const index = await cache.match(new URL("index.html", url), { ignoreSearch: true });
        if (index) return index;
      }
      return fetch(event.request);
    }),
  );
});
