// Progressive enhancement for the search page: without scripts the page says it cannot search and
// lists every department; with scripts the form appears, the list is filtered as you type (every
// word must match name, pinyin initials, code, region or year) and the names the tables and
// attachments print (科目, 项目, "三公"经费 items; search/terms.json, fetched once) are listed, each
// linking to its line on the disclosure page.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (form) form.hidden = false;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".search-results > li"));
  var rowsBox = document.querySelector(".row-results");
  var rowsList = document.querySelector(".row-result-list");
  var rowsStatus = document.getElementById("rows-status");
  if (!input || !status) return;
  var total = items.length, index = null, loading = false, LIMIT = 100;

  function tableName(anchor) {
    var m = /^t(\d\d)-/.exec(anchor);
    if (m) return "公开" + m[1] + "表";
    return anchor.indexOf("performance-") === 0 ? "绩效自评表" : "评价报告";
  }
  function positions(ranges) {
    var out = [];
    ranges.split(",").forEach(function (part) {
      var ends = part.split("-").map(Number);
      for (var i = ends[0]; i <= ends[ends.length - 1]; i++) out.push(i);
    });
    return out;
  }
  function listRows(words) {
    if (!rowsBox || !rowsList) return;
    rowsList.textContent = "";
    if (!words.length || !index) { rowsBox.hidden = true; return; }
    var found = 0;
    index.terms.forEach(function (term) {
      var text = term[0].toLowerCase();
      positions(term[2]).forEach(function (p) {
        var page = index.pages[p], hay = text + " " + page[1].toLowerCase();
        if (!words.every(function (w) { return hay.indexOf(w) !== -1; })) return;
        found += 1;
        if (found > LIMIT) return;
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "../" + page[0] + "#" + term[1];
        a.textContent = term[0];
        li.appendChild(a);
        li.appendChild(document.createTextNode(" — " + page[1] + " · " + tableName(term[1])));
        rowsList.appendChild(li);
      });
    });
    rowsBox.hidden = false;
    rowsStatus.textContent = found === 0 ? "表格和附件中没有找到。"
      : "找到 " + found + " 处" + (found > LIMIT ? "，下面是前 " + LIMIT + " 处，请加词缩小范围" : "") + "。";
  }
  function load(then) {
    if (index || loading || !rowsList || !window.fetch) return;
    loading = true;
    fetch(rowsList.getAttribute("data-index")).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { index = data; then(); }, function () { index = null; });
  }
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
    if (words.length && !index) load(filter);
    listRows(words);
  }
  input.addEventListener("input", filter);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); filter(); }
})();
