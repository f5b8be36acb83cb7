// 客户经理工作平台: behaviour wired through data attributes (CSP: no inline scripts).
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  // <button data-confirm="确定要……吗？"> asks before submitting.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // <select data-autosubmit> submits its form on change (filter bars).
  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-autosubmit]");
    if (el && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  // <input type="checkbox" data-check-all="name"> toggles every checkbox named name.
  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-check-all]");
    if (!el) { return; }
    document.querySelectorAll('input[type="checkbox"][name="' + el.getAttribute("data-check-all") + '"]').forEach(function (box) {
      box.checked = el.checked;
    });
  });
  // Charts: <canvas data-chart="id-of-json-script"> with a json_script config.
  function drawCharts(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) { return; }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, JSON.parse(source.textContent));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
