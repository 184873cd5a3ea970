/* 离线版数据质量报告所需的最小脚本：代替 jQuery、bootstrap 与 bootstrap-table 中 GE 页面用到的部分。
   不访问网络。 */
(function () {
  "use strict";
  var handlers = new WeakMap();

  function Wrapped(elements) {
    this.elements = elements;
    this.length = elements.length;
    for (var i = 0; i < elements.length; i++) { this[i] = elements[i]; }
  }

  function $(selector) {
    if (typeof selector === "function") { return $(document).ready(selector); }
    if (selector instanceof Wrapped) { return selector; }
    if (selector === document || selector === window || (selector && selector.nodeType)) {
      return new Wrapped([selector]);
    }
    var found = [];
    try { found = Array.prototype.slice.call(document.querySelectorAll(selector)); } catch (e) { found = []; }
    return new Wrapped(found);
  }

  var fn = Wrapped.prototype;
  fn.each = function (callback) { this.elements.forEach(function (el, i) { callback.call(el, i, el); }); return this; };
  fn.ready = function (callback) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { callback($); }); }
    else { callback($); }
    return this;
  };
  fn.on = function (eventName, callback) {
    return this.each(function (_i, el) {
      var list = handlers.get(el) || [];
      list.push({ name: String(eventName), callback: callback });
      handlers.set(el, list);
      if (String(eventName).indexOf(".bs.") < 0 && el.addEventListener) {
        el.addEventListener(String(eventName).split(".")[0], callback);
      }
    });
  };
  fn.trigger = function (eventName, args) {
    return this.each(function (_i, el) {
      (handlers.get(el) || []).forEach(function (h) {
        if (h.name === eventName) { h.callback.apply(el, [{ type: eventName }].concat(args || [])); }
      });
    });
  };
  fn.data = function (key) { var el = this.elements[0]; return el ? el.getAttribute("data-" + key) : undefined; };
  fn.attr = function (key) { var el = this.elements[0]; return el ? el.getAttribute(key) : undefined; };
  fn.addClass = function (c) { return this.each(function (_i, el) { el.classList.add(c); }); };
  fn.removeClass = function (c) { return this.each(function (_i, el) { el.classList.remove(c); }); };
  fn.toggleClass = function (c) { return this.each(function (_i, el) { el.classList.toggle(c); }); };
  fn.show = fn.fadeIn = function () { return this.each(function (_i, el) { el.style.display = ""; }); };
  fn.hide = fn.fadeOut = function () { return this.each(function (_i, el) { el.style.display = "none"; }); };
  fn.parent = function () {
    return new Wrapped(this.elements.map(function (el) { return el.parentElement; }).filter(Boolean));
  };
  fn.modal = fn.popover = fn.tooltip = fn.datepicker = function () { return this; };

  function cell(value) { return value === undefined || value === null ? "" : String(value); }

  fn.bootstrapTable = function (options) {
    if (typeof options === "string") { return this; }  // clearFilterControl, resetSearch …
    var opts = options || {};
    return this.each(function (_i, table) {
      var columns = opts.columns || [];
      var data = (opts.data || []).slice();
      if (opts.sortName) {
        var column = columns.filter(function (c) { return c.field === opts.sortName; })[0] || {};
        var sortKey = column.sortName || opts.sortName;
        var desc = opts.sortOrder === "desc";
        data.sort(function (a, b) {
          var x = a[sortKey], y = b[sortKey];
          return (x > y ? 1 : x < y ? -1 : 0) * (desc ? -1 : 1);
        });
      }
      var html = "<thead><tr>" + columns.map(function (c) { return "<th>" + cell(c.title) + "</th>"; }).join("") +
        "</tr></thead><tbody>";
      data.forEach(function (row) {
        html += "<tr>" + columns.map(function (c) { return "<td>" + cell(row[c.field]) + "</td>"; }).join("") + "</tr>";
      });
      table.innerHTML = html + "</tbody>";
      table.classList.add("table");
      var rowAttributes = typeof opts.rowAttributes === "string" ? window[opts.rowAttributes] : opts.rowAttributes;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr, index) {
        var row = data[index];
        var attrs = rowAttributes ? rowAttributes(row, index) : {};
        Object.keys(attrs || {}).forEach(function (k) { tr.setAttribute(k, attrs[k]); });
        if (row._table_row_link_path) { tr.setAttribute("data-href", row._table_row_link_path); tr.style.cursor = "pointer"; }
        tr.addEventListener("click", function (event) {
          if (event.target.closest("a")) { return; }
          var listeners = (handlers.get(table) || []).filter(function (h) { return h.name === "click-row.bs.table"; });
          if (listeners.length) {
            listeners.forEach(function (h) { h.callback.call(table, event, row, new Wrapped([tr])); });
          } else if (tr.getAttribute("data-href")) {
            window.location = tr.getAttribute("data-href");
          }
        });
      });
    });
  };

  // bootstrap: tabs and collapsible sections
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle]");
    if (!toggle) { return; }
    var kind = toggle.getAttribute("data-toggle");
    var target = toggle.getAttribute("data-target") || toggle.getAttribute("href");
    if (!target || target.charAt(0) !== "#") { return; }
    var pane = document.getElementById(target.slice(1));
    if (!pane) { return; }
    event.preventDefault();
    if (kind === "tab") {
      var nav = toggle.closest(".nav");
      if (nav) { nav.querySelectorAll("[data-toggle=tab]").forEach(function (a) { a.classList.remove("active"); }); }
      toggle.classList.add("active");
      Array.prototype.forEach.call(pane.parentElement.children, function (p) { p.classList.remove("active", "show"); });
      pane.classList.add("active", "show");
    } else if (kind === "collapse") {
      pane.classList.toggle("show");
    }
  });

  window.$ = window.jQuery = $;
  window.vegaEmbed = function () { return Promise.resolve({}); };
})();
