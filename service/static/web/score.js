// The judge's running total: the sum of the marks typed so far. Without it the total shows after submitting.
(function () {
  "use strict";
  function update(form) {
    var sum = 0, any = false;
    form.querySelectorAll("input[name^='mark-']").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value)) { sum += value; any = true; }
    });
    form.querySelector("output.running").textContent = any ? (Math.round(sum * 100) / 100).toFixed(2) : "—";
  }
  document.querySelectorAll("form.sheet").forEach(function (form) {
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("submit", function () { form.querySelector("button").disabled = true; });
  });
}());
