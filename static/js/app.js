/* The installable app (training/pwa.py, templates/pwa/sw.js). Registers the service worker and,
   once it runs, shows what it keeps: the "use this course offline" panel on a course page, saved
   and waiting items in outlines, what waits to be sent, and the saved list on the offline page.
   Everything on the site works without it; every text comes from the page, in its language. */
"use strict";
(function () {
  if (!("serviceWorker" in navigator)) {
    return; // no app features on this browser; the site works as before
  }
  const texts = document.getElementById("app-texts");
  const language = document.documentElement.lang || "th";
  const accountMeta = document.querySelector('meta[name="app-account"]');

  function text(name, count) {
    if (!texts) {
      return "";
    }
    if (count === undefined) {
      return texts.dataset[name] || "";
    }
    const key = name + (count === 1 ? "One" : "Other");
    return (texts.dataset[key] || "").replace("{n}", new Intl.NumberFormat(language).format(count));
  }

  function size(bytes) {
    const megabytes = bytes / (1024 * 1024);
    const [value, unit] = megabytes >= 0.1 ? [megabytes, "megabyte"] : [Math.max(bytes / 1024, 1), "kilobyte"];
    return new Intl.NumberFormat(language, { style: "unit", unit: unit, maximumFractionDigits: 1 }).format(value);
  }

  function element(tag, attributes, content) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  /* One question to the worker; `onProgress` hears the messages sent before the answer. */
  function ask(message, onProgress) {
    return navigator.serviceWorker.ready.then(
      (registration) =>
        new Promise((resolve, reject) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => {
            const data = event.data || {};
            if (!data.done) {
              if (onProgress) {
                onProgress(data);
              }
              return;
            }
            channel.port1.close();
            if (data.error) {
              reject(new Error(data.error));
            } else {
              resolve(data.value);
            }
          };
          registration.active.postMessage(message, [channel.port2]);
        })
    );
  }

  /* --- What the worker holds, shown on this page --------------------------------------------- */

  function banner(id, className) {
    let node = document.getElementById(id);
    if (!node) {
      node = element("div", { id: id, class: "app-banner " + className, role: "status" });
      const main = document.getElementById("main");
      (main || document.body).prepend(node);
    }
    node.replaceChildren();
    return node;
  }

  function showQueue(state) {
    const pending = state.queue.length;
    const node = banner("app-pending", "app-banner--pending");
    node.hidden = pending === 0;
    if (pending) {
      node.append(element("p", {}, text("pending", pending)));
    }
    const refused = banner("app-refused", "app-banner--refused");
    refused.hidden = state.refused.length === 0;
    if (state.refused.length) {
      refused.append(element("p", {}, text("refused")));
      const list = element("ul");
      state.refused.forEach((item) => list.append(element("li", {}, item.message)));
      const dismiss = element("button", { type: "button", class: "button button--secondary" }, text("dismiss"));
      dismiss.addEventListener("click", () => ask({ type: "dismiss" }).then(show));
      refused.append(list, dismiss);
    }
  }

  function markOutline(state) {
    const saved = new Set(state.courses.flatMap((course) => course.pages.map((page) => page.url)));
    const waiting = new Set(state.queue.map((item) => item.page));
    document.querySelectorAll(".outline a[href], .dashboard a[href]").forEach((link) => {
      const path = new URL(link.href, location.href).pathname;
      const item = link.closest("li") || link.parentElement;
      item.querySelectorAll(":scope > .state--app").forEach((node) => node.remove());
      if (waiting.has(path)) {
        item.append(element("span", { class: "state state--app state--will-sync" }, text("willSync")));
      }
      if (saved.has(path)) {
        item.append(element("span", { class: "state state--app state--saved" }, text("saved")));
      }
    });
  }

  function markThisPage(state) {
    const here = location.pathname;
    const done = document.querySelector("form.lesson__complete");
    if (done && state.queue.some((item) => item.type === "lesson_done" && item.page === here)) {
      done.replaceWith(element("p", { class: "lesson__done lesson__done--queued" }, "✓ " + text("lessonQueued")));
    }
    const quiz = document.getElementById("quiz-form");
    const attempt = quiz && quiz.querySelector('input[name="attempt"]');
    if (attempt && state.queue.some((item) => item.type === "quiz_submit" && item.attempt === attempt.value)) {
      quiz.hidden = true;
      if (!document.getElementById("quiz-queued")) {
        quiz.after(element("p", { id: "quiz-queued", class: "card quiz-queued" }, text("quizQueued")));
      }
    }
  }

  function showSavedList(state) {
    const section = document.querySelector("[data-offline-saved]");
    if (!section) {
      return;
    }
    const list = section.querySelector("ul");
    list.replaceChildren();
    state.courses.forEach((course) => {
      const item = element("li");
      item.append(element("a", { href: course.url }, course.title));
      const pages = element("ul");
      course.pages
        .filter((page) => page.kind !== "course")
        .forEach((page) => {
          const entry = element("li");
          // A lesson on a sensitive topic shows under a neutral name on a phone others may see.
          entry.append(element("a", { href: page.url }, page.sensitive ? text("neutral") : page.title));
          pages.append(entry);
        });
      item.append(pages);
      list.append(item);
    });
    section.hidden = state.courses.length === 0;
  }

  /* --- The course page's "use this course offline" panel ------------------------------------- */

  function savePanel(state) {
    const panel = document.querySelector("[data-offline-save]");
    if (!panel || !accountMeta || !accountMeta.content) {
      return;
    }
    panel.hidden = false;
    const course = Number(panel.dataset.course);
    const saved = state.courses.find((entry) => entry.course === course);
    const status = panel.querySelector("[data-offline-state]");
    const choices = panel.querySelector("[data-offline-choices]");
    const remove = panel.querySelector("[data-offline-remove]");
    remove.hidden = !saved;
    if (saved) {
      status.textContent = panel.dataset.textSaved + " " + size(saved.bytes);
    }
    if (panel.dataset.ready) {
      return;
    }
    panel.dataset.ready = "1";
    remove.addEventListener("click", () => ask({ type: "remove", course: course }).then(show));
    if (!navigator.onLine) {
      if (!saved) {
        status.textContent = panel.dataset.textOffline;
      }
      return;
    }
    const width = Math.round(Math.min(screen.width, 4000 / (window.devicePixelRatio || 1)) * (window.devicePixelRatio || 1));
    const address = panel.dataset.list + "?width=" + width;
    fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json().then((data) => ({ response, data })))
      .then(({ response, data }) => {
        if (!response.ok) {
          status.textContent = data.message || panel.dataset.textFailed;
          return;
        }
        offerChoices(panel, choices, data, address, saved);
      })
      .catch(() => {
        status.textContent = panel.dataset.textFailed;
      });
  }

  function offerChoices(panel, choices, data, address, saved) {
    const sensitive = choices.querySelector("[data-offline-sensitive]");
    const documents = choices.querySelector("[data-offline-documents]");
    const videos = choices.querySelector("[data-offline-videos]");
    const button = choices.querySelector("[data-offline-save-button]");
    const progress = panel.querySelector("[data-offline-progress]");
    const status = panel.querySelector("[data-offline-state]");
    const documentBytes = data.documents.reduce((sum, file) => sum + file.bytes, 0);
    sensitive.closest("label").hidden = data.sensitive_bytes === 0;
    sensitive.closest("label").querySelector("[data-size]").textContent = "(" + size(data.sensitive_bytes) + ")";
    documents.closest("label").hidden = data.documents.length === 0;
    documents.closest("label").querySelector("[data-size]").textContent = "(" + size(documentBytes) + ")";
    videos.hidden = data.videos.length === 0;
    // A video comes with its captions, counted in its size.
    const videoBytes = (video) => video.captions.reduce((sum, file) => sum + file.bytes, video.bytes);
    data.videos.forEach((video) => {
      const label = element("label", { class: "offline-save__choice" });
      const box = element("input", { type: "checkbox", value: video.url });
      label.append(box, " " + video.title + " (" + size(videoBytes(video)) + ")");
      videos.append(label);
    });
    if (saved && saved.options) {
      // A course saved before shows what was chosen then: saving again keeps it unless changed.
      sensitive.checked = saved.options.sensitive;
      documents.checked = saved.options.documents;
      videos.querySelectorAll("input").forEach((box) => {
        box.checked = saved.options.videos.includes(box.value);
      });
    }
    const chosenVideos = () => [...videos.querySelectorAll("input:checked")].map((box) => box.value);
    const total = () =>
      data.bytes +
      (sensitive.checked ? data.sensitive_bytes : 0) +
      (documents.checked ? documentBytes : 0) +
      data.videos.filter((video) => chosenVideos().includes(video.url)).reduce((sum, video) => sum + videoBytes(video), 0);
    const showTotal = () => {
      button.querySelector("[data-size]").textContent = "(" + size(total()) + ")";
    };
    choices.addEventListener("change", showTotal);
    showTotal();
    choices.hidden = false;
    button.addEventListener("click", () => {
      button.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = panel.dataset.textSaving;
      ask(
        { type: "save", list: address, sensitive: sensitive.checked, documents: documents.checked, videos: chosenVideos() },
        (message) => {
          progress.value = Math.round((message.progress || 0) * 100);
        }
      )
        .then((state) => {
          progress.value = 100;
          show(state);
        })
        .catch(() => {
          status.textContent = panel.dataset.textFailed;
        })
        .finally(() => {
          button.disabled = false;
          progress.hidden = true;
        });
    });
  }

  /* --- Forms that cannot wait for the network, and signing out ------------------------------- */

  function guardForms() {
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (form.matches("[data-sign-out]")) {
        signOut(event, form);
        return;
      }
      if (navigator.onLine || form.method.toLowerCase() !== "post") {
        return;
      }
      const submitter = event.submitter;
      const waits =
        form.matches("form.lesson__complete") ||
        (form.id === "quiz-form" && form.querySelector('input[name="offline"]') && submitter && submitter.value === "submit");
      if (!waits) {
        event.preventDefault();
        needsNetwork();
      }
    });
  }

  function needsNetwork() {
    banner("app-needs-network", "app-banner--pending").append(element("p", {}, text("needsNetwork")));
    window.scrollTo(0, 0);
  }

  function signOut(event, form) {
    if (form.dataset.checked) {
      return;
    }
    event.preventDefault();
    if (!navigator.onLine) {
      // Signing out is the server's to do: offline it could not happen, nor send what waits.
      needsNetwork();
      return;
    }
    const leave = () => {
      form.dataset.checked = "1";
      form.submit();
    };
    ask({ type: "sync" })
      .then((outcome) => {
        const others = outcome.others ? text("othersUnsent", outcome.others) : "";
        const own = outcome.pending ? text("unsent", outcome.pending) : others && text("signOutAnyway");
        if (!own || window.confirm([others, own].filter(Boolean).join(" "))) {
          leave();
        }
      })
      .catch(leave);
  }

  /* --- Wiring ---------------------------------------------------------------------------------- */

  function show(state) {
    if (!state) {
      return;
    }
    showQueue(state);
    markOutline(state);
    markThisPage(state);
    showSavedList(state);
    savePanel(state);
  }

  function hello() {
    const message = { type: "hello", language: language, online: navigator.onLine };
    if (accountMeta) {
      message.account = accountMeta.content;
    }
    return ask(message).then(show);
  }

  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* No app features at this address; the site works as before. */
    });
    guardForms();
    // What the page shows of the worker's state is a courtesy: when the worker cannot answer (its
    // storage cleared under it by a sign-out in another tab), the page stays as it is.
    const quietly = () => undefined;
    navigator.serviceWorker.ready.then(hello).catch(quietly);
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "changed") {
        ask({ type: "status" }).then(show).catch(quietly);
      }
    });
    window.addEventListener("online", () =>
      ask({ type: "sync" })
        .then(() => ask({ type: "status" }))
        .then(show)
        .catch(quietly)
    );
  });
})();
