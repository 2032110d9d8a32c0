/* The service worker of the installable app (training/pwa.py).

   What it keeps, and nothing else:
   - the app shell (stylesheet, scripts, fonts) and the offline page in each language;
   - per account, the courses a volunteer chose to save (their pages, images and chosen files, as
     the server's list for the course names them: courses/learning/offline.py);
   - per account, the progress marks and quiz answers made offline, until the server has them
     (courses/learning/sync.py).
   Pages are always fetched from the network first, so a republished lesson shows once the phone is
   online; the saved copy is used only when the network fails, and a saved page read online is
   refreshed. Nothing is stored under the paths the server names as never to keep (accounts, the
   admin, certificates, exports). Signing out clears all of it (the server's Clear-Site-Data). */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL_CACHE = "shell-" + CONFIG.version;
const SHELL = new Set(CONFIG.shell);
const MEDIA_ORIGINS = new Set(CONFIG.media_origins);
const OFFLINE = CONFIG.offline; // language code -> address of the offline page
const SAVED_PREFIX = "saved-"; // + account key: one cache per account
const SYNC_TAG = "send-queue";
const REFRESH_EVERY_MS = 5 * 60 * 1000; // how often a saved course is checked for a republish

/* --- Storage: one small IndexedDB database ------------------------------------------------ */

let database = null;

function openDatabase() {
  if (database) {
    return Promise.resolve(database);
  }
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("offline-app", 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("state"); // "account": the account of the last page shown
      db.createObjectStore("courses", { keyPath: "key" }); // account + ":" + course id
      db.createObjectStore("queue", { keyPath: "id" }); // actions waiting for the network
      db.createObjectStore("refused", { keyPath: "id" }); // actions the server refused, kept
    };
    request.onsuccess = () => {
      database = request.result;
      database.onversionchange = () => {
        database.close();
        database = null;
      };
      resolve(database);
    };
    request.onerror = () => reject(request.error);
  });
}

/* One request in one transaction: `work(store)` returns the IDBRequest whose result is wanted. */
function stored(storeName, mode, work) {
  return openDatabase().then(
    (db) =>
      new Promise((resolve, reject) => {
        const transaction = db.transaction(storeName, mode);
        const request = work(transaction.objectStore(storeName));
        transaction.oncomplete = () => resolve(request ? request.result : undefined);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      })
  );
}

const all = (storeName) => stored(storeName, "readonly", (store) => store.getAll());
const put = (storeName, value, key) => stored(storeName, "readwrite", (store) => store.put(value, key));
const remove = (storeName, key) => stored(storeName, "readwrite", (store) => store.delete(key));

function currentAccount() {
  return stored("state", "readonly", (store) => store.get("account")).then((account) => account || "");
}

function accountItems(storeName, account) {
  return all(storeName).then((items) => items.filter((item) => item.account === account));
}

/* The account's waiting actions in the order the volunteer took them. The store keeps them by id, a
   random uuid, so read as stored a quiz could be sent, and performed by the server, before the
   lessons marked done ahead of it. `taken` is in milliseconds to the microsecond; an action queued
   before it existed has only `at`. */
function queued(account) {
  const taken = (action) => action.taken || Date.parse(action.at) || 0;
  return accountItems("queue", account).then((actions) => actions.sort((a, b) => taken(a) - taken(b)));
}

/* --- Install and activate: the shell ----------------------------------------------------------- */

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
  // A new version replaces the old shell whole; saved courses stay.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("shell-") && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

/* --- Reading: network first, then what this account saved --------------------------------------- */

function offlinePage(url) {
  const english = url.pathname === "/en" || url.pathname.startsWith("/en/");
  const address = OFFLINE[english ? "en" : CONFIG.default_language] || Object.values(OFFLINE)[0];
  return caches.match(address, { cacheName: SHELL_CACHE });
}

function neverKept(url) {
  return url.origin === self.location.origin && CONFIG.never_cache.some((prefix) => url.pathname.startsWith(prefix));
}

