// jiebang site: sortable tables. Click a header to sort its column; a cell's data-sort value
// (a number) is used when present, else its text. No other behaviour.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.setAttribute("tabindex", "0");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          if (!cell) { return { n: NaN, t: "" }; }
          var s = cell.getAttribute("data-sort");
          return { n: s === null || s === "" ? NaN : Number(s), t: cell.textContent.trim() };
        }
        // Numbers by value, then cells without a number (not measured) last either way.
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), d;
          if (!isNaN(x.n) && !isNaN(y.n)) { d = x.n - y.n; }
          else if (!isNaN(x.n)) { return -1; }
          else if (!isNaN(y.n)) { return 1; }
          else { d = x.t.localeCompare(y.t); }
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
});
