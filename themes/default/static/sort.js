// Progressive enhancement for comparison tables: without scripts the column headers link to
// pre-sorted pages; with scripts the table sorts in place by the exact values: a cell's data-value,
// or its text where it has none (the text is then the value). As on the pre-sorted pages, each
// 主管部门 keeps its 所属单位 (rows of class "child") under it: blocks sort by their first row, the
// 所属单位 among themselves; blanks and 未公开 rows go last either way. The sorted column keeps its
// marker (aria-sort and the arrow) and the caption says the order.
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
    if (!cell || cell.classList.contains("unpublished")) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
  }
  function sortRows(rows, i, descending) {
    return rows.slice().sort(function (r1, r2) {
      var a = value(r1.cells[i + 1]), b = value(r2.cells[i + 1]);
      var c = compare(a, b);
      if (a !== "" && b !== "" && descending) c = -c;
      if (c === 0) c = compare(value(r1.cells[0]), value(r2.cells[0]));
      return c;
    });
  }
  function mark(table, headers, th, descending) {
    headers.forEach(function (h) {
      h.removeAttribute("aria-sort");
      h.querySelectorAll(".sort-arrow").forEach(function (s) {
        var space = s.previousSibling;
        if (space && space.nodeType === 3 && space.textContent.trim() === "") space.remove();
        s.remove();
      });
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var arrow = document.createElement("span");
    arrow.className = "sort-arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = descending ? "▼" : "▲";
    var link = th.querySelector("a");
    link.appendChild(document.createTextNode(" "));
    link.appendChild(arrow);
    var label = link.firstChild.textContent.trim();
    document.querySelectorAll("[data-sorted-by]").forEach(function (s) {
      s.textContent = "按" + label + (descending ? "从高到低" : "从低到高") + "排列";
    });
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.querySelectorAll("thead th[data-key]");
    headers.forEach(function (th, i) {
      var link = th.querySelector("a");
      if (!link) return;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var descending = th.getAttribute("aria-sort") !== "descending";
        mark(table, headers, th, descending);
        var body = table.tBodies[0];
        var blocks = [];
        Array.prototype.forEach.call(body.rows, function (r) {
          if (r.classList.contains("child") && blocks.length) blocks[blocks.length - 1].push(r);
          else blocks.push([r]);
        });
        var heads = sortRows(blocks.map(function (b) { return b[0]; }), i, descending);
        heads.forEach(function (head) {
          var block = blocks.filter(function (b) { return b[0] === head; })[0];
          body.appendChild(head);
          sortRows(block.slice(1), i, descending).forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  });
})();