function savedCopy(request) {
  return currentAccount().then((account) => {
    if (!account) {
      return undefined;
    }
    return caches.open(SAVED_PREFIX + account).then((cache) =>
      cache.match(request, { ignoreSearch: request.mode === "navigate", ignoreVary: true }).then((hit) => hit || savedAlternate(cache, account, request.url))
    );
  });
}

/* The browser picks one of a picture's renditions (format, width) by itself; the saved one stands
   in for any of them. */
function savedAlternate(cache, account, url) {
  return accountItems("courses", account).then((courses) => {
    for (const course of courses) {
      for (const image of course.images) {
        if (image.alternates.some((alternate) => new URL(alternate, self.location.origin).href === url)) {
          return cache.match(new URL(image.url, self.location.origin).href, { ignoreVary: true });
        }
      }
    }
    return undefined;
  });
}

/* A saved page read online is refreshed, so the copy on the phone follows what was republished. */
function refreshSaved(request, response) {
  const url = new URL(request.url);
  if (!response.ok || response.redirected || response.type !== "basic" || neverKept(url)) {
    return Promise.resolve();
  }
  return currentAccount().then((account) => {
    if (!account) {
      return undefined;
    }
    return caches.open(SAVED_PREFIX + account).then((cache) =>
      cache.match(request, { ignoreSearch: true, ignoreVary: true }).then((old) => (old && !url.search ? cache.put(request.url, response) : undefined))
    );
  });
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

const MEDIA_DESTINATIONS = new Set(["image", "video", "audio", "track"]);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "POST" && request.mode === "navigate" && url.origin === self.location.origin) {
    // A plain form (never a file upload, the accounts or the admin): sent as it is while online.
    const type = request.headers.get("Content-Type") || "";
    if (type.startsWith("application/x-www-form-urlencoded") && !neverKept(url)) {
      event.respondWith(sendOrQueue(event, queueablePost(url)));
    }
    return;
  }
  if (request.method !== "GET") {
    return; // the browser handles it as if there were no service worker
  }
  if (url.origin !== self.location.origin) {
    // Pictures and files on the storage's origin (S3, a CDN) come from the network, then from what
    // was saved; anything else elsewhere (a video embed's player) is the browser's own business.
    if (MEDIA_ORIGINS.has(url.origin) && MEDIA_DESTINATIONS.has(request.destination)) {
      event.respondWith(fetch(request).catch(() => savedCopy(request).then((copy) => copy || Response.error())));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(refreshSaved(request, response.clone()));
          return response;
        })
        .catch(() =>
          savedCopy(request).then((copy) => copy || offlinePage(url).then((page) => page || Response.error()))
        )
    );
    return;
  }
  if (SHELL.has(url.pathname) || CONFIG.cache_first_prefixes.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(fromShell(request, url));
    return;
  }
  if (MEDIA_DESTINATIONS.has(request.destination)) {
    event.respondWith(fetch(request).catch(() => savedCopy(request).then((copy) => copy || Response.error())));
  }
});

/* --- Writing offline: progress marks and quiz answers wait for the network ---------------------- */

function queueablePost(url) {
  for (const pattern of CONFIG.lesson_done) {
    const match = new RegExp(pattern).exec(url.pathname);
    if (match) {
      return { type: "lesson_done", lesson: Number(match[1]) };
    }
  }
  return { type: "page_form" }; // a quiz's form posts to its own page: decided by what it sends
}

function sendOrQueue(event, queueable) {
  const copy = event.request.clone();
  return fetch(event.request).catch(() => copy.formData().then((form) => queueFromForm(event, copy, form, queueable)));
}

function safeLocalPath(value, fallback) {
  try {
    const url = new URL(value, self.location.origin);
    return url.origin === self.location.origin && !neverKept(url) ? url.pathname : fallback;
  } catch (error) {
    return fallback;
  }
}

