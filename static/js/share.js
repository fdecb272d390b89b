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
