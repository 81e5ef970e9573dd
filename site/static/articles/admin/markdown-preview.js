/* The article editor's live preview: the Markdown body, rendered and sanitised by the server
   (the same code that renders the published page), shown beside the text as the editor types.
   No library: a debounced POST to the admin's markdown-preview endpoint. */
(function () {
  "use strict";

  var DELAY_MS = 350;

  function start() {
    var config = document.getElementById("markdown-preview-config");
    var body = document.getElementById("id_body");
    if (!config || !body) { return; }
    var url = config.getAttribute("data-url");
    var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");

    var editor = document.createElement("div");
    editor.className = "markdown-editor";
    body.parentNode.insertBefore(editor, body);
    editor.appendChild(body);

    var pane = document.createElement("section");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-label", "Preview of the body");
    var title = document.createElement("p");
    title.className = "markdown-preview-title";
    title.textContent = "Preview";
    var output = document.createElement("div");
    output.className = "markdown-preview-output prose";
    output.setAttribute("aria-live", "polite");
    output.setAttribute("aria-busy", "false");
    pane.appendChild(title);
    pane.appendChild(output);
    editor.appendChild(pane);

    var timer = null;
    var sent = 0;

    function render() {
      var ticket = ++sent;
      var data = new FormData();
      data.append("body", body.value);
      output.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (json) {
          if (ticket !== sent) { return; }  // an older answer arriving late
          // Safe to insert: the server sanitised it with the article allow-list.
          output.innerHTML = json.html;
          pane.classList.remove("markdown-preview-failed");
        })
        .catch(function () {
          if (ticket !== sent) { return; }
          pane.classList.add("markdown-preview-failed");
          output.textContent = "The preview could not be updated. Your text is safe: keep writing.";
        })
        .finally(function () {
          if (ticket === sent) { output.setAttribute("aria-busy", "false"); }
        });
    }

    body.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DELAY_MS);
    });
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
