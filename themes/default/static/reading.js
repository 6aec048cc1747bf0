// Progressive enhancement for disclosure pages: without scripts every row is shown; with scripts a
// button above each table that has rows of zeros only hides or shows them (aria-pressed says which).
(function () {
  "use strict";
  document.querySelectorAll(".zero-toggle").forEach(function (p) {
    var button = p.querySelector("button"), section = p.closest("section");
    if (!button || !section) return;
    p.hidden = false;
    button.addEventListener("click", function () {
      var hide = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", hide ? "true" : "false");
      section.classList.toggle("hide-zero", hide);
    });
  });
})();
