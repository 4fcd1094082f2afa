// Offline copy of the self-assessment page (optional; the page works without
// it). On install it caches the page's own files; afterwards every request of
// the page goes to the network first and falls back to that copy when
// offline, so a reload without a network still works and an edited page is
// never served stale while online. Only same-origin GET requests are
// touched; nothing is ever sent anywhere else.
const CACHE = "kompetens-self-assessment-v1";
const FILES = [
  "./",
  "./index.html",
  "./app.js",
  "./style.css",
  "./digcomp-2.2-self-assessment.json",
  "../../../core/data/demo/profiles.json",
  "../../web/index.js",
  "../../pkg/kompetens_wasm.js",
  "../../pkg/kompetens_wasm_bg.wasm",
];

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
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kompetens-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() =>
        caches.match(request, { ignoreSearch: true }).then((hit) => hit ?? Response.error()),
      ),
  );
});
