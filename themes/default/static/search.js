// Progressive enhancement for the search page: without scripts the page says it cannot filter and
// lists every department; with scripts the form appears and the list is filtered as you type
// (every word must match name, code, region or year).
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (form) form.hidden = false;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".search-results > li"));
  if (!input || !status) return;
  var total = items.length;
  function filter() {
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var terms = li.getAttribute("data-terms") || "";
      var match = words.every(function (w) { return terms.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = words.length ? "找到 " + shown + " 个部门（单位），共 " + total + " 个。" : "共 " + total + " 个部门（单位）。";
  }
  input.addEventListener("input", filter);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); filter(); }
})();
