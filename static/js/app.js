/* The installable app (training/pwa.py): registers the service worker where the browser has them.
   Everything on the site works without it. */
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* No app features on this browser or address; the site works as before. */
    });
  });
}
