/* The site's one script, loaded with defer; every part does nothing on pages without its markup. */

// Share box: "Kopiuj link" and the device's own share sheet (Web Share API).
// Both buttons stay hidden without JavaScript or where the browser cannot do it;
// the plain share links work everywhere.
(function () {
    "use strict";

    function announce(status, text) {
        // Clearing first makes screen readers announce the same text again on a second click.
        status.textContent = "";
        window.requestAnimationFrame(function () {
            status.textContent = text;
        });
    }

    document.querySelectorAll("[data-share-box]").forEach(function (box) {
        var url = box.dataset.shareUrl;
        var title = box.dataset.shareTitle;
        var status = box.querySelector("[data-share-status]");
        var copyButton = box.querySelector("[data-share-copy]");
        var nativeButton = box.querySelector("[data-share-native]");

        if (copyButton && navigator.clipboard && window.isSecureContext) {
            copyButton.hidden = false;
            copyButton.addEventListener("click", function () {
                navigator.clipboard.writeText(url).then(
                    function () {
                        announce(status, box.dataset.copiedMessage);
                    },
                    function () {
                        announce(status, box.dataset.copyFailedMessage);
                    }
                );
            });
        }

        if (nativeButton && typeof navigator.share === "function") {
            nativeButton.hidden = false;
            nativeButton.addEventListener("click", function () {
                navigator.share({ title: title, url: url }).catch(function () {
                    // The visitor closed the share sheet: nothing to do.
                });
            });
        }
    });
})();

/* Contact form helpers. The form works without this file (on /kontakt/); with it:
 * - the error summary or notice gets the focus, so a screen reader reads it first;
 * - on the mission page (which may come from a shared cache) the per-visitor parts –
 *   CSRF token, time-trap token and captcha – are fetched when the form comes into view;
 * - "Nowe pytanie" swaps the question in place instead of reloading the page.
 */
(function () {
    "use strict";

    function fetchParts(url) {
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                return response.json();
            });
    }

    function showCaptcha(form, captcha) {
        var picture = form.querySelector("[data-captcha-picture]");
        var image = picture.querySelector("img");
        if (!image) {
            image = document.createElement("img");
            image.setAttribute("data-captcha-image", "");
            picture.appendChild(image);
        }
        image.width = captcha.width;
        image.height = captcha.height;
        image.src = captcha.image_url;
        image.alt = captcha.alt;
        form.querySelector("[data-captcha-key]").value = captcha.key;
        form.querySelector("[data-captcha-answer]").value = "";
        var audio = form.querySelector("[data-captcha-audio]");
        if (captcha.audio_url) {
            audio.href = captcha.audio_url;
            audio.hidden = false;
        } else {
            audio.removeAttribute("href");
            audio.hidden = true;
        }
        form.querySelector("[data-captcha]").hidden = false;
    }

    function setCsrfToken(form, token) {
        var input = form.querySelector("input[name=csrfmiddlewaretoken]");
        if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = "csrfmiddlewaretoken";
            form.appendChild(input);
        }
        input.value = token;
    }

    function prepareCachedForm(form) {
        var url = form.getAttribute("data-fresh-url");
        var load = function () {
            fetchParts(url).then(function (parts) {
                setCsrfToken(form, parts.csrf_token);
                form.querySelector("[data-form-token]").value = parts.form_token;
                showCaptcha(form, parts.captcha);
            }).catch(function () {
                var failed = form.querySelector("[data-fresh-failed]");
                if (failed) { failed.hidden = false; }
            });
        };
        if (!("IntersectionObserver" in window)) { load(); return; }
        var observer = new IntersectionObserver(function (entries) {
            if (entries.some(function (entry) { return entry.isIntersecting; })) {
                observer.disconnect();
                load();
            }
        }, { rootMargin: "200px" });
        observer.observe(form);
    }

    function enableNewQuestion(form) {
        var button = form.querySelector("[data-captcha-refresh]");
        var status = form.querySelector("[data-captcha-status]");
        var url = button && button.getAttribute("data-fresh-url");
        if (!url) { return; }
        button.addEventListener("click", function (event) {
            event.preventDefault();
            fetchParts(url).then(function (parts) {
                showCaptcha(form, parts.captcha);
                setCsrfToken(form, parts.csrf_token);
                status.textContent = button.getAttribute("data-done-text") || "";
                form.querySelector("[data-captcha-answer]").focus();
            }).catch(function () {
                // Fall back to what works without JavaScript: the server shows a new question.
                var fallback = document.createElement("input");
                fallback.type = "hidden";
                fallback.name = "new_question";
                fallback.value = "1";
                form.appendChild(fallback);
                form.submit();
            });
        });
    }

    function init() {
        var summary = document.querySelector("[data-focus-on-load]");
        if (summary) { summary.focus(); }
        document.querySelectorAll("[data-contact-form]").forEach(function (form) {
            if (form.hasAttribute("data-fresh-url")) { prepareCachedForm(form); }
            enableNewQuestion(form);
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}());

// Two-click video: nothing comes from YouTube or Vimeo until the visitor presses play; then
// their privacy-enhanced player takes the place of the still image. Without JavaScript the
// plain link under the film leads to it.
(function () {
    "use strict";

    document.querySelectorAll("[data-video-player]").forEach(function (figure) {
        var button = figure.querySelector(".video__play");
        var frame = figure.querySelector(".video__frame");
        if (!button || !frame) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            var player = document.createElement("iframe");
            player.src = figure.dataset.videoPlayer;
            player.title = figure.dataset.videoTitle;
            player.allow = "autoplay; fullscreen; picture-in-picture";
            player.allowFullscreen = true;
            player.className = "video__player";
            frame.replaceChildren(player);
            player.focus();
        });
    });
})();

// "Kopiuj numer" beside the bank account number; without JavaScript the number is plain text.
(function () {
    "use strict";

    document.querySelectorAll("[data-copy-box]").forEach(function (box) {
        var button = box.querySelector("[data-copy-button]");
        var text = box.querySelector("[data-copy-text]");
        var status = box.querySelector("[data-copy-status]");
        if (!button || !text || !navigator.clipboard || !window.isSecureContext) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            status.textContent = "";
            navigator.clipboard.writeText(text.textContent.replace(/\s+/g, "")).then(
                function () {
                    status.textContent = box.dataset.copiedMessage;
                },
                function () {
                    status.textContent = box.dataset.copyFailedMessage;
                }
            );
        });
    });
})();

/* Event pages: the places left for each date come per visitor (the page itself may be cached),
 * and a date that closed since the page was cached hides its form. Without JavaScript the
 * registration page shows both. */
(function () {
    "use strict";

    function init() {
        var form = document.querySelector("[data-registration-form][data-fresh-url]");
        if (!form) { return; }
        var url = form.getAttribute("data-fresh-url") + "?tylko=miejsca";
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                return response.json();
            })
            .then(function (parts) {
                document.querySelectorAll("[data-places-left]").forEach(function (element) {
                    element.textContent = parts.places[element.getAttribute("data-places-left")] || "";
                });
                if (!parts.open) { form.hidden = true; }
            })
            .catch(function () {
                // The places are a convenience: the form and the registration page still work.
            });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
