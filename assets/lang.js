// The page's language for screen readers and axe (html-has-lang): zh unless the URL asks for ?lang=en.
(function () {
  function setLang() {
    var lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "zh-CN";
    // Written only on a change: every write is a DOM mutation that observers (screen readers too) see.
    if (document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
  }
  setLang();
  window.addEventListener("popstate", setLang);
  setInterval(setLang, 1000);  // dcc.Location changes the URL with pushState, which fires no event
})();
