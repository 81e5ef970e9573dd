/* Copy buttons: <button data-copy="ID" hidden> copies the text of the element with that id, and a
   <… data-copy-status="ID" role="status"> beside it says whether it worked. Without this script
   (or a clipboard) the button stays hidden and the text can be selected and copied by hand. */
(() => {
  "use strict";
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = "Copied.";
      } catch {
        if (status) status.textContent = "Could not copy: select the token and copy it by hand.";
      }
    });
  }
})();
