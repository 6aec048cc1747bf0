// Progressive enhancement for comparison tables: without scripts the column headers link to
// pre-sorted pages; with scripts the table sorts in place by the exact values: a cell's data-value,
// or its text where it has none (the text is then the value).
(function () {
  "use strict";
  function compare(a, b) {
    if (a === "" && b === "") return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function value(cell) {
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.querySelectorAll("thead th[data-key]");
    headers.forEach(function (th, i) {
      var link = th.querySelector("a");
      if (!link) return;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var descending = th.getAttribute("aria-sort") !== "descending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = value(r1.cells[i + 1]), b = value(r2.cells[i + 1]);
          var c = compare(a, b);
          if (a !== "" && b !== "" && descending) c = -c;
          if (c === 0) c = compare(value(r1.cells[0]), value(r2.cells[0]));
          return c;
        });
        rows.forEach(function (r) { r.classList.remove("child"); body.appendChild(r); });
      });
    });
  });
})();
