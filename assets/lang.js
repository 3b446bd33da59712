// The page's language for screen readers and axe (html-has-lang): zh unless the URL asks for ?lang=en.
(function () {
  function setLang() {
    var lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "zh-CN";
    // Written only on a change: every write is a DOM mutation that observers (screen readers too) see.
    if (document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
  }
  setLang();
  window.addEventListener("popstate", setLang);
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.imd = window.dash_clientside.imd || {};
  function langOf(search) { return new URLSearchParams(search || "").get("lang") === "en" ? "en" : "zh"; }
  function sameView(a, b) {
    var pairs = function (s) { return Array.from(new URLSearchParams(s || "")).map(String).sort().join("&"); };
    return pairs(a) === pairs(b);
  }
  // [view for the page views, language for the router, what the page shows] (callbacks/shell.py). Before the
  // router has drawn the first page there is nothing to redraw.
  window.dash_clientside.imd.viewOrLanguage = function (search, drawn) {
    var noUpdate = window.dash_clientside.no_update;
    if (drawn === null || drawn === undefined) { return [noUpdate, noUpdate, noUpdate]; }
    if (langOf(search) !== langOf(drawn)) { setLang(); return [noUpdate, langOf(search), noUpdate]; }
    if (sameView(search, drawn)) { return [noUpdate, noUpdate, noUpdate]; }
    return [search, noUpdate, search];
  };
  setInterval(setLang, 1000);  // dcc.Location changes the URL with pushState, which fires no event
})();
