/* Colloquy comment form: tell the reader how much room is left before they reach the limit, and
   bring the focus back to a form that came back refused or nudged.

   Progressive enhancement: the form works without this script, and the server checks the length
   in any case (its error comes back at the form, with the text kept). The script counts as the
   server does (characters, a line break as one) and, from COUNT_FROM_SHARE of the limit on,
   shows "N characters left" (or "N over the limit") under the text box. Screen readers hear the
   count only when it crosses a threshold, not at every key press. */
(() => {
  "use strict";

  const COUNT_FROM_SHARE = 0.8; // show the count once this much of the limit is used
  const ANNOUNCE_AT = [500, 100, 0]; // characters left at which a screen reader is told

  const length = (text) => Array.from(text).length; // code points, as Python counts them

  function setUp(textarea) {
    const limit = Number(textarea.dataset.maxLength);
    if (!limit || textarea.dataset.counted) return;
    textarea.dataset.counted = "true";

    const counter = document.createElement("span");
    counter.className = "char-count";
    counter.id = `${textarea.id}-count`;
    counter.setAttribute("aria-hidden", "true");
    const announcer = document.createElement("span");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    const help = document.getElementById(`${textarea.id}-help`);
    (help || textarea).after(counter, announcer);

    let lastBand = null;
    const update = () => {
      const left = limit - length(textarea.value);
      const show = limit - left >= limit * COUNT_FROM_SHARE;
      counter.hidden = !show;
      counter.classList.toggle("is-over", left < 0);
      const words =
        left >= 0
          ? `${left.toLocaleString("en-GB")} character${left === 1 ? "" : "s"} left`
          : `${(-left).toLocaleString("en-GB")} character${left === -1 ? "" : "s"} over the limit`;
      counter.textContent = words;
      const band = ANNOUNCE_AT.findIndex((threshold) => left <= threshold);
      if (band !== lastBand) {
        if (lastBand !== null && band !== -1) announcer.textContent = words;
        lastBand = band;
      }
    };
    textarea.addEventListener("input", update);
    update();
  }

  // Forms the discussion's script (thread.js) shows in place get their count too.
  document.addEventListener("colloquy:forms", (event) => {
    for (const textarea of event.target.querySelectorAll("textarea[data-max-length]")) {
      setUp(textarea);
    }
  });

  for (const textarea of document.querySelectorAll("textarea[data-max-length]")) {
    setUp(textarea);
    // A refused or nudged form comes back at #comment-form, with its message in view; browsers
    // skip `autofocus` on a page opened at a fragment, so focus the text box here (without
    // scrolling away from the message), and a screen reader reads its label and the message.
    if (textarea.hasAttribute("autofocus")) {
      // After the browser has scrolled to the fragment (which would take the focus away again).
      const focus = () => {
        if (document.activeElement !== textarea) textarea.focus({ preventScroll: true });
      };
      if (document.readyState === "complete") setTimeout(focus, 0);
      else window.addEventListener("load", () => setTimeout(focus, 0), { once: true });
    }
  }
})();