function queueFromForm(event, request, form, queueable) {
  const url = new URL(request.url);
  const from = safeLocalPath(request.referrer || "/", "/");
  return currentAccount().then((account) => {
    let action = null;
    let next = from;
    if (queueable.type === "lesson_done") {
      action = { type: "lesson_done", lesson: queueable.lesson, page: from };
      next = safeLocalPath(form.get("offline_next") || from, from);
    } else if (form.get("action") === "submit" && form.get("offline") === "1" && form.get("attempt")) {
      const fields = [];
      for (const [name, value] of form.entries()) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
          fields.push([name, value]);
        }
      }
      action = { type: "quiz_submit", attempt: form.get("attempt"), fields: fields, page: url.pathname };
      next = url.pathname;
    }
    if (!account || !action) {
      // Not something that can wait (a quiz with a time limit, starting a quiz, saving answers): the
      // page stays as it is, with what the volunteer typed, and says it needs a connection.
      return new Response(null, { status: 204 });
    }
    action.id = self.crypto.randomUUID();
    action.account = account;
    action.at = new Date().toISOString();
    action.taken = performance.timeOrigin + performance.now();
    return put("queue", action)
      .then(() => (self.registration.sync ? self.registration.sync.register(SYNC_TAG).catch(() => undefined) : undefined))
      .then(() => Response.redirect(new URL(next, self.location.origin).href, 303));
  });
}

let sending = null;

/* Sends the current account's queue. The server checks the account, counts each action once by its
   id (a retry or a double send changes nothing) and says which it refused and why. */
function sendQueue() {
  if (sending) {
    return sending;
  }
  let syncUrl = null;
  sending = currentAccount()
    .then((account) =>
      queued(account).then((actions) => {
        if (!account || actions.length === 0) {
          return { pending: actions.length, sent: 0 };
        }
        return stored("state", "readonly", (store) => store.get("language"))
          .then((language) => (syncUrl = CONFIG.sync[language] || CONFIG.sync[CONFIG.default_language]))
          .then(() => fetch(syncUrl, { credentials: "same-origin", cache: "no-store", redirect: "error" })
          .then((response) => response.json().then((data) => ({ response, data }))))
          .then(({ response, data }) => {
            if (!response.ok || !data.signed_in || data.account !== account) {
              return { pending: actions.length, sent: 0, message: data.message || "" };
            }
            const body = JSON.stringify({
              account: account,
              actions: actions.map(({ id, type, lesson, attempt, fields, at }) => ({ id, type, lesson, attempt, fields, at })),
            });
            return fetch(syncUrl, {
              method: "POST",
              credentials: "same-origin",
              cache: "no-store",
              redirect: "error",
              headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
              body: body,
            })
              .then((response) => (response.ok ? response.json() : { results: [] }))
              .then((answer) => settle(actions, answer.results || []));
          });
      })
    )
    .catch(() => currentAccount().then((account) => queued(account).then((actions) => ({ pending: actions.length, sent: 0 }))))
    .finally(() => {
      sending = null;
    });
  return sending.then((outcome) => tellPages({ type: "changed" }).then(() => outcome));
}

function settle(actions, results) {
  const byId = new Map(actions.map((action) => [action.id, action]));
  let work = Promise.resolve();
  let sent = 0;
  for (const result of results) {
    const action = byId.get(result.id);
    if (!action) {
      continue;
    }
    byId.delete(result.id);
    sent += 1;
    if (result.status === "refused") {
      work = work.then(() => put("refused", { ...action, message: result.message || "" }));
    }
    work = work.then(() => remove("queue", action.id));
  }
  return work.then(() => ({ pending: byId.size, sent: sent }));
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) {
    event.waitUntil(sendQueue());
  }
});

/* --- Saving a course -------------------------------------------------------------------------- */

