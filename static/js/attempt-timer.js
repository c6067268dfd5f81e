// The test clock: counts down the time the server gave, says "five minutes left" and "one
// minute left" in a polite live region, and reloads at zero so the server shows the result.
// Without JavaScript the page still shows the time left when it was loaded.
(function () {
  "use strict";

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function start() {
    var clock = document.getElementById("timer");
    var announcer = document.getElementById("timer-announcer");
    if (!clock) {
      return;
    }
    var total = parseInt(clock.getAttribute("data-seconds-left"), 10);
    if (isNaN(total)) {
      return;
    }
    var template = clock.getAttribute("data-format") || "%(time)s";
    var endsAt = Date.now() + total * 1000;
    var announced = {};
    var reloading = false;

    function announce(key, text) {
      if (announced[key] || !announcer || !text) {
        return;
      }
      announced[key] = true;
      announcer.textContent = text;
    }

    // Don't announce a threshold the page was loaded after.
    if (total <= 300) {
      announced.five = true;
    }
    if (total <= 60) {
      announced.one = true;
    }

    function tick() {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      clock.textContent = template.replace("%(time)s", format(left));
      if (left <= 300) {
        announce("five", clock.getAttribute("data-five-minutes"));
      }
      if (left <= 60) {
        announce("one", clock.getAttribute("data-one-minute"));
      }
      if (left <= 0 && !reloading) {
        reloading = true;
        announce("up", clock.getAttribute("data-time-up"));
        window.setTimeout(function () {
          // A GET of the same address, even when the page came back from a POST.
          window.location.assign(window.location.href);
        }, 1500);
        return;
      }
      window.setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
    }

    tick();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
