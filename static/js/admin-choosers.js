/*
 * Wagtail admin: starts the image and page choosers without inline scripts.
 * pages/widgets.py puts each chooser's settings in a JSON <script> (data, never executed)
 * next to the field; this file hands them to Wagtail's own ImageChooser / PageChooser.
 * The site's Content-Security-Policy forbids inline script code, also in the admin.
 */
(function () {
  "use strict";

  var ALLOWED = ["ImageChooser", "PageChooser"];

  function startChoosers() {
    var pending = document.querySelectorAll("script[data-admin-chooser]:not([data-started])");
    Array.prototype.forEach.call(pending, function (settings) {
      var name = settings.getAttribute("data-admin-chooser");
      if (ALLOWED.indexOf(name) === -1 || typeof window[name] !== "function") {
        return;
      }
      settings.setAttribute("data-started", "");
      new window[name](settings.getAttribute("data-input-id"), JSON.parse(settings.textContent));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startChoosers);
  } else {
    startChoosers();
  }
})();
