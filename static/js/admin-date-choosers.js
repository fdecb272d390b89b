/*
 * Wagtail admin: starts the date and date-time pickers without inline scripts.
 * templates/wagtailadmin/widgets/date_input.html and datetime_input.html put each
 * picker's settings in a JSON <script> (data, never executed) next to the field;
 * this file hands them to Wagtail's own initDateChooser / initDateTimeChooser.
 * The site's Content-Security-Policy forbids inline script code, also in the admin.
 */
(function () {
  "use strict";

  var ALLOWED = ["initDateChooser", "initDateTimeChooser"];

  function startPickers() {
    var pending = document.querySelectorAll(
      "script[data-admin-date-chooser]:not([data-started])"
    );
    Array.prototype.forEach.call(pending, function (settings) {
      var name = settings.getAttribute("data-admin-date-chooser");
      if (ALLOWED.indexOf(name) === -1 || typeof window[name] !== "function") {
        return;
      }
      settings.setAttribute("data-started", "");
      window[name](settings.getAttribute("data-input-id"), JSON.parse(settings.textContent));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPickers);
  } else {
    startPickers();
  }
})();
