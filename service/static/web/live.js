// The hall screen: follows the contest's live stream and fills in each village's count of sheets.
// 亮分 (publication) and cancellation reload the page, which the server renders with the results.
(function () {
  "use strict";
  var hall = document.getElementById("hall");
  if (!hall || !window.EventSource) { return; }
  var state = document.getElementById("live-state");
  var source = new EventSource(hall.dataset.stream + "?after=" + hall.dataset.position);

  function show(d) {
    var card = hall.querySelector('[data-village="' + d.village_id + '"]');
    if (!card || card.querySelector(".in") === null) { return; }
    card.dataset.sheets = d.sheets;
    card.querySelector(".in").textContent = d.sheets;
    card.querySelectorAll(".dots i").forEach(function (dot, n) { dot.className = n < d.sheets ? "on" : ""; });
    card.classList.toggle("complete", d.sheets >= d.panel);
    card.classList.remove("fresh"); void card.offsetWidth; card.classList.add("fresh");
  }

  source.addEventListener("sheet", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("published", function () { source.close(); window.location.reload(); });
  source.addEventListener("cancelled", function () { source.close(); window.location.reload(); });
  source.addEventListener("open", function () { state.textContent = "实时"; state.className = "live-state"; });
  source.addEventListener("error", function () { state.textContent = "重新连接中"; state.className = "live-state off"; });
}());
