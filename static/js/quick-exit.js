// Quick exit on sensitive lessons. The button is a plain link and works without this script;
// the script replaces the history entry so "back" does not return here, and lets Escape leave too.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      leave(event);
    }
  });
})();
