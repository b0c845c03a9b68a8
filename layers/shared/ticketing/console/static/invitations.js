// Issue 16: the exhibitor picks a CSV file; its text fills the list field (the page works
// without this: the list is pasted). Nothing leaves the browser until the form is sent.
"use strict";
(() => {
  const picker = document.querySelector("[data-file-pick]");
  const input = document.getElementById("recipients-file");
  const list = document.getElementById("recipients");
  if (!picker || !input || !list || !window.FileReader) return;
  picker.hidden = false;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      list.value = String(reader.result || "").replace(/^\uFEFF/, "");
      list.focus();
    });
    reader.readAsText(file, "utf-8");
  });
})();
