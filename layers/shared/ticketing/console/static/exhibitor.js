// The exhibitor's download overview and batch page: each progress bar of a batch still being
// made asks the console for its progress every 2 seconds (GET data-progress-url, JSON) and
// shows it, until the batch is ready (then its Excel link appears) or failed. Without this
// script the page refreshes itself and has a refresh link.
(function () {
  "use strict";
  var EVERY = 2000;
  var AFTER_FAILURE = 5000;

  function follow(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var words = box.querySelector("[data-progress-text]");
    var link = box.querySelector("[data-progress-download]");
    var failures = 0;

    function show(progress) {
      bar.value = progress.percent;
      bar.textContent = progress.percent_text;
      if (words.textContent !== progress.text) {
        words.textContent = progress.text;
      }
      box.setAttribute("data-step", progress.step);
      if (progress.download && link) {
        link.href = progress.download;
        link.hidden = false;
      }
    }

    function ask() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) {
          if (!answer.ok || answer.redirected) {
            throw new Error("progress answered " + answer.status);
          }
          return answer.json();
        })
        .then(function (progress) {
          failures = 0;
          show(progress);
          if (!progress.done) {
            window.setTimeout(ask, EVERY);
          } else {
            box.removeAttribute("data-progress-url");
            settled();
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < 10) {
            window.setTimeout(ask, AFTER_FAILURE);
          }
        });
    }

    window.setTimeout(ask, EVERY);
  }

  // every bar done: the words "being made" and the refresh link no longer apply
  function settled() {
    if (document.querySelector("[data-progress-url]")) {
      return;
    }
    var stale = document.querySelectorAll("[data-progress-refresh]");
    for (var j = 0; j < stale.length; j += 1) {
      stale[j].hidden = true;
    }
  }

  var boxes = document.querySelectorAll("[data-progress-url]");
  for (var i = 0; i < boxes.length; i += 1) {
    follow(boxes[i]);
  }
})();
