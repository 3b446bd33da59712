// Server-side grids that stay on the page while its view changes (callbacks/data_records.py): a new view
// empties each grid's cache, so it asks for its first rows again, for the new unit. getApiAsync and
// purgeInfiniteCache are dash-ag-grid's and AG Grid's public API.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  imd: Object.assign({}, (window.dash_clientside || {}).imd, {
    refreshRows: function (view, wrappers) {
      (wrappers || []).forEach(function (wrapper) {
        window.dash_ag_grid.getApiAsync(wrapper.grid).then(function (api) { api.purgeInfiniteCache(); });
      });
    }
  })
});
