/*
 * Keeps what a person types in a form marked `data-keep-draft` in this tab's session storage,
 * so a reload or a dropped connection loses nothing they had not yet sent. The server saves
 * each form on submit; this only covers the moments before. Passwords are never kept.
 */
(function () {
  "use strict";
  var store;
  try {
    store = window.sessionStorage;
    store.setItem("passerelle-probe", "1");
    store.removeItem("passerelle-probe");
  } catch (error) {
    return; // storage disabled: the forms still work, only without drafts
  }

  function keyFor(form) {
    return "passerelle-draft:" + window.location.pathname + ":" + (form.getAttribute("data-keep-draft") || "form");
  }

  function kept(field) {
    return field.name && field.type !== "password" && field.type !== "hidden" &&
      field.type !== "submit" && field.type !== "file" && field.name !== "csrfmiddlewaretoken";
  }

  function save(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        values[field.name + "=" + field.value] = field.checked;
      } else {
        values[field.name] = field.value;
      }
    });
    store.setItem(keyFor(form), JSON.stringify(values));
  }

  function restore(form) {
    var raw = store.getItem(keyFor(form));
    if (!raw) { return; }
    var values;
    try { values = JSON.parse(raw); } catch (error) { return; }
    var restored = false;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        var key = field.name + "=" + field.value;
        if (key in values && field.checked !== values[key]) { field.checked = values[key]; restored = true; }
      } else if (field.name in values && field.value !== values[field.name]) {
        field.value = values[field.name];
        restored = true;
      }
    });
    var note = form.querySelector("[data-draft-note]");
    if (restored && note) { note.hidden = false; }
  }

  // A normal page load after a submit means the server answered it: drop what was sent. After
  // "back" or a reload (what people do when a connection drops), keep it to fill the form again.
  var navigation = window.performance && performance.getEntriesByType ?
    performance.getEntriesByType("navigation")[0] : null;
  if (!navigation || navigation.type === "navigate") {
    Object.keys(store).forEach(function (key) {
      if (key.slice(-5) === ":sent") {
        store.removeItem(key.slice(0, -5));
        store.removeItem(key);
      }
    });
  }

  document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
    // A page showing errors for this form already holds what was sent: the draft is older.
    if (form.querySelector(".errorlist")) {
      store.removeItem(keyFor(form));
    } else {
      restore(form);
    }
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function () {
      // Cleared once the page that answers the submit loads: kept if the connection drops.
      store.setItem(keyFor(form) + ":sent", "1");
    });
  });

})();
