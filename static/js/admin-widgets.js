/*
 * Wagtail admin: starts the widgets Wagtail would start with inline scripts, which the
 * site's Content-Security-Policy forbids (self-hosted script files only, also in the admin).
 * pages/widgets.py and the templates in pages/templates/wagtailadmin/ put each widget's
 * settings in a JSON <script> (data, never executed) next to it:
 *   <script type="application/json" data-admin-widget="ImageChooser" data-input-id="id_image">
 * and this file, on every admin page, hands them to Wagtail's own function of that name.
 * Forms added later (an inline panel's "Add" button, a modal) are started as they appear.
 */
(function () {
  "use strict";

  // Called with `new`: Wagtail's chooser widgets and inline panels.
  var CONSTRUCTORS = [
    "Chooser",
    "DocumentChooser",
    "ImageChooser",
    "InlinePanel",
    "PageChooser",
    "SnippetChooser",
  ];
  // Plain functions: the date and time pickers and the workflow task chooser.
  var FUNCTIONS = ["createTaskChooser", "initDateChooser", "initDateTimeChooser", "initTimeChooser"];
  var SELECTOR = "script[data-admin-widget]:not([data-started])";

  function start(settings) {
    var name = settings.getAttribute("data-admin-widget");
    var starter = window[name];
    var isConstructor = CONSTRUCTORS.indexOf(name) !== -1;
    if (typeof starter !== "function" || (!isConstructor && FUNCTIONS.indexOf(name) === -1)) {
      // Left unstarted, the widget's buttons would silently do nothing.
      console.error("admin-widgets.js cannot start " + name);
      return;
    }
    settings.setAttribute("data-started", "");
    var options = JSON.parse(settings.textContent);
    var inputId = settings.getAttribute("data-input-id");
    if (!isConstructor) {
      starter(inputId, options);
    } else if (inputId === null) {
      new starter(options); // an inline panel: its settings name its own elements
    } else {
      new starter(inputId, options);
    }
  }

  function startAll(root) {
    if (root.matches && root.matches(SELECTOR)) {
      start(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll(SELECTOR), start);
    }
  }

  function startPage() {
    startAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        Array.prototype.forEach.call(mutation.addedNodes, startAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPage);
  } else {
    startPage();
  }
})();
