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
  // Live totals: <input data-sum="g"> fields add up into
  // <output data-sum-of="g" data-total="1200" data-unit="户" data-decimals="0">,
  // which shows what is allocated and what remains (refused on save if not 0).
  function refreshSums() {
    document.querySelectorAll("output[data-sum-of]").forEach(function (out) {
      var group = out.getAttribute("data-sum-of");
      var decimals = parseInt(out.getAttribute("data-decimals") || "2", 10);
      var scale = Math.pow(10, decimals);
      var sum = 0;
      document.querySelectorAll('input[data-sum="' + group + '"]').forEach(function (input) {
        var value = parseFloat((input.value || "0").replace(/,/g, ""));
        if (!isNaN(value)) { sum += Math.round(value * scale); }
      });
      var total = Math.round(parseFloat(out.getAttribute("data-total") || "0") * scale);
      var remainder = (total - sum) / scale;
      var unit = out.getAttribute("data-unit") || "";
      out.textContent = "已分配 " + (sum / scale).toFixed(decimals) + " " + unit + "，剩余 " + remainder.toFixed(decimals) + " " + unit;
      out.classList.toggle("text-danger", remainder !== 0);
      out.classList.toggle("text-success", remainder === 0);
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("input[data-sum]")) { refreshSums(); }
  });
  document.addEventListener("DOMContentLoaded", refreshSums);

  // Charts: <canvas data-chart="id-of-json-script"> with a json_script config.
  function drawCharts(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart], canvas[data-chart-config]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var config = canvas.getAttribute("data-chart-config");
      if (!config) {
        var source = document.getElementById(canvas.getAttribute("data-chart"));
        if (!source) { return; }
        config = source.textContent;
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, JSON.parse(config));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
  // Swapped-in content (home-page blocks replace their placeholder).
  document.addEventListener("htmx:load", function (event) { drawCharts(event.detail.elt); });
})();