function chosenFiles(list, options) {
  const pages = list.pages.filter((page) => options.sensitive || !page.sensitive);
  const shown = new Set(pages.map((page) => page.id));
  const images = list.images.filter((image) => shown.has(image.page));
  const files = [
    ...(options.documents ? list.documents.filter((file) => shown.has(file.page)) : []),
    ...list.videos
      .filter((video) => shown.has(video.page) && options.videos.includes(video.url))
      .flatMap((video) => [{ url: video.url, bytes: video.bytes }, ...video.captions]),
  ];
  return { pages, images, files };
}

function urlsOf(record) {
  return [...record.pages.map((page) => page.url), ...record.images.map((image) => image.url), ...record.files];
}

function absolute(url) {
  return new URL(url, self.location.origin).href;
}

/* A picture on the storage's origin is fetched with CORS, or, where the bucket does not allow it,
   as the opaque answer an <img> accepts all the same. Pages and files come from the site. */
function fetchToKeep(entry) {
  const url = absolute(entry.url);
  if (new URL(url).origin === self.location.origin) {
    return fetch(url, { credentials: "same-origin", cache: "no-cache" });
  }
  return fetch(url, { mode: "cors", credentials: "omit", cache: "no-cache" }).catch(() =>
    fetch(url, { mode: "no-cors", credentials: "omit", cache: "no-cache" })
  );
}

function saveCourse(account, listUrl, options, progress) {
  return fetch(listUrl, { credentials: "same-origin", cache: "no-store", redirect: "error" })
    .then((response) => response.json().then((data) => ({ response, data })))
    .then(({ response, data }) => {
      if (!response.ok) {
        throw new Error(data.message || String(response.status));
      }
      const chosen = chosenFiles(data, options);
      const entries = [
        ...chosen.pages.map((page) => ({ url: page.url, bytes: page.bytes, page: true })),
        ...chosen.images.map((image) => ({ url: image.url, bytes: image.bytes })),
        ...chosen.files.map((file) => ({ url: file.url, bytes: file.bytes })),
      ].filter((entry) => !neverKept(new URL(entry.url, self.location.origin)));
      const total = entries.reduce((sum, entry) => sum + entry.bytes, 0) || 1;
      let done = 0;
      return caches.open(SAVED_PREFIX + account).then((cache) => {
        // One at a time: a phone on prepaid data gets a steady bar, and a failure stops early.
        let chain = Promise.resolve();
        for (const entry of entries) {
          chain = chain.then(() =>
            fetchToKeep(entry).then((response) => {
              // A page that redirects (signed out, moved) is not the page; a file may live behind a
              // redirect to the storage, and is kept as its own address's answer.
              if (!(response.ok || response.type === "opaque") || (entry.page && response.redirected)) {
                throw new Error(String(response.status));
              }
              const kept = response.redirected
                ? new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers })
                : response;
              return cache.put(absolute(entry.url), kept).then(() => {
                done += entry.bytes;
                progress(Math.min(done / total, 1));
              });
            })
          );
        }
        return chain.then(() => {
          const record = {
            key: account + ":" + data.course,
            account: account,
            course: data.course,
            list: listUrl,
            title: data.title,
            url: data.url,
            version: data.version,
            options: options,
            checked: Date.now(),
            bytes: total,
            pages: chosen.pages.map(({ id, url, title, kind, sensitive }) => ({ id, url, title, kind, sensitive })),
            images: chosen.images.map(({ url, alternates }) => ({ url, alternates })),
            files: chosen.files.map((file) => file.url),
          };
          return stored("courses", "readonly", (store) => store.get(record.key)).then((old) =>
            put("courses", record).then(() => forgetUnused(account, old ? urlsOf(old) : [])).then(() => record)
          );
        });
      });
    });
}

/* Deletes the copies of these addresses that no saved course of the account still names. */
function forgetUnused(account, urls) {
  return accountItems("courses", account).then((courses) => {
    const kept = new Set(courses.flatMap(urlsOf).map(absolute));
    return caches.open(SAVED_PREFIX + account).then((cache) =>
      Promise.all(urls.map(absolute).filter((url) => !kept.has(url)).map((url) => cache.delete(url)))
    );
  });
}

