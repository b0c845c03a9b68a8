// Issue 16: the exhibitor uploads its list (CSV or Excel). The page works without this; the
// script only says at once that a file is over the 4 MB a form may carry (the server refuses
// it with 413 anyway). Nothing leaves the browser until the form is sent.
"use strict";
(() => {
  const input = document.getElementById("recipients-file");
  if (!input) return;
  const most = Number(input.dataset.maxBytes || 0);
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    const tooLarge = Boolean(file && most && file.size > most);
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge || "" : "");
    input.setAttribute("aria-invalid", tooLarge ? "true" : "false");
    if (tooLarge) input.reportValidity();
  });
})();
