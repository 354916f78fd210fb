// MathJax set up as Anki's reviewer sets it up: \(..\) inline and \[..\] display math only (a dollar
// sign is never math), no backslash escapes, no environments or \ref outside math, and the TeX
// packages Anki loads. The page typesets its cards itself once MathJax is ready.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: false,
    processEnvironments: false,
    processRefs: false,
    packages: [
      "base", "action", "ams", "autoload", "configmacros", "mathtools", "newcommand", "noundefined", "require",
    ],
  },
  startup: {
    typeset: false,
    ready() {
      MathJax.startup.defaultReady();
      MathJax.startup.promise.then(() => window.srsPreview.typeset());
    },
  },
};
