/* Colloquy moderation queue: work a queue from the keyboard.

   Progressive enhancement: every action on the page is an ordinary form with a submit button, and
   works without this script. The script only adds shortcuts that press those buttons:

     j / k   next / previous comment          a   approve         s   spam
     x       select or unselect the comment   r   reject          u   restore
     ?       show or hide the list of shortcuts; Esc closes it

   The page marks up each comment as <li class="queue-row" data-comment-id="…">, holding forms
   whose submit buttons carry data-action="approve|reject|spam|restore", an optional reason field
   (name="reason", best inside the reject form) and a checkbox .queue-select for bulk actions.

   Shortcuts are ignored while typing in a field and whenever Ctrl, Alt or Meta is held (Ctrl+R
   still reloads). After a row's form is sent, the next row's id is kept in sessionStorage so that
   focus lands there when the queue comes back, and j is not needed after every decision. */
(() => {
  "use strict";

  if (window.colloquyModerationQueue) return; // loaded twice: one set of listeners is enough
  window.colloquyModerationQueue = true;

  const ROW = ".queue-row";
  const REASON = '[name="reason"]';
  const HELP_ID = "queue-help";
  const REMEMBER_KEY = "colloquy:moderation:focus";
  const SHORTCUTS = [
    ["j", "Next comment"],
    ["k", "Previous comment"],
    ["a", "Approve"],
    ["r", "Reject (moves to the reason field first, when there is one)"],
    ["s", "Mark as spam"],
    ["u", "Restore"],
    ["x", "Select or unselect for a bulk action"],
    ["?", "Show or hide these shortcuts"],
    ["Esc", "Close this list; leave the reason field"],
  ];
  // Inputs that take no typing: letters pressed there are still shortcuts.
  const NOT_TYPED = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file", "color", "range"]);

  const rows = () => Array.from(document.querySelectorAll(ROW));
  const currentRow = () => document.querySelector(`${ROW}[aria-current="true"]`);

  function storage() {
    // A sandboxed or opaque-origin document has no sessionStorage; shortcuts work without it.
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  }

  function announce(text) {
    let region = document.querySelector("[data-queue-announcer]");
    if (!region) {
      region = document.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.dataset.queueAnnouncer = "";
      document.body.append(region);
    }
    region.textContent = text;
  }

  /* Mark a row as the current one. `moveFocus` is false when focus is already inside it (a click
     or Tab onto one of its buttons). */
  function markCurrent(row, moveFocus = true) {
    if (!row) return;
    for (const other of rows()) {
      if (other !== row) {
        other.removeAttribute("aria-current");
        other.classList.remove("is-focused");
      }
    }
    row.setAttribute("aria-current", "true");
    row.classList.add("is-focused");
    if (moveFocus) {
      if (!row.hasAttribute("tabindex")) row.tabIndex = -1; // focusable by script, not by Tab
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    const all = rows();
    if (!all.length) return false;
    const index = all.indexOf(currentRow());
    const next = index === -1 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    markCurrent(all[next]);
    return true;
  }

  function act(action) {
    const row = currentRow();
    if (!row) return false;
    const button = row.querySelector(`[data-action="${action}"]`);
    if (!button || button.disabled) return false;
    if (action === "reject") {
      const reason = row.querySelector(REASON);
      if (reason && !reason.disabled) {
        // The editor types the reason, then Enter (or the button) sends the reject form.
        reason.focus();
        return true;
      }
    }
    if (button.form && typeof button.form.requestSubmit === "function") {
      // requestSubmit sends the button's own name/value and runs validation and submit listeners.
      button.form.requestSubmit(button.type === "submit" ? button : undefined);
    } else {
      button.click();
    }
    return true;
  }

  function syncSelected(box) {
    const row = box.closest(ROW);
    if (row) row.classList.toggle("is-selected", box.checked);
  }

  function toggleSelection() {
    const row = currentRow();
    const box = row && row.querySelector(".queue-select");
    if (!box || box.disabled) return false;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    announce(box.checked ? "Selected" : "Not selected");
    return true;
  }

  function helpDialog() {
    let dialog = document.getElementById(HELP_ID);
    if (dialog) return dialog;
    // Made here, not in the page: without this script there are no shortcuts to list.
    dialog = document.createElement("dialog");
    dialog.id = HELP_ID;
    dialog.className = "queue-help";
    dialog.setAttribute("aria-labelledby", `${HELP_ID}-title`);
    const title = document.createElement("h2");
    title.id = `${HELP_ID}-title`;
    title.textContent = "Keyboard shortcuts";
    const list = document.createElement("dl");
    list.className = "queue-help-keys";
    for (const [key, meaning] of SHORTCUTS) {
      const term = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      term.append(kbd);
      const description = document.createElement("dd");
      description.textContent = meaning;
      list.append(term, description);
    }
    // A plain button rather than <form method="dialog">: a page's own submit listeners never
    // see (or block) closing the help.
    const close = document.createElement("button");
    close.type = "button";
    close.className = "queue-help-close";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    dialog.append(title, list, close);
    dialog.addEventListener("close", () => markCurrent(currentRow()));
    document.body.append(dialog);
    return dialog;
  }

  function toggleHelp() {
    const dialog = helpDialog();
    if (dialog.open) {
      dialog.close();
    } else if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    return true;
  }

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    const field = target.closest("input, textarea, select");
    if (!field) return false;
    return field.tagName !== "INPUT" || !NOT_TYPED.has(field.type);
  }

  const KEYS = {
    j: () => move(1),
    k: () => move(-1),
    a: () => act("approve"),
    r: () => act("reject"),
    s: () => act("spam"),
    u: () => act("restore"),
    x: toggleSelection,
    "?": toggleHelp,
  };

  function onKeydown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    const help = document.getElementById(HELP_ID);
    if (help && help.open) {
      // While the list is open only ? and Esc do anything.
      if (event.key === "Escape" || event.key === "?") {
        event.preventDefault();
        help.close();
      }
      return;
    }
    if (isTyping(event.target)) {
      const row = event.target.closest(ROW);
      if (event.key === "Escape" && row) {
        event.preventDefault();
        markCurrent(row);
      }
      return;
    }
    const handler = KEYS[event.key];
    if (handler && handler()) event.preventDefault();
  }

  function onFocusin(event) {
    // Tab or a click into a row makes it the current row, so shortcuts act where the editor is.
    const row = event.target instanceof Element ? event.target.closest(ROW) : null;
    if (row && row !== currentRow()) markCurrent(row, false);
  }

  function onSubmit(event) {
    // Whatever sent a row's form (a key, a click, Enter in the reason), the row will be gone
    // from this queue when the page comes back: remember the row to continue with.
    const row = event.target instanceof Element ? event.target.closest(ROW) : null;
    const store = storage();
    if (!row || !store) return;
    const all = rows();
    const index = all.indexOf(row);
    const next = all[index + 1] || all[index - 1];
    if (next && next.dataset.commentId) store.setItem(REMEMBER_KEY, next.dataset.commentId);
    else store.removeItem(REMEMBER_KEY);
  }

  function onChange(event) {
    if (event.target instanceof Element && event.target.matches(".queue-select")) {
      syncSelected(event.target);
    }
  }

  function init() {
    for (const box of document.querySelectorAll(".queue-select")) syncSelected(box);
    for (const hint of document.querySelectorAll("[data-shortcuts-hint]")) hint.hidden = false;
    const store = storage();
    const remembered = store && store.getItem(REMEMBER_KEY);
    if (remembered) {
      store.removeItem(REMEMBER_KEY);
      const row = rows().find((candidate) => candidate.dataset.commentId === remembered);
      if (row) markCurrent(row);
    }
  }

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("focusin", onFocusin);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("change", onChange);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
