/* Pool insight: refreshes the panel beside the vacancy editor as the employer edits.
 *
 * Without this script the panel shows the saved vacancy, and its "update" button posts the
 * editor's fields to the pool page, which shows the editor again with the new counts. With
 * it, any change to the editor's fields (after a short pause) or the button posts them in
 * the background and replaces the panel's content; nothing is saved. No inline styles (the
 * CSP forbids them).
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

  function refresh() {
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    panel.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Pool-Panel": "1" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
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
        }
        panel.removeAttribute("aria-busy");
      })
      .catch(function () {
        panel.removeAttribute("aria-busy");
      });
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
})();
