/* The service worker of the installable app (training/pwa.py). It caches only an allow-list: the
   app shell (stylesheet, scripts, fonts, icons) and the offline page in each language. Pages are
   always fetched from the network; when the network fails, the offline page in the page's language
   is shown instead of the browser's error. Nothing else (certificates, accounts, the admin, exports,
   anything personal) is ever stored. */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL_CACHE = "shell-" + CONFIG.version;
const SHELL = new Set(CONFIG.shell);
const OFFLINE = CONFIG.offline; // language code -> address of the offline page

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // "no-cache": checked with the server (a copy the page just loaded is answered "not modified"
      // in a few hundred bytes), never a copy the HTTP cache kept from before a deploy.
      .then((cache) =>
        cache.addAll([...CONFIG.shell, ...Object.values(OFFLINE)].map((url) => new Request(url, { cache: "no-cache" })))
      )
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // A new version replaces the old shell whole.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("shell-") && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function offlinePage(url) {
  const english = url.pathname === "/en" || url.pathname.startsWith("/en/");
  const address = OFFLINE[english ? "en" : CONFIG.default_language] || Object.values(OFFLINE)[0];
  return caches.match(address, { cacheName: SHELL_CACHE });
}

function fromShell(request, url) {
  return caches.open(SHELL_CACHE).then((cache) =>
    cache.match(request).then((hit) => {
      if (hit) {
        return hit;
      }
      return fetch(request).then((response) => {
        if (response.ok && CONFIG.cache_first_prefixes.some((prefix) => url.pathname.startsWith(prefix))) {
          cache.put(request, response.clone());
        }
        return response;
      });
    })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return; // the browser handles it as if there were no service worker
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage(url).then((page) => page || Response.error())));
    return;
  }
  if (SHELL.has(url.pathname) || CONFIG.cache_first_prefixes.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(fromShell(request, url));
  }
});
