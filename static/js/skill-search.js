/* Skill search: turns the plain search form of the skills step into a WAI-ARIA combobox.
 *
 * Without this script the page is a GET search form with one add form per result. With it,
 * typing two letters or more lists matching skills (from /api/v1/skills/); choosing one
 * fills the hidden skill id of the quick-add form and reveals its level choice. No inline
 * styles (the CSP forbids them): only classes and the `hidden` attribute change.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 200;

  var form = document.getElementById("skill-search-form");
  var addForm = document.getElementById("skill-quick-add");
  if (!form || !addForm || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var input = form.querySelector("input[name='q']");
  var listbox = document.getElementById("skill-search-listbox");
  var status = document.getElementById("skill-search-status");
  var skillField = addForm.querySelector("input[name='skill']");
  var queryField = addForm.querySelector("input[name='q']");
  var chosenLabel = document.getElementById("skill-quick-add-label");
  if (!input || !listbox || !status || !skillField || !queryField || !chosenLabel) {
    return;
  }
  var held = (form.getAttribute("data-held") || "").split(",").filter(Boolean);
  var options = [];
  var active = -1;
  var timer = null;
  var controller = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  function text(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function announce(message) {
    status.textContent = message;
  }

  function isHeld(skill) {
    return held.indexOf(String(skill.id)) !== -1;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (options.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function setActive(index) {
    var items = listbox.children;
    for (var i = 0; i < items.length; i += 1) {
      var selected = i === index;
      items[i].setAttribute("aria-selected", selected ? "true" : "false");
      items[i].classList.toggle("is-active", selected);
    }
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
      if (items[index].scrollIntoView) {
        items[index].scrollIntoView({ block: "nearest" });
      }
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(results) {
    listbox.textContent = "";
    options = results;
    results.forEach(function (skill, index) {
      var item = document.createElement("li");
      item.id = "skill-option-" + skill.id;
      item.className = "combobox-option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = skill.label;
      if (isHeld(skill)) {
        var note = document.createElement("span");
        note.className = "combobox-note";
        note.textContent = " – " + text("held");
        item.appendChild(note);
      }
      // Keeps the focus in the input, so that a click does not close the list first.
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      item.addEventListener("click", function () {
        choose(index);
      });
      listbox.appendChild(item);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (results.length) {
      open();
    } else {
      close();
    }
  }

  function countMessage(count) {
    if (count === 0) {
      return text("none");
    }
    if (count === 1) {
      return text("one");
    }
    return text("many").replace("{count}", String(count));
  }

  function search(query) {
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    var params = new URLSearchParams({
      q: query,
      lang: document.documentElement.lang || "fr",
      page_size: "10"
    });
    fetch(form.getAttribute("data-api") + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (input.value.trim() !== query) {
          return;
        }
        var results = data.results || [];
        render(results);
        announce(countMessage(results.length));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        // The plain search form still works: say so, and let Enter submit it.
        render([]);
        announce(text("error"));
      });
  }

  function resetChoice() {
    if (skillField.value) {
      skillField.value = "";
      addForm.hidden = true;
    }
  }

  function choose(index) {
    var skill = options[index];
    if (!skill) {
      return;
    }
    close();
    input.value = skill.label;
    if (isHeld(skill)) {
      // Already in the profile: its own page changes the level.
      window.location.href = form.getAttribute("data-edit-url").replace(/\/0\/$/, "/" + skill.id + "/");
      return;
    }
    skillField.value = String(skill.id);
    queryField.value = skill.label;
    chosenLabel.textContent = skill.label;
    addForm.hidden = false;
    var level = addForm.querySelector("input[name='level']:checked") ||
      addForm.querySelector("input[name='level']");
    if (level) {
      level.focus();
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    resetChoice();
    var query = input.value.trim();
    if (query.length < MIN_LENGTH) {
      if (controller) {
        controller.abort();
      }
      options = [];
      listbox.textContent = "";
      close();
      announce("");
      return;
    }
    timer = window.setTimeout(function () {
      search(query);
    }, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var count = options.length;
    switch (event.key) {
      case "ArrowDown":
        if (!count) {
          return;
        }
        event.preventDefault();
        open();
        setActive(active + 1 >= count ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!count) {
          return;
        }
        event.preventDefault();
        open();
        setActive(active <= 0 ? count - 1 : active - 1);
        break;
      case "Enter":
        // With an option active, Enter chooses it; otherwise the plain search is sent.
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        break;
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          resetChoice();
          options = [];
          listbox.textContent = "";
          announce("");
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    close();
  });

  input.addEventListener("focus", function () {
    if (options.length && !skillField.value) {
      open();
    }
  });
})();
