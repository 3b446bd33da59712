// Builds assets/vendor/plotly-imd.min.js: plotly.js with only the trace types the IMD figures draw.
const esbuild = require('esbuild');
const version = require('plotly.js/package.json').version;
const traces = ['scatter', 'bar', 'heatmap', 'funnel'];
esbuild.build({
  stdin: {
    contents: "var Plotly = require('plotly.js/lib/core');\n" +
      `Plotly.register([${traces.slice(1).map(t => `require('plotly.js/lib/${t}')`).join(', ')}]);\n` +
      'module.exports = Plotly;\n',
    resolveDir: __dirname,
  },
  outfile: require('path').join(__dirname, '..', '..', 'assets', 'vendor', 'plotly-imd.min.js'), format: 'iife', globalName: 'Plotly', bundle: true, minify: true,
  banner: {js: `/* plotly.js v${version} (MIT licence, Plotly, Inc.), IMD bundle: traces ${traces.join(',')} */`},
  loader: {'.css': 'empty'},  // maplibre's stylesheet, required only when a map trace registers
  define: {global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false'},
  target: 'es2016', legalComments: 'none', logLevel: 'info',
}).catch(() => process.exit(1));
