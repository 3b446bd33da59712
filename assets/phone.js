// Phone layout helpers (issue 19): the filter toggle (a clientside callback) and the active nav link kept in view.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  imd: Object.assign({}, (window.dash_clientside || {}).imd, {
    toggleFilters: function (clicks) {
      var open = clicks.map(function (n) { return n % 2 === 1; });
      return [open.map(function (o) { return o ? "global-controls open" : "global-controls"; }),
              open.map(function (o) { return String(o); })];
    }
  })
});
(function () {
  var shown = new WeakSet();  // each nav once: after that the scroll position is the reader's

  function showActiveNav() {
    var active = document.querySelector(".nav .nav-link.active");
    var nav = active && active.parentElement;
    if (nav && !shown.has(nav)) {
      shown.add(nav);
      var right = active.getBoundingClientRect().right - nav.getBoundingClientRect().left;
      if (right > nav.clientWidth) { nav.scrollLeft = right - nav.clientWidth + 24; }
    }
  }

  new MutationObserver(function () { showActiveNav(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
// The chart's text alternative travels with its figure (layout.meta, dashboard/chart_text.py): shown as the
// caption, and with the chart's title as the container's aria-label.
window.dash_clientside.imd.chartText = function (figure, title, lang) {
  var texts = figure && figure.layout && figure.layout.meta && figure.layout.meta.text_alternative;
  var text = texts && (texts[lang] || texts.zh);
  if (!text) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
  var label = !title || text.indexOf(title) === 0 ? text : title + (lang === "en" ? ". " : "。") + text;
  return [text, label];
};
