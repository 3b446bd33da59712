// A language change swaps the page's words in place (callbacks/shell.py: show_page). Dash mounts afresh whatever
// a callback writes into `children`, so writing the new page over the old one would mount every chart anew and
// resize it once more. Instead the new page is compared with the one shown, and each difference is written into
// the component that holds it, by id (dash_clientside.set_props). A chart then only redraws its new figure.
// Where the two pages differ in shape, or a difference sits in a component without an id, the nearest component
// with an id takes the whole of it: at worst the page root, which is what a new path gets anyway.
(function () {
  window.dash_clientside = window.dash_clientside || {};
  var imd = window.dash_clientside.imd = window.dash_clientside.imd || {};

  function isComponent(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.type === "string" &&
      typeof value.namespace === "string" && value.props !== null && typeof value.props === "object";
  }

  function stable(value) {  // JSON with sorted keys: the same id or value, however its keys were ordered
    if (Array.isArray(value)) { return "[" + value.map(stable).join(",") + "]"; }
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ":" + stable(value[k]); })
        .join(",") + "}";
    }
    return value === undefined ? "null" : JSON.stringify(value);
  }

  // True when `shown` can become `next` through the patches pushed onto `out` ([id, props] pairs); false when
  // the owner of this value has to take it whole. Props the shown component holds that `next` does not name
  // (what a chart or a grid records of the user's actions) are left as they are.
  function reconcile(shown, next, out) {
    if (isComponent(next)) {
      if (!isComponent(shown) || shown.type !== next.type || shown.namespace !== next.namespace ||
          stable(shown.props.id) !== stable(next.props.id)) { return false; }
      var own = {}, changed = false, below = [];
      Object.keys(next.props).forEach(function (name) {
        if (name !== "id" && !reconcile(shown.props[name], next.props[name], below)) {
          own[name] = next.props[name];
          changed = true;
        }
      });
      if (changed) {
        // AG Grid reads its locale texts once, when it starts: a grid with new words is mounted anew.
        if (next.props.id === undefined || next.props.id === null || next.namespace === "dash_ag_grid") {
          return false;
        }
        below.push([next.props.id, own]);
      }
      Array.prototype.push.apply(out, below);
      return true;
    }
    if (Array.isArray(next) && next.some(isComponent)) {
      if (!Array.isArray(shown) || shown.length !== next.length) { return false; }
      var items = [];
      for (var i = 0; i < next.length; i++) {
        if (!reconcile(shown[i], next[i], items)) { return false; }
      }
      Array.prototype.push.apply(out, items);
      return true;
    }
    return stable(shown) === stable(next);
  }
  imd.reconcile = function (shown, next) {  // exposed for the browser test of its rules
    var patches = [];
    return reconcile(shown, next, patches) ? patches : null;
  };

  imd.swapInPlace = function (next, rootId) {
    var noUpdate = window.dash_clientside.no_update;
    var root = window.dash_component_api.getLayout(rootId);
    if (!next || !isComponent(root)) { return next || noUpdate; }
    var patches = [];
    if (!reconcile(root, {type: root.type, namespace: root.namespace, props: Object.assign({}, root.props,
      {children: next})}, patches)) { return next; }
    // The whole page, written as this callback's output: Dash then runs the callbacks a new page starts.
    if (patches.some(function (patch) { return stable(patch[0]) === stable(rootId); })) { return next; }
    patches.forEach(function (patch) { window.dash_clientside.set_props(patch[0], patch[1]); });
    return noUpdate;
  };
})();
