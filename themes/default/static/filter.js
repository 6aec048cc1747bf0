// Progressive enhancement for the comparison's filters: without scripts each filter link opens a
// pre-built page of the departments it keeps; with scripts, on the full table, the rows are
// filtered in place (each row lists its filters in data-filter, the link's file name is the
// filter) and the totals are summed again over the rows shown, exactly: the values are decimal
// text, added as integers of their smallest unit (BigInt), never as floating point.
(function () {
  "use strict";
  var table = document.querySelector("table[data-filterable]");
  var nav = document.querySelector(".compare-filters");
  if (!table || !nav || typeof BigInt === "undefined") return;
  var body = table.tBodies[0];
  var totals = table.tFoot ? Array.prototype.slice.call(table.tFoot.rows[0].cells, 1) : [];
  var summed = totals.map(function (cell) { return cell.textContent !== ""; });
  function value(cell) {
    if (!cell || cell.classList.contains("unpublished")) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
  }
  function sum(texts) {
    var scale = 2, parts = [];
    texts.forEach(function (t) {
      var m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
      if (!m) return;
      var frac = m[3] || "";
      scale = Math.max(scale, frac.length);
      parts.push([m[1], m[2], frac]);
    });
    if (!parts.length) return "";
    var total = BigInt(0);
    parts.forEach(function (p) {
      var n = BigInt(p[1] + p[2] + "0".repeat(scale - p[2].length));
      total += p[0] ? -n : n;
    });
    var negative = total < BigInt(0), digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
    return (negative ? "-" : "") + digits.slice(0, digits.length - scale) + "." + digits.slice(digits.length - scale);
  }
  function apply(token, link) {
    var shown = [];
    Array.prototype.forEach.call(body.rows, function (row) {
      var tokens = (row.getAttribute("data-filter") || "").split(" ");
      var keep = token === "" || tokens.indexOf(token) >= 0;
      row.hidden = !keep;
      if (keep) shown.push(row);
    });
    totals.forEach(function (cell, i) {
      if (summed[i]) cell.textContent = sum(shown.map(function (r) { return value(r.cells[i + 1]); }));
    });
    nav.querySelectorAll("a").forEach(function (a) { a.removeAttribute("aria-current"); });
    link.setAttribute("aria-current", "page");
    document.querySelectorAll("[data-count]").forEach(function (c) { c.textContent = String(shown.length); });
    var status = document.querySelector("[data-filter-status]");
    if (status) status.textContent = token === "" ? "" : "已筛选：" + link.textContent + "，显示 " + shown.length + " 个部门（单位），合计为所显示部门之和。";
  }
  nav.querySelectorAll("a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var name = link.getAttribute("href").split("/").pop();
      var token = name.replace(/\.html$/, "");
      if (token === "index") token = "";
      event.preventDefault();
      apply(token, link);
    });
  });
})();