function removeCourse(account, course) {
  const key = account + ":" + course;
  return stored("courses", "readonly", (store) => store.get(key)).then((record) =>
    record ? remove("courses", key).then(() => forgetUnused(account, urlsOf(record))) : undefined
  );
}

/* A saved course the server republished is saved again, with the same choices, while online. */
function refreshCourses(account) {
  return accountItems("courses", account).then((courses) => {
    let chain = Promise.resolve();
    for (const course of courses) {
      if (Date.now() - course.checked < REFRESH_EVERY_MS) {
        continue;
      }
      chain = chain.then(() =>
        fetch(course.list, { credentials: "same-origin", cache: "no-store", redirect: "error" })
          .then((response) => (response.ok ? response.json() : null))
          .then((data) => {
            if (data && data.version !== course.version) {
              return saveCourse(account, course.list, course.options, () => undefined);
            }
            return put("courses", { ...course, checked: Date.now() });
          })
          .catch(() => undefined)
      );
    }
    return chain;
  });
}

/* --- Talking to the pages ---------------------------------------------------------------------- */

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then((clients) => clients.forEach((client) => client.postMessage(message)));
}

function status(account) {
  return Promise.all([accountItems("courses", account), queued(account), accountItems("refused", account)]).then(
    ([courses, queue, refused]) => ({
      account: account,
      courses: courses.map(({ course, title, url, version, bytes, pages, options }) => ({ course, title, url, version, bytes, pages, options })),
      queue: queue.map(({ id, type, lesson, attempt, page }) => ({ id, type, lesson, attempt, page })),
      refused: refused.map(({ id, type, page, message }) => ({ id, type, page, message })),
    })
  );
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const port = event.ports[0];
  const reply = (value) => port && port.postMessage(value);
  let work;
  if (message.type === "hello") {
    // Each page names the account it was rendered for ("" signed out); an offline page names none.
    const named = typeof message.account === "string";
    work = (named ? put("state", message.account, "account") : Promise.resolve())
      .then(() => (message.language in CONFIG.sync ? put("state", message.language, "language") : undefined))
      .then(() => currentAccount())
      .then((account) => {
        const online = message.online ? sendQueue().then(() => refreshCourses(account)) : Promise.resolve();
        event.waitUntil(online.catch(() => undefined));
        return status(account);
      });
  } else if (message.type === "status") {
    work = currentAccount().then(status);
  } else if (message.type === "sync") {
    // Also counted: what other accounts left waiting on this phone (they never signed out here);
    // signing out clears the whole site's storage, theirs too, so the page asks first.
    work = sendQueue().then((outcome) =>
      currentAccount().then((account) =>
        all("queue").then((items) => Object.assign({}, outcome, { others: items.filter((item) => item.account !== account).length }))
      )
    );
  } else if (message.type === "save") {
    work = currentAccount().then((account) => {
      if (!account) {
        throw new Error("signed out");
      }
      const options = { sensitive: Boolean(message.sensitive), documents: Boolean(message.documents), videos: message.videos || [] };
      const list = new URL(message.list, self.location.origin);
      if (list.origin !== self.location.origin) {
        throw new Error("not this site");
      }
      return saveCourse(account, list.pathname + list.search, options, (fraction) => reply({ progress: fraction })).then(() =>
        status(account)
      );
    });
  } else if (message.type === "remove") {
    work = currentAccount().then((account) => removeCourse(account, message.course).then(() => status(account)));
  } else if (message.type === "dismiss") {
    work = currentAccount().then((account) =>
      accountItems("refused", account)
        .then((items) => Promise.all(items.map((item) => remove("refused", item.id))))
        .then(() => status(account))
    );
  } else {
    return;
  }
  event.waitUntil(
    work.then(
      (value) => reply({ done: true, value: value }),
      (error) => reply({ done: true, error: String(error && error.message ? error.message : error) })
    )
  );
});
