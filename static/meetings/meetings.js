// 例会: the roll call's absence fields and formset rows (CSP: no inline scripts).
(function () {
  "use strict";
  // Roll call: an unticked 出席 switch shows the reason and note of that line.
  function refreshLine(line) {
    var box = line.querySelector("input[data-roll-present]");
    var absence = line.querySelector("[data-roll-absence]");
    var state = line.querySelector("[data-roll-state]");
    if (!box || !absence) { return; }
    absence.classList.toggle("d-none", box.checked);
    if (state) {
      state.textContent = box.checked ? "出席" : "缺席";
      state.classList.toggle("text-success", box.checked);
      state.classList.toggle("text-danger", !box.checked);
    }
  }
  function refreshCount() {
    var out = document.querySelector("[data-roll-count]");
    if (!out) { return; }
    var boxes = document.querySelectorAll("input[data-roll-present]");
    var present = 0;
    boxes.forEach(function (box) { if (box.checked) { present += 1; } });
    out.textContent = "应到 " + boxes.length + " 人，实到 " + present + " 人，缺席 " + (boxes.length - present) + " 人";
  }
  document.addEventListener("change", function (event) {
    if (!event.target.matches("input[data-roll-present]")) { return; }
    refreshLine(event.target.closest("[data-roll-line]"));
    refreshCount();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-roll-line]").forEach(refreshLine);
    refreshCount();
  });

  // Formsets: "再加一行" clones the empty form and bumps TOTAL_FORMS.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) { return; }
    var code = button.getAttribute("data-formset-add");
    var prefix = button.getAttribute("data-prefix");
    var template = document.querySelector('template[data-formset-template="' + code + '"]');
    var rows = document.querySelector('[data-formset-rows="' + code + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !total) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("textarea, input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
})();
