// Merged by @jupyterlab/builder into its webpack configuration.
// plotly.js-dist-min is a prebuilt bundle: webpack need not parse it for imports.
module.exports = {
  module: { noParse: /plotly\.min\.js$/ },
};
