// 出访单: fills the hidden location fields from the phone when the person
// asks for it (and the browser allows it). CSP: loaded as a file, no inline code.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) { return; }
    event.preventDefault();
    var form = button.form || document;
    var status = document.getElementById(button.getAttribute("data-locate"));
    function say(text) { if (status) { status.textContent = text; } }
    if (!navigator.geolocation) { say("此浏览器不支持定位，可不填写位置。"); return; }
    say("正在获取位置……");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
      form.querySelector("[name=accuracy]").value = Math.round(pos.coords.accuracy || 0);
      say("已获取位置（精度约 " + Math.round(pos.coords.accuracy || 0) + " 米）。");
    }, function () {
      say("未能获取位置（未授权或信号弱），可不填写位置。");
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
