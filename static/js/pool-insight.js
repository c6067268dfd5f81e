/* Pool insight: the panel beside the vacancy editor, fetched apart and kept up to date.
 *
 * The editor's page never waits for the counts: it carries a placeholder (a link to the
 * insight's own page and a button that counts the editor's fields as typed, both working
 * without this script). With it, the placeholder is replaced by the saved vacancy's panel,
 * fetched in the background once it comes into view; then any change to the editor's fields
 * (after a short pause) or the button posts them in the background and replaces the panel's
 * content; nothing is saved. No inline styles (the CSP forbids them).
 */
(function () {
  "use strict";

  var DELAY = 600;

  var form = document.getElementById("vacancy-editor");
  var panel = document.getElementById("pool-insight");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var url = panel.getAttribute("data-pool-url");
  var timer = null;
  var controller = null;
  var edited = false;

  function show(options) {
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    options.headers = { "X-Pool-Panel": "1" };
    options.credentials = "same-origin";
    options.signal = controller ? controller.signal : undefined;
    panel.setAttribute("aria-busy", "true");
    fetch(url, options)
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#pool-insight");
        if (fresh) {
          panel.innerHTML = fresh.innerHTML;
          panel.removeAttribute("data-pool-pending");
        }
        panel.removeAttribute("aria-busy");
      })
      .catch(function () {
        panel.removeAttribute("aria-busy");
      });
  }

  function refresh() {
    edited = true;
    show({ method: "POST", body: new FormData(form) });
  }

  function load() {
    // The saved vacancy's panel, unless the fields were already counted as typed.
    if (!edited && panel.hasAttribute("data-pool-pending")) {
      show({ method: "GET" });
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  }

  form.addEventListener("change", later);
  form.addEventListener("input", later);
  panel.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-pool-update]") : null;
    if (button) {
      event.preventDefault();
      refresh();
    }
  });

  if (panel.hasAttribute("data-pool-pending")) {
    if (window.IntersectionObserver) {
      var watcher = new IntersectionObserver(function (entries) {
        for (var index = 0; index < entries.length; index += 1) {
          if (entries[index].isIntersecting) {
            watcher.disconnect();
            load();
            return;
          }
        }
      });
      watcher.observe(panel);
    } else {
      load();
    }
  }
})();
