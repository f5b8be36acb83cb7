// 客户走访: the overlap warning is fetched as the client and date are chosen,
// so it shows before saving. No inline script (CSP).
(function () {
  "use strict";
  function refresh() {
    var box = document.getElementById("overlap-live");
    if (!box || !window.htmx) { return; }
    var form = box.closest("form");
    var params = new URLSearchParams();
    var fixed = form.querySelector("[data-overlap-client]");
    var client = form.querySelector("[name=client]");
    var code = form.querySelector("[name=crm_code]");
    var day = form.querySelector("[name=visited_on], [name=planned_on]");
    if (fixed) { params.set("client", fixed.value); }
    else if (client && client.value) { params.set("client", client.value); }
    if (code && code.value.trim()) { params.set("crm_code", code.value.trim()); }
    if (!params.has("client") && !params.has("crm_code")) { box.innerHTML = ""; return; }
    if (day && day.value) { params.set(day.name, day.value); }
    window.htmx.ajax("GET", box.getAttribute("data-overlap-url") + "?" + params.toString(), { target: box, swap: "innerHTML" });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("#visit-form [name=client], #visit-form [name=crm_code], #visit-form [name=visited_on], #visit-form [name=planned_on]")) {
      refresh();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("visit-form");
    var box = document.getElementById("overlap-live");
    if (form && box && !box.hasAttribute("data-confirming") && form.querySelector("[data-overlap-client]")) { refresh(); }
  });
})();
