// "Bestellung suchen" as you type: 300 ms after the last key, the search field's value is
// sent to /console/orders/found (the same search as the form, as an HTML fragment) and the
// result list is replaced by the answer; the address bar keeps the query, so a reload or the
// back button shows the same list. Without this script the form is submitted as usual.
(function () {
  "use strict";
  var WAIT = 300;
  var form = document.getElementById("order-search");
  var field = document.getElementById("order-q");
  if (!form || !field || !window.fetch || !window.DOMParser) {
    return;
  }
  var timer = null;
  var asked = 0;

  function show(html, query) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var fresh = parsed.getElementById("order-results");
    var old = document.getElementById("order-results");
    if (!fresh || !old) {
      return;
    }
    old.replaceWith(document.importNode(fresh, true));
    var error = document.getElementById("order-q-error");
    field.setAttribute("aria-describedby", "order-q-hint" + (error ? " order-q-error" : ""));
    if (error) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.delete("cursor");
    window.history.replaceState(null, "", url.toString());
  }

  function search() {
    var query = field.value.trim(); // empty: the list empties too
    var mine = ++asked;
    var url = "/console/orders/found?" + new URLSearchParams({ q: query }).toString();
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (answer.redirected || (answer.status !== 200 && answer.status !== 422)) {
          throw new Error("search answered " + answer.status);
        }
        return answer.text();
      })
      .then(function (html) {
        if (mine === asked) {
          show(html, query);
        }
      })
      .catch(function () {
        // the form still works: the next key or the button tries again
      });
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, WAIT);
  });
})();
