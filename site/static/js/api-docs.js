/* The API documentation's outline, which Swagger UI leaves incomplete: its title block and the
   authorisation bar as landmarks, and a heading for the list of operations between the page's
   <h1> and the <h3> of each group. Swagger UI renders (and re-renders) after load, so this runs
   whenever its DOM changes; each fix is applied once. */
(() => {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root) return;

  function fix() {
    const info = root.querySelector(".information-container");
    if (info && !info.hasAttribute("role")) {
      info.setAttribute("role", "banner");
    }
    const schemes = root.querySelector(".scheme-container");
    if (schemes && !schemes.hasAttribute("role")) {
      schemes.setAttribute("role", "region");
      schemes.setAttribute("aria-label", "Authorization");
    }
    const models = root.querySelector("section.models");
    if (models && !models.hasAttribute("role")) {
      models.setAttribute("role", "region");
      models.setAttribute("aria-label", "Schemas");
    }
    const firstGroup = root.querySelector(".opblock-tag-section");
    if (firstGroup && !root.querySelector("[data-operations-heading]")) {
      const heading = document.createElement("h2");
      heading.className = "visually-hidden";
      heading.dataset.operationsHeading = "";
      heading.textContent = "Operations";
      firstGroup.before(heading);
    }
  }

  new MutationObserver(fix).observe(root, { childList: true, subtree: true });
  fix();
})();
