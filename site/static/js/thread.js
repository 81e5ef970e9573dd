/* Colloquy discussion: writing in place and live threads.

   Progressive enhancement only: every link and form here works without this script (Reply goes
   to the form at the foot of the thread, Edit, Delete and Report to their own pages, and every
   form posts and redirects). With it:

   * Reply, Edit, Delete and Report open their form in place, under the comment (the server sends
     the form alone when asked with `X-Requested-With: fetch`); Escape or Cancel closes it and
     gives the focus back to the link that opened it.
   * Forms post with fetch() asking for JSON: a refusal shows beside the form, the text kept and
     the text box focused; success shows the discussion again (fetched as a fragment) with the
     notice beside the comment, focused and announced.
   * A live preview under each text box shows what will be published: the server renders it with
     the same code as saving (no Markdown in the browser).
   * Every POLL_SECONDS, while the tab is visible, the thread's version is asked for (an ETag:
     nothing changed is a 304); new comments offer "Show N new comments", which loads them in
     place. The article page itself stays whatever the page cache served. */
(() => {
  "use strict";

  const POLL_SECONDS = 25;
  const PREVIEW_DELAY_MS = 500;

  const section = document.getElementById("comments");
  if (!section || !window.fetch || !window.FormData) return;
  if (section.dataset.enhanced) return;
  section.dataset.enhanced = "true";

  const urls = {
    thread: section.dataset.threadUrl,
    version: section.dataset.versionUrl,
    post: section.dataset.postUrl,
    preview: section.dataset.previewUrl,
  };

  // One polite live region for the whole page, outside the part that is replaced.
  const live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.append(live);
  const announce = (text) => {
    live.textContent = "";
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  };

  const commentOf = (id) => document.getElementById(`comment-${id}`);

  const fromHtml = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const script of template.content.querySelectorAll("script")) script.remove();
    return template.content;
  };

  const enhanced = (root) => {
    root.dispatchEvent(new CustomEvent("colloquy:forms", { bubbles: true }));
    for (const form of root.querySelectorAll("form[data-inplace]")) setUpPreview(form);
  };

  // --- Forms in place ----------------------------------------------------------------------------

  const KINDS = [
    ["reply", /[?&]reply=(\d+)/],
    ["edit", /\/comments\/(\d+)\/edit\/$/],
    ["delete", /\/comments\/(\d+)\/delete\/$/],
    ["report", /\/comments\/(\d+)\/report\/$/],
  ];

  function kindOf(link) {
    if (!link.closest(".comment-actions")) return null;
    const url = new URL(link.href, location.href);
    for (const [kind, pattern] of KINDS) {
      const match = pattern.exec(kind === "reply" ? url.search : url.pathname);
      if (match) return { kind, id: match[1] };
    }
    return null;
  }

  // Where a form opened in place goes: a reply under the comment (before its replies), an edit in
  // place of its text, a deletion or report under its links.
  function place(box, li) {
    const article = li.querySelector(":scope > article");
    if (!article) return false;
    if (box.dataset.kind === "reply") article.after(box);
    else if (box.dataset.kind === "edit") {
      const body = article.querySelector(".comment-body");
      if (body) body.hidden = true;
      (body || article.lastElementChild).after(box);
    } else article.append(box);
    return true;
  }

  function close(box, { restoreFocus = true } = {}) {
    const li = commentOf(box.dataset.for);
    if (box.dataset.kind === "edit" && li) {
      const body = li.querySelector(":scope > article .comment-body");
      if (body) body.hidden = false;
    }
    const trigger = box.trigger;
    box.remove();
    if (trigger) {
      trigger.setAttribute("aria-expanded", "false");
      if (restoreFocus && document.contains(trigger)) trigger.focus();
    }
  }

  async function open(link, { kind, id }) {
    const li = commentOf(id);
    if (!li) return false;
    const existing = section.querySelector(`.comment-in-place[data-for="${id}"]`);
    if (existing) {
      if (existing.dataset.kind === kind) {
        focusInto(existing);
        return true;
      }
      close(existing, { restoreFocus: false });
    }
    const url = kind === "reply" ? `${urls.post}?reply=${id}` : link.href;
    let response;
    try {
      response = await fetch(url, {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
    } catch {
      return false;
    }
    if (!response.ok || response.redirected) return false;
    const box = document.createElement("div");
    box.className = `comment-in-place comment-in-place-${kind}`;
    box.dataset.for = id;
    box.dataset.kind = kind;
    box.append(fromHtml(await response.text()));
    box.trigger = link;
    if (!place(box, li)) return false;
    link.setAttribute("aria-expanded", "true");
    enhanced(box);
    focusInto(box);
    return true;
  }

  function focusInto(box) {
    const target =
      box.querySelector("textarea") ||
      box.querySelector('[tabindex="-1"]') ||
      box.querySelector("input:not([type=hidden]), button");
    if (target) {
      target.focus();
      if (target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
    }
  }

  section.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link || !section.contains(link)) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the link's own page
    }
    const box = link.closest(".comment-in-place");
    if (box && link.hasAttribute("data-cancel")) {
      event.preventDefault();
      close(box);
      return;
    }
    const found = kindOf(link);
    if (!found) return;
    event.preventDefault();
    open(link, found).then((opened) => {
      if (!opened) location.assign(link.href); // what the link does without the script
    });
  });

  section.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const box = event.target.closest && event.target.closest(".comment-in-place");
    if (box) {
      event.preventDefault();
      close(box);
    }
  });

  // --- Posting -----------------------------------------------------------------------------------

  let errorIds = 0;

  function showRefusal(form, answer) {
    let alert = form.querySelector(".form-errors[data-from-script]");
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "form-errors";
      alert.dataset.fromScript = "true";
      alert.setAttribute("role", "alert");
      alert.id = `${form.id || "comment-form-in-place"}-refusal-${++errorIds}`;
      const heading = form.querySelector("h3, .replying-to");
      const after = form.querySelector(".replying-to") || heading;
      if (after) after.after(alert);
      else form.prepend(alert);
    }
    const messages = [answer.message, ...Object.values(answer.errors || {}).flat()].filter(
      (message, index, all) => message && all.indexOf(message) === index,
    );
    alert.replaceChildren(
      ...messages.map((message) => {
        const p = document.createElement("p");
        p.textContent = message;
        return p;
      }),
    );
    const field = form.querySelector("textarea") || form.querySelector("input:not([type=hidden])");
    if (field) {
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(/\s+/);
      if (!described.includes(alert.id)) {
        field.setAttribute("aria-describedby", [alert.id, ...described].join(" ").trim());
      }
    }
    if (answer.nudge && !form.querySelector('button[name="confirmed"]')) {
      const anyway = document.createElement("button");
      anyway.type = "submit";
      anyway.name = "confirmed";
      anyway.value = "1";
      anyway.className = "button-secondary";
      anyway.textContent = "Post anyway";
      const actions = form.querySelector(".form-actions") || form;
      actions.append(anyway);
    }
    if (field) field.focus();
    else alert.focus();
  }

  function fallBack(form, submitter) {
    // Whatever the script cannot handle (a lost session, a stale CSRF token): the form posts as
    // it does without the script, with the button that was pressed.
    if (submitter && submitter.name) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.append(input);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  section.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-inplace]")) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    const submitter = event.submitter || null;
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const buttons = form.querySelectorAll("button");
    form.setAttribute("aria-busy", "true");
    for (const button of buttons) button.disabled = true;
    let response;
    let answer = null;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        answer = await response.json();
      }
    } catch {
      answer = null;
    }
    form.removeAttribute("aria-busy");
    for (const button of buttons) button.disabled = false;
    if (!answer) {
      fallBack(form, submitter);
      return;
    }
    if (!answer.ok) {
      showRefusal(form, answer);
      return;
    }
    const box = form.closest(".comment-in-place");
    const stay = form.hasAttribute("data-stay"); // "helpful": the same place, the same button
    const sameView = stay || (box && box.dataset.kind !== "reply");
    const target = new URL(answer.url, location.href);
    // An edit, deletion or report leaves the reader where they are; a new comment is shown on
    // the page of the thread that holds it.
    const query = sameView ? location.search : target.search;
    if (!sameView) history.replaceState(history.state, "", target.pathname + target.search);
    const refreshed = await refresh(query, { except: box || form });
    if (!refreshed) {
      location.assign(answer.url);
      return;
    }
    const notice = stay ? null : section.querySelector(".comment-notice");
    const again = stay && commentOf(answer.comment_id)?.querySelector(".comment-helpful button");
    const landing =
      again ||
      notice ||
      (answer.comment_id && commentOf(answer.comment_id)) ||
      section.querySelector("h2");
    if (landing) {
      if (!landing.matches("a[href], button, input, textarea, select")) {
        landing.setAttribute("tabindex", "-1");
      }
      landing.focus({ preventScroll: true });
      if (landing.scrollIntoView) landing.scrollIntoView({ block: stay ? "nearest" : "center" });
    }
    announce(answer.message);
  });

  // --- The discussion, fetched again -------------------------------------------------------------

  /* Shows the discussion again from the server, as this reader sees it, keeping what they are
     writing: forms opened in place go back under their comments, and the main form keeps its
     text (unless it is the form that was just sent). Returns whether it worked. */
  async function refresh(query, { except = null } = {}) {
    let response;
    try {
      response = await fetch(urls.thread + (query || ""), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
    } catch {
      return false;
    }
    if (!response.ok) return false;
    const fresh = fromHtml(await response.text()).querySelector("#comments");
    if (!fresh) return false;
    const boxes = [...section.querySelectorAll(".comment-in-place")].filter(
      (box) => box !== except,
    );
    const main = section.querySelector("#comment-form");
    const mainText = main && main !== except ? main.querySelector("textarea")?.value : "";
    for (const box of boxes) box.remove();
    section.replaceChildren(...fresh.childNodes);
    for (const box of boxes) {
      const li = commentOf(box.dataset.for);
      if (li) place(box, li);
    }
    const newMain = section.querySelector("#comment-form textarea");
    if (newMain && mainText) newMain.value = mainText;
    enhanced(section);
    readThread();
    return true;
  }

  // --- Preview -----------------------------------------------------------------------------------

  function setUpPreview(form) {
    const textarea = form.querySelector("textarea[name=body]");
    if (!textarea || !urls.preview || textarea.dataset.previewed) return;
    textarea.dataset.previewed = "true";
    const panel = document.createElement("div");
    panel.className = "comment-preview";
    panel.hidden = true;
    const label = document.createElement("p");
    label.className = "comment-preview-label";
    label.textContent = "Preview: how your comment will look";
    const body = document.createElement("div");
    body.className = "comment-preview-body";
    body.dir = "auto";
    const status = document.createElement("p");
    status.className = "help";
    status.hidden = true;
    panel.append(label, body, status);
    const field = textarea.closest(".field") || textarea;
    field.after(panel);

    let timer = null;
    let asked = 0;
    const show = async () => {
      const text = textarea.value;
      if (!text.trim()) {
        panel.hidden = true;
        return;
      }
      const number = ++asked;
      const data = new FormData();
      data.append("body", text);
      const token = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) data.append("csrfmiddlewaretoken", token.value);
      let response;
      try {
        response = await fetch(urls.preview, {
          method: "POST",
          body: data,
          credentials: "same-origin",
        });
      } catch {
        return;
      }
      if (number !== asked) return; // an older answer, arriving late
      if (!response.ok) {
        status.textContent =
          response.status === 429
            ? "The preview pauses for a moment: too many in a row."
            : "No preview for this text.";
        status.hidden = false;
        return;
      }
      status.hidden = true;
      body.innerHTML = await response.text(); // rendered and sanitised by the server, as saved
      panel.hidden = !body.textContent.trim();
    };
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(show, PREVIEW_DELAY_MS);
    });
    if (textarea.value.trim()) show();
  }

  // --- Live thread -------------------------------------------------------------------------------

  let shown = { version: null, count: 0 };
  let etag = null;

  function readThread() {
    const heading = section.querySelector("#comments-heading");
    if (!heading) return;
    shown = { version: Number(heading.dataset.version), count: Number(heading.dataset.count) };
    section.querySelector(".comments-new")?.remove();
  }

  function offer(count) {
    let banner = section.querySelector(".comments-new");
    if (!banner) {
      banner = document.createElement("p");
      banner.className = "comments-new";
      const button = document.createElement("button");
      button.type = "button";
      button.addEventListener("click", showNew);
      banner.append(button);
      const heading = section.querySelector("#comments-heading");
      if (heading) heading.after(banner);
      else section.prepend(banner);
    }
    const words = `${count} new comment${count === 1 ? "" : "s"}`;
    const button = banner.querySelector("button");
    if (button.dataset.count !== String(count)) {
      button.dataset.count = String(count);
      button.textContent = `Show ${words}`;
      announce(`${words} in this discussion.`);
    }
  }

  async function showNew() {
    const before = new Set([...section.querySelectorAll("li.comment")].map((li) => li.id));
    if (!(await refresh(location.search))) {
      location.reload();
      return;
    }
    const added = [...section.querySelectorAll("li.comment")].filter((li) => !before.has(li.id));
    for (const li of added) li.classList.add("comment-is-new");
    const first = added[0] || section.querySelector("#comments-heading");
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      if (first.scrollIntoView) first.scrollIntoView({ block: "start" });
    }
    announce(added.length ? `${added.length} new shown.` : "The discussion is up to date.");
  }

  let polling = false;
  async function poll() {
    if (document.hidden || polling || !urls.version || shown.version === null) return;
    polling = true;
    try {
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await fetch(urls.version, { headers, cache: "no-store" });
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        const state = await response.json();
        if (state.version !== shown.version && state.count > shown.count) {
          offer(state.count - shown.count);
        }
      }
    } catch {
      // Offline for a moment: ask again at the next turn.
    } finally {
      polling = false;
    }
  }

  readThread();
  enhanced(section);
  setInterval(poll, POLL_SECONDS * 1000);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
