// The page's language for screen readers and axe (html-has-lang): zh unless the URL asks for ?lang=en.
(function () {
  function setLang() {
    document.documentElement.lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "zh-CN";
  }
  setLang();
  window.addEventListener("popstate", setLang);
  setInterval(setLang, 1000);  // dcc.Location changes the URL with pushState, which fires no event
})();
