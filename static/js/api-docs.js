// /api/docs: Swagger UI over the app's own OpenAPI document; "try it out" sends the token typed in Authorize.
(function () {
  var root = document.getElementById("api-docs");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,  // the public validator would be a call outside the intranet
  });
})();
